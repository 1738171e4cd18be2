/// Why ``RedisServerProcess`` could not provide a running server.
public enum RedisServerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No `redis-server` on `PATH`.
    case notInstalled
    /// The process could not be created (or its temporary directory could not): the
    /// executable and the system's message.
    case spawnFailed(String)
    /// The process started but never answered PING: it exited, or the timeout passed. The
    /// reason ends with the last lines of its log.
    case didNotStart(String)

    public var description: String {
        switch self {
        case .notInstalled:
            return "redis-server is not installed (apt-get install -y redis-server)"
        case .spawnFailed(let message):
            return "cannot start redis-server: \(message)"
        case .didNotStart(let reason):
            return "redis-server did not start: \(reason)"
        }
    }
}
