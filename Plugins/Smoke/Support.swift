import DSTPluginSDK

/// Shared by the smoke tests. Models are arrays, never dictionaries or sets: iterating those
/// follows a per-process hash seed, and nothing a seeded run decides may depend on it.
enum Support {
    /// Byte order, as Redis compares members and fields (memcmp, then length).
    static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.lexicographicallyPrecedes(right)
    }

    /// The indices LRANGE and ZRANGE select for `start`/`stop` on `count` elements: negative
    /// values count from the end, and the result is clamped, possibly to nothing.
    static func rangeIndices(count: Int, start: Int, stop: Int) -> Range<Int> {
        var first = start < 0 ? count + start : start
        var last = stop < 0 ? count + stop : stop
        if first < 0 { first = 0 }
        if first > last || first >= count { return 0..<0 }
        if last >= count { last = count - 1 }
        return first..<(last + 1)
    }

    /// `1...maximum` distinct-or-not picks from `pool`, to send several arguments in one
    /// command (repeats are allowed: Redis applies them one after the other).
    static func picks(_ run: TestRun, from pool: [String], maximum: Int) -> [String] {
        (0...run.random.below(maximum)).map { _ in pool[run.random.below(pool.count)] }
    }

    /// The expected reply for a string that may be missing.
    static func bulkOrNull(_ bytes: [UInt8]?) -> Reply {
        guard let bytes else { return .null }
        return .bulk(bytes)
    }

    /// The elements of an array or set reply as byte strings, sorted, for comparing replies
    /// whose order Redis leaves undefined. Nil when the reply is not a list of strings.
    static func sortedStrings(_ reply: Reply) -> [[UInt8]]? {
        guard let elements = reply.elements else { return nil }
        let strings = elements.compactMap(\.bytes)
        guard strings.count == elements.count else { return nil }
        return strings.sorted(by: precedes)
    }

    /// `"a", "b"` for messages.
    static func quotedList(_ items: [[UInt8]]) -> String {
        "[" + items.map(Reply.quoted).joined(separator: ", ") + "]"
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
