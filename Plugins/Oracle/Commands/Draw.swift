import DSTPluginSDK

/// The generator's own random stream and the vocabulary it draws arguments from.
///
/// Seeded once from the caller's generator, then SplitMix64: the values a seed produces depend
/// only on this file, not on how a Swift release turns random bits into `Int.random(in:)`.
struct Draw: RandomNumberGenerator {
    private var stream: SplitMix64
    /// Whether the command being drawn may take invalid or extreme arguments. Set per command
    /// (about one in four): a sequence of mostly valid commands builds up real data for the
    /// others to hit, and the edge cases still come often.
    var edgy = false

    init(seed: UInt64) {
        stream = SplitMix64(seed: seed)
    }

    // MARK: Random primitives (the SDK's SplitMix64)

    mutating func next() -> UInt64 { stream.next() }
    mutating func below(_ bound: Int) -> Int { stream.below(bound) }
    mutating func int(in range: ClosedRange<Int>) -> Int { stream.int(in: range) }
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { stream.chance(numerator, in: denominator) }
    mutating func bool() -> Bool { stream.bool() }
    mutating func pick<T>(_ items: [T]) -> T { stream.pick(items) }
    mutating func shuffle<T>(_ items: inout [T]) { stream.shuffle(&items) }

    /// Between `range` distinct-or-not picks from `items`.
    mutating func some<T>(_ items: [T], _ range: ClosedRange<Int>) -> [T] {
        (0..<int(in: range)).map { _ in pick(items) }
    }

    // MARK: Vocabulary

    /// The key space: a few keys every family shares, so types collide on purpose; a binary
    /// key holding glob metacharacters (`*`, `[`, for KEYS and MATCH) and, rarely, the empty
    /// key (both legal in Redis).
    static let keyNames: [[UInt8]] = [
        Array("a".utf8), Array("b".utf8), Array("c".utf8), Array("d".utf8),
        [0x6B, 0x2A, 0x00, 0x0D, 0x0A, 0xFF, 0x5B],
    ]

    /// Glob patterns for KEYS and MATCH: the usual ones, escapes, classes with ranges
    /// (reversed too) and negation, and malformed ones (an unclosed `[`, a trailing `\`),
    /// which Redis's matcher reads in its own particular way.
    static let patterns: [OracleArgument] = [
        "*", "a", "?", "[a-c]", "[^a]", "[!b]*", "*\\*", "k*", "[c-a]", "*a*b*", "",
        "k\\**", "*\\[", "*[[]", "k[*]*", "[", "\\", "*\\", "[a-", "[]", "[^]", "?*?", "[\\]]", "k?*[",
    ]

    /// A key the current family prefers (nil: none). Mixed sequences set it per command so
    /// each family mostly finds its own type on its home key, and still collides with the
    /// others on the rest: without it, every key soon holds some type and most commands of
    /// the other families answer WRONGTYPE.
    var homeKey: [UInt8]?

    mutating func key() -> OracleArgument {
        if chance(1, in: 60) { return .bytes([]) }
        if let homeKey, chance(1, in: 2) { return .bytes(homeKey) }
        return .bytes(pick(Self.keyNames))
    }

    mutating func keys(_ range: ClosedRange<Int>) -> [OracleArgument] {
        (0..<int(in: range)).map { _ in key() }
    }

    /// Collection elements (list items, set and sorted-set members, hash fields): few enough
    /// that commands keep hitting the same ones. Integers make Redis pick its intset encoding
    /// for sets; the empty and binary members test binary safety. At most
    /// ``largestCollection`` distinct values, which SPOP's count relies on.
    static let elementNames: [[UInt8]] = [
        Array("a".utf8), Array("b".utf8), Array("c".utf8), Array("1".utf8), Array("2".utf8),
        Array("10".utf8), Array("-1".utf8), [], [0x00, 0x0D, 0x0A, 0xFF],
    ]

    /// The argument ``CommandGenerator/mangle(_:_:)`` sometimes appends: as a member of a
    /// variadic command it is one more possible element.
    static let strayArgument: [UInt8] = Array("extra".utf8)

    /// No set, hash or sorted set can hold more members than there are element names (plus
    /// the stray argument).
    static var largestCollection: Int { elementNames.count + 1 }

    mutating func element() -> OracleArgument {
        .bytes(pick(Self.elementNames))
    }

    mutating func elements(_ range: ClosedRange<Int>) -> [OracleArgument] {
        (0..<int(in: range)).map { _ in element() }
    }

    /// String values: numbers at and past the Int64 limits, floats, text that looks numeric but
    /// is not, binary bytes, a longer string.
    static let valueTexts: [[UInt8]] = [
        [], Array("v".utf8), Array("hello".utf8), Array("0".utf8), Array("1".utf8), Array("-1".utf8),
        Array("10".utf8), Array("3.5".utf8), Array("-0".utf8), Array("007".utf8), Array("+1".utf8),
        Array(" 1".utf8), Array("1e3".utf8), Array("9223372036854775807".utf8),
        Array("-9223372036854775808".utf8), Array("9223372036854775808".utf8), Array("inf".utf8),
        Array("nan".utf8), [0x00, 0x0D, 0x0A, 0xFF], Array(repeating: 0x78, count: 70),
        Array("0x10".utf8), Array("1.5e308".utf8),
    ]

    mutating func value() -> OracleArgument {
        // Numbers a third of the time, so counters and float increments find numbers to add to.
        if chance(1, in: 3) { return .bytes(Array(String(int(in: -20...100)).utf8)) }
        return .bytes(pick(Self.valueTexts))
    }

    /// Integer arguments: small values mostly, then the limits, one past them, and strings Redis
    /// refuses (`ERR value is not an integer or out of range`).
    mutating func integer() -> OracleArgument {
        if !edgy { return .bytes(Array(String(int(in: -5...12)).utf8)) }
        switch below(10) {
        case 0..<6: return .bytes(Array(String(int(in: -5...12)).utf8))
        case 6: return pick(["9223372036854775807", "-9223372036854775808", "9223372036854775806", "-9223372036854775807"])
        case 7: return pick(["9223372036854775808", "-9223372036854775809", "99999999999999999999"])
        case 8: return pick(["abc", "", "1.5", " 1", "1 ", "+1", "-0", "007", "0x10", "1e2"])
        default: return pick(["100", "-100", "1000", "4294967296", "2147483648"])
        }
    }

    /// Indices for list and string ranges: in and around a small collection, far out, the
    /// limits, and invalid text.
    mutating func index() -> OracleArgument {
        if !edgy { return .bytes(Array(String(int(in: -7...7)).utf8)) }
        switch below(12) {
        case 0..<8: return .bytes(Array(String(int(in: -7...7)).utf8))
        case 8: return pick(["100", "-100", "1000000"])
        case 9: return pick(["9223372036854775807", "-9223372036854775808"])
        case 10: return pick(["abc", "", "1.5", "9223372036854775808"])
        default: return pick(["0", "-1"])
        }
    }

    /// Floats as Redis parses them (strtod): signs, exponents, hex, infinities, values that
    /// overflow or underflow, and refusals (nan, spaces, empty).
    mutating func float() -> OracleArgument {
        if !edgy {
            return chance(1, in: 10) ? pick(["inf", "-inf"]) : pick(["0", "1", "2", "3", "-1", "-2", "10", "1.5", "-2.5", "0.1", "1", "2"])
        }
        switch below(12) {
        case 0..<5: return pick(["0", "1", "2", "3", "-1", "-2", "10", "1.5", "-2.5", "0.1"])
        case 5: return pick(["inf", "-inf", "+inf", "Infinity", "-INF"])
        case 6: return pick(["1e308", "-1e308", "1.7976931348623157e308", "5e-324", "1e-310"])
        case 7: return pick(["1e400", "-1e400", "1e-400"])
        case 8: return pick(["nan", "NaN", "abc", "", " 1", "1 ", "1.5.5"])
        case 9: return pick(["0x10", "-0", "+3", "1e2", ".5", "5."])
        case 10: return pick(["9007199254740993", "123456789012345678", "0.30000000000000004"])
        default: return .bytes(Array(String(int(in: -3...5)).utf8))
        }
    }

    /// A relative TTL in seconds or milliseconds that never lapses during a sequence: long
    /// (≥ 100 s), or ≤ 0 (the key goes at once, or the command refuses it), or invalid.
    mutating func relativeTTL(milliseconds: Bool) -> OracleArgument {
        let scale: Int64 = milliseconds ? 1000 : 1
        switch edgy ? below(10) : pick([0, 8]) {
        case 0..<5: return .bytes(Array(String(pick([100, 200, 1000, 86_400]) * scale).utf8))
        case 5: return pick(["0", "-1", "-100"])
        case 6: return pick(["9223372036854775807", "-9223372036854775808", "9223372036854775", "9223372036854776"])
        case 7: return pick(["abc", "", "1.5", "100 "])
        default: return .bytes(Array(String(150 * scale + Int64(below(150 * Int(scale)))).utf8))
        }
    }

    /// An absolute time for EXAT/EXPIREAT (seconds) or PXAT/PEXPIREAT (milliseconds): well in
    /// the future (≥ 100 s), well in the past (≤ -2 s: Redis's clock has moved on since the
    /// base, Redlite's has not, so a time just around the base would read differently), or a
    /// literal that is invalid, zero, or overflows.
    mutating func absoluteTime(milliseconds: Bool) -> OracleArgument {
        switch edgy ? below(10) : below(7) {
        case 0..<4:
            // Never within seconds of a relative TTL's length (100, 150-300, 1000, 86400 s), so
            // GT/LT between an absolute and a relative expiry read alike on both clocks.
            let seconds = Int64(pick([123, 456, 2_000, 99_999, 31_536_000]))
            return milliseconds ? .unixMilliseconds(offset: seconds * 1000 + Int64(below(1000))) : .unixSeconds(offset: seconds)
        case 4..<7:
            let seconds = -Int64(pick([2, 10, 100, 86_400]))
            return milliseconds ? .unixMilliseconds(offset: seconds * 1000 - Int64(below(1000))) : .unixSeconds(offset: seconds)
        case 7: return pick(["1", "0", "-1"])
        case 8: return pick(["9223372036854775807", "9223372036854775", "-9223372036854775808"])
        default: return pick(["abc", "", "1.5"])
        }
    }
}
