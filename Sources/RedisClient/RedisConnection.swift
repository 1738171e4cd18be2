@preconcurrency import Glibc
import CHiredis
import RESP

/// One blocking connection to a Redis server over hiredis. The object owns the
/// `redisContext *`: `init` connects, `deinit` frees it (closing the socket).
///
/// Commands are arrays of binary-safe arguments, sent with their lengths, so any byte
/// (`\0`, `\r\n`, `0xff`) travels unchanged. Replies are RESP2 (hiredis 0.14 speaks nothing
/// else), mapped to ``RESP/Reply``.
///
/// hiredis 0.14 parses at most 8 levels of nested arrays; a deeper reply (a script can build
/// one) is a protocol error.
///
/// After an I/O or protocol error hiredis cannot find the next reply in the stream, so the
/// connection is marked broken and every later call throws ``RedisClientError/closed(endpoint:cause:)``.
///
/// A `RedisConnection` is not thread-safe and deliberately not `Sendable`: hiredis keeps the
/// output buffer and the reply parser in the context with no locking. Use each connection
/// from one thread or task at a time.
public final class RedisConnection {
    /// `host:port`, as passed to ``init(host:port:timeoutMilliseconds:)``.
    public let endpoint: String
    /// The connect, read and write timeout.
    public let timeoutMilliseconds: Int
    private let context: UnsafeMutablePointer<redisContext>
    /// The error that broke the connection, once one has.
    private var broken: RedisClientError?

    /// Connects to `host:port`, waiting at most `timeoutMilliseconds`, and applies the same
    /// limit to every later read and write so that a hung server makes a call throw instead of
    /// blocking forever.
    public init(host: String, port: Int, timeoutMilliseconds: Int = 2000) throws(RedisClientError) {
        let endpoint = "\(host):\(port)"
        guard (0...65_535).contains(port) else {
            throw .connect(endpoint: endpoint, message: "port \(port) is out of range")
        }
        // hiredis turns a zero timeout into "no time at all" for the connect and "forever"
        // for reads: neither is what a caller means.
        guard timeoutMilliseconds > 0 else {
            throw .connect(endpoint: endpoint, message: "the timeout must be positive, not \(timeoutMilliseconds) ms")
        }
        let timeout = timeval(
            tv_sec: timeoutMilliseconds / 1000,
            tv_usec: (timeoutMilliseconds % 1000) * 1000)
        guard let context = redisConnectWithTimeout(host, Int32(port), timeout) else {
            throw .outOfMemory(endpoint: endpoint)
        }
        guard context.pointee.err == 0, redisSetTimeout(context, timeout) == REDIS_OK else {
            let error = RedisClientError(
                context: context, endpoint: endpoint, connecting: true,
                timeoutMilliseconds: timeoutMilliseconds)
            redisFree(context)
            throw error
        }
        // hiredis leaves its socket inheritable: a process spawned later (a worker, another
        // redis-server) would otherwise keep the connection open after this object closes it.
        _ = fcntl(context.pointee.fd, F_SETFD, FD_CLOEXEC)
        self.endpoint = endpoint
        self.timeoutMilliseconds = timeoutMilliseconds
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// `false` once an I/O or protocol error has made the connection unusable.
    public var isUsable: Bool { broken == nil }

    /// Sends one command (its name, then its arguments) and waits for the reply.
    ///
    /// A Redis error reply (`-ERR ...`) is returned as ``RESP/Reply/error(_:)``, not thrown;
    /// what throws is a failure of the connection itself.
    public func execute(_ argv: [[UInt8]]) throws(RedisClientError) -> Reply {
        try checkUsable()
        guard !argv.isEmpty else { throw .emptyCommand }
        let raw = withArgv(argv) { argc, pointers, lengths in
            redisCommandArgv(context, argc, pointers, lengths)
        }
        guard let raw else { throw breakConnection() }
        return try consume(raw)
    }

    /// Sends every command in one write, then reads one reply per command, in order: one
    /// round trip instead of `commands.count`.
    ///
    /// If the connection fails part-way the replies already read are lost and the error is
    /// thrown; the connection is then unusable.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisClientError) -> [Reply] {
        try checkUsable()
        // Checked before anything is buffered, so a bad command leaves the connection usable.
        guard commands.allSatisfy({ !$0.isEmpty }) else { throw .emptyCommand }
        for argv in commands {
            let status = withArgv(argv) { argc, pointers, lengths in
                redisAppendCommandArgv(context, argc, pointers, lengths)
            }
            guard status == REDIS_OK else { throw breakConnection() }
        }
        var replies: [Reply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw breakConnection() }
            replies.append(try consume(raw))
        }
        return replies
    }

    private func checkUsable() throws(RedisClientError) {
        if let broken { throw .closed(endpoint: endpoint, cause: broken.description) }
    }

    /// Records the context's error as the reason the connection is unusable, and returns it.
    private func breakConnection() -> RedisClientError {
        let error = RedisClientError(
            context: context, endpoint: endpoint, connecting: false,
            timeoutMilliseconds: timeoutMilliseconds)
        broken = error
        return error
    }

    /// Converts a reply hiredis allocated and frees it.
    private func consume(_ raw: UnsafeMutableRawPointer) throws(RedisClientError) -> Reply {
        defer { freeReplyObject(raw) }
        return try convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func convert(_ reply: UnsafePointer<redisReply>) throws(RedisClientError) -> Reply {
        do throws(HiredisReply.Unexpected) {
            return try HiredisReply.convert(reply)
        } catch {
            throw .protocol(endpoint: endpoint, message: error.message)
        }
    }
}

/// Calls `body` with the C form of `argv`: a count, a pointer per argument and a length per
/// argument. All arguments are copied into one buffer, so an empty argument still has a valid
/// (non-null) pointer.
private func withArgv<Result>(
    _ argv: [[UInt8]],
    _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
) -> Result {
    var flat: [UInt8] = []
    flat.reserveCapacity(argv.reduce(1) { $0 + $1.count })
    var offsets: [Int] = []
    var lengths: [Int] = []
    offsets.reserveCapacity(argv.count)
    lengths.reserveCapacity(argv.count)
    for argument in argv {
        offsets.append(flat.count)
        lengths.append(argument.count)
        flat.append(contentsOf: argument)
    }
    flat.append(0)
    return flat.withUnsafeBytes { buffer in
        let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
        var pointers: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
        return pointers.withUnsafeMutableBufferPointer { pointers in
            lengths.withUnsafeBufferPointer { lengths in
                body(Int32(argv.count), pointers.baseAddress!, lengths.baseAddress!)
            }
        }
    }
}
