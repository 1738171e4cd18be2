import CHiredis
import RESP

/// hiredis's own reply parser (`redisReader`), without a socket: bytes in, replies out. The
/// object owns the `redisReader *`: `init` creates it, `deinit` frees it.
///
/// It parses what a server sends, RESP2 only (hiredis 0.14): `+`, `-`, `:`, `$` and `*`,
/// arrays nested at most 8 deep. Anything else, a client's inline command included, is a
/// protocol error, after which the reader is unusable (hiredis cannot find the next reply)
/// and every call throws it again.
///
/// Not thread-safe: use one reader from one thread at a time.
public final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>
    private var failure: RedisReplyReaderError?

    /// A reader with an empty buffer.
    public init() throws(RedisReplyReaderError) {
        guard let reader = redisReaderCreate() else { throw .outOfMemory }
        self.reader = reader
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Adds bytes received.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(RedisReplyReaderError) {
        try checkUsable()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count) == REDIS_OK else {
            throw fail()
        }
    }

    /// Adds bytes received.
    public func feed(_ bytes: [UInt8]) throws(RedisReplyReaderError) {
        // withUnsafeBytes rethrows untyped: carry the typed error out as a result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(RedisReplyReaderError) in try feed(buffer) }
        }
        try result.get()
    }

    /// The next complete reply, or nil when more bytes are needed.
    public func next() throws(RedisReplyReaderError) -> Reply? {
        guard let raw = try nextObject() else { return nil }
        defer { freeReplyObject(raw) }
        do throws(HiredisReply.Unexpected) {
            return try HiredisReply.convert(raw.assumingMemoryBound(to: redisReply.self))
        } catch {
            throw .protocol(error.message)
        }
    }

    /// Parses the next complete reply into hiredis's reply objects and frees them without
    /// converting anything: hiredis's own cost, for measuring it. False when more bytes are
    /// needed.
    public func skipNext() throws(RedisReplyReaderError) -> Bool {
        guard let raw = try nextObject() else { return false }
        freeReplyObject(raw)
        return true
    }

    private func nextObject() throws(RedisReplyReaderError) -> UnsafeMutableRawPointer? {
        try checkUsable()
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else { throw fail() }
        return raw
    }

    private func checkUsable() throws(RedisReplyReaderError) {
        if let failure { throw failure }
    }

    /// Records the reader's error (hiredis keeps it too) and returns it.
    private func fail() -> RedisReplyReaderError {
        // errstr is a char[128], which Swift imports as a tuple.
        let message = withUnsafeBytes(of: reader.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        let error: RedisReplyReaderError = reader.pointee.err == REDIS_ERR_OOM ? .outOfMemory : .protocol(message)
        failure = error
        return error
    }
}

/// Why a ``RedisReplyReader`` stopped.
public enum RedisReplyReaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a RESP2 reply stream (hiredis's message).
    case `protocol`(String)
    /// hiredis could not allocate memory.
    case outOfMemory

    /// The error in one line.
    public var description: String {
        switch self {
        case .protocol(let message): return "not a RESP2 reply stream: \(message)"
        case .outOfMemory: return "hiredis could not allocate memory"
        }
    }
}
