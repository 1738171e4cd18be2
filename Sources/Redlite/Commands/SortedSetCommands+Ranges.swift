import RESP
import SQLite

/// Ranges over a sorted set: ZRANGE and its older forms, ZPOPMIN ZPOPMAX, and the
/// ZREMRANGEBY* commands. Every range is one SQL statement on idx_zsets_score, with LIMIT and
/// OFFSET doing the windowing.
extension SortedSetCommands {
    static let limitNeedsByScoreOrByLex =
        CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
    static let withScoresWithByLex =
        CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")

    // MARK: Range specifications

    /// A score interval as zslParseRange reads it: a bound is a number (strtod, lenient: an
    /// empty string is 0, leading spaces pass), `(` before it makes it exclusive.
    struct ScoreRange {
        /// Inclusive bounds, or nil when no score can fall between them.
        let bounds: (low: Double, high: Double)?

        init(min: [UInt8], max: [UInt8]) throws {
            let (minimum, minExclusive) = try Self.parseBound(min)
            let (maximum, maxExclusive) = try Self.parseBound(max)
            // Stored scores are never NaN, so `> x` is `>= x.nextUp` and `< x` is
            // `<= x.nextDown`, except past the infinities, where nothing is further out.
            var low = minimum
            var high = maximum
            if minExclusive {
                if minimum == .infinity { bounds = nil; return }
                low = minimum.nextUp
            }
            if maxExclusive {
                if maximum == -.infinity { bounds = nil; return }
                high = maximum.nextDown
            }
            bounds = low <= high ? (low, high) : nil
        }

        private static func parseBound(_ bytes: [UInt8]) throws -> (Double, exclusive: Bool) {
            let exclusive = bytes.first == UInt8(ascii: "(")
            guard let value = Numbers.parseDoubleLenient(bytes[(exclusive ? 1 : 0)...]) else {
                throw CommandError.minMaxNotFloat
            }
            return (value, exclusive)
        }
    }

    /// One end of a lex range: `-` and `+` (below and above every member), `[x`, `(x`.
    enum LexBound {
        case minimum, maximum, inclusive([UInt8]), exclusive([UInt8])

        init(_ bytes: [UInt8]) throws {
            guard let first = bytes.first else { throw CommandError.minMaxNotValidString }
            // Redis tests the byte after `+`/`-` against the C string's end, so an embedded
            // NUL there still reads as the bare sign.
            switch first {
            case UInt8(ascii: "+"):
                guard bytes.count == 1 || bytes[1] == 0 else { throw CommandError.minMaxNotValidString }
                self = .maximum
            case UInt8(ascii: "-"):
                guard bytes.count == 1 || bytes[1] == 0 else { throw CommandError.minMaxNotValidString }
                self = .minimum
            case UInt8(ascii: "("): self = .exclusive(Array(bytes[1...]))
            case UInt8(ascii: "["): self = .inclusive(Array(bytes[1...]))
            default: throw CommandError.minMaxNotValidString
            }
        }
    }

    /// A member interval. Redis defines lex ranges only for sets whose scores are all equal,
    /// where it is a plain interval of members. With mixed scores its answer comes from how it
    /// walks the encoding; this engine reproduces the walk over a listpack (the encoding of
    /// every small sorted set), see ``lexRun(_:_:reverse:)``.
    struct LexRange {
        let min: LexBound
        let max: LexBound

        init(min: [UInt8], max: [UInt8]) throws {
            self.min = try LexBound(min)
            self.max = try LexBound(max)
        }

        /// `member` is at or above the lower bound.
        func admitsAbove(_ member: [UInt8]) -> Bool {
            switch min {
            case .minimum: true
            case .maximum: false
            case .inclusive(let bound): !member.lexicographicallyPrecedes(bound)
            case .exclusive(let bound): bound.lexicographicallyPrecedes(member)
            }
        }

        /// `member` is at or below the upper bound.
        func admitsBelow(_ member: [UInt8]) -> Bool {
            switch max {
            case .maximum: true
            case .minimum: false
            case .inclusive(let bound): !bound.lexicographicallyPrecedes(member)
            case .exclusive(let bound): member.lexicographicallyPrecedes(bound)
            }
        }
    }

    /// Redis's walk of a lex range over a listpack, for members in (score, member) order: empty
    /// unless the last member is above the lower bound and the first below the upper one; then
    /// from the first member above the lower bound (the last below the upper bound, reversed)
    /// the contiguous run that stays within the other bound. Returns the run as a window of
    /// positions in walking order (reversed order when `reverse`). On a set whose scores are
    /// all equal this is exactly the members in the interval.
    static func lexRun(_ members: [[UInt8]], _ range: LexRange, reverse: Bool) -> (offset: Int64, limit: Int64)? {
        guard let first = members.first, let last = members.last,
              range.admitsAbove(last), range.admitsBelow(first) else { return nil }
        if reverse {
            guard let end = members.lastIndex(where: range.admitsBelow), range.admitsAbove(members[end]) else { return nil }
            var start = end
            while start > 0 && range.admitsAbove(members[start - 1]) { start -= 1 }
            return (Int64(members.count - 1 - end), Int64(end - start + 1))
        }
        guard let start = members.firstIndex(where: range.admitsAbove), range.admitsBelow(members[start]) else { return nil }
        var end = start
        while end + 1 < members.count && range.admitsBelow(members[end + 1]) { end += 1 }
        return (Int64(start), Int64(end - start + 1))
    }

    /// How a lex range selects this set's elements.
    private enum LexSelection {
        /// All scores are equal: the member interval, which the index serves.
        case interval
        /// Mixed scores: a window of positions in walking order (see ``lexRun(_:_:reverse:)``).
        case window(offset: Int64, limit: Int64)
        case empty
    }

    private static func lexSelection(_ store: Store, _ record: KeyRecord, _ range: LexRange,
                                      reverse: Bool) throws -> LexSelection {
        let uniform = try store.database.cached("""
            SELECT (SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score LIMIT 1)
                 = (SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score DESC LIMIT 1)
            """)
        try uniform.bind(1, record.id)
        guard try uniform.step(), uniform.int64(0) == 0 else { return .interval }
        // Mixed scores are outside what Redis defines, and rare: reading every member is fine.
        let members = try select(store, record, .all, reverse: false).map(\.member)
        guard let run = lexRun(members, range, reverse: reverse) else { return .empty }
        return .window(offset: run.offset, limit: run.limit)
    }

    /// Which elements a range statement selects.
    enum Filter {
        case all
        case score(ScoreRange)
        case lex(LexRange)
    }

    /// The filter's SQL (appended after `WHERE key_id = ?1`, using parameters ?2 and ?3) and
    /// its binder; nil when the filter matches nothing.
    private static func condition(_ filter: Filter) -> (sql: String, bind: (Statement) throws -> Void)? {
        switch filter {
        case .all:
            return ("", { _ in })
        case .score(let range):
            guard let bounds = range.bounds else { return nil }
            return (" AND score >= ?2 AND score <= ?3", { statement in
                try statement.bind(2, bounds.low)
                try statement.bind(3, bounds.high)
            })
        case .lex(let range):
            var sql = ""
            var low: [UInt8]?
            var high: [UInt8]?
            switch range.min {
            case .minimum: break
            case .maximum: return nil
            case .inclusive(let bytes): sql += " AND member >= ?2"; low = bytes
            case .exclusive(let bytes): sql += " AND member > ?2"; low = bytes
            }
            switch range.max {
            case .maximum: break
            case .minimum: return nil
            case .inclusive(let bytes): sql += " AND member <= ?3"; high = bytes
            case .exclusive(let bytes): sql += " AND member < ?3"; high = bytes
            }
            return (sql, { statement in
                if let low { try statement.bindBlob(2, low) }
                if let high { try statement.bindBlob(3, high) }
            })
        }
    }

    private static func order(reverse: Bool) -> String {
        reverse ? " ORDER BY score DESC, member DESC" : " ORDER BY score, member"
    }

    /// The elements the filter selects, in order (or reversed), from `offset`, at most `limit`
    /// of them (negative: no limit).
    static func select(_ store: Store, _ record: KeyRecord, _ filter: Filter, reverse: Bool,
                       offset: Int64 = 0, limit: Int64 = -1) throws -> [Element] {
        if case .lex(let range) = filter {
            switch try lexSelection(store, record, range, reverse: reverse) {
            case .interval: break
            case .empty: return []
            case .window(let runOffset, _):
                // Redis skips LIMIT's offset from the walk's first element without looking at
                // the range, then takes elements while they stay within the far bound (the
                // upper one; the lower one reversed): past the run, a member back in range
                // counts again.
                let walk = try select(store, record, .all, reverse: reverse)
                let (first, overflow) = runOffset.addingReportingOverflow(offset)
                guard !overflow, first < Int64(walk.count) else { return [] }
                var elements: [Element] = []
                for element in walk[Int(first)...] {
                    if limit >= 0 && Int64(elements.count) >= limit { break }
                    guard reverse ? range.admitsAbove(element.member) : range.admitsBelow(element.member) else { break }
                    elements.append(element)
                }
                return elements
            }
        }
        guard let condition = condition(filter) else { return [] }
        let statement = try store.database.cached(
            "SELECT member, score FROM zsets WHERE key_id = ?1" + condition.sql + order(reverse: reverse)
                + " LIMIT ?4 OFFSET ?5")
        try statement.bind(1, record.id)
        try condition.bind(statement)
        try statement.bind(4, limit)
        try statement.bind(5, offset)
        var elements: [Element] = []
        while try statement.step() {
            elements.append(Element(member: statement.bytes(0), score: statement.double(1)))
        }
        return elements
    }

    /// How many elements the filter selects.
    static func count(_ store: Store, _ record: KeyRecord, _ filter: Filter) throws -> Int64 {
        if case .lex(let range) = filter {
            switch try lexSelection(store, record, range, reverse: false) {
            case .interval: break
            case .empty: return 0
            case .window(_, let runLength): return runLength
            }
        }
        guard let condition = condition(filter) else { return 0 }
        let statement = try store.database.cached("SELECT COUNT(*) FROM zsets WHERE key_id = ?1" + condition.sql)
        try statement.bind(1, record.id)
        try condition.bind(statement)
        _ = try statement.step()
        return statement.int64(0)
    }

    /// Deletes the elements the filter selects; returns how many.
    private static func delete(_ store: Store, _ record: KeyRecord, _ filter: Filter) throws -> Int64 {
        if case .lex(let range) = filter {
            switch try lexSelection(store, record, range, reverse: false) {
            case .interval: break
            case .empty: return 0
            case .window(let runOffset, let runLength):
                return try delete(store, record, reverse: false, offset: runOffset, limit: runLength)
            }
        }
        guard let condition = condition(filter) else { return 0 }
        let statement = try store.database.cached("DELETE FROM zsets WHERE key_id = ?1" + condition.sql)
        try statement.bind(1, record.id)
        try condition.bind(statement)
        try statement.run()
        return Int64(store.database.changes)
    }

    /// Deletes a window of the set in (reversed) order; returns how many.
    private static func delete(_ store: Store, _ record: KeyRecord, reverse: Bool,
                               offset: Int64, limit: Int64) throws -> Int64 {
        let statement = try store.database.cached(
            "DELETE FROM zsets WHERE rowid IN (SELECT rowid FROM zsets WHERE key_id = ?1"
                + order(reverse: reverse) + " LIMIT ?2 OFFSET ?3)")
        try statement.bind(1, record.id)
        try statement.bind(2, limit)
        try statement.bind(3, offset)
        try statement.run()
        return Int64(store.database.changes)
    }

    /// Redis's rank indexes (negative counts from the end) as an (offset, limit) window;
    /// nil when empty. `length` is only asked for when an index is negative.
    static func rankWindow(start: Int64, end: Int64, length: () throws -> Int64) rethrows
        -> (offset: Int64, limit: Int64)? {
        if start >= 0 && end >= 0 {
            guard start <= end else { return nil }
            let (span, overflow) = (end - start).addingReportingOverflow(1)
            return (start, overflow ? -1 : span)
        }
        // Through the last element: the common `0 -1` needs no count.
        if start >= 0 && end == -1 { return (start, -1) }
        let count = try length()
        var first = start < 0 ? count + start : start
        var last = end < 0 ? count + end : end
        if first < 0 { first = 0 }
        guard first <= last, first < count else { return nil }
        if last >= count { last = count - 1 }
        return (first, last - first + 1)
    }

    // MARK: ZRANGE family

    enum RangeKind { case rank, score, lex }

    /// `ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]`
    static func zrange(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try range(connection, argv, kind: nil, reverse: nil)
    }

    /// `ZREVRANGE key start stop [WITHSCORES]`
    static func zrevrange(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try range(connection, argv, kind: .rank, reverse: true)
    }

    /// `ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]`
    static func zrangebyscore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try range(connection, argv, kind: .score, reverse: false)
    }

    /// `ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]`
    static func zrevrangebyscore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try range(connection, argv, kind: .score, reverse: true)
    }

    /// `ZRANGEBYLEX key min max [LIMIT offset count]`
    static func zrangebylex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try range(connection, argv, kind: .lex, reverse: false)
    }

    /// `ZREVRANGEBYLEX key max min [LIMIT offset count]`
    static func zrevrangebylex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try range(connection, argv, kind: .lex, reverse: true)
    }

    /// The six range commands as Redis 7.0 parses them: one option loop in which the old
    /// commands' implied kind and direction refuse BYSCORE/BYLEX/REV; then the conflicts; then
    /// the range; only then the key.
    private static func range(_ connection: RedliteConnection, _ argv: [[UInt8]],
                              kind presetKind: RangeKind?, reverse presetReverse: Bool?) throws -> Reply {
        var kind = presetKind
        var reverse = presetReverse
        var withScores = false
        var offset: Int64 = 0
        var limit: Int64 = -1
        var index = 4
        while index < argv.count {
            let word = argv[index]
            if Bytes.equalsIgnoringCase(word, "withscores") {
                withScores = true
            } else if Bytes.equalsIgnoringCase(word, "limit"), argv.count - index - 1 >= 2 {
                guard let newOffset = Numbers.parseInt64(argv[index + 1]),
                      let newLimit = Numbers.parseInt64(argv[index + 2]) else { throw CommandError.notInteger }
                offset = newOffset
                limit = newLimit
                index += 2
            } else if reverse == nil, Bytes.equalsIgnoringCase(word, "rev") {
                reverse = true
            } else if kind == nil, Bytes.equalsIgnoringCase(word, "bylex") {
                kind = .lex
            } else if kind == nil, Bytes.equalsIgnoringCase(word, "byscore") {
                kind = .score
            } else {
                throw CommandError.syntax
            }
            index += 1
        }
        let rangeKind = kind ?? .rank
        let isReverse = reverse ?? false
        // Redis checks "was LIMIT given" as "limit != -1", so `LIMIT 0 -1` passes with ranks.
        if limit != -1 && rangeKind == .rank { throw limitNeedsByScoreOrByLex }
        if withScores && rangeKind == .lex { throw withScoresWithByLex }
        // Reversed score and lex ranges are written max first.
        let (minArgument, maxArgument) = isReverse && rangeKind != .rank ? (argv[3], argv[2]) : (argv[2], argv[3])

        let store = connection.store
        switch rangeKind {
        case .rank:
            guard let start = Numbers.parseInt64(minArgument),
                  let end = Numbers.parseInt64(maxArgument) else { throw CommandError.notInteger }
            guard let record = try store.lookup(argv[1], as: .zset),
                  let window = try rankWindow(start: start, end: end, length: { try store.elementCount(record) })
            else { return .array([]) }
            let elements = try select(store, record, .all, reverse: isReverse,
                                      offset: window.offset, limit: window.limit)
            return elementsReply(elements, withScores: withScores, connection)
        case .score, .lex:
            let filter: Filter = rangeKind == .score
                ? .score(try ScoreRange(min: minArgument, max: maxArgument))
                : .lex(try LexRange(min: minArgument, max: maxArgument))
            guard let record = try store.lookup(argv[1], as: .zset) else { return .array([]) }
            // A negative offset skips every element in Redis (its skip loop never reaches 0).
            guard offset >= 0 else { return .array([]) }
            let elements = try select(store, record, filter, reverse: isReverse,
                                      offset: offset, limit: limit < 0 ? -1 : limit)
            return elementsReply(elements, withScores: withScores, connection)
        }
    }

    // MARK: ZPOPMIN / ZPOPMAX

    /// `ZPOPMIN key [count]`
    static func zpopmin(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try pop(connection, argv, max: false)
    }

    /// `ZPOPMAX key [count]`
    static func zpopmax(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try pop(connection, argv, max: true)
    }

    private static func pop(_ connection: RedliteConnection, _ argv: [[UInt8]], max: Bool) throws -> Reply {
        guard argv.count <= 3 else { throw CommandError.syntax }
        var count: Int64 = 1
        if argv.count == 3 {
            guard let parsed = Numbers.parseInt64(argv[2]), parsed >= 0 else { throw CommandError.notPositive }
            count = parsed
        }
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .zset), count > 0 else { return .array([]) }
        let elements = try select(store, record, .all, reverse: max, limit: count)
        _ = try delete(store, record, reverse: max, offset: 0, limit: count)
        try store.touchOrDeleteIfEmpty(record)
        // With a count, RESP3 gets pairs; without one, a flat [member, score] in both protocols.
        if argv.count == 3 { return elementsReply(elements, withScores: true, connection) }
        return .array(elements.flatMap { [Reply.bulk($0.member), .double($0.score)] })
    }

    // MARK: ZREMRANGEBY*

    /// `ZREMRANGEBYRANK key start stop`
    static func zremrangebyrank(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let start = Numbers.parseInt64(argv[2]),
              let end = Numbers.parseInt64(argv[3]) else { throw CommandError.notInteger }
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .zset),
              let window = try rankWindow(start: start, end: end, length: { try store.elementCount(record) })
        else { return .integer(0) }
        let removed = try delete(store, record, reverse: false, offset: window.offset, limit: window.limit)
        if removed > 0 { try store.touchOrDeleteIfEmpty(record) }
        return .integer(removed)
    }

    /// `ZREMRANGEBYSCORE key min max`
    static func zremrangebyscore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try removeRange(connection, argv[1], .score(try ScoreRange(min: argv[2], max: argv[3])))
    }

    /// `ZREMRANGEBYLEX key min max`
    static func zremrangebylex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try removeRange(connection, argv[1], .lex(try LexRange(min: argv[2], max: argv[3])))
    }

    private static func removeRange(_ connection: RedliteConnection, _ key: [UInt8], _ filter: Filter) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookupForWrite(key, as: .zset) else { return .integer(0) }
        let removed = try delete(store, record, filter)
        if removed > 0 { try store.touchOrDeleteIfEmpty(record) }
        return .integer(removed)
    }
}
