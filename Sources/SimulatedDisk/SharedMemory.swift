import CSQLite

/// The WAL-index shared memory of one database file (what the unix VFS maps from `-shm`):
/// regions at stable addresses, and SQLite's eight shm lock slots.
final class SharedMemory {
    private(set) var regions: [UnsafeMutableRawPointer] = []
    private var regionSize = 0
    /// Handles that have it mapped.
    var mappedBy: Set<Int> = []
    /// Per slot: the handle holding it exclusively, and the handles holding it shared.
    private var exclusive = [Int?](repeating: nil, count: Int(SQLITE_SHM_NLOCK))
    private var shared = [Set<Int>](repeating: [], count: Int(SQLITE_SHM_NLOCK))

    deinit { reset() }

    /// Region `index`, created (zeroed) when `extend` says so.
    func region(_ index: Int, size: Int, extend: Bool) -> UnsafeMutableRawPointer? {
        if regions.isEmpty { regionSize = size }
        while regions.count <= index {
            guard extend else { return nil }
            let region = UnsafeMutableRawPointer.allocate(byteCount: regionSize, alignment: 16)
            region.initializeMemory(as: UInt8.self, repeating: 0, count: regionSize)
            regions.append(region)
        }
        return regions[index]
    }

    /// xShmLock: SQLITE_OK or SQLITE_BUSY, never blocking.
    func lock(handle: Int, offset: Int, count: Int, flags: Int32) -> Int32 {
        let slots = offset..<(offset + count)
        guard offset >= 0, count >= 1, slots.upperBound <= exclusive.count else { return SQLITE_IOERR_SHMLOCK }
        let unlock = flags & SQLITE_SHM_UNLOCK != 0
        let wantsExclusive = flags & SQLITE_SHM_EXCLUSIVE != 0
        if unlock {
            for slot in slots {
                if exclusive[slot] == handle { exclusive[slot] = nil }
                if !wantsExclusive { shared[slot].remove(handle) }
            }
            return SQLITE_OK
        }
        if wantsExclusive {
            for slot in slots {
                if let owner = exclusive[slot], owner != handle { return SQLITE_BUSY }
                if shared[slot].contains(where: { $0 != handle }) { return SQLITE_BUSY }
            }
            for slot in slots { exclusive[slot] = handle }
        } else {
            for slot in slots {
                if let owner = exclusive[slot], owner != handle { return SQLITE_BUSY }
            }
            for slot in slots { shared[slot].insert(handle) }
        }
        return SQLITE_OK
    }

    /// xShmUnmap: the handle lets go; the last one out frees the memory (a fresh map then
    /// starts from zeros, which makes SQLite rebuild the index from the WAL).
    func unmap(handle: Int) {
        for slot in exclusive.indices {
            if exclusive[slot] == handle { exclusive[slot] = nil }
            shared[slot].remove(handle)
        }
        mappedBy.remove(handle)
        if mappedBy.isEmpty { reset() }
    }

    func reset() {
        for region in regions { region.deallocate() }
        regions.removeAll()
        mappedBy.removeAll()
        for slot in exclusive.indices {
            exclusive[slot] = nil
            shared[slot].removeAll()
        }
    }
}
