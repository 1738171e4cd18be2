import Foundation
import Redlite
import Synchronization

/// An engine a plugin drives from a thread of its own (ABI 1.4 `threaded`): real threads
/// contending for real SQLite locks, for load tests.
///
/// Calls for one engine are serialized by its lock, so a plugin that (wrongly) shares one
/// between threads gets slow, not corrupt, results. It reads the real clock: a load test runs
/// in real time, and its keys expire in real time.
final class ThreadedEngine: SharedEngine, @unchecked Sendable {
    let options: StorageOptions
    let clientID: Int64
    let lowersRepliesToRESP2: Bool
    private let randomSeed: UInt64
    private let lock = NSLock()
    private var connection: RedliteConnection?

    init(options: StorageOptions, clientID: Int64, randomSeed: UInt64, lowersRepliesToRESP2: Bool) throws {
        self.options = options
        self.clientID = clientID
        self.randomSeed = randomSeed
        self.lowersRepliesToRESP2 = lowersRepliesToRESP2
        connection = try Self.connect(options, clientID: clientID, randomSeed: randomSeed)
    }

    private static func connect(_ options: StorageOptions, clientID: Int64, randomSeed: UInt64) throws -> RedliteConnection {
        try RedliteConnection(options, clock: SystemClock(), random: SeededRandom(seed: randomSeed), clientID: clientID)
    }

    /// Runs one command (the planted defect, if any, applies); nil once closed.
    func execute(_ argv: [[UInt8]]) -> Reply? {
        lock.withLock {
            guard let connection else { return nil }
            let reply = PlantedDefect.execute(argv, on: connection)
            return lowersRepliesToRESP2 ? reply.loweredToRESP2 : reply
        }
    }

    /// Closes and opens the same database again (what was committed stays).
    func reopen() throws {
        try lock.withLock {
            connection = nil
            connection = try Self.connect(options, clientID: clientID, randomSeed: randomSeed)
        }
    }

    func close() {
        lock.withLock { connection = nil }
    }

    /// `PRAGMA integrity_check`, as the simulation's service answers it.
    func checkIntegrity() -> Reply? {
        lock.withLock { connection.map(SimulationServices.integrityReply) }
    }
}

/// The run's threaded engines, by handle address: looked up from any thread.
final class ThreadedEngineRegistry: Sendable {
    private let engines = SharedEngineTable<ThreadedEngine>()
    private let opened = Mutex<Int64>(0)

    /// Client ids of threaded engines start here, apart from the seeded engines' 1, 2, 3...
    private static let firstClientID: Int64 = 1_000_001

    func open(_ options: StorageOptions, seed: UInt64, lowersRepliesToRESP2: Bool) throws -> UnsafeMutableRawPointer {
        let number = opened.withLock { opened -> Int64 in
            opened += 1
            return opened
        }
        let engine = try ThreadedEngine(options: options, clientID: Self.firstClientID + number - 1,
                                        randomSeed: seed ^ (UInt64(number) &* 0xBF58_476D_1CE4_E5B9),
                                        lowersRepliesToRESP2: lowersRepliesToRESP2)
        return engines.insert(engine)
    }

    func engine(_ handle: OpaquePointer?) -> ThreadedEngine? { engines.engine(handle) }

    /// Forgets the engine and closes it; false for a handle that is not a threaded engine.
    func close(_ handle: OpaquePointer?) -> Bool { engines.close(handle) }

    func closeAll() { engines.closeAll() }
}
