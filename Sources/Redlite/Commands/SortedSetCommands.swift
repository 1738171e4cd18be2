import RESP
import SQLite

/// The sorted-set commands: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANK
/// ZREVRANK here; the range, pop and removal commands in `SortedSetCommands+Ranges.swift`;
/// the store, random and scan commands in `SortedSetCommands+Store.swift`.
///
/// Rows live in `zsets(key_id, member BLOB, score REAL)`. Redis orders a sorted set by score,
/// then by member bytes (memcmp); SQLite compares BLOBs with memcmp, so `ORDER BY score,
/// member` is exactly that order, and `idx_zsets_score(key_id, score, member)` serves it.
///
/// SQLite stores a REAL that is a whole number as an integer, so -0.0 reads back as 0: this
/// matches Redis for small (listpack) sorted sets, which also answer `0` after `ZADD z -0 m`
/// (a skiplist-encoded Redis set would answer `-0`).
enum SortedSetCommands {
    static let all: [CommandSpec] = [
        CommandSpec("zadd", arity: -4, .write, zadd),
        CommandSpec("zincrby", arity: 4, .write, zincrby),
        CommandSpec("zrem", arity: -3, .write, zrem),
        CommandSpec("zscore", arity: 3, .read, zscore),
        CommandSpec("zmscore", arity: -3, .read, zmscore),
        CommandSpec("zcard", arity: 2, .read, zcard),
        CommandSpec("zcount", arity: 4, .read, zcount),
        CommandSpec("zlexcount", arity: 4, .read, zlexcount),
        CommandSpec("zrank", arity: 3, .read, zrank),
        CommandSpec("zrevrank", arity: 3, .read, zrevrank),
        CommandSpec("zrange", arity: -4, .read, zrange),
        CommandSpec("zrevrange", arity: -4, .read, zrevrange),
        CommandSpec("zrangebyscore", arity: -4, .read, zrangebyscore),
        CommandSpec("zrevrangebyscore", arity: -4, .read, zrevrangebyscore),
        CommandSpec("zrangebylex", arity: -4, .read, zrangebylex),
        CommandSpec("zrevrangebylex", arity: -4, .read, zrevrangebylex),
        CommandSpec("zpopmin", arity: -2, .write, zpopmin),
        CommandSpec("zpopmax", arity: -2, .write, zpopmax),
        CommandSpec("zremrangebyrank", arity: 4, .write, zremrangebyrank),
        CommandSpec("zremrangebyscore", arity: 4, .write, zremrangebyscore),
        CommandSpec("zremrangebylex", arity: 4, .write, zremrangebylex),
        CommandSpec("zunionstore", arity: -4, .write, zunionstore),
        CommandSpec("zinterstore", arity: -4, .write, zinterstore),
        CommandSpec("zdiffstore", arity: -4, .write, zdiffstore),
        CommandSpec("zrandmember", arity: -2, .read, zrandmember),
        CommandSpec("zscan", arity: -3, .read, zscan),
    ]

    // MARK: Shared pieces

    /// One element: a member and its score.
    struct Element {
        var member: [UInt8]
        var score: Double
    }

    static let xxAndNX = CommandError("ERR XX and NX options at the same time are not compatible")
    static let gtLtNX = CommandError("ERR GT, LT, and/or NX options at the same time are not compatible")
    static let incrSinglePair = CommandError("ERR INCR option supports a single increment-element pair")

    /// The member's score, or nil when it is not in the set.
    static func score(_ store: Store, _ record: KeyRecord, _ member: [UInt8]) throws -> Double? {
        let statement = try store.database.cached("SELECT score FROM zsets WHERE key_id = ?1 AND member = ?2")
        try statement.bind(1, record.id)
        try statement.bindBlob(2, member)
        guard try statement.step() else { return nil }
        return statement.double(0)
    }

    /// A reply of elements: with scores, RESP3 gets `[member, score]` pairs and RESP2 a flat
    /// array (the `.double` lowers to Redis's `%.17g` bulk string); without, just the members.
    static func elementsReply(_ elements: [Element], withScores: Bool, _ connection: RedliteConnection) -> Reply {
        guard withScores else { return .array(elements.map { .bulk($0.member) }) }
        if connection.protocolVersion == .resp3 {
            return .array(elements.map { .array([.bulk($0.member), .double($0.score)]) })
        }
        var flat: [Reply] = []
        flat.reserveCapacity(elements.count * 2)
        for element in elements {
            flat.append(.bulk(element.member))
            flat.append(.double(element.score))
        }
        return .array(flat)
    }

    // MARK: ZADD / ZINCRBY

    /// ZADD's and ZINCRBY's options.
    struct AddFlags {
        var nx = false, xx = false, gt = false, lt = false, ch = false, incr = false
    }

    /// `ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]`
    static func zadd(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var flags = AddFlags()
        var index = 2
        while index < argv.count {
            let word = argv[index]
            if Bytes.equalsIgnoringCase(word, "nx") { flags.nx = true }
            else if Bytes.equalsIgnoringCase(word, "xx") { flags.xx = true }
            else if Bytes.equalsIgnoringCase(word, "gt") { flags.gt = true }
            else if Bytes.equalsIgnoringCase(word, "lt") { flags.lt = true }
            else if Bytes.equalsIgnoringCase(word, "ch") { flags.ch = true }
            else if Bytes.equalsIgnoringCase(word, "incr") { flags.incr = true }
            else { break }
            index += 1
        }
        let remaining = argv.count - index
        guard remaining > 0, remaining % 2 == 0 else { throw CommandError.syntax }
        if flags.nx && flags.xx { throw xxAndNX }
        if (flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt) { throw gtLtNX }
        if flags.incr && remaining > 2 { throw incrSinglePair }
        // Every score is checked before anything is written, as Redis does.
        var pairs: [Element] = []
        pairs.reserveCapacity(remaining / 2)
        while index < argv.count {
            guard let score = Numbers.parseDouble(argv[index]) else { throw CommandError.notFloat }
            pairs.append(Element(member: argv[index + 1], score: score))
            index += 2
        }
        return try add(connection, key: argv[1], flags: flags, pairs)
    }

    /// `ZINCRBY key increment member`: ZADD INCR with a single pair.
    static func zincrby(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let increment = Numbers.parseDouble(argv[2]) else { throw CommandError.notFloat }
        var flags = AddFlags()
        flags.incr = true
        return try add(connection, key: argv[1], flags: flags, [Element(member: argv[3], score: increment)])
    }

    /// The body ZADD and ZINCRBY share, after their arguments are parsed and validated.
    private static func add(_ connection: RedliteConnection, key: [UInt8], flags: AddFlags,
                            _ pairs: [Element]) throws -> Reply {
        let store = connection.store
        let existing = try store.lookupForWrite(key, as: .zset)
        if existing == nil && flags.xx {
            return flags.incr ? .null : .integer(0)
        }
        let record = try existing ?? store.create(key, type: .zset)
        var added: Int64 = 0
        var updated: Int64 = 0
        var processed = false
        var lastScore = 0.0
        for pair in pairs {
            var score = pair.score
            if let current = try Self.score(store, record, pair.member) {
                if flags.nx { continue }
                if flags.incr {
                    score += current
                    if score.isNaN { throw CommandError.nanScore }
                }
                if (flags.lt && score >= current) || (flags.gt && score <= current) { continue }
                processed = true
                lastScore = score
                if score != current {
                    let statement = try store.database.cached(
                        "UPDATE zsets SET score = ?3 WHERE key_id = ?1 AND member = ?2")
                    try statement.bind(1, record.id)
                    try statement.bindBlob(2, pair.member)
                    try statement.bind(3, score)
                    try statement.run()
                    updated += 1
                }
            } else {
                if flags.xx { continue }
                let statement = try store.database.cached(
                    "INSERT INTO zsets (key_id, member, score) VALUES (?1, ?2, ?3)")
                try statement.bind(1, record.id)
                try statement.bindBlob(2, pair.member)
                try statement.bind(3, score)
                try statement.run()
                processed = true
                lastScore = score
                added += 1
            }
        }
        // A new key's fresh version already records the write; a no-op changes nothing, and
        // Redis does not signal WATCH for it either.
        if let existing, added + updated > 0 { try store.touch(existing) }
        if flags.incr { return processed ? .double(lastScore) : .null }
        return .integer(flags.ch ? added + updated : added)
    }

    // MARK: ZREM

    /// `ZREM key member [member ...]`
    static func zrem(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .zset) else { return .integer(0) }
        var removed: Int64 = 0
        for member in argv[2...] {
            let statement = try store.database.cached("DELETE FROM zsets WHERE key_id = ?1 AND member = ?2")
            try statement.bind(1, record.id)
            try statement.bindBlob(2, member)
            try statement.run()
            removed += Int64(store.database.changes)
        }
        if removed > 0 { try store.touchOrDeleteIfEmpty(record) }
        return .integer(removed)
    }

    // MARK: Reads

    /// `ZSCORE key member`
    static func zscore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .zset),
              let score = try score(store, record, argv[2]) else { return .null }
        return .double(score)
    }

    /// `ZMSCORE key member [member ...]`
    static func zmscore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .zset) else {
            return .array(Array(repeating: .null, count: argv.count - 2))
        }
        return .array(try argv[2...].map { member in
            try score(store, record, member).map(Reply.double) ?? .null
        })
    }

    /// `ZCARD key`
    static func zcard(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .zset) else { return .integer(0) }
        return .integer(try store.elementCount(record))
    }

    /// `ZCOUNT key min max`
    static func zcount(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let range = try ScoreRange(min: argv[2], max: argv[3])
        guard let record = try connection.store.lookup(argv[1], as: .zset) else { return .integer(0) }
        return .integer(try count(connection.store, record, .score(range)))
    }

    /// `ZLEXCOUNT key min max`
    static func zlexcount(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let range = try LexRange(min: argv[2], max: argv[3])
        guard let record = try connection.store.lookup(argv[1], as: .zset) else { return .integer(0) }
        return .integer(try count(connection.store, record, .lex(range)))
    }

    /// `ZRANK key member`
    static func zrank(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try rank(connection, argv, reverse: false)
    }

    /// `ZREVRANK key member`
    static func zrevrank(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try rank(connection, argv, reverse: true)
    }

    private static func rank(_ connection: RedliteConnection, _ argv: [[UInt8]], reverse: Bool) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .zset),
              let score = try score(store, record, argv[2]) else { return .null }
        // The elements ordered before (or, reversed, after) (score, member): a range walk of
        // idx_zsets_score.
        let statement = try store.database.cached(reverse
            ? "SELECT COUNT(*) FROM zsets WHERE key_id = ?1 AND (score, member) > (?2, ?3)"
            : "SELECT COUNT(*) FROM zsets WHERE key_id = ?1 AND (score, member) < (?2, ?3)")
        try statement.bind(1, record.id)
        try statement.bind(2, score)
        try statement.bindBlob(3, argv[2])
        _ = try statement.step()
        return .integer(statement.int64(0))
    }
}
