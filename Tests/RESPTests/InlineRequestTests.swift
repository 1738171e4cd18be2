import Testing
@testable import RESP

/// Inline requests, checked against Redis 7.0.15 with `RPUSH l <line>` + `LRANGE l 0 -1`.
@Suite("RequestParser: inline requests")
struct InlineRequestTests {
    @Test func terminators() {
        #expect(parse(bytes("PING\r\n")).commands == [argv("PING")])
        #expect(parse(bytes("PING\n")).commands == [argv("PING")])
        // Only a \r right before the \n is part of the terminator.
        #expect(parse(bytes("PING\r\r\n")).commands == [argv("PING")])
        #expect(parse(bytes("PING")) == ParseOutcome())
        #expect(parse(bytes("PING\r")) == ParseOutcome())
    }

    @Test func emptyLinesYieldNoCommand() {
        #expect(parse(bytes("\r\n\n   \n\t\r\nPING\r\n")) == ParseOutcome(commands: [argv("PING")]))
    }

    static let cases: [(line: [UInt8], arguments: [[UInt8]])] = [
        (bytes("SET a b"), argv("SET", "a", "b")),
        (bytes("  x   y  "), argv("x", "y")),
        (bytes("ECHO\ta"), argv("ECHO", "a")),
        // Interior \r separates arguments; \v and \f only do so outside an argument.
        (bytes("ECHO a\rb"), argv("ECHO", "a", "b")),
        (bytes("a\u{0B}b"), argv("a\u{0B}b")),
        (bytes("\u{0C}x\u{0C}"), argv("x\u{0C}")),
        (bytes("a\\tb"), argv("a\\tb")),
        (bytes(#""\n\r\t\b\a\\\"\z""#), [[0x0A, 0x0D, 0x09, 0x08, 0x07, 0x5C, 0x22, 0x7A]]),
        (bytes(#""a\x41\n\q""#), argv("aA\nq")),
        (bytes(#""\x4a""#), argv("J")),
        (bytes(#""\xff\x00""#), [[0xFF, 0x00]]),
        (bytes(#""\xZZ""#), argv("xZZ")),
        (bytes(#""\x""#), argv("x")),
        (bytes(#""\x4""#), argv("x4")),
        (bytes(#""\x4g""#), argv("x4g")),
        (bytes(#""\X41""#), argv("X41")),
        (bytes(#"'a\'b\n'"#), argv(#"a'b\n"#)),
        (bytes(#"'a\\b'"#), argv(#"a\\b"#)),
        (bytes(#"'\''"#), argv("'")),
        (bytes(#"'\\''"#), argv(#"\'"#)),
        (bytes(#""" ''"#), argv("", "")),
        (bytes(#"'a"b' "a'b""#), argv("a\"b", "a'b")),
        (bytes(#""a" "b""#), argv("a", "b")),
        (bytes("\"x\"\u{0B}"), argv("x")),
        (bytes("\"x\"\u{0C}"), argv("x")),
        (bytes("\"x\"\ty"), argv("x", "y")),
        // A quote can open in the middle of an argument.
        (bytes(#"ECHO a"b c""#), argv("ECHO", "ab c")),
        // NUL is an ordinary byte here (Redis stalls on it: see InlineArguments).
        (bytes("a\u{0}b c"), [[0x61, 0x00, 0x62], bytes("c")]),
    ]

    @Test(arguments: 0..<cases.count)
    func quoting(index: Int) {
        let (line, arguments) = Self.cases[index]
        #expect(parse(line + bytes("\r\n")) == ParseOutcome(commands: [arguments]))
        #expect(parse(line + bytes("\n"), chunkSize: 1) == ParseOutcome(commands: [arguments]))
    }

    @Test(arguments: [
        #"ECHO "abc"d"#, #"ECHO 'abc'd"#, #"ECHO "abc"#, #"ECHO 'abc"#, #"ECHO "a\""#, #"'a\'"#,
        #"'it''s'"#, #""a""b""#, #"a'b c'd"#, #"a"b"c"#, #""\"#,
    ])
    func unbalancedQuotes(line: String) {
        #expect(parse(bytes(line + "\r\n")) == ParseOutcome(error: .unbalancedQuotes))
    }

    @Test func commandsBeforeTheBadLineAreReturned() {
        #expect(parse(bytes("PING\r\nECHO \"x\r\nPING\r\n")) == ParseOutcome(commands: [argv("PING")], error: .unbalancedQuotes))
    }
}
