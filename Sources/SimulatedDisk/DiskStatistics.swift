/// What the disk has done since it was created.
public struct DiskStatistics: Sendable, Equatable {
    public var reads: UInt64 = 0
    public var writes: UInt64 = 0
    public var syncs: UInt64 = 0
    public var truncates: UInt64 = 0
    /// xLock, xUnlock and xShmLock calls.
    public var locks: UInt64 = 0
    /// xSleep calls: busy waits.
    public var sleeps: UInt64 = 0
    /// Faults the plan injected.
    public var faults: UInt64 = 0
    /// Power losses resolved.
    public var crashes: UInt64 = 0
    /// Reads refused because a checksum did not match.
    public var checksumErrors: UInt64 = 0
    public var durableBytes: UInt64 = 0
    public var pendingBytes: UInt64 = 0
    public var files: UInt64 = 0
    public var powerLost = false

    public init() {}
}
