/// Size limits a ``RequestParser`` enforces before it buffers or allocates anything.
///
/// Every number read off the wire is checked against these limits first, so a client cannot
/// make the server reserve memory merely by *claiming* a large size.
public struct RequestLimits: Equatable, Sendable {
    /// The longest line the parser waits for: an inline request (bytes before its `\n`), or a
    /// `*`/`$` header line (bytes before its `\r`). Redis's `PROTO_INLINE_MAX_SIZE`.
    public var maxInlineSize: Int

    /// The largest accepted `$` length. Redis's `proto-max-bulk-len`.
    public var maxBulkLength: Int

    /// The largest accepted `*` count. Redis 7.0 rejects counts above `INT_MAX`.
    public var maxMultibulkCount: Int

    /// The largest `*` count from a client that must authenticate and has not yet: Redis 7.0
    /// answers `unauthenticated multibulk length` past 10.
    public var maxUnauthenticatedMultibulkCount: Int

    /// The largest `$` length from a client that must authenticate and has not yet: Redis 7.0
    /// answers `unauthenticated bulk length` past 16384.
    public var maxUnauthenticatedBulkLength: Int

    /// Limits with the given values; omitted ones take Redis 7.0's defaults.
    public init(
        maxInlineSize: Int = 64 * 1024,
        maxBulkLength: Int = 512 * 1024 * 1024,
        maxMultibulkCount: Int = Int(Int32.max),
        maxUnauthenticatedMultibulkCount: Int = 10,
        maxUnauthenticatedBulkLength: Int = 16384
    ) {
        self.maxInlineSize = maxInlineSize
        self.maxBulkLength = maxBulkLength
        self.maxMultibulkCount = maxMultibulkCount
        self.maxUnauthenticatedMultibulkCount = maxUnauthenticatedMultibulkCount
        self.maxUnauthenticatedBulkLength = maxUnauthenticatedBulkLength
    }

    /// Redis 7.0's defaults: 64 KiB lines, 512 MiB bulk strings, `INT_MAX` arguments.
    public static let redisDefaults = RequestLimits()
}
