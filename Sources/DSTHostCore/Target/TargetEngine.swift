import Foundation
import RESP
import RedisClient
import Synchronization

/// An engine a test opened while the run has a RESP target: one client of the target server,
/// standing in for the embedded engine.
///
/// Commands go through hiredis (an independent RESP implementation, so the server's encoder is
/// checked by a parser it does not share), and replies arrive as a RESP2 client sees them.
/// Raw bytes (`engine_feed`) go through a second, raw connection (``WireClient``), as a
/// separate client. Calls for one engine are serialized by its lock: threaded load tests call
/// from their own threads.
final class TargetEngine: SharedEngine, @unchecked Sendable {
    let target: RESPTarget
    /// Driven from a plugin's own thread (ABI 1.4 `threaded`): its calls stay out of the trace.
    let threaded: Bool
    private let lock = NSLock()
    private var client: RedisConnection?
    private var wire: WireClient?

    /// Long enough for a server under load (SQLite's busy timeout is 5 s); the seed's own
    /// timeout bounds the run.
    static let timeoutMilliseconds = 30_000

    init(target: RESPTarget, threaded: Bool) throws(TargetError) {
        self.target = target
        self.threaded = threaded
        client = try Self.connect(target)
    }

    static func connect(_ target: RESPTarget) throws(TargetError) -> RedisConnection {
        do {
            return try RedisConnection(host: target.host, port: target.port, timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            throw TargetError("cannot connect to the target \(target): \(error)")
        }
    }

    func execute(_ argv: [[UInt8]]) throws(TargetError) -> Reply {
        lock.lock()
        defer { lock.unlock() }
        guard let client else { throw TargetError("the engine is closed") }
        do {
            return try client.execute(argv)
        } catch {
            throw TargetError("target \(target): \(error)")
        }
    }

    /// A new client connection (`engine_reopen`): the data stays on the server; the client's
    /// state (SELECT, MULTI, WATCH) starts afresh, as after a reconnect.
    func reconnect() throws(TargetError) {
        lock.lock()
        defer { lock.unlock() }
        client = nil
        wire = nil
        client = try Self.connect(target)
    }

    /// `engine_feed` over the wire: a raw client made by the first feed and after each close.
    func feed(_ bytes: [UInt8]) throws(TargetError) -> (output: [UInt8], closed: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let wire = try currentWire()
        let result = try wire.feed(bytes)
        if result.closed { self.wire = nil }
        return result
    }

    /// `engine_hang_up` over the wire: sends `bytes` on the raw client and resets the connection,
    /// then waits until the server no longer lists that connection (`CLIENT LIST ID`): by then it
    /// has run, or dropped, whatever the bytes held, so a test's next read sees the outcome. A
    /// server without CLIENT cannot say; the test then reads whatever it reads.
    func hangUp(after bytes: [UInt8]) throws(TargetError) {
        lock.lock()
        defer { lock.unlock() }
        let wire = try currentWire()
        wire.hangUp(after: bytes)
        self.wire = nil
        guard let id = wire.serverClientID, let client else { return }
        let ask = ["CLIENT", "LIST", "ID", String(id)].map { Array($0.utf8) }
        let deadline = ContinuousClock.now + .milliseconds(WireClient.replyTimeoutMilliseconds)
        while ContinuousClock.now < deadline {
            let listed: Reply
            do {
                listed = try client.execute(ask)
            } catch {
                throw TargetError("target \(target): \(error)")
            }
            guard case .bulk(let lines) = listed, !lines.isEmpty else { return }
            usleep(500)
        }
        throw TargetError("the target still lists client \(id) \(WireClient.replyTimeoutMilliseconds / 1000) s after its connection was reset")
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        client = nil
        wire = nil
    }

    /// The raw client, connected on first use (and again after the server closed it).
    private func currentWire() throws(TargetError) -> WireClient {
        if let wire { return wire }
        let made = try WireClient(target: target)
        wire = made
        return made
    }
}

/// The run's target engines, by handle address, under one lock (threaded tests open, use and
/// close them from their own threads).
///
/// One server stands in for every database the run opens, so: an open of in-memory storage
/// (a new, empty database on the embedded engine) empties the server, and so does the run's
/// first open of a file; later opens of a file share what is there, as connections to one
/// file do. Two in-memory engines open at once therefore share one server, unlike embedded ones.
final class TargetEngineRegistry: Sendable {
    private let engines = SharedEngineTable<TargetEngine>()
    /// Whether the run emptied the server yet; held while it does.
    private let emptied = Mutex(false)
    let target: RESPTarget

    init(target: RESPTarget) { self.target = target }

    /// Connects a new client. An in-memory open, and the run's first open, empty the server
    /// (FLUSHALL) under the lock, so that no other client of the run writes before it.
    func open(threaded: Bool, inMemory: Bool) throws(TargetError) -> UnsafeMutableRawPointer {
        let engine = try TargetEngine(target: target, threaded: threaded)
        let flushed: Result<Void, TargetError> = emptied.withLock { emptied in
            guard !emptied || inMemory else { return .success(()) }
            do throws(TargetError) {
                let reply = try engine.execute([Array("FLUSHALL".utf8)])
                guard reply == .ok else { return .failure(TargetError("FLUSHALL on the target \(target) answered \(reply)")) }
            } catch {
                return .failure(error)
            }
            emptied = true
            return .success(())
        }
        try flushed.get()
        return engines.insert(engine)
    }

    func engine(_ handle: OpaquePointer?) -> TargetEngine? { engines.engine(handle) }

    /// Forgets the engine and closes it; false for a handle that is not a target engine.
    func close(_ handle: OpaquePointer?) -> Bool { engines.close(handle) }

    func closeAll() { engines.closeAll() }
}
