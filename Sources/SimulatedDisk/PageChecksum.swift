/// Page checksums: the 8 reserve bytes at the end of every database page (cksumvfs's layout
/// and sum), seeded with the page's number so a page written to the wrong place fails too; and
/// SQLite's own WAL frame checksums, verified when a page is read from the WAL.
enum PageChecksum {
    /// cksumvfs's Fletcher-like sum over `bytes` (a multiple of 8 long), in little-endian words,
    /// starting from `(s1, s2)`.
    static func sum(_ bytes: UnsafeRawBufferPointer, s1 start1: UInt32 = 0, s2 start2: UInt32 = 0,
                    bigEndian: Bool = false) -> (UInt32, UInt32) {
        var s1 = start1, s2 = start2
        var index = 0
        while index + 8 <= bytes.count {
            var x0 = bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)
            var x1 = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self)
            if bigEndian {
                x0 = UInt32(bigEndian: x0)
                x1 = UInt32(bigEndian: x1)
            } else {
                x0 = UInt32(littleEndian: x0)
                x1 = UInt32(littleEndian: x1)
            }
            s1 = s1 &+ x0 &+ s2
            s2 = s2 &+ x1 &+ s1
            index += 8
        }
        return (s1, s2)
    }

    /// Writes the checksum of page `pageNumber` into its last 8 bytes.
    static func seal(_ page: UnsafeMutableRawBufferPointer, pageNumber: Int) {
        let (s1, s2) = sum(UnsafeRawBufferPointer(rebasing: page[0..<(page.count - 8)]),
                           s1: UInt32(truncatingIfNeeded: pageNumber))
        page.storeBytes(of: s1.littleEndian, toByteOffset: page.count - 8, as: UInt32.self)
        page.storeBytes(of: s2.littleEndian, toByteOffset: page.count - 4, as: UInt32.self)
    }

    /// Whether page `pageNumber` holds its own checksum.
    static func verify(_ page: UnsafeRawBufferPointer, pageNumber: Int) -> Bool {
        let (s1, s2) = sum(UnsafeRawBufferPointer(rebasing: page[0..<(page.count - 8)]),
                           s1: UInt32(truncatingIfNeeded: pageNumber))
        return page.loadUnaligned(fromByteOffset: page.count - 8, as: UInt32.self) == s1.littleEndian
            && page.loadUnaligned(fromByteOffset: page.count - 4, as: UInt32.self) == s2.littleEndian
    }

    /// Whether `page`, read from WAL frame `frame` (0-based), matches that frame's checksum.
    /// `wal` is the WAL file's bytes: its header says the page size and the checksum's byte
    /// order, and each frame's checksum continues from the previous frame's (or the header's).
    static func verifyWALFrame(_ page: UnsafeRawBufferPointer, frame: Int, wal: [UInt8]) -> Bool {
        wal.withUnsafeBytes { file in
            guard file.count >= 32 else { return true }
            let magic = UInt32(bigEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let pageSize = Int(UInt32(bigEndian: file.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
            guard magic & 0xFFFF_FFFE == 0x377F_0682, pageSize == page.count else { return true }
            let bigEndian = magic & 1 == 1
            let frameStart = 32 + frame * (pageSize + 24)
            guard frameStart + 24 <= file.count else { return true }
            let previous = frame == 0 ? 24 : frameStart - (pageSize + 24) + 16
            var s1 = UInt32(bigEndian: file.loadUnaligned(fromByteOffset: previous, as: UInt32.self))
            var s2 = UInt32(bigEndian: file.loadUnaligned(fromByteOffset: previous + 4, as: UInt32.self))
            (s1, s2) = sum(UnsafeRawBufferPointer(rebasing: file[frameStart..<(frameStart + 8)]), s1: s1, s2: s2, bigEndian: bigEndian)
            (s1, s2) = sum(page, s1: s1, s2: s2, bigEndian: bigEndian)
            let stored1 = UInt32(bigEndian: file.loadUnaligned(fromByteOffset: frameStart + 16, as: UInt32.self))
            let stored2 = UInt32(bigEndian: file.loadUnaligned(fromByteOffset: frameStart + 20, as: UInt32.self))
            return s1 == stored1 && s2 == stored2
        }
    }
}
