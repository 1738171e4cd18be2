import RESP

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

    /// Feeds a reply's structure and bytes without encoding it first (this runs on every
    /// engine call a plugin makes).
    public mutating func feed(_ reply: Reply) {
        switch reply {
        case .simple(let text): feedTag(1); feedFramed(Array(text.utf8))
        case .error(let text): feedTag(2); feedFramed(Array(text.utf8))
        case .integer(let value): feedTag(3); feedInteger(UInt64(bitPattern: value))
        case .bulk(let bytes): feedTag(4); feedFramed(bytes)
        case .null: feedTag(5)
        case .nullArray: feedTag(6)
        case .array(let items): feedTag(7); feedInteger(UInt64(items.count)); for item in items { feed(item) }
        case .double(let value): feedTag(8); feedInteger(value.bitPattern)
        case .boolean(let value): feedTag(9); feedTag(value ? 1 : 0)
        case .map(let pairs):
            feedTag(10)
            feedInteger(UInt64(pairs.count))
            for pair in pairs { feed(pair.key); feed(pair.value) }
        case .set(let items): feedTag(11); feedInteger(UInt64(items.count)); for item in items { feed(item) }
        case .verbatim(let format, let text): feedTag(12); feedFramed(Array(format.utf8)); feedFramed(text)
        }
    }

    private mutating func feedTag(_ tag: UInt8) {
        value ^= UInt64(tag)
        value &*= 0x0000_0100_0000_01b3
    }

    private mutating func feedInteger(_ integer: UInt64) {
        var bits = integer.littleEndian
        withUnsafeBytes(of: &bits) { feed($0) }
    }

    /// 16 hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
