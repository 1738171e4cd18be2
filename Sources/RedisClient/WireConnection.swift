@preconcurrency import Glibc

/// A blocking TCP connection that carries raw bytes, for sending a server exactly what a
/// test wrote (malformed requests included) and reading back exactly what it answered.
///
/// ``RedisConnection`` speaks well-formed RESP through hiredis; this one parses nothing, so a
/// fuzzer can put any byte on the wire and a test can drop the connection at any point. The
/// object owns its socket: `init` connects, ``close()`` or `deinit` closes it.
///
/// Not thread-safe: use it from one thread at a time.
public final class WireConnection {
    /// `host:port`, as given.
    public let endpoint: String
    private var socket: Int32

    /// Connects to `host:port` (a numeric address or a name), waiting at most
    /// `timeoutMilliseconds`.
    public init(host: String, port: Int, timeoutMilliseconds: Int = 2000) throws(RedisClientError) {
        let endpoint = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &found)
        guard resolved == 0, let first = found else {
            throw .connect(endpoint: endpoint, message: String(cString: gai_strerror(resolved)))
        }
        defer { freeaddrinfo(found) }
        var lastError = "no address"
        var address: UnsafeMutablePointer<addrinfo>? = first
        while let candidate = address {
            address = candidate.pointee.ai_next
            let descriptor = Glibc.socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
                                          candidate.pointee.ai_protocol)
            guard descriptor >= 0 else { lastError = Self.errnoText(); continue }
            Self.setTimeouts(descriptor, milliseconds: timeoutMilliseconds)
            if Glibc.connect(descriptor, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 {
                var one: Int32 = 1
                // Requests go out as the test wrote them, not coalesced with the next ones.
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                self.endpoint = endpoint
                self.socket = descriptor
                return
            }
            lastError = Self.errnoText()
            Glibc.close(descriptor)
        }
        throw .connect(endpoint: endpoint, message: lastError)
    }

    deinit { close() }

    /// False once closed (by ``close()``, ``drop()``, or the server).
    public var isOpen: Bool { socket >= 0 }

    /// Writes every byte, or throws.
    public func send(_ bytes: [UInt8]) throws(RedisClientError) {
        guard socket >= 0 else { throw .closed(endpoint: endpoint, cause: "the connection is closed") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(socket, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(endpoint: endpoint, message: "send: \(Self.errnoText())")
            }
            offset += written
        }
    }

    /// What one read brought: bytes, the end of the stream, or nothing within the time given.
    public enum Received: Equatable, Sendable {
        case bytes([UInt8])
        /// The server closed the connection (or reset it).
        case closed
        case timedOut
    }

    /// Waits up to `timeoutMilliseconds` for bytes and returns what one read gives.
    public func receive(timeoutMilliseconds: Int, maximum: Int = 64 * 1024) throws(RedisClientError) -> Received {
        guard socket >= 0 else { return .closed }
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat { ready = poll(&poller, 1, Int32(clamping: timeoutMilliseconds)) } while ready < 0 && errno == EINTR
        if ready < 0 { throw .io(endpoint: endpoint, message: "poll: \(Self.errnoText())") }
        if ready == 0 { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: maximum)
        var count: Int
        repeat { count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) } } while count < 0 && errno == EINTR
        if count == 0 || (count < 0 && errno == ECONNRESET) { return .closed }
        if count < 0 { throw .io(endpoint: endpoint, message: "recv: \(Self.errnoText())") }
        return .bytes(Array(buffer[..<count]))
    }

    /// Closes the connection in order (FIN): the server reads the end of the stream.
    public func close() {
        guard socket >= 0 else { return }
        Glibc.close(socket)
        socket = -1
    }

    /// Drops the connection as a vanished client or a broken network does: a reset (RST, by
    /// SO_LINGER 0), with whatever was unsent or unread thrown away.
    public func drop() {
        guard socket >= 0 else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    private static func setTimeouts(_ descriptor: Int32, milliseconds: Int) {
        var time = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
