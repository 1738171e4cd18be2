/// A 64-bit FNV-1a hash of a run's trace: every engine call, every reply and every event the
/// plugin adds. Stable across processes and platforms (Swift's `Hasher` is seeded per process,
/// so it cannot be used), and cheap enough to feed on every call.
public struct TraceHash: Sendable, Equatable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }

    /// Feeds a length first, so that ("ab","c") and ("a","bc") hash differently.
    public mutating func feedFramed(_ bytes: [UInt8]) {
        var length = UInt64(bytes.count).littleEndian
        withUnsafeBytes(of: &length) { feed($0) }
        feed(bytes)
    }

    /// 16 hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
