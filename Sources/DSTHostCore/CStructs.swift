/// The ABI's rule for structs that cross the boundary: each starts with `struct_size`, so a
/// reader copies no more than both sides know, and a writer writes no more than the reader's
/// struct holds.
enum CStructs {
    /// A copy of the struct at `source`, of at most its `struct_size` bytes; `zero` supplies
    /// the fields the writer did not know.
    static func read<Struct>(_ source: UnsafeRawPointer, over zero: Struct) -> Struct {
        var value = zero
        let size = min(max(source.load(as: Int.self), 0), MemoryLayout<Struct>.size)
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(start: source, count: size)) }
        return value
    }

    /// Writes `value` to `target`, whose struct holds `capacity` bytes.
    static func write<Struct>(_ value: Struct, to target: UnsafeMutableRawPointer, capacity: Int) {
        var value = value
        let size = min(max(capacity, 0), MemoryLayout<Struct>.size)
        withUnsafeBytes(of: &value) { target.copyMemory(from: $0.baseAddress!, byteCount: size) }
    }
}
