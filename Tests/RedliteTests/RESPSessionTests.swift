import RESP
import Testing
@testable import Redlite

/// The RESP front end: bytes in, bytes out, as a Redis 7.0 client connection sees them. The
/// error texts and QUIT's behaviour asserted here were checked against a real redis-server
/// 7.0.15.
@Suite struct RESPSessionTests {
    /// A fresh in-memory engine with a fixed client id (HELLO reports it) on virtual time.
    private static func connection() throws -> RedliteConnection {
        try RedliteConnection(.memory, clock: ManualClock(), random: SeededRandom(seed: 1), clientID: 7)
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Feeds `input` to a new session in the given pieces; answers the output and whether the
    /// session ended closed.
    private static func serve(_ pieces: [ArraySlice<UInt8>]) throws -> (output: [UInt8], closed: Bool) {
        let session = RESPSession(connection: try connection())
        var output: [UInt8] = []
        for piece in pieces { output += session.feed(piece) }
        return (output, session.isClosed)
    }

    // MARK: Pipelining and splitting

    @Test func pipelinedRequestsAnswerInOrder() throws {
        let session = RESPSession(connection: try Self.connection())
        let increment = "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
        let output = session.feed(Self.bytes(String(repeating: increment, count: 100) + "GET n\r\n"))
        let expected = (1...100).map { ":\($0)\r\n" }.joined() + "$3\r\n100\r\n"
        #expect(Self.text(output) == expected)
        #expect(!session.isClosed)
        #expect(session.bufferedByteCount == 0)
    }

    @Test func aPartialRequestWaitsForTheRest() throws {
        let session = RESPSession(connection: try Self.connection())
        #expect(session.feed(Self.bytes("PING\r\n*2\r\n$4\r\nECHO\r\n$5\r\nhel")) == Self.bytes("+PONG\r\n"))
        #expect(session.bufferedByteCount > 0)
        #expect(session.feed(Self.bytes("lo\r\nECH")) == Self.bytes("$5\r\nhello\r\n"))
        #expect(session.feed([]) == [])
        #expect(session.feed(Self.bytes("O hi\r\n")) == Self.bytes("$2\r\nhi\r\n"))
        #expect(session.bufferedByteCount == 0)
    }

    /// Streams mixing multibulk and inline requests, empty ones, binary payloads holding CRLF,
    /// a transaction, HELLO, and endings by protocol error and by QUIT.
    static let streams: [String] = [
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$9\r\nva\r\nl\r\nue\r\nGET k\r\n\r\n*0\r\n*-1\r\nSTRLEN k\r\n"
            + "APPEND k \"x y\"\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nRPUSH l a b 'c d'\r\nLRANGE l 0 -1\n",
        "MULTI\r\n*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$1\r\nm\r\nINCR c\r\nEXEC\r\nHSET h f 1.5\r\nHELLO 3\r\n"
            + "HGETALL h\r\n*2\r\n$8\r\nSMEMBERS\r\n$1\r\ns\r\nZADD z 1.1 m\r\nZSCORE z m\r\nGET nope\r\n",
        "SET a 1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nINCR a\r\n*1\r\n$4\r\nPING\r\n*1\r\n$x\r\nGET a\r\n",
        "PING\r\nECHO \"unterminated\r\nPING\r\n",
        "*1\r\n$4\r\nPING\r\nSET q 1\r\nQUIT\r\nGET q\r\n*1\r\n$4\r\nPING\r\n",
    ]

    @Test(arguments: streams)
    func splittingTheStreamAnywhereChangesNothing(_ stream: String) throws {
        let input = Self.bytes(stream)
        let whole = try Self.serve([input[...]])
        #expect(!whole.output.isEmpty)
        for cut in 0...input.count {
            let split = try Self.serve([input[..<cut], input[cut...]])
            #expect(split.output == whole.output, "cut at byte \(cut)")
            #expect(split.closed == whole.closed, "cut at byte \(cut)")
        }
        let byteByByte = try Self.serve(input.indices.map { input[$0...$0] })
        #expect(byteByByte.output == whole.output)
        #expect(byteByByte.closed == whole.closed)
    }

    @Test func theStreamsAnswerAsRedisDoes() throws {
        let results = try Self.streams.map { try Self.serve([Self.bytes($0)[...]]) }
        #expect(Self.text(results[0].output) == "+OK\r\n$9\r\nva\r\nl\r\nue\r\n:9\r\n:12\r\n$12\r\nva\r\nl\r\nuex y\r\n:3\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$3\r\nc d\r\n")
        #expect(!results[0].closed)
        #expect(Self.text(results[1].output).hasPrefix("+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:1\r\n:1\r\n:1\r\n%7\r\n"))
        #expect(Self.text(results[1].output).hasSuffix("%1\r\n$1\r\nf\r\n$3\r\n1.5\r\n~1\r\n$1\r\nm\r\n:1\r\n,1.1000000000000001\r\n_\r\n"))
        #expect(Self.text(results[2].output) == "+OK\r\n$1\r\n1\r\n:2\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n")
        #expect(results[2].closed)
        #expect(Self.text(results[3].output) == "+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n")
        #expect(results[3].closed)
        #expect(Self.text(results[4].output) == "+PONG\r\n+OK\r\n+OK\r\n")
        #expect(results[4].closed)
    }

    // MARK: Protocol errors

    /// An input and Redis 7.0.15's whole answer to it, before it closed the connection.
    struct Exchange: Sendable, CustomTestStringConvertible {
        let input: String
        let output: String
        init(_ input: String, _ output: String) {
            self.input = input
            self.output = output
        }
        /// Long inputs are named by their start and size, not printed whole.
        var testDescription: String {
            input.count <= 60 ? input.debugDescription : "\(input.prefix(8).debugDescription)... (\(input.utf8.count) bytes)"
        }
    }

    static let protocolErrors: [Exchange] = [
        Exchange("*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange("*1\r\n$9000000000000\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange("*1\r\n$9223372036854775808\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange("*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange("*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange("*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n"),
        Exchange("*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"),
        Exchange("*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n"),
        Exchange("ECHO \"a\"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"),
        Exchange("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$99999999999\r\nPING\r\n",
                 "+PONG\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n"),
        Exchange(String(repeating: "A", count: 64 * 1024 + 10), "-ERR Protocol error: too big inline request\r\n"),
        Exchange("*" + String(repeating: "1", count: 70 * 1024), "-ERR Protocol error: too big mbulk count string\r\n"),
        Exchange("*1\r\n$" + String(repeating: "1", count: 70 * 1024), "-ERR Protocol error: too big bulk count string\r\n"),
    ]

    @Test(arguments: protocolErrors)
    func aProtocolErrorIsAnsweredAndCloses(_ exchange: Exchange) throws {
        let session = RESPSession(connection: try Self.connection())
        #expect(Self.text(session.feed(Self.bytes(exchange.input))) == exchange.output)
        #expect(session.isClosed)
        #expect(session.feed(Self.bytes("PING\r\n")) == [])
        // Nothing of the refused input is kept.
        #expect(session.bufferedByteCount == 0)
        #expect(session.parserCapacity < 64 * 1024)
    }

    @Test func theOffendingByteIsQuotedRaw() throws {
        let session = RESPSession(connection: try Self.connection())
        #expect(session.feed([0x2A, 0x31, 0x0D, 0x0A, 0xFF, 0x0D, 0x0A]) == Self.bytes("-ERR Protocol error: expected '$', got '") + [0xFF] + Self.bytes("'\r\n"))
    }

    // MARK: Limits

    @Test func declaredLengthsWithinTheLimitsReserveNothing() throws {
        let session = RESPSession(connection: try Self.connection())
        // The largest lengths Redis accepts: the session waits for the bytes, holding none.
        #expect(session.feed(Self.bytes("*2147483647\r\n$536870912\r\n")) == [])
        #expect(!session.isClosed)
        #expect(session.parserCapacity < 4096)
    }

    @Test func smallerLimitsAreEnforced() throws {
        let session = RESPSession(connection: try Self.connection(), limits: RequestLimits(maxBulkLength: 3))
        #expect(session.feed(Self.bytes("ECHO abcd\r\n*2\r\n$4\r\nECHO\r\n$4\r\n")) == Self.bytes("$4\r\nabcd\r\n-ERR Protocol error: invalid bulk length\r\n"))
        #expect(session.isClosed)
    }

    @Test func thePlantedDefectTrustsTheDeclaredLength() throws {
        let session = RESPSession(connection: try Self.connection(), trustsDeclaredLengths: true)
        // Over Redis's limit, yet accepted, and its storage reserved before any byte arrived.
        #expect(session.feed(Self.bytes("*2\r\n$4\r\nECHO\r\n$536870913\r\n")) == [])
        #expect(!session.isClosed)
        #expect(session.parserCapacity >= 536_870_913)
        let trusting = RESPSession(connection: try Self.connection(), trustsDeclaredLengths: true)
        // Otherwise it parses as the real one does.
        #expect(trusting.feed(Self.bytes("*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\nPING\r\n")) == Self.bytes("$3\r\nabc\r\n+PONG\r\n"))
    }

    // MARK: QUIT and closing

    @Test func quitAnswersOKAndClosesEvenInsideMulti() throws {
        let connection = try Self.connection()
        let session = RESPSession(connection: connection)
        #expect(session.feed(Self.bytes("MULTI\r\nSET k v\r\nquit now please\r\nEXEC\r\n")) == Self.bytes("+OK\r\n+QUEUED\r\n+OK\r\n"))
        #expect(session.isClosed)
        #expect(session.feed(Self.bytes("PING\r\n")) == [])
        // A new client on the same connection is not in the old one's transaction.
        let next = RESPSession(connection: connection)
        #expect(next.feed(Self.bytes("SET a 1\r\nGET k\r\n")) == Self.bytes("+OK\r\n$-1\r\n"))
    }

    @Test func closingEndsTheClientsState() throws {
        let connection = try Self.connection()
        let session = RESPSession(connection: connection)
        _ = session.feed(Self.bytes("HELLO 3 SETNAME fuzz\r\nSELECT 3\r\nSET k v\r\nWATCH w\r\n"))
        session.close()
        #expect(session.isClosed)
        #expect(connection.protocolVersion == .resp2)
        #expect(connection.selectedDatabase == 0)
        #expect(connection.clientName == nil)
        let next = RESPSession(connection: connection)
        #expect(next.feed(Self.bytes("GET k\r\nSELECT 3\r\nGET k\r\nMULTI\r\nEXEC\r\n")) == Self.bytes("$-1\r\n+OK\r\n$1\r\nv\r\n+OK\r\n*0\r\n"))
        #expect(try connection.database.scalarInt("SELECT COUNT(*) FROM redlite_watches") == 0)
    }

    // MARK: Protocol versions

    @Test func helloThreeSwitchesTheEncodingFromItsOwnReply() throws {
        let session = RESPSession(connection: try Self.connection())
        #expect(session.feed(Self.bytes("HSET h f v\r\nHGETALL h\r\n")) == Self.bytes(":1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"))
        let hello = "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
            + "$2\r\nid\r\n:7\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
        #expect(Self.text(session.feed(Self.bytes("HELLO 3\r\nHGETALL nope\r\nHGETALL h\r\n"))) == hello + "%0\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n")
        #expect(Self.text(session.feed(Self.bytes("HELLO 2\r\nHGETALL h\r\n"))).hasSuffix(":2\r\n$2\r\nid\r\n:7\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"))
    }

    // MARK: A host's executor

    @Test func aCustomExecutorRunsEachCommand() throws {
        let connection = try Self.connection()
        var seen: [String] = []
        let session = RESPSession(connection: connection) { argv in
            seen.append(argv.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))
            return connection.execute(argv)
        }
        #expect(session.feed(Self.bytes("SET k v\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nQUIT\r\n")) == Self.bytes("+OK\r\n$1\r\nv\r\n+OK\r\n"))
        // QUIT is the session's, not a command.
        #expect(seen == ["SET k v", "GET k"])
    }
}
