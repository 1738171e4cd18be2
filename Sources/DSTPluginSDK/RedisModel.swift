/// Redis's rules that reference models in tests need, written once for every suite.
///
/// Keep models in arrays, never dictionaries or sets: their iteration order follows a
/// per-process hash seed, and nothing a seeded run decides or prints may depend on it.
public enum RedisModel {
    /// Byte order, as Redis compares members and fields (memcmp, then length).
    public static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.lexicographicallyPrecedes(right)
    }

    /// The indices LRANGE and ZRANGE select for `start`/`stop` on `count` elements: negative
    /// values count from the end, and the result is clamped, possibly to nothing.
    public static func rangeIndices(count: Int, start: Int, stop: Int) -> Range<Int> {
        var first = start < 0 ? count + start : start
        var last = stop < 0 ? count + stop : stop
        if first < 0 { first = 0 }
        if first > last || first >= count { return 0..<0 }
        if last >= count { last = count - 1 }
        return first..<(last + 1)
    }
}

extension Reply {
    /// The reply for a string that may be missing: a bulk string, or null.
    public static func bulkOrNull(_ bytes: [UInt8]?) -> Reply {
        guard let bytes else { return .null }
        return .bulk(bytes)
    }

    /// `["a", "b"]`, each item quoted as ``Reply/quoted(_:limit:)`` does, for messages.
    public static func quotedList(_ items: [[UInt8]]) -> String {
        "[" + items.map { Reply.quoted($0) }.joined(separator: ", ") + "]"
    }
}
