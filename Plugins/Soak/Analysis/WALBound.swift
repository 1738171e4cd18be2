/// Whether the write-ahead log stayed bounded.
///
/// SQLite checkpoints a WAL database automatically once a commit leaves the log at
/// `wal_autocheckpoint` frames or more (1000 by default, SQLITE_DEFAULT_WAL_AUTOCHECKPOINT),
/// and the next writer starts the log over from its beginning once a checkpoint has copied
/// everything back and no reader still needs it. The file is not truncated (the engine keeps
/// `journal_size_limit` at its default, -1), so its size is the high-water mark of frames.
/// Each frame is a 24-byte header plus one page, after a 32-byte file header
/// (https://www.sqlite.org/fileformat2.html#walformat).
///
/// The bound is therefore (checkpoint threshold + slack) frames. The slack covers what can
/// legitimately pass the threshold: the transaction whose commit crossed it, and the frames
/// appended while readers on older snapshots keep checkpoints from restarting the log. The
/// second part depends on the machine: a write here appends about three frames, and at the
/// soak's pace of about 500 writes a second a stall of a second that blocks checkpoints adds
/// some 1500 frames. A clean 10-minute soak on this 2-core machine reached 2140 frames once,
/// in an interval whose p99 latency was three times the usual (a stall, and the paced
/// catch-up after it). So the default slack is three thresholds (3000 frames, a bound of
/// 4000): a log past it means checkpoints fell several cycles behind, and one that keeps
/// growing means they never catch up (checkpoint starvation, or a statement left open
/// holding a snapshot). Past twice the threshold the soak warns.
public struct WALBound: Sendable, Equatable {
    /// Pages per checkpoint (`PRAGMA wal_autocheckpoint`).
    public var autocheckpointPages: Int
    /// The database page size in bytes (`PRAGMA page_size`).
    public var pageSize: Int
    /// Frames allowed past the threshold.
    public var slackPages: Int

    /// SQLite's defaults: 1000 pages per checkpoint, 4096-byte pages (SQLITE_DEFAULT_PAGE_SIZE
    /// since 3.12.0; the engine does not change it), and 3000 pages of slack.
    public init(autocheckpointPages: Int = 1000, pageSize: Int = 4096, slackPages: Int = 3000) {
        self.autocheckpointPages = autocheckpointPages
        self.pageSize = pageSize
        self.slackPages = slackPages
    }

    /// The largest WAL file, in bytes, that passes.
    public var limitBytes: Int {
        let walHeader = 32
        let frameHeader = 24
        return walHeader + (autocheckpointPages + slackPages) * (pageSize + frameHeader)
    }

    /// How many frames a WAL file of `bytes` holds.
    public func frames(inBytes bytes: Double) -> Int {
        max(0, Int((bytes - 32) / Double(pageSize + 24)))
    }

    /// Whether a WAL of `bytes` is over twice the checkpoint threshold: checkpoints fell
    /// behind for a while (a warning, not a failure).
    public func fellBehind(_ bytes: Double) -> Bool { frames(inBytes: bytes) > 2 * autocheckpointPages }

    /// The largest WAL size sampled and whether it is within ``limitBytes``.
    public func judge(_ walSizes: Series) -> (maximum: Double, withinBound: Bool) {
        let maximum = walSizes.values.max() ?? 0
        return (maximum, maximum <= Double(limitBytes))
    }

    /// How the limit was derived, for the log and the README.
    public var derivation: String {
        "(\(autocheckpointPages) autocheckpoint + \(slackPages) slack) frames × (\(pageSize) + 24) bytes + 32"
            + " = \(limitBytes) bytes (\(DecimalText.bytes(Double(limitBytes))))"
    }
}
