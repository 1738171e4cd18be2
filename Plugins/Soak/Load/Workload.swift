import DSTPluginSDK

/// One step of the soak's mixed workload.
enum SoakStep: Equatable {
    /// Commands run one after the other on the worker's connection (a push and its trim).
    case commands([[[UInt8]]])
    /// Write a key with a known expiry for the expiry oracle.
    case expiringWrite
    /// Read one of the oracle's keys and check it against its expiry.
    case expiryCheck
}

/// The seeded mixed workload of one worker: strings, counters, hashes, lists, sets and sorted
/// sets over a bounded key space, with expiries (SET EX/PX, EXPIRE) and deletes.
///
/// Bounded on purpose: every key name, hash field and set member comes from a fixed range and
/// every list is trimmed, so the data reaches a steady size within the warm-up. A leak verdict
/// then judges the engine, not a database that legitimately keeps growing.
struct Workload {
    private var generator: SplitMix64
    /// Keys per data type.
    let keys: Int

    /// Members per set and sorted set, fields per hash, elements per list.
    static let collectionSize = 32

    /// A workload drawn from `seed` (each worker's comes from the run's random stream).
    init(seed: UInt64, keys: Int) {
        generator = SplitMix64(seed: seed)
        self.keys = max(keys, 1)
    }

    /// The cumulative weights (out of 100) of each kind of step. Reads and writes are about
    /// even, as in a cache; 8% of steps set an expiry and 8% belong to the oracle.
    private enum Kind: CaseIterable {
        case get, set, setExpiring, mget, incr, incrby, del, expire, exists
        case hset, hget, hincrby, hdel, hgetall
        case pushTrim, lrange, rpop
        case sadd, sismember, srem, scard
        case zadd, zrange, zincrby, zrem
        case oracleWrite, oracleCheck

        var weight: Int {
            switch self {
            case .get: 15
            case .set: 8
            case .setExpiring: 5
            case .mget: 3
            case .incr: 6
            case .incrby: 2
            case .del: 3
            case .expire: 3
            case .exists: 2
            case .hset: 6
            case .hget: 4
            case .hincrby: 2
            case .hdel: 2
            case .hgetall: 2
            case .pushTrim: 5
            case .lrange: 3
            case .rpop: 1
            case .sadd: 4
            case .sismember: 3
            case .srem: 2
            case .scard: 1
            case .zadd: 4
            case .zrange: 3
            case .zincrby: 2
            case .zrem: 1
            case .oracleWrite: 4
            case .oracleCheck: 4
            }
        }

        /// Whether the step sets an expiry: left out of the drain at the end of the run.
        var setsExpiry: Bool { self == .setExpiring || self == .expire || self == .oracleWrite }
    }

    private static let totalWeight = Kind.allCases.reduce(0) { $0 + $1.weight }

    /// The next step. While `expiries` is false (the drain), steps that would set an expiry
    /// are replaced by their plain counterparts, so the mix of reads and writes stays the same.
    mutating func next(expiries: Bool = true) -> SoakStep {
        var pick = generator.below(Self.totalWeight)
        var kind = Kind.get
        for candidate in Kind.allCases {
            if pick < candidate.weight {
                kind = candidate
                break
            }
            pick -= candidate.weight
        }
        if !expiries && kind.setsExpiry {
            kind = kind == .expire ? .exists : kind == .oracleWrite ? .oracleCheck : .set
        }
        return step(kind)
    }

    private mutating func step(_ kind: Kind) -> SoakStep {
        func argv(_ words: [any CommandArgument]) -> [[UInt8]] { words.map(\.commandBytes) }
        func one(_ words: any CommandArgument...) -> SoakStep { .commands([argv(words)]) }
        switch kind {
        case .get: return one("GET", key("str"))
        case .set: return one("SET", key("str"), value())
        case .setExpiring:
            return generator.bool()
                ? one("SET", key("str"), value(), "PX", generator.int(in: 100...3000))
                : one("SET", key("str"), value(), "EX", generator.int(in: 1...3))
        case .mget: return one("MGET", key("str"), key("str"), key("str"))
        case .incr: return one("INCR", key("counter"))
        case .incrby: return one("INCRBY", key("counter"), generator.int(in: -100...100))
        case .del: return one("DEL", key(["str", "hash", "list", "set", "zset"][generator.below(5)]))
        case .expire:
            return one("EXPIRE", key(["str", "counter", "hash", "list", "set", "zset"][generator.below(6)]),
                       generator.int(in: 1...SoakParameters.longestTTLMilliseconds / 1000))
        case .exists: return one("EXISTS", key("str"), key("hash"))
        case .hset: return one("HSET", key("hash"), field(), value(), field(), value())
        case .hget: return one("HGET", key("hash"), field())
        case .hincrby: return one("HINCRBY", key("hash"), "n", generator.int(in: 1...10))
        case .hdel: return one("HDEL", key("hash"), field())
        case .hgetall: return one("HGETALL", key("hash"))
        case .pushTrim:
            let list = key("list")
            return .commands([argv(["LPUSH", list, value()]), argv(["LTRIM", list, 0, Self.collectionSize - 1])])
        case .lrange: return one("LRANGE", key("list"), 0, 9)
        case .rpop: return one("RPOP", key("list"))
        case .sadd: return one("SADD", key("set"), member(), member())
        case .sismember: return one("SISMEMBER", key("set"), member())
        case .srem: return one("SREM", key("set"), member())
        case .scard: return one("SCARD", key("set"))
        case .zadd: return one("ZADD", key("zset"), generator.int(in: 0...1000), member())
        case .zrange: return one("ZRANGE", key("zset"), 0, 9, "WITHSCORES")
        case .zincrby: return one("ZINCRBY", key("zset"), generator.int(in: 1...5), member())
        case .zrem: return one("ZREM", key("zset"), member())
        case .oracleWrite: return .expiringWrite
        case .oracleCheck: return .expiryCheck
        }
    }

    /// Commands that fill the whole key space to its bounds: every string and counter set,
    /// every hash, list, set and sorted set full. Run before the load, so the database file
    /// starts at about its largest size: SQLite reuses freed pages before growing the file, so
    /// under the churn that follows the file (and the memory that maps and caches it) stays
    /// put instead of creeping up for the first hour as keys are first touched.
    mutating func population() -> [[[UInt8]]] {
        func argv(_ words: [any CommandArgument]) -> [[UInt8]] { words.map(\.commandBytes) }
        var commands: [[[UInt8]]] = []
        let members = (0..<Self.collectionSize)
        for index in 0..<keys {
            commands.append(argv(["SET", "soak:str:\(index)", value()]))
            commands.append(argv(["SET", "soak:counter:\(index)", generator.int(in: 0...1000)]))
            commands.append(argv(["HSET", "soak:hash:\(index)"] + members.flatMap { ["f\($0)", value()] as [any CommandArgument] }))
            commands.append(argv(["RPUSH", "soak:list:\(index)"] + members.map { _ in value() }))
            commands.append(argv(["SADD", "soak:set:\(index)"] + members.map { "m\($0)" }))
            commands.append(argv(["ZADD", "soak:zset:\(index)"] + members.flatMap { [generator.int(in: 0...1000), "m\($0)"] as [any CommandArgument] }))
        }
        return commands
    }

    private mutating func key(_ type: String) -> String { "soak:\(type):\(generator.below(keys))" }
    private mutating func field() -> String { "f\(generator.below(Self.collectionSize))" }
    private mutating func member() -> String { "m\(generator.below(Self.collectionSize))" }

    /// 16 to 256 printable bytes: values of a cache, not of a blob store.
    private mutating func value() -> [UInt8] {
        let count = generator.int(in: 16...256)
        return (0..<count).map { _ in UInt8(ascii: "a") + UInt8(generator.below(26)) }
    }

    /// Draws from the workload's own stream, for the oracle's choices on this worker.
    mutating func draw(below bound: Int) -> Int { generator.below(bound) }
}
