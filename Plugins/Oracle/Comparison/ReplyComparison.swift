import DSTPluginSDK

/// How two replies to the same command, one from Redis and one from Redlite, are judged equal.
///
/// Both replies arrive in RESP2 shape (hiredis 0.14 speaks only RESP2): maps are flat arrays,
/// doubles are bulk strings, a nil bulk and a nil array are both `.null`.
public enum ReplyComparison {
    /// What "the same reply" means for one command.
    public enum Mode: Hashable, Sendable {
        /// RESP type and bytes, element by element.
        case exact
        /// An array compared as a multiset: Redis does not define the order (SMEMBERS, KEYS,
        /// SUNION, HKEYS, SPOP with a count...).
        case unordered
        /// A flat field/value array (RESP2's HGETALL) compared as a multiset of pairs.
        case unorderedPairs
        /// A random pick (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY): the same reply type
        /// and element count. `count` is the count argument (nil for the single-pick form);
        /// `withValues` says each pick is a pair (WITHSCORES, WITHVALUES). A positive count
        /// that the reply falls short of covered the whole collection, which is then compared
        /// as a multiset.
        case shape(count: Int64?, withValues: Bool)
        /// TTL: -1 and -2 exactly; a remaining time no more than Redlite's and at most
        /// ``ttlToleranceSeconds`` below it (see ``ttlToleranceSeconds`` for why one-sided).
        case ttlSeconds
        /// PTTL: as ``ttlSeconds``, within ``ttlToleranceMilliseconds``.
        case ttlMilliseconds
        /// EXPIRETIME: -1 and -2 exactly; an absolute time, measured from each side's clock
        /// base, no earlier than Redlite's and at most ``ttlToleranceSeconds`` later.
        case expireTimeSeconds
        /// PEXPIRETIME: as ``expireTimeSeconds``, within ``ttlToleranceMilliseconds``.
        case expireTimeMilliseconds
        /// A SCAN-family page `[cursor, elements]`: the cursor exactly (the generator only
        /// asks for pages that hold everything, so both must say 0), the elements as a
        /// multiset (of pairs for HSCAN and ZSCAN).
        case scan(pairs: Bool)
    }

    /// How far apart two TTLs (and EXPIRETIMEs) in seconds may be, and in which direction.
    ///
    /// Redlite's virtual clock stands at its base for the whole sequence; Redis's clock starts
    /// at its base (its `TIME` when the seed starts) and runs on. So for the same expiry Redis
    /// always has as much or less time left (TTL, PTTL: Redis ≤ Redlite), and a relative TTL
    /// set later on its clock lands as late or later (EXPIRETIME, PEXPIRETIME: Redis ≥
    /// Redlite, after subtracting the bases), by at most the time the sequence has taken.
    /// Allowing the gap in that direction only keeps a TTL that truncates instead of rounding
    /// detectable: with 100.7 s left, Redis rounds to 101 and a truncating engine says 100,
    /// below it.
    ///
    /// When the two bases differ in their milliseconds (``Bases/fractionGap``), times given in
    /// whole seconds land that far apart, and the allowed range widens by it (one second more
    /// for the second-resolution replies, on the side the gap points to). Giving Redlite's
    /// clock the same milliseconds as Redis's `TIME` keeps the tight range.
    public static let ttlToleranceSeconds: Int64 = 1
    /// As ``ttlToleranceSeconds``, for PTTL and PEXPIRETIME: the wall-clock time a sequence
    /// may take on the Redis side.
    public static let ttlToleranceMilliseconds: Int64 = 1000

    /// The allowed range of the gap between two times (Redlite's minus Redis's remaining time
    /// for TTL/PTTL; Redis's minus Redlite's absolute time for EXPIRETIME/PEXPIRETIME).
    static func allowedGap(_ mode: Mode, _ bases: Bases) -> ClosedRange<Int64> {
        let gap = bases.fractionGap
        switch mode {
        case .ttlMilliseconds:
            return min(0, gap)...(ttlToleranceMilliseconds + max(0, gap))
        case .expireTimeMilliseconds:
            return min(0, -gap)...(ttlToleranceMilliseconds + max(0, -gap))
        case .ttlSeconds, .expireTimeSeconds:
            // TTL: Redis rounds less remaining time; EXPIRETIME: whole seconds of expiries
            // that sit a fraction apart. Either way a nonzero gap can tip one second each way.
            return (gap < 0 ? -1 : 0)...(ttlToleranceSeconds + (gap > 0 ? 1 : 0))
        default:
            return 0...0
        }
    }

    /// Each side's clock base in Unix milliseconds (Redis: its `TIME` at seed start; Redlite:
    /// its virtual clock), which EXPIRETIME replies are measured from.
    public struct Bases: Hashable, Sendable {
        public var redisMilliseconds: Int64
        public var redliteMilliseconds: Int64

        public init(redisMilliseconds: Int64, redliteMilliseconds: Int64) {
            self.redisMilliseconds = redisMilliseconds
            self.redliteMilliseconds = redliteMilliseconds
        }

        /// Both sides on the same base (when it does not matter, or they agree).
        public static let zero = Bases(redisMilliseconds: 0, redliteMilliseconds: 0)

        /// Redis's sub-second part minus Redlite's, in milliseconds (-999...999). A seconds
        /// placeholder (EXAT, EXPIREAT) resolves to whole seconds on each side, so the same
        /// placeholder leaves Redis this much less time than Redlite: zero when both bases
        /// share their milliseconds, which keeps the time checks tightest.
        public var fractionGap: Int64 {
            func fraction(_ milliseconds: Int64) -> Int64 { ((milliseconds % 1000) + 1000) % 1000 }
            return fraction(redisMilliseconds) - fraction(redliteMilliseconds)
        }
    }

    /// `true` when the replies agree under `mode`.
    public static func compare(redis: Reply, redlite: Reply, mode: Mode, bases: Bases = .zero) -> Bool {
        difference(redis: redis, redlite: redlite, mode: mode, bases: bases) == nil
    }

    /// Nil when the replies agree under `mode`; otherwise why they do not, in a few words.
    public static func difference(redis: Reply, redlite: Reply, mode: Mode, bases: Bases = .zero) -> String? {
        switch mode {
        case .exact:
            return redis == redlite ? nil : "replies differ"
        case .unordered:
            return multisetDifference(redis, redlite, pairs: false)
        case .unorderedPairs:
            return multisetDifference(redis, redlite, pairs: true)
        case .shape(let count, let withValues):
            return shapeDifference(redis, redlite, count: count, withValues: withValues)
        case .ttlSeconds, .ttlMilliseconds, .expireTimeSeconds, .expireTimeMilliseconds:
            return timeDifference(redis, redlite, mode: mode, bases: bases)
        case .scan(let pairs):
            guard case .array(let left) = redis, case .array(let right) = redlite,
                  left.count == 2, right.count == 2 else {
                return redis == redlite ? nil : "replies differ"
            }
            if left[0] != right[0] { return "cursors differ" }
            return multisetDifference(left[1], right[1], pairs: pairs)
        }
    }

    // MARK: Pieces

    private static func floorSeconds(_ milliseconds: Int64) -> Int64 {
        milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    }

    /// Arrays as multisets (of adjacent pairs when `pairs`); anything else exactly.
    private static func multisetDifference(_ redis: Reply, _ redlite: Reply, pairs: Bool) -> String? {
        guard case .array(let left) = redis, case .array(let right) = redlite else {
            return redis == redlite ? nil : "replies differ"
        }
        if left.count != right.count { return "\(left.count) elements vs \(right.count)" }
        if pairs {
            guard left.count % 2 == 0 else { return redis == redlite ? nil : "replies differ" }
            return counts(of: pairUp(left)) == counts(of: pairUp(right)) ? nil : "pairs differ"
        }
        return counts(of: left) == counts(of: right) ? nil : "elements differ"
    }

    private static func pairUp(_ flat: [Reply]) -> [[Reply]] {
        stride(from: 0, to: flat.count, by: 2).map { [flat[$0], flat[$0 + 1]] }
    }

    private static func counts<Element: Hashable>(of items: [Element]) -> [Element: Int] {
        var table: [Element: Int] = [:]
        for item in items { table[item, default: 0] += 1 }
        return table
    }

    /// Random picks: the same kind of reply and as many elements; a positive count the reply
    /// falls short of means the pick was the whole collection, compared as a multiset.
    private static func shapeDifference(_ redis: Reply, _ redlite: Reply, count: Int64?, withValues: Bool) -> String? {
        switch (redis, redlite) {
        case (.bulk, .bulk), (.null, .null):
            return nil
        case (.array(let left), .array(let right)):
            if left.count != right.count { return "\(left.count) elements vs \(right.count)" }
            let stride = withValues ? 2 : 1
            if let count, count > 0, count <= Int64(Int.max / 2), left.count < Int(count) * stride {
                return multisetDifference(redis, redlite, pairs: withValues)
            }
            return nil
        default:
            return redis == redlite ? nil : "reply types differ"
        }
    }

    /// Beyond this many years ahead, an expiry is one of the generator's extreme times (near
    /// the Int64 limits), which it also writes as literal Unix times: see ``timeDifference``.
    private static let farYears: Int64 = 100

    /// Integers that are times: negative values (-1 no expiry, -2 no key) exactly; others,
    /// after subtracting each side's base where the reply is absolute, with a gap in
    /// ``allowedGap(_:_:)`` (Redis's time minus Redlite's for EXPIRETIME and PEXPIRETIME,
    /// Redlite's remaining time minus Redis's for TTL and PTTL).
    ///
    /// An expiry given as a literal Unix time (the extremes: `PXAT 9223372036854775807`) is
    /// the same instant on both sides, so when the bases differ it reads that much apart
    /// after all. Such expiries lie centuries ahead, where nothing else does: beyond
    /// ``farYears``, a gap that fits once shifted by the bases' difference is accepted too.
    private static func timeDifference(_ redis: Reply, _ redlite: Reply, mode: Mode, bases: Bases) -> String? {
        guard case .integer(let left) = redis, case .integer(let right) = redlite, left >= 0, right >= 0 else {
            return redis == redlite ? nil : "replies differ"
        }
        let inSeconds = mode == .ttlSeconds || mode == .expireTimeSeconds
        let redisAhead = mode == .expireTimeSeconds || mode == .expireTimeMilliseconds
        let base = (redis: inSeconds ? floorSeconds(bases.redisMilliseconds) : bases.redisMilliseconds,
                    redlite: inSeconds ? floorSeconds(bases.redliteMilliseconds) : bases.redliteMilliseconds)
        let shift = redisAhead ? base : (0, 0)
        let (a, overflowA) = left.subtractingReportingOverflow(shift.0)
        let (b, overflowB) = right.subtractingReportingOverflow(shift.1)
        let (gap, overflow) = redisAhead ? a.subtractingReportingOverflow(b) : b.subtractingReportingOverflow(a)
        if overflowA || overflowB || overflow { return left == right ? nil : "times differ" }
        let allowed = allowedGap(mode, bases)
        if allowed.contains(gap) { return nil }
        let far = (inSeconds ? 1 : 1000) * 86_400 * 366 * farYears
        if max(a, b) > far {
            // A literal instant: Redis's reading is off by the bases' difference (plus a
            // second of rounding for the seconds forms).
            let (literalGap, overflow) = gap.subtractingReportingOverflow(redisAhead ? base.redlite - base.redis : base.redis - base.redlite)
            let slack: Int64 = inSeconds ? 1 : 0
            if !overflow, literalGap >= allowed.lowerBound - slack, literalGap <= allowed.upperBound + slack { return nil }
        }
        return redisAhead
            ? "Redis's time minus Redlite's should be in \(allowed.lowerBound)...\(allowed.upperBound)"
            : "Redlite's remaining time minus Redis's should be in \(allowed.lowerBound)...\(allowed.upperBound)"
    }
}
