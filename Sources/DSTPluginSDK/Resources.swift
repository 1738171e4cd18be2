/// What the process running the test uses, and the size of one of the run's database files
/// (ABI 1.4 `resource_stats`): the figures load tests sample.
public struct ResourceStats: Sendable, Equatable {
    /// Resident set size now.
    public var rssBytes: UInt64
    /// The highest resident set size so far.
    public var peakRSSBytes: UInt64
    public var openFileDescriptors: UInt64
    public var threads: UInt64
    /// The database file's size (0 if there is none).
    public var fileBytes: UInt64
    /// Its write-ahead log's size (0 if there is none).
    public var walBytes: UInt64

    init(_ raw: dst_resource_stats) {
        rssBytes = raw.rss_bytes
        peakRSSBytes = raw.peak_rss_bytes
        openFileDescriptors = raw.open_fds
        threads = raw.threads
        fileBytes = raw.file_bytes
        walBytes = raw.wal_bytes
    }
}

extension TestRun {
    /// The process's resources now, and the sizes of the run's file `file` and its WAL.
    /// Callable from any thread. Throws `DST_ERR_UNSUPPORTED` on a host before ABI 1.4.
    public func resources(file: String = "data.db") throws -> ResourceStats {
        let read = try run.slot(\.resource_stats, "resource_stats", minor: 4)
        var raw = dst_resource_stats()
        raw.struct_size = MemoryLayout<dst_resource_stats>.size
        let status = read(run.context, file, &raw)
        guard status == DST_OK else { throw SDKError(status, "resource_stats(\(file))") }
        return ResourceStats(raw)
    }

    /// A monotonic real clock, in nanoseconds (ABI 1.4): for measuring and pacing load tests,
    /// never for deciding anything a seed should decide. Throws on a host before ABI 1.4.
    public func wallClockNanoseconds() throws -> UInt64 {
        try wallClock().nanoseconds()
    }

    /// Keeps `bytes` to be saved as the artifact `name` should the run crash before the next
    /// call (ABI 1.4): a fuzzer's input, set just before feeding it, so a crash that takes the
    /// worker down still leaves the input behind. `nil` clears it. Does nothing on an older host.
    public func keepIfCrashing(_ name: String?, _ bytes: [UInt8]) {
        guard let keep = try? run.slot(\.crash_artifact, "crash_artifact", minor: 4) else { return }
        _ = bytes.withUnsafeBufferPointer { buffer in
            if let name { keep(run.context, name, buffer.baseAddress, buffer.count) } else { keep(run.context, nil, nil, 0) }
        }
    }

    /// The host's monotonic real clock as a value threads of the test can read (ABI 1.4).
    public func wallClock() throws -> WallClock {
        WallClock(read: try run.slot(\.wall_clock_ns, "wall_clock_ns", minor: 4), context: run.context)
    }
}

/// The host's monotonic real clock (`wall_clock_ns`), readable from any thread of the test
/// while the run lasts: for timing and pacing load, never for what a seed decides.
public struct WallClock: @unchecked Sendable {
    let read: @convention(c) (OpaquePointer?) -> UInt64
    let context: OpaquePointer?

    /// Nanoseconds since an arbitrary fixed point.
    public func nanoseconds() -> UInt64 { read(context) }
}
