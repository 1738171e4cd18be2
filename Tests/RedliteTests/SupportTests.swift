import Testing
@testable import Redlite

/// The Redis-compatible parsing and matching helpers every family relies on.
@Suite struct SupportTests {
    @Test(arguments: [
        ("*", "", true), ("*", "anything", true), ("h?llo", "hello", true), ("h?llo", "hllo", false),
        ("h*llo", "heeeello", true), ("h[ae]llo", "hallo", true), ("h[ae]llo", "hillo", false),
        ("h[^e]llo", "hallo", true), ("h[^e]llo", "hello", false), ("h[a-b]llo", "hbllo", true),
        ("h[b-a]llo", "hallo", true), ("h\\*llo", "h*llo", true), ("h\\*llo", "hello", false),
        ("a*", "", false), ("**", "", false), ("[abc", "a", true), ("a*a*a*a*a*a*a*b", String(repeating: "a", count: 40), false),
        ("[\\]]", "]", true), ("*x", "abcx", true),
    ])
    func globMatchesAsRedisDoes(pattern: String, text: String, expected: Bool) {
        #expect(GlobPattern(Array(pattern.utf8)).matches(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("0", Int64?(0)), ("-1", -1), ("9223372036854775807", .max), ("-9223372036854775808", .min),
        ("9223372036854775808", nil), ("-9223372036854775809", nil), ("01", nil), ("-0", nil), ("+1", nil),
        (" 1", nil), ("1 ", nil), ("", nil), ("-", nil), ("1e3", nil), ("18446744073709551616", nil),
    ])
    func integersParseAsString2ll(text: String, expected: Int64?) {
        #expect(Numbers.parseInt64(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        ("1.5", Double?(1.5)), ("inf", .infinity), ("-inf", -.infinity), ("+inf", .infinity), (" 1", nil),
        ("1 ", nil), ("nan", nil), ("", nil), ("1e400", nil), ("0x10", 16), ("1e-400", nil),
    ])
    func doublesParseAsString2d(text: String, expected: Double?) {
        #expect(Numbers.parseDouble(Array(text.utf8)) == expected)
    }

    @Test func doublesFormatAsRedis70() {
        #expect(Numbers.formatDouble(1.1) == Array("1.1000000000000001".utf8))
        #expect(Numbers.formatDouble(3) == Array("3".utf8))
        #expect(Numbers.formatDouble(-0.0) == Array("-0".utf8))
        #expect(Numbers.formatDouble(.infinity) == Array("inf".utf8))
        #expect(Numbers.formatDouble(-.infinity) == Array("-inf".utf8))
        #expect(Numbers.formatDouble(1e300) == Array("1.0000000000000001e+300".utf8))
    }

    @Test func floatIncrementsUseLongDoubleAndHumanFormat() throws {
        #expect(try Numbers.incrementByFloat(current: Array("10.5".utf8), increment: Array("0.1".utf8)).get() == Array("10.6".utf8))
        #expect(try Numbers.incrementByFloat(current: nil, increment: Array("5.0e3".utf8)).get() == Array("5000".utf8))
        #expect(try Numbers.incrementByFloat(current: Array("-1".utf8), increment: Array("1".utf8)).get() == Array("0".utf8))
        #expect(throws: Numbers.FloatIncrementError.self) {
            try Numbers.incrementByFloat(current: Array("abc".utf8), increment: Array("1".utf8)).get()
        }
    }

    @Test(arguments: [
        ("0", Int64?(0)), ("17", 17), ("+5", 5), ("", 0), ("-1", .max), (" 1", nil), ("1x", nil),
        ("18446744073709551615", .max), ("18446744073709551616", nil),
    ])
    func scanCursorsParseAsStrtoul(text: String, expected: Int64?) {
        #expect(ScanOptions.parseCursor(Array(text.utf8)) == expected)
    }
}
