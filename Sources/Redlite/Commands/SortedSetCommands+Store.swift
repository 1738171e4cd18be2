import RESP
import SQLite

/// ZUNIONSTORE ZINTERSTORE ZDIFFSTORE, ZRANDMEMBER and ZSCAN.
extension SortedSetCommands {
    // MARK: ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE

    enum SetOperation { case union, inter, diff }
    enum Aggregate { case sum, min, max }

    static let weightNotFloat = CommandError("ERR weight value is not a float")

    /// One input of a set operation: its elements (a plain set's members score 1) and weight.
    private struct Source {
        var elements: [Element]
        var scores: [[UInt8]: Double]
        var weight = 1.0
    }

    /// `ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]`
    static func zunionstore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try store(connection, argv, .union, name: "zunionstore")
    }

    /// `ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]`
    static func zinterstore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try store(connection, argv, .inter, name: "zinterstore")
    }

    /// `ZDIFFSTORE destination numkeys key [key ...]`
    static func zdiffstore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try store(connection, argv, .diff, name: "zdiffstore")
    }

    /// The store commands in Redis 7.0's order of checks: numkeys, the keys' types (sorted
    /// sets and plain sets are accepted), then WEIGHTS and AGGREGATE.
    private static func store(_ connection: RedliteConnection, _ argv: [[UInt8]],
                              _ operation: SetOperation, name: String) throws -> Reply {
        let store = connection.store
        guard let declared = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        guard declared >= 1 else {
            throw CommandError("ERR at least 1 input key is needed for '\(name)' command")
        }
        guard declared <= Int64(argv.count - 3) else { throw CommandError.syntax }
        let keyCount = Int(declared)

        var records: [KeyRecord?] = []
        records.reserveCapacity(keyCount)
        for key in argv[3..<(3 + keyCount)] {
            let record = try store.lookup(key)
            if let record, record.type != .zset && record.type != .set { throw CommandError.wrongType }
            records.append(record)
        }

        var weights = Array(repeating: 1.0, count: keyCount)
        var aggregate = Aggregate.sum
        var index = 3 + keyCount
        while index < argv.count {
            let remaining = argv.count - index
            if operation != .diff, remaining >= keyCount + 1, Bytes.equalsIgnoringCase(argv[index], "weights") {
                for slot in 0..<keyCount {
                    guard let weight = Numbers.parseDouble(argv[index + 1 + slot]) else { throw weightNotFloat }
                    weights[slot] = weight
                }
                index += keyCount + 1
            } else if operation != .diff, remaining >= 2, Bytes.equalsIgnoringCase(argv[index], "aggregate") {
                let value = argv[index + 1]
                if Bytes.equalsIgnoringCase(value, "sum") { aggregate = .sum }
                else if Bytes.equalsIgnoringCase(value, "min") { aggregate = .min }
                else if Bytes.equalsIgnoringCase(value, "max") { aggregate = .max }
                else { throw CommandError.syntax }
                index += 2
            } else {
                throw CommandError.syntax
            }
        }

        var sources: [Source] = []
        sources.reserveCapacity(keyCount)
        for (slot, record) in records.enumerated() {
            var source = try load(store, record)
            source.weight = weights[slot]
            sources.append(source)
        }
        let result = combine(sources, operation, aggregate)

        // The destination is replaced whatever it held (its TTL goes with it), and removed
        // when the result is empty.
        if let destination = try store.lookupForWrite(argv[1]) { try store.delete(destination) }
        guard !result.isEmpty else { return .integer(0) }
        let record = try store.create(argv[1], type: .zset)
        for element in result {
            let statement = try store.database.cached(
                "INSERT INTO zsets (key_id, member, score) VALUES (?1, ?2, ?3)")
            try statement.bind(1, record.id)
            try statement.bindBlob(2, element.member)
            try statement.bind(3, element.score)
            try statement.run()
        }
        return .integer(Int64(result.count))
    }

    /// The elements of a sorted set or plain set (members in byte order, the primary key's).
    private static func load(_ store: Store, _ record: KeyRecord?) throws -> Source {
        guard let record else { return Source(elements: [], scores: [:]) }
        var elements: [Element] = []
        if record.type == .set {
            let statement = try store.database.cached("SELECT member FROM sets WHERE key_id = ?1 ORDER BY member")
            try statement.bind(1, record.id)
            while try statement.step() { elements.append(Element(member: statement.bytes(0), score: 1)) }
        } else {
            let statement = try store.database.cached(
                "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY member")
            try statement.bind(1, record.id)
            while try statement.step() {
                elements.append(Element(member: statement.bytes(0), score: statement.double(1)))
            }
        }
        var scores: [[UInt8]: Double] = [:]
        scores.reserveCapacity(elements.count)
        for element in elements { scores[element.member] = element.score }
        return Source(elements: elements, scores: scores)
    }

    /// Redis's arithmetic: a weighted score that is NaN (0 × ±inf) counts as 0 (in an
    /// intersection, only the first input's), and so does a sum that is NaN (inf + -inf). Redis folds the inputs from the smallest to the largest,
    /// which decides the rounding of a sum, so this does too (a stable sort, as glibc's qsort
    /// is in practice).
    private static func combine(_ sources: [Source], _ operation: SetOperation,
                                _ aggregate: Aggregate) -> [Element] {
        func weighted(_ score: Double, _ weight: Double) -> Double {
            let value = score * weight
            return value.isNaN ? 0 : value
        }
        func fold(_ accumulated: Double, _ value: Double) -> Double {
            switch aggregate {
            case .sum:
                let sum = accumulated + value
                return sum.isNaN ? 0 : sum
            case .min: return value < accumulated ? value : accumulated
            case .max: return value > accumulated ? value : accumulated
            }
        }

        switch operation {
        case .diff:
            guard let first = sources.first else { return [] }
            return first.elements.filter { element in
                !sources.dropFirst().contains { $0.scores[element.member] != nil }
            }
        case .inter:
            let ordered = sources.enumerated().sorted {
                ($0.element.elements.count, $0.offset) < ($1.element.elements.count, $1.offset)
            }.map(\.element)
            guard let smallest = ordered.first else { return [] }
            var result: [Element] = []
            candidates: for element in smallest.elements {
                var score = weighted(element.score, smallest.weight)
                for other in ordered.dropFirst() {
                    guard let otherScore = other.scores[element.member] else { continue candidates }
                    // Only the first input's weighted score is cleaned of NaN here: a NaN
                    // from a later one makes SUM 0 and leaves MIN and MAX unchanged.
                    score = fold(score, otherScore * other.weight)
                }
                result.append(Element(member: element.member, score: score))
            }
            return result
        case .union:
            let ordered = sources.enumerated().sorted {
                ($0.element.elements.count, $0.offset) < ($1.element.elements.count, $1.offset)
            }.map(\.element)
            var result: [Element] = []
            var position: [[UInt8]: Int] = [:]
            for source in ordered {
                for element in source.elements {
                    let score = weighted(element.score, source.weight)
                    if let slot = position[element.member] {
                        result[slot].score = fold(result[slot].score, score)
                    } else {
                        position[element.member] = result.count
                        result.append(Element(member: element.member, score: score))
                    }
                }
            }
            return result
        }
    }

    // MARK: ZRANDMEMBER

    /// `ZRANDMEMBER key [count [WITHSCORES]]`
    ///
    /// Picks use `connection.random` only. A negative count picks with repetition; a count
    /// at least the set's size returns the whole set in reverse order (as Redis does); a
    /// smaller count returns distinct members in the order they were drawn.
    static func zrandmember(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard argv.count >= 3 else {
            guard let record = try store.lookup(argv[1], as: .zset) else { return .null }
            guard let position = try store.randomPosition(record, connection.random) else { return .null }
            let elements = try select(store, record, .all, reverse: false, offset: position, limit: 1)
            return .bulkOrNull(elements.first?.member)
        }
        guard let requested = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        guard requested != .min else {
            throw CommandError(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        }
        guard argv.count == 3 || (argv.count == 4 && Bytes.equalsIgnoringCase(argv[3], "withscores")) else {
            throw CommandError.syntax
        }
        let withScores = argv.count == 4
        // Redis refuses counts whose reply (member and score per pick) would overflow.
        if withScores && (requested < -(Int64.max / 2) || requested > Int64.max / 2) {
            throw CommandError("ERR value is out of range")
        }
        guard let record = try store.lookup(argv[1], as: .zset), requested != 0 else { return .array([]) }

        if requested >= 0 {
            let size = try store.elementCount(record)
            if requested >= size {
                let everything = try select(store, record, .all, reverse: true)
                return elementsReply(everything, withScores: withScores, connection)
            }
        }
        let all = try select(store, record, .all, reverse: false)
        guard !all.isEmpty else { return .array([]) }
        let picked = requested < 0
            ? connection.random.repeatedPicks(all, count: requested.magnitude)
            : connection.random.distinctPicks(all, count: Int(requested))
        return elementsReply(picked, withScores: withScores, connection)
    }

    // MARK: ZSCAN

    /// `ZSCAN key cursor [MATCH pattern] [COUNT count]`
    ///
    /// The cursor is a `zsets` rowid: each call returns up to COUNT rows past it in rowid
    /// order. (Redis returns a small listpack-encoded set whole, whatever COUNT says; this
    /// engine always honours COUNT, which is deterministic and still within SCAN's contract.)
    /// Scores read as Redis keeps them in a listpack: whole numbers as integers.
    static func zscan(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try ScanOptions.scanContainer(
            connection, argv, type: .zset,
            sql: "SELECT rowid, member, score FROM zsets WHERE key_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3"
        ) { row, member in [.bulk(member), .bulk(Numbers.formatStoredScore(row.double(2)))] }
    }
}
