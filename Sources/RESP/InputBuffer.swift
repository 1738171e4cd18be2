#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes received but not yet parsed, shared by the request parser and the reply decoder.
///
/// Parsing advances ``readIndex`` instead of removing bytes from the front, because removing
/// a command's bytes one command at a time makes a pipeline of N commands cost O(N²) moves.
/// The consumed prefix is dropped only when it is at least half the storage, which keeps the
/// total cost of moves linear in the bytes received.
struct InputBuffer: Sendable {
    /// Received bytes; those before ``readIndex`` are already parsed.
    private(set) var bytes: [UInt8] = []
    /// The first byte not yet parsed.
    private(set) var readIndex = 0
    /// How many bytes after ``readIndex`` are known not to hold the terminator being searched,
    /// so a line trickling in one byte at a time is scanned once, not once per byte.
    private var scanned = 0

    /// Storage above this size is released rather than kept for reuse, so one huge argument
    /// does not pin its memory for the life of the connection.
    private static let retainedCapacity = 64 * 1024
    /// Shifting is skipped for small prefixes: a short memmove per append would cost more than
    /// the memory it saves.
    private static let minimumShift = 4096

    /// Bytes received and not yet consumed.
    var readableCount: Int { bytes.count - readIndex }

    /// The storage's capacity, for tests that check nothing was allocated from a claimed size.
    var capacity: Int { bytes.capacity }

    /// Adds received bytes, first reclaiming the consumed prefix if that is worth it.
    mutating func append(_ newBytes: some Collection<UInt8>) {
        compact()
        bytes.append(contentsOf: newBytes)
    }

    /// Marks `count` more bytes as parsed; the next line search starts afresh.
    mutating func consume(_ count: Int) {
        readIndex += count
        scanned = 0
    }

    /// Drops everything, e.g. after a protocol error, when the rest of the input is garbage.
    mutating func discardAll() {
        bytes = []
        readIndex = 0
        scanned = 0
    }

    /// The outcome of looking for the end of the line that starts at ``readIndex``.
    enum LineSearch: Equatable {
        /// The terminator is at this absolute index into ``bytes``.
        case found(Int)
        /// No terminator yet, and the line is still within its limit.
        case needMore
        /// More than `maxLength` bytes precede the terminator (or are buffered without one).
        case tooLong
    }

    /// Finds the first `terminator` at most `maxLength` bytes after ``readIndex``.
    ///
    /// Looking no further than the limit makes the verdict independent of how the input was
    /// split into reads: a line is rejected exactly when more than `maxLength` bytes precede
    /// its terminator.
    mutating func findLine(terminator: UInt8, maxLength: Int) -> LineSearch {
        let available = readableCount
        // The window holds offsets 0...maxLength; written to avoid overflow when the limit is
        // Int.max.
        let window = maxLength >= available ? available : maxLength + 1
        if scanned < window {
            let found: Int? = bytes.withUnsafeBufferPointer { storage in
                guard let base = storage.baseAddress else { return nil }
                let start = base + readIndex + scanned
                guard let hit = memchr(start, Int32(terminator), window - scanned) else { return nil }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            }
            if let found {
                // Remember the hit: the caller may still wait for bytes after the terminator.
                scanned = found - readIndex
                return .found(found)
            }
            scanned = window
        }
        return available > maxLength ? .tooLong : .needMore
    }

    /// Reclaims the consumed prefix when that is cheap relative to the bytes already parsed.
    private mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex == bytes.count {
            if bytes.capacity > Self.retainedCapacity {
                bytes = []
            } else {
                bytes.removeAll(keepingCapacity: true)
            }
            readIndex = 0
        } else if readIndex >= Self.minimumShift && readIndex >= bytes.count / 2 {
            if bytes.capacity > Self.retainedCapacity {
                bytes = Array(bytes[readIndex...])
            } else {
                bytes.removeSubrange(0..<readIndex)
            }
            readIndex = 0
        }
    }
}
