import Testing
@testable import Soak

struct DecimalTextTests {
    @Test func fixedPoint() {
        #expect(DecimalText.format(1234.5678, decimals: 2) == "1234.57")
        #expect(DecimalText.format(-0.0001, decimals: 2) == "0.00")
        #expect(DecimalText.format(-2.5, decimals: 1) == "-2.5")
        #expect(DecimalText.format(3, decimals: 3) == "3.000")
        #expect(DecimalText.format(3, decimals: 3, trim: true) == "3")
        #expect(DecimalText.format(0.05, decimals: 2, trim: true) == "0.05")
        #expect(DecimalText.format(.nan, decimals: 2) == "nan")
    }

    @Test func signedAndBytes() {
        #expect(DecimalText.signed(1.25, decimals: 1) == "+1.3")  // 1.25 is exact; ties round away from zero
        #expect(DecimalText.signed(0.0001, decimals: 1) == "0.0")
        #expect(DecimalText.signed(-4, decimals: 0) == "-4")
        #expect(DecimalText.bytes(512) == "512 B")
        #expect(DecimalText.bytes(1536) == "1.5 KiB")
        #expect(DecimalText.bytes(30 * 1024 * 1024) == "30.0 MiB")
    }
}
