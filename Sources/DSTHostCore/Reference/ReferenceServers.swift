import Foundation
import Glibc
import RedisClient

/// The reference Redis servers of one `dst-host` run (`DST_TARGET_REFERENCE`), owned by the
/// host process: the one given with `--redis`, or one `redis-server` per worker slot, started
/// before the workers and stopped after them.
///
/// Workers learn their server from the environment (``ReferenceServers/endpointVariable``), so
/// a worker that crashes is replaced by one that uses the same server. Every run empties the
/// whole server (FLUSHALL: commands such as `COPY ... DB 1` reach other databases), so a
/// `--redis` server, shared, takes one worker at a time (``isShared``). Servers started here die
/// with the host even when it is killed (the kernel's parent-death signal) and are stopped on
/// SIGINT and SIGTERM.
public final class ReferenceServers {
    /// `host:port` of the process's reference server.
    static let endpointVariable = "DST_REFERENCE_REDIS"
    /// Why the process has no reference server (set instead of ``endpointVariable``).
    static let unavailableVariable = "DST_REFERENCE_UNAVAILABLE"

    private var servers: [RedisServerProcess] = []
    private let endpoints: [ReferenceEndpoint]
    /// Why no server could be started, or nil.
    public let unavailableReason: String?
    /// One server for every slot (`--redis`): runs against it must not overlap.
    public var isShared: Bool { servers.isEmpty && unavailableReason == nil }
    /// For the console: where the reference runs.
    public let summary: String

    /// - Parameters:
    ///   - given: the `--redis` endpoint, or nil to start servers.
    ///   - slots: how many processes run seeds at once (workers, or 1 in-process).
    public init(given: ReferenceEndpoint?, slots: Int) {
        let slots = max(slots, 1)
        if let given {
            endpoints = [given]
            unavailableReason = nil
            summary = "reference Redis: \(given) (shared: one worker at a time; FLUSHALL before every run)"
            return
        }
        var started: [RedisServerProcess] = []
        var failure: String?
        for _ in 0..<slots {
            do {
                started.append(try RedisServerProcess(diesWithParent: true))
            } catch {
                failure = "no reference Redis server: \(error)"
                break
            }
        }
        if failure != nil {
            for server in started { server.stop() }
            started = []
        }
        servers = started
        endpoints = started.map { ReferenceEndpoint(host: $0.host, port: $0.port) }
        unavailableReason = failure
        summary = failure ?? "reference Redis: started \(started.count) redis-server on \(started.map { "\($0.port)" }.joined(separator: ", ")) (persistence off)"
        InterruptCleanup.register(started.map(\.pid))
    }

    deinit { stop() }

    /// The environment for the process running seeds in `slot`.
    public func environment(slot: Int) -> [String: String] {
        if let unavailableReason { return [Self.unavailableVariable: unavailableReason] }
        return [Self.endpointVariable: endpoints[slot % endpoints.count].description]
    }

    /// Makes slot 0 this process's reference, for seeds run in-process.
    public func exportToThisProcess() {
        for (name, value) in environment(slot: 0) { setenv(name, value, 1) }
    }

    /// Stops the servers started here (not a `--redis` one); calling it again does nothing.
    public func stop() {
        InterruptCleanup.unregister(servers.map(\.pid))
        for server in servers { server.stop() }
        servers = []
    }

    /// This process's reference endpoint, or why it has none.
    static func current() -> Result<ReferenceEndpoint, ReferenceUnavailable> {
        if let value = getenv(endpointVariable).map({ String(cString: $0) }) {
            guard let endpoint = ReferenceEndpoint(parsing: value) else {
                return .failure(ReferenceUnavailable(reason: "\(endpointVariable)=\(value) is not host:port"))
            }
            return .success(endpoint)
        }
        if let reason = getenv(unavailableVariable).map({ String(cString: $0) }) {
            return .failure(ReferenceUnavailable(reason: reason))
        }
        return .failure(ReferenceUnavailable(
            reason: "no reference Redis server in this run (the test lacks the '\(ReferenceServers.tag)' tag, or the host predates it)"))
    }

    /// Tests with this tag make the host provide reference servers.
    public static let tag = "reference_server"
}

/// Why a process has no reference server.
struct ReferenceUnavailable: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// Kills registered servers when the host is interrupted, then lets the signal take its course.
/// (The parent-death signal would kill them too, but only once the host is gone; this is
/// immediate and does not depend on setpriv.)
enum InterruptCleanup {
    private static let capacity = 64
    /// Fixed storage a signal handler can read without allocating or taking locks.
    nonisolated(unsafe) private static let pids = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var installed = false

    static func register(_ newPids: [pid_t]) {
        for pid in newPids where count < capacity {
            pids[count] = pid
            count += 1
        }
        guard !installed, count > 0 else { return }
        installed = true
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal) { received in
                for index in 0..<InterruptCleanup.count where InterruptCleanup.pids[index] > 0 {
                    kill(InterruptCleanup.pids[index], SIGKILL)
                }
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func unregister(_ gone: [pid_t]) {
        for index in 0..<count where gone.contains(pids[index]) { pids[index] = 0 }
    }
}
