import Fuzz
import Redlite
import RESP
import SQLite

/// The `command_handler` target's body: the commands an input spells (``ArgvStream``) run
/// with ``RedliteConnection/execute(_:)`` on an in-memory engine reset before each input
/// (``ReusableEngine``).
///
/// Oracles, as the seeded suite's: every reply, encoded in the protocol then in force, is
/// well-formed RESP whose error replies (nested ones too, in EXEC's array) obey the error
/// rule; after the last command (and a DISCARD) SQLite's `integrity_check` answers `ok` and
/// the engine answers PING.
public struct CommandHandlerHarness {
    /// How inputs are read: over the engine's own command table.
    public let stream: ArgvStream
    private let engine: ReusableEngine

    /// Opens the engine and reads its command table (`COMMAND LIST`).
    public init() throws {
        engine = try ReusableEngine()
        let connection = engine.connection
        guard case .array(let entries) = connection.execute("COMMAND", "LIST") else {
            throw HarnessFailure("COMMAND LIST did not answer an array")
        }
        let names = entries.compactMap { entry -> [UInt8]? in
            if case .bulk(let name) = entry { return name }
            return nil
        }
        guard !names.isEmpty, names.count == entries.count else {
            throw HarnessFailure("COMMAND LIST answered something other than names")
        }
        stream = ArgvStream(names: names)
    }

    /// What one input's run came to.
    public struct Outcome: Sendable {
        /// Rules the engine broke, in words; empty when it broke none.
        public var violations: [String] = []
        /// Commands run (refused ones not counted).
        public var commands = 0
        /// Error replies, nested ones included.
        public var errorReplies = 0
    }

    /// Runs one input.
    public func run(_ input: some Collection<UInt8>) -> Outcome {
        var outcome = Outcome()
        do {
            try engine.reset()
        } catch {
            outcome.violations.append("\(error)")
            return outcome
        }
        let connection = engine.connection
        for (index, argv) in stream.decode(input).enumerated() where !CommandBudget.refuses(argv) {
            let reply = connection.execute(argv)
            outcome.commands += 1
            let check = FeedCheck.check(output: ReplyEncoder.encode(reply, protocol: connection.protocolVersion), closed: false)
            outcome.errorReplies += check.errorReplies
            outcome.violations += check.violations.map { "command \(index) (\(Self.render(argv))): \($0)" }
        }
        _ = connection.execute("DISCARD")
        do {
            let integrity = try connection.database.strings("PRAGMA integrity_check")
            if integrity != ["ok"] { outcome.violations.append("integrity_check: \(integrity.prefix(5).joined(separator: "; "))") }
        } catch {
            outcome.violations.append("integrity_check failed to run: \(error)")
        }
        let ping = connection.execute("PING")
        if ping != .simple("PONG") { outcome.violations.append("after the input, PING answered \(ping)") }
        return outcome
    }

    /// `set "k" "\x00"`: printable bytes as they are, others escaped, long arguments cut.
    static func render(_ argv: [[UInt8]]) -> String {
        argv.prefix(8).map { argument in
            let shown = argument.prefix(24).map { byte in
                (0x20..<0x7F).contains(byte) && byte != 0x22 && byte != 0x5C
                    ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16).leftPadded(to: 2)
            }.joined()
            return "\"" + shown + (argument.count > 24 ? "..." : "") + "\""
        }.joined(separator: " ") + (argv.count > 8 ? " ..." : "")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
