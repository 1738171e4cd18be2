/// A reply as a command produces it, before it is encoded for one protocol version.
///
/// Commands build the *logical* reply (a map, a double, a boolean); the encoder lowers it to
/// RESP2 when the client has not said `HELLO 3`, exactly as Redis 7.0 does: maps become flat
/// arrays, sets become arrays, doubles become bulk strings, booleans become integers.
public enum Reply: Equatable, Sendable {
    /// `+OK`: a status line. Must not contain CR or LF.
    case simple(String)
    /// `-ERR ...`: the whole error line, including its code (`ERR`, `WRONGTYPE`, `EXECABORT`).
    case error(String)
    /// `:42`.
    case integer(Int64)
    /// `$3\r\nfoo`: a binary-safe string.
    case bulk([UInt8])
    /// A missing string: RESP2 `$-1`, RESP3 `_`.
    case null
    /// A missing aggregate: RESP2 `*-1`, RESP3 `_` (e.g. EXEC aborted by WATCH).
    case nullArray
    /// `*N`: an ordered list of replies.
    case array([Reply])
    /// RESP3 `,1.5`; RESP2 a bulk string formatted as Redis 7.0 does (`%.17g`, `inf`, `-inf`).
    case double(Double)
    /// RESP3 `#t`/`#f`; RESP2 `:1`/`:0`.
    case boolean(Bool)
    /// RESP3 `%N` of key/value pairs; RESP2 a flat array of 2N elements.
    case map([ReplyPair])
    /// RESP3 `~N`; RESP2 an array.
    case set([Reply])
    /// RESP3 `=N\r\ntxt:...`; RESP2 a bulk string of the text alone.
    case verbatim(format: String, text: [UInt8])

    /// `+OK`.
    public static let ok = Reply.simple("OK")

    /// A bulk string from UTF-8 text.
    public static func bulk(_ text: String) -> Reply { .bulk(Array(text.utf8)) }

    /// A bulk string, or `.null` when `bytes` is nil.
    public static func bulkOrNull(_ bytes: [UInt8]?) -> Reply { bytes.map(Reply.bulk) ?? .null }

    /// An array of bulk strings.
    public static func bulks(_ items: [[UInt8]]) -> Reply { .array(items.map(Reply.bulk)) }

    /// `true` for `.error`.
    public var isError: Bool {
        if case .error = self { return true }
        return false
    }
}

/// One key/value entry of a ``Reply/map(_:)``.
public struct ReplyPair: Equatable, Sendable {
    /// The key; Redis mostly uses bulk strings, but RESP3 allows any reply.
    public var key: Reply
    /// The value associated with ``key``.
    public var value: Reply
    /// A pair of `key` and `value`.
    public init(_ key: Reply, _ value: Reply) {
        self.key = key
        self.value = value
    }
}

/// The protocol a client speaks: RESP2 by default, RESP3 after `HELLO 3`.
public enum ProtocolVersion: Int, Sendable {
    /// RESP2, the default for every new connection.
    case resp2 = 2
    /// RESP3, after `HELLO 3`: typed maps, sets, doubles, booleans, nulls.
    case resp3 = 3
}
