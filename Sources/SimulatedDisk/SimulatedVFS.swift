import CSQLite
import Glibc

/// One file handle SQLite opened through the simulated VFS: which file, and the locks it holds.
/// It keeps its disk (and so the VFS) alive until SQLite closes it.
final class OpenHandle {
    let disk: SimulatedDisk
    let file: DiskFile
    let id: Int
    let deleteOnClose: Bool
    var lockLevel = SQLITE_LOCK_NONE

    init(disk: SimulatedDisk, file: DiskFile, id: Int, deleteOnClose: Bool) {
        self.disk = disk
        self.file = file
        self.id = id
        self.deleteOnClose = deleteOnClose
    }

    /// xLock, with SQLite's levels and the unix VFS's rules: never blocks, answers SQLITE_BUSY.
    func lock(_ level: Int32) -> Int32 {
        guard level > lockLevel else { return SQLITE_OK }
        if let fault = disk.lockFault(file) { return fault }
        let others = { (holder: Int?) in holder != nil && holder != self.id }
        switch level {
        case SQLITE_LOCK_SHARED:
            if others(file.pendingHolder) || others(file.exclusiveHolder) { return SQLITE_BUSY }
            file.sharedHolders.insert(id)
        case SQLITE_LOCK_RESERVED:
            if others(file.reservedHolder) || others(file.pendingHolder) || others(file.exclusiveHolder) { return SQLITE_BUSY }
            file.reservedHolder = id
        default:
            // EXCLUSIVE goes through PENDING, which keeps new readers out while old ones finish.
            if others(file.pendingHolder) || others(file.exclusiveHolder) { return SQLITE_BUSY }
            file.pendingHolder = id
            if file.sharedHolders.contains(where: { $0 != id }) {
                lockLevel = SQLITE_LOCK_PENDING
                return SQLITE_BUSY
            }
            file.exclusiveHolder = id
        }
        lockLevel = level
        return SQLITE_OK
    }

    /// xUnlock down to `level` (SHARED or NONE).
    func unlock(_ level: Int32) {
        if level < SQLITE_LOCK_PENDING {
            if file.pendingHolder == id { file.pendingHolder = nil }
            if file.exclusiveHolder == id { file.exclusiveHolder = nil }
        }
        if level < SQLITE_LOCK_RESERVED, file.reservedHolder == id { file.reservedHolder = nil }
        if level < SQLITE_LOCK_SHARED { file.sharedHolders.remove(id) }
        lockLevel = min(lockLevel, level)
    }

    var reservedByAnyone: Bool {
        file.reservedHolder != nil || file.pendingHolder != nil || file.exclusiveHolder != nil
    }
}

/// The C side: a `sqlite3_vfs` whose `pAppData` is the disk, and one table of I/O methods
/// whose files carry a retained ``OpenHandle`` just after their `sqlite3_file` header.
enum SimulatedVFS {
    private static let handleOffset = MemoryLayout<sqlite3_file>.stride

    static func make(name: String, disk: SimulatedDisk) -> UnsafeMutablePointer<sqlite3_vfs> {
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        var table = sqlite3_vfs()
        table.iVersion = 2
        table.szOsFile = Int32(SimulatedVFS.handleOffset + MemoryLayout<UnsafeRawPointer>.stride)
        table.mxPathname = 512
        table.zName = UnsafePointer(strdup(name))
        table.pAppData = Unmanaged.passUnretained(disk).toOpaque()
        table.xOpen = { vfs, name, file, flags, outFlags in
            guard let vfs, let file else { return SQLITE_MISUSE }
            file.pointee.pMethods = nil
            let disk = SimulatedVFS.disk(vfs)
            disk.yieldPoint()
            var fileName = name.map { String(cString: $0) } ?? ""
            var openFlags = flags
            if fileName.isEmpty {
                // A temporary file: a private name, gone on close.
                fileName = "/temp-\(disk.temporaryCounter())"
                openFlags |= SQLITE_OPEN_CREATE | SQLITE_OPEN_DELETEONCLOSE
            }
            guard let (diskFile, id) = disk.open(name: fileName, flags: openFlags) else { return SQLITE_CANTOPEN }
            let handle = OpenHandle(disk: disk, file: diskFile, id: id,
                                    deleteOnClose: openFlags & SQLITE_OPEN_DELETEONCLOSE != 0)
            UnsafeMutableRawPointer(file).advanced(by: SimulatedVFS.handleOffset)
                .storeBytes(of: Unmanaged.passRetained(handle).toOpaque(), as: UnsafeMutableRawPointer.self)
            file.pointee.pMethods = SimulatedVFS.ioMethods
            outFlags?.pointee = openFlags
            return SQLITE_OK
        }
        table.xDelete = { vfs, name, _ in
            guard let vfs, let name else { return SQLITE_MISUSE }
            let disk = SimulatedVFS.disk(vfs)
            disk.yieldPoint()
            disk.delete(String(cString: name))
            return SQLITE_OK
        }
        table.xAccess = { vfs, name, flags, result in
            guard let vfs, let name, let result else { return SQLITE_MISUSE }
            let disk = SimulatedVFS.disk(vfs)
            // As the unix VFS: an empty file does not "exist" (a WAL of 0 bytes is no WAL).
            result.pointee = disk.exists(String(cString: name), nonEmpty: flags == SQLITE_ACCESS_EXISTS) ? 1 : 0
            return SQLITE_OK
        }
        table.xFullPathname = { _, name, size, out in
            guard let name, let out, size > 0 else { return SQLITE_MISUSE }
            var path = String(cString: name)
            if !path.hasPrefix("/") { path = "/" + path }
            let bytes = Array(path.utf8)
            guard bytes.count < Int(size) else { return SQLITE_CANTOPEN }
            for (index, byte) in bytes.enumerated() { out[index] = CChar(bitPattern: byte) }
            out[bytes.count] = 0
            return SQLITE_OK
        }
        table.xRandomness = { vfs, count, out in
            guard let vfs, let out, count > 0 else { return 0 }
            let disk = SimulatedVFS.disk(vfs)
            for index in 0..<Int(count) { out[index] = CChar(bitPattern: UInt8(truncatingIfNeeded: disk.random.next())) }
            return count
        }
        table.xSleep = { vfs, microseconds in
            guard let vfs else { return 0 }
            SimulatedVFS.disk(vfs).sleep(microseconds: Int64(max(microseconds, 0)))
            return microseconds
        }
        table.xCurrentTime = { vfs, out in
            guard let vfs, let out else { return SQLITE_MISUSE }
            let milliseconds = SimulatedVFS.disk(vfs).clock.nowMicroseconds() / 1000
            out.pointee = Double(milliseconds) / 86_400_000.0 + 2_440_587.5
            return SQLITE_OK
        }
        table.xGetLastError = { _, _, _ in 0 }
        table.xCurrentTimeInt64 = { vfs, out in
            guard let vfs, let out else { return SQLITE_MISUSE }
            // Julian-day milliseconds: Unix milliseconds plus the epoch's Julian day.
            out.pointee = SimulatedVFS.disk(vfs).clock.nowMicroseconds() / 1000 + 210_866_760_000_000
            return SQLITE_OK
        }
        vfs.initialize(to: table)
        return vfs
    }

    static func free(_ vfs: UnsafeMutablePointer<sqlite3_vfs>) {
        Glibc.free(UnsafeMutableRawPointer(mutating: vfs.pointee.zName))
        vfs.deinitialize(count: 1)
        vfs.deallocate()
    }

    private static func disk(_ vfs: UnsafeMutablePointer<sqlite3_vfs>) -> SimulatedDisk {
        Unmanaged<SimulatedDisk>.fromOpaque(vfs.pointee.pAppData).takeUnretainedValue()
    }

    private static func handle(_ file: UnsafeMutablePointer<sqlite3_file>?) -> OpenHandle {
        let raw = UnsafeMutableRawPointer(file!).advanced(by: SimulatedVFS.handleOffset).load(as: UnsafeMutableRawPointer.self)
        return Unmanaged<OpenHandle>.fromOpaque(raw).takeUnretainedValue()
    }

    nonisolated(unsafe) static let ioMethods: UnsafePointer<sqlite3_io_methods> = {
        var methods = sqlite3_io_methods()
        methods.iVersion = 2
        methods.xClose = { file in
            guard let file else { return SQLITE_OK }
            let raw = UnsafeMutableRawPointer(file).advanced(by: SimulatedVFS.handleOffset).load(as: UnsafeMutableRawPointer.self)
            let handle = Unmanaged<OpenHandle>.fromOpaque(raw).takeRetainedValue()
            handle.unlock(SQLITE_LOCK_NONE)
            handle.file.sharedMemory.unmap(handle: handle.id)
            if handle.deleteOnClose { handle.disk.delete(handle.file.name) }
            file.pointee.pMethods = nil
            return SQLITE_OK
        }
        methods.xRead = { file, buffer, amount, offset in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint(.dataAccess)
            return handle.disk.read(handle.file, into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(amount)),
                                    offset: Int(offset))
        }
        methods.xWrite = { file, buffer, amount, offset in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint(.dataAccess)
            return handle.disk.write(handle.file, UnsafeRawBufferPointer(start: buffer, count: Int(amount)), offset: Int(offset))
        }
        methods.xTruncate = { file, size in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint(.dataAccess)
            return handle.disk.truncate(handle.file, size: Int(size))
        }
        methods.xSync = { file, _ in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint()
            return handle.disk.sync(handle.file)
        }
        methods.xFileSize = { file, size in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint(.dataAccess)
            size?.pointee = sqlite3_int64(handle.file.size)
            return SQLITE_OK
        }
        methods.xLock = { file, level in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint()
            return handle.lock(level)
        }
        methods.xUnlock = { file, level in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint()
            handle.disk.statistics.locks += 1
            handle.unlock(level)
            return SQLITE_OK
        }
        methods.xCheckReservedLock = { file, result in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint()
            result?.pointee = handle.reservedByAnyone ? 1 : 0
            return SQLITE_OK
        }
        methods.xFileControl = { _, _, _ in SQLITE_NOTFOUND }
        methods.xSectorSize = { _ in 512 }
        // No promises (no atomic or safe-append writes): SQLite takes every precaution.
        methods.xDeviceCharacteristics = { _ in 0 }
        methods.xShmMap = { file, region, size, extend, out in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint()
            let memory = handle.file.sharedMemory
            memory.mappedBy.insert(handle.id)
            out?.pointee = UnsafeMutableRawPointer(memory.region(Int(region), size: Int(size), extend: extend != 0))
            return SQLITE_OK
        }
        methods.xShmLock = { file, offset, count, flags in
            let handle = SimulatedVFS.handle(file)
            handle.disk.yieldPoint()
            handle.disk.statistics.locks += 1
            return handle.file.sharedMemory.lock(handle: handle.id, offset: Int(offset), count: Int(count), flags: flags)
        }
        methods.xShmBarrier = { _ in }
        methods.xShmUnmap = { file, _ in
            let handle = SimulatedVFS.handle(file)
            handle.file.sharedMemory.unmap(handle: handle.id)
            return SQLITE_OK
        }
        let pointer = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        pointer.initialize(to: methods)
        return UnsafePointer(pointer)
    }()
}
