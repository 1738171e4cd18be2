import DSTPluginAPI

/// What the engine's RESP front end answered to bytes fed to it (ABI 1.3).
public struct FeedResult: Hashable, Sendable {
    /// Every reply's bytes, as a client would read them from the socket.
    public var output: [UInt8]
    /// The connection was closed (after a protocol error or QUIT); the next feed opens a new one.
    public var closed: Bool

    public init(output: [UInt8], closed: Bool) {
        self.output = output
        self.closed = closed
    }
}

extension Engine {
    /// Feeds raw bytes to the engine as a RESP client connection would send them (ABI 1.3):
    /// the host parses them with Redis's rules and limits, runs each complete command, and
    /// returns the replies' bytes. A partial request waits for the next feed, as on a socket.
    public func feed(_ bytes: [UInt8]) throws -> FeedResult {
        let handle = try liveHandle()
        let feed = try run.slot(\.engine_feed, "engine_feed", minor: 3)
        let free = try run.slot(\.buffer_free, "buffer_free", minor: 3)
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var closed: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { buffer in
            feed(run.context, handle, buffer.baseAddress, buffer.count, &out, &length, &closed)
        }
        defer { if let out { free(run.context, out) } }
        guard status == DST_OK else { throw run.error(status, "engine_feed(\(bytes.count) bytes)") }
        let output = out.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        return FeedResult(output: output, closed: closed != 0)
    }
}

extension Engine {
    /// The fed client's connection drops (ABI 1.5, fault `connection_drop`): `bytes` are sent
    /// first, then the connection is gone and no reply is read. Bytes that end inside a request
    /// leave it never run (a drop mid-command); bytes that complete requests run them, and their
    /// replies go nowhere (mid-reply). The next ``feed(_:)`` starts a new connection.
    public func hangUp(after bytes: [UInt8] = []) throws {
        let handle = try liveHandle()
        let hangUp = try run.slot(\.engine_hang_up, "engine_hang_up", minor: 5)
        let status = bytes.withUnsafeBufferPointer { hangUp(run.context, handle, $0.baseAddress, $0.count) }
        guard status == DST_OK else { throw run.error(status, "engine_hang_up(\(bytes.count) bytes)") }
    }
}
