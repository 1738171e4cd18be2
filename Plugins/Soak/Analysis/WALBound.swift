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
/// appended while a reader on an older snapshot keeps a checkpoint from restarting the log.
/// The default slack is one more threshold's worth (1000 frames): a log twice the threshold
/// means checkpoints fell behind a full cycle, and a log that keeps growing past it means they
/// never catch up (checkpoint starvation, or a statement left open holding a snapshot).
public struct WALBound: Sendable, Equatable {
    /// Pages per checkpoint (`PRAGMA wal_autocheckpoint`).
    public var autocheckpointPages: Int
    /// The database page size in bytes (`PRAGMA page_size`).
    public var pageSize: Int
    /// Frames allowed past the threshold.
    public var slackPages: Int

    /// SQLite's defaults: 1000 pages per checkpoint, 4096-byte pages (SQLITE_DEFAULT_PAGE_SIZE
    /// since 3.12.0; the engine does not change it), and 1000 pages of slack.
    public init(autocheckpointPages: Int = 1000, pageSize: Int = 4096, slackPages: Int = 1000) {
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
