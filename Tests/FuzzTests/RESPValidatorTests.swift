import DSTPluginSDK
import Testing
@testable import Fuzz

/// The reply-stream validator on hand-written RESP2 and RESP3 streams: what it accepts, and
/// where it says a bad stream goes wrong.
struct RESPValidatorTests {
    private func validate(_ text: String, resp3: Bool = true) -> RESPValidator.Report {
        var validator = RESPValidator()
        validator.allowRESP3 = resp3
        return validator.validate(Array(text.utf8))
    }

    private func malformation(_ text: String) -> RESPValidator.Malformation? {
        validate(text).malformation
    }

    static let resp2Stream = "+OK\r\n-ERR no such key\r\n:5\r\n:-9223372036854775808\r\n$3\r\nabc\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n"
        + "*3\r\n$1\r\na\r\n*1\r\n:1\r\n-WRONGTYPE nested\r\n"
    static let resp3Stream = "%1\r\n+a\r\n,1.5\r\n~2\r\n#t\r\n#f\r\n_\r\n,inf\r\n,-inf\r\n,nan\r\n,1e+300\r\n,-0.25\r\n"
        + "=7\r\ntxt:abc\r\n(12345678901234567890\r\n!8\r\nERR x\r\ny\r\n|1\r\n+key\r\n+value\r\n:1\r\n>2\r\n+a\r\n+b\r\n"
        + "*2\r\n|1\r\n+k\r\n+v\r\n:1\r\n:2\r\n%0\r\n~0\r\n"

    @Test func acceptsRESP2() {
        let report = validate(Self.resp2Stream)
        #expect(report.isValid)
        #expect(report.replies == 10)
        #expect(report.replyStarts.first == 0)
        #expect(report.errors.count == 2)
        let bytes = Array(Self.resp2Stream.utf8)
        #expect(report.errors.map { String(decoding: bytes[$0], as: UTF8.self) } == ["ERR no such key", "WRONGTYPE nested"])
    }

    @Test func acceptsRESP3WithAttributesAndPushes() {
        let report = validate(Self.resp3Stream)
        #expect(report.malformation == nil)
        // map, set, null, 5 doubles, verbatim, big number, blob error, attributed :1, push,
        // array with an attributed element, empty map, empty set.
        #expect(report.replies == 16)
        #expect(report.errors.count == 1)
        #expect(validate("%0\r\n", resp3: false).malformation?.offset == 0)
        #expect(validate(Self.resp2Stream, resp3: false).isValid)
    }

    /// Every proper prefix of a valid stream is either whole replies (at a reply boundary)
    /// or truncated at its own end, never "malformed".
    @Test func everyPrefixIsTruncatedNotMalformed() {
        for stream in [Self.resp2Stream, Self.resp3Stream] {
            let bytes = Array(stream.utf8)
            let starts = Set(validate(stream).replyStarts + [bytes.count])
            for cut in 0..<bytes.count {
                let report = RESPValidator().validate(Array(bytes[..<cut]))
                if starts.contains(cut) {
                    #expect(report.isValid, "cut at \(cut)")
                } else {
                    #expect(report.malformation?.truncated == true, "cut at \(cut)")
                    #expect(report.malformation?.offset == cut, "cut at \(cut)")
                }
            }
        }
    }

    @Test func pointsAtTheFirstBadByte() {
        #expect(malformation("+OK\r\n+bad\rX\r\n") == .init(offset: 9, reason: "CR without LF", truncated: false))
        #expect(malformation("+OK\n")?.offset == 3)
        #expect(malformation(":+5\r\n")?.offset == 1)
        #expect(malformation(":05\r\n")?.offset == 1)
        #expect(malformation(": 5\r\n")?.offset == 1)
        #expect(malformation(":-0\r\n")?.offset == 1)
        #expect(malformation(":9223372036854775808\r\n")?.offset == 1)
        #expect(malformation(":\r\n")?.offset == 1)
        #expect(malformation("$3\r\nabcd\r\n")?.offset == 7)
        #expect(malformation("$-2\r\n")?.offset == 1)
        #expect(malformation("$ 3\r\nabc\r\n")?.offset == 1)
        #expect(malformation("*-2\r\n")?.offset == 1)
        #expect(malformation("%-1\r\n")?.offset == 1)
        #expect(malformation("?x\r\n")?.offset == 0)
        #expect(malformation("+OK\r\nhello\r\n")?.offset == 5)
        #expect(malformation("#x\r\n")?.offset == 1)
        #expect(malformation("#tt\r\n")?.offset == 1)
        #expect(malformation("_x\r\n")?.offset == 1)
        #expect(malformation("=3\r\nabc\r\n")?.offset == 4)
        #expect(malformation("=6\r\ntxtabc\r\n")?.offset == 4)
        #expect(malformation(",1.5.5\r\n")?.offset == 1)
        #expect(malformation(",\r\n")?.offset == 1)
        #expect(malformation("(12a\r\n")?.offset == 1)
        #expect(malformation("*2\r\n:1\r\n+ok\n")?.offset == 11)
        #expect(malformation("*1\r\n$1\r\nab\r\n")?.offset == 9)
    }

    /// Declared sizes are compared against the bytes present, never used to reserve memory:
    /// absurd ones end as "truncated" (or "malformed" when they overflow), at once.
    @Test func hugeDeclaredSizesAreNotTrusted() {
        for text in ["$9223372036854775807\r\nabc", "*9223372036854775807\r\n:1\r\n", "!9223372036854775806\r\n",
                     "%2305843009213693951\r\n", "~9223372036854775807\r\n", ">1000000000000\r\n+a\r\n"] {
            let result = malformation(text)
            #expect(result?.truncated == true, "\(text)")
            #expect(result?.offset == text.utf8.count, "\(text)")
        }
        #expect(malformation("%4611686018427387904\r\n") == .init(offset: 1, reason: "a map of 4611686018427387904 pairs overflows", truncated: false))
        #expect(malformation("|4611686018427387904\r\n")?.truncated == false)
        #expect(malformation("$9223372036854775808\r\n")?.offset == 1)
    }

    @Test func nestingIsBoundedWithoutRecursion() {
        let deep = String(repeating: "*1\r\n", count: 100) + ":1\r\n"
        #expect(malformation(deep)?.offset == 64 * 4)
        let allowed = String(repeating: "*1\r\n", count: 64) + ":1\r\n"
        #expect(validate(allowed).replies == 1)
        var validator = RESPValidator()
        validator.maximumDepth = 100_000
        let veryDeep = String(repeating: "*1\r\n", count: 50_000) + ":1\r\n"
        #expect(validator.validate(Array(veryDeep.utf8)).replies == 1)
    }

    @Test func emptyStreamIsValid() {
        #expect(validate("").isValid)
        #expect(validate("").replies == 0)
        #expect(malformation("|0\r\n")?.truncated == true)
        #expect(validate("|0\r\n:1\r\n").replies == 1)
    }
}
