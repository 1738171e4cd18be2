import DSTPluginSDK

/// Shared by the smoke tests. Models are arrays, never dictionaries or sets: iterating those
/// follows a per-process hash seed, and nothing a seeded run decides may depend on it.
enum Support {
    /// `1...maximum` distinct-or-not picks from `pool`, to send several arguments in one
    /// command (repeats are allowed: Redis applies them one after the other).
    static func picks(_ run: TestRun, from pool: [String], maximum: Int) -> [String] {
        (0...run.random.below(maximum)).map { _ in pool[run.random.below(pool.count)] }
    }

    /// The elements of an array or set reply as byte strings, sorted, for comparing replies
    /// whose order Redis leaves undefined. Nil when the reply is not a list of strings.
    static func sortedStrings(_ reply: Reply) -> [[UInt8]]? {
        guard let elements = reply.elements else { return nil }
        let strings = elements.compactMap(\.bytes)
        guard strings.count == elements.count else { return nil }
        return strings.sorted(by: RedisModel.precedes)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
