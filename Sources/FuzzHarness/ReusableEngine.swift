import Redlite
import RESP
import SQLite

/// The in-memory engine a harness runs its inputs on, put back before every input to the state
/// it had when opened, so that an input's replies depend on that input alone: libFuzzer can
/// then replay a crash from the saved input, and the front-end harness can compare two runs of
/// one input byte for byte.
///
/// Opening an engine costs more than a whole input's run (the schema is parsed and every
/// statement prepared again), so the engine is reused and reset instead:
/// - the client's state (MULTI, WATCH, SELECT, HELLO, the name) ends as when a client hangs up;
/// - every table gets back the rows it had right after opening (``TableSnapshot``), counters
///   of AUTOINCREMENT included, so row ids (SCAN cursors) repeat;
/// - CONFIG SET settings go back to their first values, and the random source to its seed;
/// - the clock never moves, and the engine's one active purge (which runs when a write finds
///   it due) happened at opening, so no input ever triggers one.
final class ReusableEngine {
    let connection: RedliteConnection
    private let random = ReplayableRandom()
    private let tables: TableSnapshot
    /// `CONFIG SET name value ...` with every setting CONFIG SET accepts, at its first value.
    private let settings: [[UInt8]]?

    init() throws(HarnessFailure) {
        do {
            connection = try RedliteConnection(.memory, clock: ManualClock(), random: random, clientID: 1)
        } catch {
            throw HarnessFailure("an in-memory engine did not open: \(error)")
        }
        do {
            tables = try TableSnapshot(connection.database)
        } catch {
            throw HarnessFailure("the engine's tables could not be snapshot: \(error)")
        }
        settings = Self.settableSettings(connection)
        // The purge: due at the first write, then never again on a clock that stands still.
        _ = connection.execute("SET", "warm-up", "1")
        try reset()
    }

    /// Puts the engine back as it was when opened (see the type's comment).
    func reset() throws(HarnessFailure) {
        // A closed session is how a client's state on a connection ends.
        RESPSession(connection: connection).close()
        do {
            try tables.restore()
        } catch {
            throw HarnessFailure("the engine's tables could not be reset: \(error)")
        }
        if let settings, connection.execute(settings) != .ok {
            throw HarnessFailure("CONFIG SET of the first settings failed")
        }
        random.reset()
    }

    /// The settings CONFIG GET lists that CONFIG SET takes back unchanged.
    private static func settableSettings(_ connection: RedliteConnection) -> [[UInt8]]? {
        var pairs: [[UInt8]] = []
        if case .map(let entries) = connection.execute("CONFIG", "GET", "*") {
            for entry in entries {
                guard case .bulk(let name) = entry.key, case .bulk(let value) = entry.value else { continue }
                if connection.execute([Array("CONFIG".utf8), Array("SET".utf8), name, value]) == .ok {
                    pairs += [name, value]
                }
            }
        }
        return pairs.isEmpty ? nil : [Array("CONFIG".utf8), Array("SET".utf8)] + pairs
    }
}

/// The engine's random source, put back to its seed between inputs.
final class ReplayableRandom: RedliteRandom {
    private static let seed: UInt64 = 1
    private var source = SeededRandom(seed: seed)

    func next() -> UInt64 { source.next() }

    func reset() { source = SeededRandom(seed: Self.seed) }
}

/// A harness that could not run an input at all (as opposed to a rule the engine broke).
struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
