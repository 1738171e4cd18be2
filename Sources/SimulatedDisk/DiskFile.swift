/// One file of the simulated disk: what a reader sees now (`current`), what would survive a
/// power loss (`durable`), and the writes in between (`pending`), in the order they were made.
///
/// Shared by every handle SQLite opens on the same name; locks and shared memory live here too,
/// as an OS keeps them per inode.
final class DiskFile {
    /// What kind of file SQLite opened it as: decides which checksums apply.
    enum Role {
        case database, wal, other
    }

    /// A change not yet made durable.
    enum PendingChange {
        case write(offset: Int, bytes: [UInt8])
        case truncate(size: Int)
    }

    let name: String
    var role: Role
    private(set) var current: [UInt8] = []
    private(set) var durable: [UInt8] = []
    private(set) var pending: [PendingChange] = []
    private(set) var pendingBytes = 0
    /// A file never synced has no durable directory entry: a power loss may make it vanish.
    var everSynced = false

    /// Database files: the page size and whether pages carry checksums in their 8 reserve
    /// bytes, both read from the header of page 1 (as cksumvfs does).
    var pageSize = 0
    var checksummed = false

    // File locks (SQLite's levels), per handle id.
    var sharedHolders: Set<Int> = []
    var reservedHolder: Int?
    var pendingHolder: Int?
    var exclusiveHolder: Int?

    /// WAL-index shared memory, for database files.
    let sharedMemory = SharedMemory()

    init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    var size: Int { current.count }

    func read(into buffer: UnsafeMutableRawBufferPointer, offset: Int) -> Int {
        guard offset < current.count else { return 0 }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        return count
    }

    /// Makes `bytes` visible at `offset` now, pending until the next sync.
    func write(_ bytes: [UInt8], at offset: Int) {
        Self.place(bytes, at: offset, into: &current)
        pending.append(.write(offset: offset, bytes: bytes))
        pendingBytes += bytes.count
    }

    func truncate(to size: Int) {
        if size < current.count { current.removeSubrange(size...) }
        pending.append(.truncate(size: size))
    }

    /// xSync: everything written so far becomes durable.
    func sync() {
        for change in pending { Self.apply(change, to: &durable) }
        pending.removeAll()
        pendingBytes = 0
        everSynced = true
    }

    /// A power loss: each pending write resolves as `resolve` decides per sector, then only
    /// what is durable remains. Returns false when the file vanishes.
    func loseUnsyncedChanges(random: inout DiskRandom) -> Bool {
        for change in pending {
            switch change {
            case .truncate:
                // A truncate either reached the disk's metadata or did not.
                if random.chance(0.5) { Self.apply(change, to: &durable) }
            case .write(let offset, let bytes):
                // FoundationDB's AsyncFileNonDurable: some writes land whole; otherwise each
                // 512-byte sector is written, dropped or garbled on its own.
                if random.chance(0.1) {
                    Self.place(bytes, at: offset, into: &durable)
                    continue
                }
                var start = 0
                while start < bytes.count {
                    let sectorEnd = min(bytes.count, ((offset + start) / 512 + 1) * 512 - offset)
                    let roll = random.below(100)
                    if roll < 40 {
                        Self.place(Array(bytes[start..<sectorEnd]), at: offset + start, into: &durable)
                    } else if roll >= 75 {
                        var garbage = [UInt8](repeating: 0, count: sectorEnd - start)
                        for index in garbage.indices { garbage[index] = UInt8(truncatingIfNeeded: random.next()) }
                        Self.place(garbage, at: offset + start, into: &durable)
                    }
                    start = sectorEnd
                }
            }
        }
        pending.removeAll()
        pendingBytes = 0
        current = durable
        if !everSynced && random.chance(0.5) { return false }
        if role == .database && durable.count >= 100 { readHeader(Array(durable[0..<100])) }
        return true
    }

    /// Drops what SQLite's processes held in memory: locks and shared memory.
    func forgetVolatileState() {
        sharedHolders.removeAll()
        reservedHolder = nil
        pendingHolder = nil
        exclusiveHolder = nil
        sharedMemory.reset()
    }

    /// Reads the page size and the reserve-bytes field from a database header.
    func readHeader(_ header: [UInt8]) {
        guard header.starts(with: Array("SQLite format 3\0".utf8)) else { return }
        let raw = Int(header[16]) << 8 | Int(header[17])
        pageSize = raw == 1 ? 65536 : raw
        checksummed = header[20] == 8
    }

    private static func place(_ bytes: [UInt8], at offset: Int, into image: inout [UInt8]) {
        if image.count < offset + bytes.count {
            image += [UInt8](repeating: 0, count: offset + bytes.count - image.count)
        }
        image.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                guard let from = source.baseAddress else { return }
                (target.baseAddress! + offset).copyMemory(from: from, byteCount: source.count)
            }
        }
    }

    private static func apply(_ change: PendingChange, to image: inout [UInt8]) {
        switch change {
        case .write(let offset, let bytes): place(bytes, at: offset, into: &image)
        case .truncate(let size): if size < image.count { image.removeSubrange(size...) }
        }
    }
}
