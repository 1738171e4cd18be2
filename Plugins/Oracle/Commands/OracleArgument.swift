import DSTPluginSDK

/// One argument of an ``OracleCommand``.
///
/// Absolute times cannot be fixed when a sequence is generated: Redis runs on the wall clock
/// and Redlite on a virtual one, so each side has its own clock base (Redis: its `TIME` when the
/// seed starts; Redlite: its virtual clock). A time argument is stored as an offset from that
/// base and resolved per side, so `EXPIREAT k (base + 200)` means the same thing on both.
public enum OracleArgument: Hashable, Sendable, ExpressibleByStringLiteral {
    /// Literal bytes, sent as they are (binary-safe).
    case bytes([UInt8])
    /// Unix time in seconds: the base's whole seconds plus `offset` seconds.
    case unixSeconds(offset: Int64)
    /// Unix time in milliseconds: the base plus `offset` milliseconds.
    case unixMilliseconds(offset: Int64)

    /// The UTF-8 of a literal, so sequences read like commands: `["SET", "k", "v"]`.
    public init(stringLiteral text: String) {
        self = .bytes(Array(text.utf8))
    }

    /// The bytes sent to a side whose clock base is `baseMilliseconds` (Unix ms).
    public func resolved(baseMilliseconds: Int64) -> [UInt8] {
        switch self {
        case .bytes(let bytes):
            return bytes
        case .unixSeconds(let offset):
            // Floor division: a base before 1970 never occurs, but a floor keeps the seconds
            // form at or before the millisecond base, as a clock would read it.
            let seconds = baseMilliseconds >= 0 ? baseMilliseconds / 1000 : (baseMilliseconds - 999) / 1000
            return Array(String(seconds &+ offset).utf8)
        case .unixMilliseconds(let offset):
            return Array(String(baseMilliseconds &+ offset).utf8)
        }
    }

    /// A readable rendering for reports: literal bytes quoted only when needed, times as
    /// `<base+200s>` / `<base-1500ms>`.
    public var description: String {
        switch self {
        case .bytes(let bytes):
            let plain = !bytes.isEmpty && bytes.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "'") }
            return plain ? String(decoding: bytes, as: UTF8.self) : Reply.quoted(bytes, limit: .max)
        case .unixSeconds(let offset):
            return "<base\(offset < 0 ? "" : "+")\(offset)s>"
        case .unixMilliseconds(let offset):
            return "<base\(offset < 0 ? "" : "+")\(offset)ms>"
        }
    }
}
