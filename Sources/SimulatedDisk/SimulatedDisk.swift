import CSQLite
import SQLite

/// A disk in memory that SQLite reaches through a VFS of its own: every file has a durable
/// image and pending writes, a seeded fault plan injects errors and corruption, a power loss
/// resolves pending writes sector by sector, database pages carry checksums, and time is the
/// run's virtual clock. Everything it decides is drawn from its seed, in call order.
///
/// One disk per run. It registers a VFS under ``vfsName`` when created and unregisters it when
/// it goes away, so every connection on it must be closed first. Not thread-safe: SQLite may
/// call it from several threads only under an ``InterleavingScheduler``, which runs one at a time.
public final class SimulatedDisk: @unchecked Sendable {
    /// The name to open databases with (`sqlite3_open_v2(..., vfs)`).
    public let vfsName: String
    let clock: VirtualClock
    var random: DiskRandom
    private var vfs: UnsafeMutablePointer<sqlite3_vfs>?
    private var files: [String: DiskFile] = [:]

    private var plan = FaultPlan()
    /// Per plan entry: it fired and is persistent.
    private var stuck: [Bool] = []
    /// Calls of each kind since the plan was set (what `nth=` counts).
    private var planCounts: [FaultPlan.Operation: UInt64] = [:]
    /// Bytes on the disk when the plan was set (what `quota=` counts from).
    private var quotaBase: UInt64 = 0

    /// Off after a planned crash fired, until ``recoverFromPowerLoss()``: every read, write,
    /// sync and truncate fails.
    public private(set) var powerLost = false
    var statistics = DiskStatistics()
    /// Test-only: when false, page checksums are written but never checked (a planted defect).
    public var verifiesChecksums = true
    /// Called with a line for every fault, crash and recovery, in order (the run's trace).
    public var onEvent: ((String) -> Void)?
    /// Set while a concurrent batch runs: VFS calls and busy waits are its yield points.
    private var scheduler: InterleavingScheduler?
    /// The disk's scheduler, made for its first batch (its lanes' threads come from a pool).
    private lazy var interleaving = InterleavingScheduler(disk: self)

    private var nextHandleID = 0
    private var sleptMicroseconds: Int64 = 0

    /// Creates the disk and registers its VFS as `name`.
    ///
    /// SQLite seeds its own random generator (WAL salts, temporary names) once per process:
    /// it is reseeded here from this disk's stream, through SQLite's PRNG_SEED test hook, so
    /// two runs of one seed draw the same salts whatever ran before them in the process. (The
    /// generator is process-wide: one simulated run at a time per process.)
    public init(name: String, seed: UInt64, clock: VirtualClock) {
        self.vfsName = name
        self.clock = clock
        self.random = DiskRandom(seed: seed)
        let vfs = SimulatedVFS.make(name: name, disk: self)
        self.vfs = vfs
        SQLiteLibrary.configure()
        sqlite3_vfs_register(vfs, 0)
        // Zero would mean "no seed": SQLite would fall back to the default VFS's randomness.
        redlite_sqlite_seed_random(Int32(truncatingIfNeeded: random.next() | 1))
    }

    deinit {
        if let vfs {
            sqlite3_vfs_unregister(vfs)
            SimulatedVFS.free(vfs)
        }
    }

    // MARK: The plan

    /// Replaces the fault plan; counters for `nth=` and the quota start again from here.
    public func setPlan(_ plan: FaultPlan) {
        self.plan = plan
        stuck = Array(repeating: false, count: plan.entries.count)
        planCounts = [:]
        quotaBase = totalBytes
        event("plan \(plan.description.isEmpty ? "(none)" : plan.description)")
    }

    public var currentPlan: FaultPlan { plan }

    /// Runs `body` with no faults (recovery after a power loss: reopening must not be
    /// interrupted by the plan that caused it); the plan and its counters resume afterwards.
    public func withoutFaults<Result>(_ body: () throws -> Result) rethrows -> Result {
        let saved = (plan, stuck)
        plan = FaultPlan()
        stuck = []
        defer { (plan, stuck) = saved }
        return try body()
    }

    /// The first entry of `kind` that fires on this call of `operation` on `file`.
    private func fires(_ kind: FaultPlan.Kind, on operation: FaultPlan.Operation, file: DiskFile) -> FaultPlan.Entry? {
        for (index, entry) in plan.entries.enumerated() where entry.kind == kind && entry.operations.contains(operation) {
            switch entry.file {
            case .db where file.role != .database, .wal where file.role != .wal: continue
            default: break
            }
            if stuck[index] { return entry }
            let fired: Bool
            switch entry.trigger {
            case .always: fired = true
            case .probability(let p): fired = random.chance(p)
            case .nth(let n): fired = planCounts[operation, default: 0] == n
            }
            if fired {
                if entry.persistent { stuck[index] = true }
                return entry
            }
        }
        return nil
    }

    /// Counts a call for `nth=` (before the entries are asked).
    private func count(_ operation: FaultPlan.Operation) {
        planCounts[operation, default: 0] += 1
    }

    private func injected(_ what: String, _ file: DiskFile) {
        statistics.faults += 1
        event("fault \(what) \(file.name)")
    }

    func event(_ line: String) { onEvent?(line) }

    // MARK: Power

    /// The power goes off now: every later read, write, sync and truncate fails until
    /// ``recoverFromPowerLoss()``. Close the connections, then recover.
    public func losePower() {
        guard !powerLost else { return }
        powerLost = true
        event("power lost")
    }

    /// After a power loss (call ``losePower()`` first, then close every connection): each
    /// pending write is resolved by the seed, never-synced files may vanish, locks and shared
    /// memory are gone, and the power comes back.
    public func recoverFromPowerLoss() {
        for name in files.keys.sorted() {
            let file = files[name]!
            file.forgetVolatileState()
            if !file.loseUnsyncedChanges(random: &random) {
                files[name] = nil
                event("vanished \(name)")
            }
        }
        statistics.crashes += 1
        powerLost = false
        event("recovered: \(files.count) files, \(totalBytes) bytes")
    }

    // MARK: Looking at it

    /// Counters, sizes and power state now.
    public var currentStatistics: DiskStatistics {
        var result = statistics
        result.durableBytes = UInt64(files.values.reduce(0) { $0 + $1.durable.count })
        result.pendingBytes = UInt64(files.values.reduce(0) { $0 + $1.pendingBytes })
        result.files = UInt64(files.count)
        result.powerLost = powerLost
        return result
    }

    /// A hash of every file's name, durable image and current bytes (FNV-1a, in name order):
    /// two runs of one seed must end with the same disk.
    public func contentDigest() -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func feed(_ bytes: [UInt8]) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            for shift in stride(from: 0, to: 64, by: 8) { hash = (hash ^ UInt64(UInt8(truncatingIfNeeded: bytes.count >> shift))) &* 0x100_0000_01B3 }
        }
        for name in files.keys.sorted() {
            feed(Array(name.utf8))
            feed(files[name]!.durable)
            feed(files[name]!.current)
        }
        return hash
    }

    /// The names of the files on the disk, sorted.
    public var fileNames: [String] { files.keys.sorted() }

    private var totalBytes: UInt64 { UInt64(files.values.reduce(0) { $0 + $1.size }) }

    // MARK: Time

    /// xSleep: a busy wait. Alone, it moves the clock; under a scheduler, others run meanwhile.
    func sleep(microseconds: Int64) {
        statistics.sleeps += 1
        if let scheduler {
            scheduler.sleep(microseconds: microseconds)
        } else {
            clock.advance(microseconds: microseconds)
        }
    }

    /// Every VFS call is a point where the scheduler may switch connections.
    @inline(__always)
    func yieldPoint(_ kind: YieldPoint = .synchronization) {
        scheduler?.yield(kind)
    }

    /// Between two commands of one connection, the scheduler may switch too.
    public func yieldPointBetweenCommands() {
        scheduler?.yield(.synchronization)
    }

    /// What became of a concurrent batch.
    public struct BatchOutcome: Sendable {
        /// Every connection waited past the bound with no command completing.
        public var deadlocked: Bool
        public var report: String
    }

    /// Runs `body(lane)` for lanes `0..<count`, each on its own thread, exactly one at a
    /// time: at every VFS call and busy wait the seed picks who runs next. Call
    /// ``commandCompleted()`` from a lane after each command (deadlock detection).
    public func runConcurrently(lanes count: Int, _ body: @escaping @Sendable (Int) -> Void) -> BatchOutcome {
        let scheduler = interleaving
        self.scheduler = scheduler
        scheduler.run(count: count, body)
        self.scheduler = nil
        return BatchOutcome(deadlocked: scheduler.deadlocked, report: scheduler.deadlockReport)
    }

    /// A lane finished a command: progress, for deadlock detection.
    public func commandCompleted() {
        scheduler?.progressed()
    }

    // MARK: Files (called by the VFS)

    func open(name: String, flags: Int32) -> (DiskFile, Int)? {
        let role: DiskFile.Role = flags & SQLITE_OPEN_MAIN_DB != 0 ? .database : (flags & SQLITE_OPEN_WAL != 0 ? .wal : .other)
        let file: DiskFile
        if let existing = files[name] {
            file = existing
        } else {
            guard flags & SQLITE_OPEN_CREATE != 0 else { return nil }
            file = DiskFile(name: name, role: role)
            files[name] = file
        }
        nextHandleID += 1
        return (file, nextHandleID)
    }

    func exists(_ name: String, nonEmpty: Bool) -> Bool {
        guard let file = files[name] else { return false }
        return !nonEmpty || file.size > 0
    }

    private var temporaryFiles = 0
    func temporaryCounter() -> Int {
        temporaryFiles += 1
        return temporaryFiles
    }

    func delete(_ name: String) {
        files[name] = nil
    }

    func read(_ file: DiskFile, into buffer: UnsafeMutableRawBufferPointer, offset: Int) -> Int32 {
        statistics.reads += 1
        count(.read)
        if powerLost { return SQLITE_IOERR_READ }
        slowDown(.read, file)
        if fires(.readEIO, on: .read, file: file) != nil {
            injected("read_eio", file)
            return SQLITE_IOERR_READ
        }
        let got = file.read(into: buffer, offset: offset)
        if got < buffer.count {
            (buffer.baseAddress! + got).initializeMemory(as: UInt8.self, repeating: 0, count: buffer.count - got)
            return SQLITE_IOERR_SHORT_READ
        }
        // Bit rot is injected where a checksum covers the data: whole pages.
        if isPageRead(buffer.count, offset: offset, file: file), fires(.corruptRead, on: .read, file: file) != nil {
            injected("corrupt_read@\(offset)", file)
            flipBit(in: buffer, fileOffset: offset)
        }
        if verifiesChecksums && !verify(buffer, offset: offset, file: file) {
            statistics.checksumErrors += 1
            event("checksum mismatch \(file.name)@\(offset)")
            return SQLITE_IOERR_DATA
        }
        return SQLITE_OK
    }

    func write(_ file: DiskFile, _ source: UnsafeRawBufferPointer, offset: Int) -> Int32 {
        statistics.writes += 1
        count(.write)
        if powerLost { return SQLITE_IOERR_WRITE }
        slowDown(.write, file)
        var bytes = [UInt8](source)
        seal(&bytes, offset: offset, file: file)
        if fires(.crash, on: .write, file: file) != nil {
            file.write(bytes, at: offset)
            losePower()
            return SQLITE_IOERR_WRITE
        }
        if fires(.tornWrite, on: .write, file: file) != nil {
            let sectors = (bytes.count + 511) / 512
            let kept = random.below(sectors)
            injected("torn_write \(kept)/\(sectors) sectors@\(offset)", file)
            if kept > 0 { file.write(Array(bytes[0..<min(bytes.count, kept * 512)]), at: offset) }
            losePower()
            return SQLITE_IOERR_WRITE
        }
        if fires(.writeEIO, on: .write, file: file) != nil {
            injected("write_eio", file)
            return SQLITE_IOERR_WRITE
        }
        let growth = UInt64(max(0, offset + bytes.count - file.size))
        if growth > 0, let entry = fires(.diskFull, on: .write, file: file),
           totalBytes + growth > quotaBase + entry.quota {
            injected("disk_full", file)
            return SQLITE_FULL
        }
        if fires(.corruptWrite, on: .write, file: file) != nil {
            injected("corrupt_write@\(offset)", file)
            bytes.withUnsafeMutableBytes { flipBit(in: $0, fileOffset: offset) }
        }
        if fires(.misdirectedWrite, on: .write, file: file) != nil {
            // Somewhere else in the file, on a boundary of the write's own size.
            let span = max(512, bytes.count)
            let slots = max(1, (file.size + span - 1) / span)
            var target = random.below(slots + 1) * span
            if target == offset { target += span }
            injected("misdirected_write@\(offset)->\(target)", file)
            file.write(bytes, at: target)
            return SQLITE_OK
        }
        file.write(bytes, at: offset)
        return SQLITE_OK
    }

    func truncate(_ file: DiskFile, size: Int) -> Int32 {
        statistics.truncates += 1
        if powerLost { return SQLITE_IOERR_TRUNCATE }
        file.truncate(to: size)
        return SQLITE_OK
    }

    func sync(_ file: DiskFile) -> Int32 {
        statistics.syncs += 1
        count(.sync)
        if powerLost { return SQLITE_IOERR_FSYNC }
        slowDown(.sync, file)
        if fires(.crash, on: .sync, file: file) != nil {
            losePower()
            return SQLITE_IOERR_FSYNC
        }
        if fires(.lyingFsync, on: .sync, file: file) != nil {
            injected("lying_fsync", file)
            return SQLITE_OK
        }
        file.sync()
        return SQLITE_OK
    }

    /// lock_error faults, for xLock.
    func lockFault(_ file: DiskFile) -> Int32? {
        statistics.locks += 1
        count(.lock)
        if fires(.lockError, on: .lock, file: file) != nil {
            injected("lock_error", file)
            return SQLITE_IOERR_LOCK
        }
        return nil
    }

    private func slowDown(_ operation: FaultPlan.Operation, _ file: DiskFile) {
        guard let entry = fires(.slowIO, on: operation, file: file) else { return }
        clock.advance(microseconds: entry.latencyMilliseconds * 1000)
    }

    // MARK: Checksums

    /// Database pages get their checksum in their reserve bytes as they are written.
    private func seal(_ bytes: inout [UInt8], offset: Int, file: DiskFile) {
        guard file.role == .database else { return }
        // The header decides whether pages carry checksums, as it does for cksumvfs.
        if offset == 0 && bytes.count >= 100 { file.readHeader(bytes) }
        let pageSize = file.pageSize
        guard file.checksummed, pageSize >= 512, offset % pageSize == 0, bytes.count % pageSize == 0 else { return }
        bytes.withUnsafeMutableBytes { buffer in
            var start = 0
            while start < buffer.count {
                PageChecksum.seal(UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + pageSize)]),
                                  pageNumber: (offset + start) / pageSize + 1)
                start += pageSize
            }
        }
    }

    /// A whole-page read of the database file is checked against the page's checksum (as
    /// the reader sees it, injected corruption included); a page read from the WAL against
    /// its frame's checksum. Partial reads (the header SQLite reads at open) are not checked,
    /// as cksumvfs does not: after a power loss during a checkpoint, page 1 of the database
    /// file may be torn while its current copy is still in the WAL, and that is no error.
    private func verify(_ buffer: UnsafeMutableRawBufferPointer, offset: Int, file: DiskFile) -> Bool {
        switch file.role {
        case .database:
            let pageSize = file.pageSize
            guard file.checksummed, pageSize >= 512, offset % pageSize == 0, buffer.count % pageSize == 0 else { return true }
            var start = 0
            while start < buffer.count {
                let page = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + pageSize)])
                if !PageChecksum.verify(page, pageNumber: (offset + start) / pageSize + 1) { return false }
                start += pageSize
            }
            return true
        case .wal:
            guard buffer.count >= 512, buffer.count & (buffer.count - 1) == 0 else { return true }
            let frameSize = buffer.count + 24
            let position = offset - 32 - 24
            guard position >= 0, position % frameSize == 0 else { return true }
            return PageChecksum.verifyWALFrame(UnsafeRawBufferPointer(buffer), frame: position / frameSize, wal: file.current)
        case .other:
            return true
        }
    }

    /// Whether a read is of whole pages: a database page, or a page in a WAL frame.
    private func isPageRead(_ count: Int, offset: Int, file: DiskFile) -> Bool {
        switch file.role {
        case .database:
            return file.pageSize >= 512 && offset % file.pageSize == 0 && count % file.pageSize == 0
        case .wal:
            return count >= 512 && count & (count - 1) == 0 && (offset - 56) >= 0 && (offset - 56) % (count + 24) == 0
        case .other:
            return false
        }
    }

    /// Bit rot: one bit flipped in one 512-byte sector the buffer covers, at a position derived
    /// from that sector's pristine bytes, so reading it again flips the same bit.
    private func flipBit(in buffer: UnsafeMutableRawBufferPointer, fileOffset: Int) {
        guard buffer.count > 0 else { return }
        let firstSector = fileOffset / 512
        let lastSector = (fileOffset + buffer.count - 1) / 512
        let sector = firstSector + random.below(lastSector - firstSector + 1)
        let start = max(sector * 512, fileOffset) - fileOffset
        let end = min((sector + 1) * 512, fileOffset + buffer.count) - fileOffset
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(sector)
        for index in start..<end { hash = (hash ^ UInt64(buffer[index])) &* 0x100_0000_01B3 }
        let bit = Int(hash % UInt64((end - start) * 8))
        buffer[start + bit / 8] ^= UInt8(1 << (bit % 8))
    }
}
