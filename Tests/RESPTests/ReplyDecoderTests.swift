import Testing
@testable import RESP

/// What a decoder made of some input: the replies it returned, then the error it threw, if any.
struct DecodeOutcome: Equatable {
    var replies: [Reply] = []
    var error: ProtocolError?
}

/// Feeds `input` in chunks of `chunkSize` bytes (all at once by default), draining after each.
func decode(_ input: [UInt8], limits: ReplyDecoder.Limits = .defaults, chunkSize: Int? = nil) -> DecodeOutcome {
    var decoder = ReplyDecoder(limits: limits)
    var outcome = DecodeOutcome()
    let size = chunkSize ?? max(input.count, 1)
    var start = 0
    repeat {
        let end = min(start + size, input.count)
        decoder.append(input[start..<end])
        do {
            while let reply = try decoder.next() { outcome.replies.append(reply) }
        } catch {
            outcome.error = error
        }
        start = end
    } while start < input.count && outcome.error == nil
    return outcome
}

/// A small deterministic generator (SplitMix64), so the property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random replies. `resp2Only` restricts them to what RESP2 represents without lowering;
/// otherwise they avoid what RESP3 cannot carry back (`.nullArray`, CR/LF in lines, NaN,
/// verbatim formats that are not exactly three bytes).
func randomReply(depth: Int, resp2Only: Bool, using rng: inout SeededGenerator) -> Reply {
    let scalarKinds = resp2Only ? 6 : 10
    let kinds = depth > 0 ? scalarKinds + (resp2Only ? 1 : 3) : scalarKinds
    func text() -> String {
        let alphabet = Array("abc XYZ 019 :$*+-_,#%~=!(|>é😀")
        return String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }
    func blob() -> [UInt8] {
        (0..<Int.random(in: 0...12, using: &rng)).map { _ in [0x00, 0x0D, 0x0A, 0x24, 0x2A, 0xFF, 0x61].randomElement(using: &rng)! }
    }
    func children() -> [Reply] {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomReply(depth: depth - 1, resp2Only: resp2Only, using: &rng) }
    }
    switch Int.random(in: 0..<kinds, using: &rng) {
    case 0: return .simple(text())
    case 1: return .error("ERR " + text())
    case 2: return .integer([Int64.min, -1, 0, 7, Int64.max, Int64.random(in: .min ... .max, using: &rng)].randomElement(using: &rng)!)
    case 3: return .bulk(blob())
    case 4: return .null
    case 5: return resp2Only ? .nullArray : .double([0, -0.0, 1.1, -3.5e-300, .infinity, -.infinity, .greatestFiniteMagnitude,
                                                     Double.random(in: -1e6...1e6, using: &rng)].randomElement(using: &rng)!)
    case 6 where resp2Only: return .array(children())
    case 6: return .boolean(Bool.random(using: &rng))
    case 7: return .verbatim(format: ["txt", "mkd"].randomElement(using: &rng)!, text: blob())
    case 8: return .simple("OK")
    case 9: return .bulk(Array(text().utf8))
    case 10: return .array(children())
    case 11: return .set(children())
    default:
        let items = children()
        return .map(items.map { ReplyPair($0, randomReply(depth: 0, resp2Only: false, using: &rng)) })
    }
}

@Suite("ReplyDecoder")
struct ReplyDecoderTests {
    @Test func roundTripsRESP3() {
        var rng = SeededGenerator(state: 1)
        var stream: [UInt8] = []
        var replies: [Reply] = []
        for _ in 0..<300 {
            let reply = randomReply(depth: 3, resp2Only: false, using: &rng)
            let encoded = ReplyEncoder.encode(reply, protocol: .resp3)
            #expect(decode(encoded) == DecodeOutcome(replies: [reply]))
            replies.append(reply)
            stream += encoded
        }
        #expect(decode(stream) == DecodeOutcome(replies: replies))
        #expect(decode(stream, chunkSize: 1) == DecodeOutcome(replies: replies))
        #expect(decode(stream, chunkSize: 7) == DecodeOutcome(replies: replies))
    }

    @Test func roundTripsRESP2() {
        var rng = SeededGenerator(state: 2)
        var stream: [UInt8] = []
        var replies: [Reply] = []
        for _ in 0..<300 {
            let reply = randomReply(depth: 3, resp2Only: true, using: &rng)
            replies.append(reply)
            stream += ReplyEncoder.encode(reply, protocol: .resp2)
        }
        #expect(decode(stream) == DecodeOutcome(replies: replies))
        #expect(decode(stream, chunkSize: 1) == DecodeOutcome(replies: replies))
    }

    @Test func lossyRESP3Encodings() {
        // RESP3 has a single null, and line replies cannot carry CR/LF.
        #expect(decode(ReplyEncoder.encode(.nullArray, protocol: .resp3)).replies == [.null])
        #expect(decode(ReplyEncoder.encode(.simple("a\nb"), protocol: .resp3)).replies == [.simple("a b")])
        #expect(decode(ReplyEncoder.encode(.verbatim(format: "md", text: []), protocol: .resp3)).replies
                == [.verbatim(format: "md ", text: [])])
    }

    /// The exact bytes Redis 7.0.15 sent under HELLO 3 for DEBUG PROTOCOL string, integer,
    /// double, bignum, null, array, set, map, attrib, verbatim, true, false.
    @Test func decodesRedisDebugProtocolOutput() {
        let input = bytes("$11\r\nHello World\r\n:12345\r\n,3.141\r\n(1234567999999999999999999999999999999\r\n_\r\n*3\r\n:0\r\n:1\r\n:2\r\n~3\r\n:0\r\n:1\r\n:2\r\n%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n=29\r\ntxt:This is a verbatim\nstring\r\n#t\r\n#f\r\n")
        let expected: [Reply] = [
            .bulk("Hello World"), .integer(12345), .double(3.141), .bulk("1234567999999999999999999999999999999"), .null,
            .array([.integer(0), .integer(1), .integer(2)]),
            .set([.integer(0), .integer(1), .integer(2)]),
            .map([ReplyPair(.integer(0), .boolean(false)), ReplyPair(.integer(1), .boolean(true)), ReplyPair(.integer(2), .boolean(false))]),
            .bulk("Some real reply following the attribute"),
            .verbatim(format: "txt", text: bytes("This is a verbatim\nstring")),
            .boolean(true), .boolean(false),
        ]
        #expect(decode(input) == DecodeOutcome(replies: expected))
        #expect(decode(input, chunkSize: 1) == DecodeOutcome(replies: expected))
    }

    @Test func resp2Nulls() {
        #expect(decode(bytes("$-1\r\n*-1\r\n_\r\n")).replies == [.null, .nullArray, .null])
    }

    @Test func attributesInsideAggregatesAreDropped() {
        let input = bytes("*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n|0\r\n:2\r\n")
        #expect(decode(input) == DecodeOutcome(replies: [.array([.integer(1), .integer(2)])]))
    }

    @Test func blobErrorsAndDoubles() throws {
        #expect(decode(bytes("!21\r\nSYNTAX invalid syntax\r\n")).replies == [.error("SYNTAX invalid syntax")])
        #expect(decode(bytes(",inf\r\n,-inf\r\n,1e10\r\n,-0\r\n")).replies
                == [.double(.infinity), .double(-.infinity), .double(1e10), .double(0)])
        guard case .double(let nan) = try #require(decode(bytes(",nan\r\n")).replies.first) else {
            Issue.record("not a double")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func waitsForCompleteReplies() throws {
        var decoder = ReplyDecoder()
        decoder.append(bytes("*2\r\n$3\r\nfoo\r\n$3\r\nba"))
        #expect(try decoder.next() == nil)
        decoder.append(bytes("r\r"))
        #expect(try decoder.next() == nil)
        decoder.append(bytes("\n+OK"))
        #expect(try decoder.next() == .array([.bulk("foo"), .bulk("bar")]))
        #expect(try decoder.next() == nil)
        decoder.append(bytes("\r\n"))
        #expect(try decoder.next() == .ok)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test(arguments: [
        ("?\r\n", ProtocolError.unexpectedType(UInt8(ascii: "?"))),
        ("+OK\rX", .expectedCRLF),
        ("$3\r\nfooXY", .expectedCRLF),
        (":01\r\n", .invalidInteger),
        (":+1\r\n", .invalidInteger),
        (":\r\n", .invalidInteger),
        (",\r\n", .invalidDouble),
        (",1.5x\r\n", .invalidDouble),
        ("#x\r\n", .invalidBoolean),
        ("#tt\r\n", .invalidBoolean),
        ("_x\r\n", .invalidNull),
        ("(12a\r\n", .invalidBigNumber),
        ("(\r\n", .invalidBigNumber),
        ("$-2\r\n", .invalidLength),
        ("$x\r\n", .invalidLength),
        ("=-1\r\n", .invalidLength),
        ("!-1\r\n", .invalidLength),
        ("*-2\r\n", .invalidLength),
        ("%-1\r\n", .invalidLength),
        ("~-1\r\n", .invalidLength),
        ("$?\r\n", .invalidLength),
        ("=3\r\ntxt\r\n", .invalidVerbatim),
        ("=5\r\ntxt;x\r\n", .invalidVerbatim),
        (">2\r\n+a\r\n+b\r\n", .pushNotSupported),
    ])
    func malformedReplies(input: String, error: ProtocolError) {
        #expect(decode(bytes(input)) == DecodeOutcome(error: error))
        #expect(decode(bytes(input), chunkSize: 1) == DecodeOutcome(error: error))
    }

    @Test func limits() {
        let limits = ReplyDecoder.Limits(maxLineLength: 8, maxBulkLength: 3, maxAggregateCount: 2, maxDepth: 2)
        #expect(decode(bytes("+1234567\r\n"), limits: limits).replies == [.simple("1234567")])
        #expect(decode(bytes("+12345678\r\n"), limits: limits) == DecodeOutcome(error: .replyLineTooLong))
        #expect(decode(bytes("+12345678"), limits: limits, chunkSize: 1) == DecodeOutcome(error: .replyLineTooLong))
        #expect(decode(bytes("$3\r\nabc\r\n"), limits: limits).replies == [.bulk("abc")])
        #expect(decode(bytes("$4\r\n"), limits: limits) == DecodeOutcome(error: .invalidLength))
        #expect(decode(bytes("*3\r\n"), limits: limits) == DecodeOutcome(error: .invalidLength))
        #expect(decode(bytes("*1\r\n*1\r\n:1\r\n"), limits: limits).replies == [.array([.array([.integer(1)])])])
        #expect(decode(bytes("*1\r\n*1\r\n*1\r\n"), limits: limits) == DecodeOutcome(error: .nestedTooDeeply))
        // Empty aggregates open no level.
        #expect(decode(bytes("*1\r\n*1\r\n*0\r\n"), limits: limits).replies == [.array([.array([.array([])])])])
    }

    @Test func poisonedAfterAnError() throws {
        var decoder = ReplyDecoder()
        decoder.append(bytes(":1\r\n?\r\n:2\r\n"))
        #expect(try decoder.next() == .integer(1))
        #expect(throws: ProtocolError.unexpectedType(UInt8(ascii: "?"))) { try decoder.next() }
        decoder.append(bytes(":3\r\n"))
        #expect(throws: ProtocolError.unexpectedType(UInt8(ascii: "?"))) { try decoder.next() }
    }

    @Test func hugeDeclaredSizesWaitWithoutAllocating() throws {
        var decoder = ReplyDecoder(limits: .init(maxBulkLength: .max))
        decoder.append(bytes("*2147483647\r\n$9223372036854775807\r\n"))
        #expect(try decoder.next() == nil)
        decoder.append([UInt8](repeating: 0x61, count: 1000))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 1000)
        #expect(decoder.bufferCapacity < 4096)
    }

    @Test func deepNestingIsDecodedWithoutRecursion() throws {
        // The decoder itself keeps an explicit stack, so the depth limit is the only bound.
        let depth = 100
        let input = Array(repeating: bytes("*1\r\n"), count: depth).joined() + bytes(":7\r\n")
        var expected = Reply.integer(7)
        for _ in 0..<depth { expected = .array([expected]) }
        #expect(decode(Array(input)) == DecodeOutcome(replies: [expected]))
    }
}
