import Testing
@testable import RESP

@Suite("ReplyEncoder")
struct ReplyEncoderTests {
    /// Each reply with its RESP2 and RESP3 encodings. The doubles, the CR/LF replacement and
    /// the verbatim layout were observed on Redis 7.0.15 (ZSCORE, EVAL error_reply/status_reply,
    /// CLIENT INFO, DEBUG PROTOCOL).
    static let cases: [(reply: Reply, resp2: [UInt8], resp3: [UInt8])] = [
        (.ok, bytes("+OK\r\n"), bytes("+OK\r\n")),
        (.simple(""), bytes("+\r\n"), bytes("+\r\n")),
        (.simple("a\r\nb"), bytes("+a  b\r\n"), bytes("+a  b\r\n")),
        (.error("ERR unknown command"), bytes("-ERR unknown command\r\n"), bytes("-ERR unknown command\r\n")),
        (.error("MYERR a\r\nb\nc"), bytes("-MYERR a  b c\r\n"), bytes("-MYERR a  b c\r\n")),
        (.integer(0), bytes(":0\r\n"), bytes(":0\r\n")),
        (.integer(12345), bytes(":12345\r\n"), bytes(":12345\r\n")),
        (.integer(-1), bytes(":-1\r\n"), bytes(":-1\r\n")),
        (.integer(.max), bytes(":9223372036854775807\r\n"), bytes(":9223372036854775807\r\n")),
        (.integer(.min), bytes(":-9223372036854775808\r\n"), bytes(":-9223372036854775808\r\n")),
        (.bulk("Hello World"), bytes("$11\r\nHello World\r\n"), bytes("$11\r\nHello World\r\n")),
        (.bulk([]), bytes("$0\r\n\r\n"), bytes("$0\r\n\r\n")),
        (.bulk([0x00, 0x0D, 0x0A, 0xFF]), bytes("$4\r\n") + [0x00, 0x0D, 0x0A, 0xFF] + bytes("\r\n"),
         bytes("$4\r\n") + [0x00, 0x0D, 0x0A, 0xFF] + bytes("\r\n")),
        (.null, bytes("$-1\r\n"), bytes("_\r\n")),
        (.nullArray, bytes("*-1\r\n"), bytes("_\r\n")),
        (.array([]), bytes("*0\r\n"), bytes("*0\r\n")),
        (.array([.integer(0), .integer(1), .integer(2)]), bytes("*3\r\n:0\r\n:1\r\n:2\r\n"), bytes("*3\r\n:0\r\n:1\r\n:2\r\n")),
        (.array([.array([.bulk("d"), .double(-.infinity)]), .null]),
         bytes("*2\r\n*2\r\n$1\r\nd\r\n$4\r\n-inf\r\n$-1\r\n"), bytes("*2\r\n*2\r\n$1\r\nd\r\n,-inf\r\n_\r\n")),
        (.double(1.1), bytes("$18\r\n1.1000000000000001\r\n"), bytes(",1.1000000000000001\r\n")),
        (.double(0.1), bytes("$19\r\n0.10000000000000001\r\n"), bytes(",0.10000000000000001\r\n")),
        (.double(3), bytes("$1\r\n3\r\n"), bytes(",3\r\n")),
        (.double(3.141), bytes("$5\r\n3.141\r\n"), bytes(",3.141\r\n")),
        (.double(1e300), bytes("$23\r\n1.0000000000000001e+300\r\n"), bytes(",1.0000000000000001e+300\r\n")),
        (.double(2.5e-10), bytes("$22\r\n2.5000000000000002e-10\r\n"), bytes(",2.5000000000000002e-10\r\n")),
        (.double(0), bytes("$1\r\n0\r\n"), bytes(",0\r\n")),
        (.double(-0.0), bytes("$2\r\n-0\r\n"), bytes(",-0\r\n")),
        (.double(.infinity), bytes("$3\r\ninf\r\n"), bytes(",inf\r\n")),
        (.double(-.infinity), bytes("$4\r\n-inf\r\n"), bytes(",-inf\r\n")),
        (.double(-.leastNormalMagnitude), bytes("$24\r\n-2.2250738585072014e-308\r\n"), bytes(",-2.2250738585072014e-308\r\n")),
        (.boolean(true), bytes(":1\r\n"), bytes("#t\r\n")),
        (.boolean(false), bytes(":0\r\n"), bytes("#f\r\n")),
        (.map([]), bytes("*0\r\n"), bytes("%0\r\n")),
        (.map([ReplyPair(.integer(0), .boolean(false)), ReplyPair(.integer(1), .boolean(true)), ReplyPair(.integer(2), .boolean(false))]),
         bytes("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"), bytes("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n")),
        (.map([ReplyPair(.bulk("maxmemory"), .bulk("0"))]),
         bytes("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"), bytes("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n")),
        (.set([]), bytes("*0\r\n"), bytes("~0\r\n")),
        (.set([.integer(0), .integer(1), .integer(2)]), bytes("*3\r\n:0\r\n:1\r\n:2\r\n"), bytes("~3\r\n:0\r\n:1\r\n:2\r\n")),
        (.verbatim(format: "txt", text: bytes("This is a verbatim\nstring")),
         bytes("$25\r\nThis is a verbatim\nstring\r\n"), bytes("=29\r\ntxt:This is a verbatim\nstring\r\n")),
        (.verbatim(format: "txt", text: []), bytes("$0\r\n\r\n"), bytes("=4\r\ntxt:\r\n")),
        // Redis writes exactly three format bytes, padding with spaces.
        (.verbatim(format: "md", text: bytes("x")), bytes("$1\r\nx\r\n"), bytes("=5\r\nmd :x\r\n")),
        (.verbatim(format: "markdown", text: bytes("x")), bytes("$1\r\nx\r\n"), bytes("=5\r\nmar:x\r\n")),
    ]

    @Test(arguments: 0..<cases.count)
    func encodesBothProtocols(index: Int) {
        let (reply, resp2, resp3) = Self.cases[index]
        #expect(ReplyEncoder.encode(reply, protocol: .resp2) == resp2)
        #expect(ReplyEncoder.encode(reply, protocol: .resp3) == resp3)
    }

    @Test func appendsToTheBuffer() {
        var buffer = bytes("+OK\r\n")
        ReplyEncoder.encode(.integer(1), protocol: .resp2, into: &buffer)
        ReplyEncoder.encode(.null, protocol: .resp3, into: &buffer)
        #expect(buffer == bytes("+OK\r\n:1\r\n_\r\n"))
    }

    /// The exact bytes Redis 7.0.15 sent for `DEBUG PROTOCOL string|integer|double|null|array|
    /// set|map|verbatim|true|false` under HELLO 2 and HELLO 3.
    @Test func matchesRedisDebugProtocolOutput() {
        let replies: [Reply] = [
            .bulk("Hello World"), .integer(12345), .double(3.141), .null,
            .array([.integer(0), .integer(1), .integer(2)]),
            .set([.integer(0), .integer(1), .integer(2)]),
            .map([ReplyPair(.integer(0), .boolean(false)), ReplyPair(.integer(1), .boolean(true)), ReplyPair(.integer(2), .boolean(false))]),
            .verbatim(format: "txt", text: bytes("This is a verbatim\nstring")),
            .boolean(true), .boolean(false),
        ]
        var resp2: [UInt8] = []
        var resp3: [UInt8] = []
        for reply in replies {
            ReplyEncoder.encode(reply, protocol: .resp2, into: &resp2)
            ReplyEncoder.encode(reply, protocol: .resp3, into: &resp3)
        }
        #expect(resp2 == bytes("$11\r\nHello World\r\n:12345\r\n$5\r\n3.141\r\n$-1\r\n*3\r\n:0\r\n:1\r\n:2\r\n*3\r\n:0\r\n:1\r\n:2\r\n*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n$25\r\nThis is a verbatim\nstring\r\n:1\r\n:0\r\n"))
        #expect(resp3 == bytes("$11\r\nHello World\r\n:12345\r\n,3.141\r\n_\r\n*3\r\n:0\r\n:1\r\n:2\r\n~3\r\n:0\r\n:1\r\n:2\r\n%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n=29\r\ntxt:This is a verbatim\nstring\r\n#t\r\n#f\r\n"))
    }

    @Test func nanIsPrintedAsTheCLibraryDoes() {
        #expect(ReplyEncoder.encode(.double(.nan), protocol: .resp3) == bytes(",nan\r\n"))
    }

    @Test func protocolErrorsEncodeAsRedisSendsThem() {
        let error = ProtocolError.expectedDollar(got: UInt8(ascii: "\n"))
        #expect(ReplyEncoder.encode(.error(error.message), protocol: .resp2) == bytes("-ERR Protocol error: expected '$', got ' '\r\n"))
    }
}

/// `loweredToRESP2` is the value form of the RESP2 encoding: the lowered reply encodes to the
/// original's RESP2 bytes, and holds no RESP3-only shape any more (without nulls, which the two
/// protocols spell differently, its RESP3 and RESP2 encodings are the same bytes).
@Test(arguments: [
    Reply.map([ReplyPair(.bulk("f"), .double(1.5)), ReplyPair(.bulk("g"), .boolean(true))]),
    .set([.bulk("a"), .double(-.infinity)]),
    .array([.verbatim(format: "txt", text: Array("hi".utf8)), .boolean(false), .array([.double(2)])]),
    .double(1.1), .simple("OK"), .error("ERR x"), .integer(-3),
])
func loweringToRESP2MatchesTheRESP2Encoding(reply: Reply) {
    let lowered = reply.loweredToRESP2
    #expect(ReplyEncoder.encode(lowered, protocol: .resp2) == ReplyEncoder.encode(reply, protocol: .resp2))
    #expect(ReplyEncoder.encode(lowered, protocol: .resp3) == ReplyEncoder.encode(lowered, protocol: .resp2))
}

@Test func loweringKeepsBothNulls() {
    #expect(Reply.array([.null, .nullArray]).loweredToRESP2 == .array([.null, .nullArray]))
}
