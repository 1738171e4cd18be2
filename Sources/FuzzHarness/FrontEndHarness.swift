import Fuzz
import Redlite
import RESP

/// The `resp_parser` target's body: one input's bytes fed to the engine's RESP front end
/// (``RESPSession`` over an in-memory ``RedliteConnection``), judged by the seeded Fuzz
/// suite's oracle (`FeedCheck`: well-formed RESP2/RESP3, one-line error replies, a protocol
/// error last and closing the connection).
///
/// The input runs twice, on two engines reset to the same state (``ReusableEngine``): fed
/// whole, and fed in chunks of 1, 2, 3, 5, ... 512 bytes (a fixed cycle). Both must write back
/// the same bytes and end open or closed alike: the parser is incremental, and how the network
/// splits a stream must not change what it means. Then the engine must still answer PING.
///
/// Commands that would legally build a huge value (``CommandBudget``) get an error instead
/// of running.
public struct FrontEndHarness {
    /// The planted defect "a length trusted from the wire" is on: each session's parser
    /// reserves a declared bulk length before the bytes arrive (`*1\r\n$9000000000000\r\n`
    /// then kills the process, which is the point).
    public let trustsDeclaredLengths: Bool

    static let chunkCycle = [1, 2, 3, 5, 8, 13, 21, 64, 7, 512]

    private let wholeEngine: ReusableEngine
    private let chunkedEngine: ReusableEngine

    /// A harness; by default the planted defect is on when `DST_PLANTED_DEFECT` says so.
    public init(trustsDeclaredLengths: Bool = PlantedDefectSwitch.trustsWireLength) throws {
        self.trustsDeclaredLengths = trustsDeclaredLengths
        wholeEngine = try ReusableEngine()
        chunkedEngine = try ReusableEngine()
    }

    /// What one input's run came to.
    public struct Outcome: Sendable {
        /// Rules the engine broke, in words; empty when it broke none.
        public var violations: [String] = []
        /// What the engine wrote back, fed whole.
        public var output: [UInt8] = []
        /// Top-level replies in it.
        public var replies = 0
        /// The input closed the connection (QUIT or a protocol error).
        public var closed = false
    }

    /// Runs one input.
    public func run(_ input: some Collection<UInt8>) -> Outcome {
        let bytes = Array(input)
        var outcome = Outcome()
        do {
            try wholeEngine.reset()
            try chunkedEngine.reset()
        } catch {
            outcome.violations.append("\(error)")
            return outcome
        }

        let whole = session(on: wholeEngine.connection)
        let wholeOutput = whole.feed(bytes)
        let wholeCheck = FeedCheck.check(output: wholeOutput, closed: whole.isClosed)
        outcome.violations += wholeCheck.violations.map { "fed whole: \($0)" }
        outcome.output = wholeOutput
        outcome.replies = wholeCheck.replies
        outcome.closed = whole.isClosed

        let chunked = session(on: chunkedEngine.connection)
        var chunkedOutput: [UInt8] = []
        var offset = 0, feeds = 0
        while offset < bytes.count && !chunked.isClosed {
            let end = min(offset + Self.chunkCycle[feeds % Self.chunkCycle.count], bytes.count)
            let output = chunked.feed(bytes[offset..<end])
            outcome.violations += FeedCheck.check(output: output, closed: chunked.isClosed).violations
                .map { "fed in chunks, the feed ending at byte \(end): \($0)" }
            chunkedOutput += output
            offset = end
            feeds += 1
        }
        if chunkedOutput != wholeOutput {
            let firstDifference = zip(chunkedOutput, wholeOutput).prefix { $0 == $1 }.count
            outcome.violations.append("fed whole and in chunks, the replies differ from byte \(firstDifference) "
                                      + "(\(wholeOutput.count) and \(chunkedOutput.count) bytes)")
        }
        if chunked.isClosed != whole.isClosed {
            outcome.violations.append("fed whole the connection \(whole.isClosed ? "closed" : "stayed open"), "
                                      + "fed in chunks it \(chunked.isClosed ? "closed" : "stayed open")")
        }

        // As if the client hung up: ends a MULTI the input left open.
        whole.close()
        let ping = wholeEngine.connection.execute("PING")
        if ping != .simple("PONG") { outcome.violations.append("after the input, PING answered \(ping)") }
        return outcome
    }

    private func session(on connection: RedliteConnection) -> RESPSession {
        RESPSession(connection: connection, trustsDeclaredLengths: trustsDeclaredLengths) { argv in
            CommandBudget.execute(argv, on: connection)
        }
    }
}
