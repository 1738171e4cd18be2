@preconcurrency import Glibc
import CHiredis

/// A failure talking to a Redis server through ``RedisConnection``.
///
/// Every hiredis error (`redisContext.err` and `errstr`) reaches Swift through
/// ``RedisClientError/init(context:endpoint:connecting:timeoutMilliseconds:)``. A reply of type
/// error (`-WRONGTYPE ...`) is not one of these: it is a normal ``RESP/Reply/error(_:)`` value.
public enum RedisClientError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The connection could not be made: nothing listens, the name does not resolve, the
    /// connect timed out, or the arguments were unusable.
    case connect(endpoint: String, message: String)
    /// Reading or writing failed: a timeout, a reset, or the server closed the connection.
    case io(endpoint: String, message: String)
    /// The server sent bytes that are not RESP2.
    case `protocol`(endpoint: String, message: String)
    /// hiredis could not allocate memory.
    case outOfMemory(endpoint: String)
    /// An earlier I/O or protocol error left the connection unusable (hiredis cannot resync a
    /// stream after one); `cause` is that error's description. Open a new connection.
    case closed(endpoint: String, cause: String)
    /// A command needs at least its name: Redis answers nothing at all to an empty one, so
    /// sending it would only wait for the timeout.
    case emptyCommand

    /// Reads `context.err` and `context.errstr`. While `connecting`, every failure is a
    /// ``connect(endpoint:message:)``.
    init(
        context: UnsafePointer<redisContext>,
        endpoint: String,
        connecting: Bool,
        timeoutMilliseconds: Int
    ) {
        // errstr is a char[128], which Swift imports as a tuple.
        var message = withUnsafeBytes(of: context.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        let code = context.pointee.err
        // A read or write that hits SO_RCVTIMEO/SO_SNDTIMEO fails with EAGAIN, which hiredis
        // reports only as strerror's "Resource temporarily unavailable".
        if code == REDIS_ERR_IO, message == String(cString: strerror(EAGAIN)) {
            message = "no answer within \(timeoutMilliseconds) ms (\(message))"
        }
        if message.isEmpty { message = "hiredis error \(code)" }
        if connecting {
            self = .connect(endpoint: endpoint, message: message)
            return
        }
        switch code {
        case REDIS_ERR_PROTOCOL: self = .protocol(endpoint: endpoint, message: message)
        case REDIS_ERR_OOM: self = .outOfMemory(endpoint: endpoint)
        // REDIS_ERR_IO, REDIS_ERR_EOF ("Server closed the connection"), REDIS_ERR_OTHER.
        default: self = .io(endpoint: endpoint, message: message)
        }
    }

    public var description: String {
        switch self {
        case .connect(let endpoint, let message):
            return "cannot connect to redis at \(endpoint): \(message)"
        case .io(let endpoint, let message):
            return "I/O error talking to redis at \(endpoint): \(message)"
        case .protocol(let endpoint, let message):
            return "protocol error from redis at \(endpoint): \(message)"
        case .outOfMemory(let endpoint):
            return "out of memory in hiredis (connection to redis at \(endpoint))"
        case .closed(let endpoint, let cause):
            return "the connection to redis at \(endpoint) is unusable after an earlier error (\(cause)); open a new one"
        case .emptyCommand:
            return "a redis command needs at least one argument (its name)"
        }
    }
}
