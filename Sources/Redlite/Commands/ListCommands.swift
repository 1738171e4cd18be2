import RESP
import SQLite

/// The list commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LTRIM LREM
/// LINSERT LPOS LMOVE RPOPLPUSH.
///
/// Storage follows upstream Redlite: a list is rows `lists(key_id, pos, value)` ordered by
/// `pos`, with positions spaced ``gap`` apart so LINSERT can usually slot an element in
/// between two neighbours without touching them. Index access is `ORDER BY pos` with
/// `OFFSET`, counted from the head for a non-negative index and from the tail (`DESC`) for a
/// negative one, so neither needs the list's length.
enum ListCommands {
    static let all: [CommandSpec] = [
        CommandSpec("lpush", arity: -3, .write, lpush),
        CommandSpec("rpush", arity: -3, .write, rpush),
        CommandSpec("lpushx", arity: -3, .write, lpushx),
        CommandSpec("rpushx", arity: -3, .write, rpushx),
        CommandSpec("lpop", arity: -2, .write, lpop),
        CommandSpec("rpop", arity: -2, .write, rpop),
        CommandSpec("llen", arity: 2, .read, llen),
        CommandSpec("lrange", arity: 4, .read, lrange),
        CommandSpec("lindex", arity: 3, .read, lindex),
        CommandSpec("lset", arity: 4, .write, lset),
        CommandSpec("ltrim", arity: 4, .write, ltrim),
        CommandSpec("lrem", arity: 4, .write, lrem),
        CommandSpec("linsert", arity: 5, .write, linsert),
        CommandSpec("lpos", arity: -3, .read, lpos),
        CommandSpec("lmove", arity: 5, .write, lmove),
        CommandSpec("rpoplpush", arity: 3, .write, rpoplpush),
    ]

    // MARK: Layout constants (upstream's, for file compatibility)

    /// Distance between the positions of neighbouring pushed elements.
    static let gap: Int64 = 1_000_000
    /// Pushes never go below this position (90% of Int64's range); a list that would is
    /// renumbered first.
    static let lowestPosition: Int64 = Int64.min / 10 * 9
    /// Pushes never go above this position.
    static let highestPosition: Int64 = Int64.max / 10 * 9

    // MARK: Errors only this family answers

    private static let rankZero = CommandError(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
    private static let countNegative = CommandError("ERR COUNT can't be negative")
    private static let maxlenNegative = CommandError("ERR MAXLEN can't be negative")

    // MARK: Push

    /// `LPUSH key element [element ...]`: prepends each element in turn (the last one ends up
    /// first), creating the list; answers the new length.
    static func lpush(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try push(connection, argv, toHead: true, onlyIfExists: false)
    }

    /// `RPUSH key element [element ...]`: appends, creating the list; answers the new length.
    static func rpush(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try push(connection, argv, toHead: false, onlyIfExists: false)
    }

    /// `LPUSHX key element [element ...]`: LPUSH onto an existing list only; 0 when missing.
    static func lpushx(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try push(connection, argv, toHead: true, onlyIfExists: true)
    }

    /// `RPUSHX key element [element ...]`: RPUSH onto an existing list only; 0 when missing.
    static func rpushx(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try push(connection, argv, toHead: false, onlyIfExists: true)
    }

    private static func push(_ connection: RedliteConnection, _ argv: [[UInt8]],
                             toHead: Bool, onlyIfExists: Bool) throws -> Reply {
        let store = connection.store
        let record: KeyRecord
        let length: Int64
        if let existing = try store.lookupForWrite(argv[1], as: .list) {
            record = existing
            length = try currentLength(store, existing)
            try store.touch(existing)
        } else {
            guard !onlyIfExists else { return .integer(0) }
            record = try store.create(argv[1], type: .list)
            length = 0
        }
        try insert(store.database, record.id, argv[2...], toHead: toHead)
        let newLength = length + Int64(argv.count - 2)
        try remember(store, record, length: newLength)
        return .integer(newLength)
    }

    /// Inserts `values` at one end, in order (so at the head the last value ends up first),
    /// at upstream's positions: each one `gap` beyond the current end. A list whose new end
    /// would cross the 90% mark is renumbered first.
    private static func insert(_ database: Database, _ keyID: Int64, _ values: ArraySlice<[UInt8]>,
                               toHead: Bool) throws {
        var base = try endPosition(database, keyID, head: toHead) ?? (toHead ? gap : 0)
        if !pushFits(base, count: values.count, toHead: toHead) {
            try renumber(database, keyID)
            base = try endPosition(database, keyID, head: toHead) ?? (toHead ? gap : 0)
            guard pushFits(base, count: values.count, toHead: toHead) else {
                throw CommandError("ERR list is too long to push onto")
            }
        }
        let statement = try database.cached("INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)")
        var position = base
        for value in values {
            // Cannot overflow: pushFits checked the last position.
            position = toHead ? position - gap : position + gap
            statement.reset()
            try statement.bind(1, keyID)
            try statement.bind(2, position)
            try statement.bindBlob(3, value)
            try statement.run()
        }
    }

    /// `true` when `count` pushes beyond `base` stay within the 90% marks.
    private static func pushFits(_ base: Int64, count: Int, toHead: Bool) -> Bool {
        let (span, spanOverflow) = Int64(count).multipliedReportingOverflow(by: gap)
        guard !spanOverflow else { return false }
        if toHead {
            let (last, overflow) = base.subtractingReportingOverflow(span)
            return !overflow && last >= lowestPosition
        }
        let (last, overflow) = base.addingReportingOverflow(span)
        return !overflow && last <= highestPosition
    }

    // MARK: Pop

    /// `LPOP key [count]`: removes and answers the first element (nil when missing), or with
    /// a count an array of up to `count` elements (nil array when missing).
    static func lpop(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try pop(connection, argv, fromHead: true)
    }

    /// `RPOP key [count]`: as LPOP, from the tail.
    static func rpop(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try pop(connection, argv, fromHead: false)
    }

    private static func pop(_ connection: RedliteConnection, _ argv: [[UInt8]], fromHead: Bool) throws -> Reply {
        guard argv.count <= 3 else { throw CommandError.arity(fromHead ? "lpop" : "rpop") }
        var count: Int64?
        if argv.count == 3 {
            // Redis checks the count before it looks at the key, even a key of another type.
            guard let parsed = Numbers.parseInt64(argv[2]), parsed >= 0 else { throw CommandError.notPositive }
            count = parsed
        }
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .list) else {
            return count == nil ? .null : .nullArray
        }
        if count == 0 { return .array([]) }
        let known = try rememberedLength(store, record)
        let values = try removeEnd(store.database, record.id, count: count ?? 1, fromHead: fromHead)
        try finishRemoval(store, record, knownLength: known, removed: Int64(values.count))
        guard count != nil else { return .bulkOrNull(values.first) }
        return .bulks(values)
    }

    /// Removes up to `count` elements from one end and answers them in pop order.
    private static func removeEnd(_ database: Database, _ keyID: Int64, count: Int64, fromHead: Bool) throws -> [[UInt8]] {
        let select = try database.cached(fromHead
            ? "SELECT pos, value FROM lists WHERE key_id = ?1 ORDER BY pos ASC LIMIT ?2"
            : "SELECT pos, value FROM lists WHERE key_id = ?1 ORDER BY pos DESC LIMIT ?2")
        try select.bind(1, keyID)
        try select.bind(2, count)
        var values: [[UInt8]] = []
        var lastPosition: Int64?
        while try select.step() {
            lastPosition = select.int64(0)
            values.append(select.bytes(1))
        }
        guard let lastPosition else { return [] }
        // The popped rows are exactly those up to (from the tail: down to) the last one read.
        let delete = try database.cached(fromHead
            ? "DELETE FROM lists WHERE key_id = ?1 AND pos <= ?2"
            : "DELETE FROM lists WHERE key_id = ?1 AND pos >= ?2")
        try delete.bind(1, keyID)
        try delete.bind(2, lastPosition)
        try delete.run()
        return values
    }

    /// After removing `removed` elements: ``Store/touchOrDeleteIfEmpty(_:)``, keeping the
    /// length memo current when the length was known before.
    private static func finishRemoval(_ store: Store, _ record: KeyRecord, knownLength: Int64?, removed: Int64) throws {
        if try store.touchOrDeleteIfEmpty(record) {
            if knownLength != nil { try forget(store, record) }
        } else if let knownLength {
            try remember(store, record, length: knownLength - removed)
        }
    }

    // MARK: Reading

    /// `LLEN key`: the number of elements, 0 when missing.
    static func llen(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let record = try connection.store.lookup(argv[1], as: .list) else { return .integer(0) }
        return .integer(try countElements(connection.store.database, record.id))
    }

    /// `LRANGE key start stop`: the elements from index `start` to `stop` inclusive (negative
    /// indices count from the tail; out-of-range ends are clamped).
    static func lrange(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let start = Numbers.parseInt64(argv[2]), let stop = Numbers.parseInt64(argv[3]) else {
            throw CommandError.notInteger
        }
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .list),
              let bounds = try positionBounds(store.database, record.id, start: start, stop: stop) else {
            return .array([])
        }
        let statement = try store.database.cached(
            "SELECT value FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 ORDER BY pos")
        try statement.bind(1, record.id)
        try statement.bind(2, bounds.lowerBound)
        try statement.bind(3, bounds.upperBound)
        var values: [Reply] = []
        while try statement.step() { values.append(.bulk(statement.bytes(0))) }
        return .array(values)
    }

    /// `LINDEX key index`: the element at `index` (negative from the tail), nil when out of
    /// range or missing.
    static func lindex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        // Redis looks the key up before it parses the index: a missing key answers nil even
        // for a malformed index.
        guard let record = try store.lookup(argv[1], as: .list) else { return .null }
        guard let index = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        let statement = try store.database.cached(index >= 0
            ? "SELECT value FROM lists WHERE key_id = ?1 ORDER BY pos ASC LIMIT 1 OFFSET ?2"
            : "SELECT value FROM lists WHERE key_id = ?1 ORDER BY pos DESC LIMIT 1 OFFSET ?2")
        try statement.bind(1, record.id)
        try statement.bind(2, offsetFromEnd(index))
        guard try statement.step() else { return .null }
        let value = statement.bytes(0)
        statement.reset()
        return .bulk(value)
    }

    /// `LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]`: the index of the
    /// `rank`-th match (negative rank: counting matches from the tail), looking at no more
    /// than MAXLEN elements; with COUNT, an array of up to that many matches (0: all).
    static func lpos(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var rank: Int64 = 1
        var count: Int64?
        var maxlen: Int64 = 0
        // Options are checked left to right before the key is looked at, so their errors win
        // over WRONGTYPE.
        var index = 3
        while index < argv.count {
            let option = argv[index]
            let hasValue = index + 1 < argv.count
            if hasValue && Bytes.equalsIgnoringCase(option, "rank") {
                guard let parsed = Numbers.parseInt64(argv[index + 1]) else { throw CommandError.notInteger }
                guard parsed != 0 else { throw rankZero }
                rank = parsed
            } else if hasValue && Bytes.equalsIgnoringCase(option, "count") {
                guard let parsed = Numbers.parseInt64(argv[index + 1]), parsed >= 0 else { throw countNegative }
                count = parsed
            } else if hasValue && Bytes.equalsIgnoringCase(option, "maxlen") {
                guard let parsed = Numbers.parseInt64(argv[index + 1]), parsed >= 0 else { throw maxlenNegative }
                maxlen = parsed
            } else {
                throw CommandError.syntax
            }
            index += 2
        }
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .list) else {
            return count == nil ? .null : .array([])
        }
        let fromHead = rank > 0
        var skip = fromHead ? rank - 1 : ~rank
        var limit = count.map { $0 == 0 ? -1 : $0 } ?? 1
        if rank == Int64.min {
            // Redis 7.0 negates the rank in a C long: LLONG_MIN stays LLONG_MIN, so every match
            // reaches "the rank" (no match is skipped) and the COUNT test, which subtracts the
            // rank, never stops the scan.
            skip = 0
            if count != nil { limit = -1 }
        }
        let database = store.database
        let statement: Statement
        if fromHead {
            statement = try database.cached("""
                SELECT idx FROM (
                    SELECT value, row_number() OVER (ORDER BY pos) - 1 AS idx
                    FROM lists WHERE key_id = ?1 ORDER BY pos ASC LIMIT ?2)
                WHERE value = ?3 ORDER BY idx ASC LIMIT ?4 OFFSET ?5
                """)
        } else {
            let length = try countElements(database, record.id)
            statement = try database.cached("""
                SELECT idx FROM (
                    SELECT value, ?6 - row_number() OVER (ORDER BY pos DESC) AS idx
                    FROM lists WHERE key_id = ?1 ORDER BY pos DESC LIMIT ?2)
                WHERE value = ?3 ORDER BY idx DESC LIMIT ?4 OFFSET ?5
                """)
            try statement.bind(6, length)
        }
        try statement.bind(1, record.id)
        try statement.bind(2, maxlen == 0 ? -1 : maxlen)
        try statement.bindBlob(3, argv[2])
        try statement.bind(4, limit)
        try statement.bind(5, skip)
        var matches: [Reply] = []
        while try statement.step() { matches.append(.integer(statement.int64(0))) }
        guard count != nil else { return matches.first ?? .null }
        return .array(matches)
    }

    // MARK: Editing in place

    /// `LSET key index element`: replaces the element at `index`.
    static func lset(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .list) else { throw CommandError.noSuchKey }
        guard let index = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        let statement = try store.database.cached(index >= 0
            ? """
              UPDATE lists SET value = ?3 WHERE key_id = ?1 AND pos =
                  (SELECT pos FROM lists WHERE key_id = ?1 ORDER BY pos ASC LIMIT 1 OFFSET ?2)
              """
            : """
              UPDATE lists SET value = ?3 WHERE key_id = ?1 AND pos =
                  (SELECT pos FROM lists WHERE key_id = ?1 ORDER BY pos DESC LIMIT 1 OFFSET ?2)
              """)
        try statement.bind(1, record.id)
        try statement.bind(2, offsetFromEnd(index))
        try statement.bindBlob(3, argv[3])
        try statement.run()
        guard store.database.changes == 1 else { throw CommandError.indexOutOfRange }
        let known = try rememberedLength(store, record)
        try store.touch(record)
        if let known { try remember(store, record, length: known) }
        return .ok
    }

    /// `LTRIM key start stop`: keeps only the elements LRANGE would answer; an empty range
    /// deletes the key.
    static func ltrim(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let start = Numbers.parseInt64(argv[2]), let stop = Numbers.parseInt64(argv[3]) else {
            throw CommandError.notInteger
        }
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .list) else { return .ok }
        let known = try rememberedLength(store, record)
        guard let bounds = try positionBounds(store.database, record.id, start: start, stop: stop) else {
            try store.delete(record)
            if known != nil { try forget(store, record) }
            return .ok
        }
        let statement = try store.database.cached(
            "DELETE FROM lists WHERE key_id = ?1 AND (pos < ?2 OR pos > ?3)")
        try statement.bind(1, record.id)
        try statement.bind(2, bounds.lowerBound)
        try statement.bind(3, bounds.upperBound)
        try statement.run()
        let removed = Int64(store.database.changes)
        // Redis counts LTRIM on an existing list as a write even when it removes nothing.
        try store.touch(record)
        if let known { try remember(store, record, length: known - removed) }
        return .ok
    }

    /// `LREM key count element`: removes the first `count` occurrences (negative: the last
    /// `-count`; 0: all) and answers how many went.
    static func lrem(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let count = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .list) else { return .integer(0) }
        let statement = try store.database.cached(count >= 0
            ? """
              DELETE FROM lists WHERE key_id = ?1 AND pos IN
                  (SELECT pos FROM lists WHERE key_id = ?1 AND value = ?2 ORDER BY pos ASC LIMIT ?3)
              """
            : """
              DELETE FROM lists WHERE key_id = ?1 AND pos IN
                  (SELECT pos FROM lists WHERE key_id = ?1 AND value = ?2 ORDER BY pos DESC LIMIT ?3)
              """)
        try statement.bind(1, record.id)
        try statement.bindBlob(2, argv[3])
        // SQLite reads a negative LIMIT as "no limit"; -Int64.min does not exist, and no list
        // is that long anyway.
        try statement.bind(3, count == 0 || count == Int64.min ? -1 : abs(count))
        try statement.run()
        let removed = Int64(store.database.changes)
        if removed > 0 {
            try finishRemoval(store, record, knownLength: try rememberedLength(store, record), removed: removed)
        }
        return .integer(removed)
    }

    /// `LINSERT key BEFORE|AFTER pivot element`: inserts next to the first `pivot`; answers
    /// the new length, -1 when there is no pivot, 0 when the key is missing.
    static func linsert(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let before: Bool
        if Bytes.equalsIgnoringCase(argv[2], "after") {
            before = false
        } else if Bytes.equalsIgnoringCase(argv[2], "before") {
            before = true
        } else {
            throw CommandError.syntax
        }
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .list) else { return .integer(0) }
        let database = store.database
        guard let position = try insertionPosition(database, record.id, pivot: argv[3], before: before) else {
            return .integer(-1)
        }
        let length = try currentLength(store, record) + 1
        let statement = try database.cached("INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)")
        try statement.bind(1, record.id)
        try statement.bind(2, position)
        try statement.bindBlob(3, argv[4])
        try statement.run()
        try store.touch(record)
        try remember(store, record, length: length)
        return .integer(length)
    }

    /// Where an element inserted next to the first `pivot` goes, as upstream places it: `gap`
    /// beyond an end, else the midpoint between the pivot and its neighbour; when they are
    /// adjacent integers (or the end is past the 90% mark) the list is renumbered and the
    /// position computed again. Nil when no element equals `pivot`.
    private static func insertionPosition(_ database: Database, _ keyID: Int64, pivot: [UInt8],
                                          before: Bool) throws -> Int64? {
        for _ in 0..<2 {
            let find = try database.cached(
                "SELECT pos FROM lists WHERE key_id = ?1 AND value = ?2 ORDER BY pos LIMIT 1")
            try find.bind(1, keyID)
            try find.bindBlob(2, pivot)
            guard try find.step() else { return nil }
            let pivotPosition = find.int64(0)
            find.reset()
            let neighbour = try database.cached(before
                ? "SELECT MAX(pos) FROM lists WHERE key_id = ?1 AND pos < ?2"
                : "SELECT MIN(pos) FROM lists WHERE key_id = ?1 AND pos > ?2")
            try neighbour.bind(1, keyID)
            try neighbour.bind(2, pivotPosition)
            _ = try neighbour.step()
            let next = neighbour.optionalInt64(0)
            neighbour.reset()
            if let next {
                // `next` is strictly beyond the pivot, so neither subtraction can overflow.
                let room = before ? next < pivotPosition - 1 : pivotPosition < next - 1
                if room { return midpoint(next, pivotPosition) }
            } else if pushFits(pivotPosition, count: 1, toHead: before) {
                return before ? pivotPosition - gap : pivotPosition + gap
            }
            try renumber(database, keyID)
        }
        // After renumbering, neighbours are `gap` apart and ends far from the marks.
        throw CommandError("ERR list positions could not be renumbered")
    }

    /// `(a + b) / 2` truncated toward zero, as upstream computes it, without overflowing.
    private static func midpoint(_ a: Int64, _ b: Int64) -> Int64 {
        Int64((Int128(a) + Int128(b)) / 2)
    }

    // MARK: Moving between lists

    /// `LMOVE source destination LEFT|RIGHT LEFT|RIGHT`: pops from one end of `source`,
    /// pushes onto one end of `destination` and answers the element (nil when `source` is
    /// missing). The same key rotates the list.
    static func lmove(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let fromHead = try parseSide(argv[3])
        let toHead = try parseSide(argv[4])
        return try move(connection, source: argv[1], destination: argv[2], fromHead: fromHead, toHead: toHead)
    }

    /// `RPOPLPUSH source destination`: LMOVE source destination RIGHT LEFT.
    static func rpoplpush(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try move(connection, source: argv[1], destination: argv[2], fromHead: false, toHead: true)
    }

    private static func parseSide(_ argument: [UInt8]) throws -> Bool {
        if Bytes.equalsIgnoringCase(argument, "left") { return true }
        if Bytes.equalsIgnoringCase(argument, "right") { return false }
        throw CommandError.syntax
    }

    private static func move(_ connection: RedliteConnection, source: [UInt8], destination: [UInt8],
                             fromHead: Bool, toHead: Bool) throws -> Reply {
        let store = connection.store
        guard let sourceRecord = try store.lookupForWrite(source, as: .list) else { return .null }
        let database = store.database
        if source == destination {
            // Pop and push on one key: never delete it in between, even when it has one element.
            guard let (position, value) = try endElement(database, sourceRecord.id, head: fromHead) else { return .null }
            try deleteElement(database, sourceRecord.id, at: position)
            try insert(database, sourceRecord.id, [value][...], toHead: toHead)
            let known = try rememberedLength(store, sourceRecord)
            try store.touch(sourceRecord)
            if let known { try remember(store, sourceRecord, length: known) }
            return .bulk(value)
        }
        // As Redis: a destination of another type fails the command before anything is popped.
        let existingDestination = try store.lookupForWrite(destination, as: .list)
        guard let (position, value) = try endElement(database, sourceRecord.id, head: fromHead) else { return .null }
        let knownSource = try rememberedLength(store, sourceRecord)
        try deleteElement(database, sourceRecord.id, at: position)
        try finishRemoval(store, sourceRecord, knownLength: knownSource, removed: 1)
        if let existingDestination {
            let knownDestination = try rememberedLength(store, existingDestination)
            try store.touch(existingDestination)
            try insert(database, existingDestination.id, [value][...], toHead: toHead)
            if let knownDestination { try remember(store, existingDestination, length: knownDestination + 1) }
        } else {
            let created = try store.create(destination, type: .list)
            try insert(database, created.id, [value][...], toHead: toHead)
        }
        return .bulk(value)
    }

    // MARK: Length memo

    /// Lists at least this long have their length remembered; shorter ones are cheap to count.
    static let memoMinimumLength: Int64 = 256

    /// LPUSH, RPUSH and LINSERT answer the new length, and counting a list's rows is O(n), so
    /// a long list's length is remembered in the engine table `redlite_list_lengths`, next to
    /// the key's `version` and `created_at` when it was right. Any writer (this engine or
    /// upstream) bumps `version` on every change, so a memo whose version no longer matches
    /// is stale and the list is counted again. The table is in the file, so every connection
    /// shares the memo: with one memo per connection (a TEMP table, as it first was), clients
    /// of a server pushing to one list took turns making each other's memo stale, and every
    /// push counted the whole list (redis-benchmark's LPUSH, 50 clients: 618 pushes/s at
    /// 100,000 elements). It is transactional, so a rolled-back command (or EXEC savepoint)
    /// takes its memo update back with it.

    /// The remembered length of the list as `record` (read before this command touched it)
    /// describes it, or nil when there is no current memo.
    private static func rememberedLength(_ store: Store, _ record: KeyRecord) throws -> Int64? {
        let statement = try store.database.cached("""
            SELECT length FROM redlite_list_lengths
            WHERE key_id = ?1 AND version = ?2
              AND created_at IS (SELECT created_at FROM keys WHERE id = ?1)
            """)
        try statement.bind(1, record.id)
        try statement.bind(2, record.version)
        guard try statement.step() else { return nil }
        let length = statement.int64(0)
        statement.reset()
        return length
    }

    /// The list's length before this command's changes: remembered, else counted.
    private static func currentLength(_ store: Store, _ record: KeyRecord) throws -> Int64 {
        if let length = try rememberedLength(store, record) { return length }
        return try countElements(store.database, record.id)
    }

    /// Records `length` as the list's length at its current version. Call after the last
    /// touch of the key in the command.
    private static func remember(_ store: Store, _ record: KeyRecord, length: Int64) throws {
        guard length >= memoMinimumLength else { return }
        let statement = try store.database.cached("""
            INSERT OR REPLACE INTO redlite_list_lengths (key_id, version, created_at, length)
            SELECT id, version, created_at, ?2 FROM keys WHERE id = ?1
            """)
        try statement.bind(1, record.id)
        try statement.bind(2, length)
        try statement.run()
    }

    /// Drops the memo of a deleted list (the foreign key's cascade would too; key ids are never
    /// reused, so a leftover row could never match again).
    private static func forget(_ store: Store, _ record: KeyRecord) throws {
        let statement = try store.database.cached("DELETE FROM redlite_list_lengths WHERE key_id = ?1")
        try statement.bind(1, record.id)
        try statement.run()
    }

    // MARK: Position helpers

    /// The number of elements (an O(n) count: see the length memo above).
    private static func countElements(_ database: Database, _ keyID: Int64) throws -> Int64 {
        let statement = try database.cached("SELECT COUNT(*) FROM lists WHERE key_id = ?1")
        try statement.bind(1, keyID)
        _ = try statement.step()
        let count = statement.int64(0)
        statement.reset()
        return count
    }

    /// The lowest (`head`) or highest position in the list, nil when it has no rows.
    private static func endPosition(_ database: Database, _ keyID: Int64, head: Bool) throws -> Int64? {
        let statement = try database.cached(head
            ? "SELECT MIN(pos) FROM lists WHERE key_id = ?1"
            : "SELECT MAX(pos) FROM lists WHERE key_id = ?1")
        try statement.bind(1, keyID)
        _ = try statement.step()
        let position = statement.optionalInt64(0)
        statement.reset()
        return position
    }

    /// The first (`head`) or last element with its position.
    private static func endElement(_ database: Database, _ keyID: Int64, head: Bool) throws -> (Int64, [UInt8])? {
        let statement = try database.cached(head
            ? "SELECT pos, value FROM lists WHERE key_id = ?1 ORDER BY pos ASC LIMIT 1"
            : "SELECT pos, value FROM lists WHERE key_id = ?1 ORDER BY pos DESC LIMIT 1")
        try statement.bind(1, keyID)
        guard try statement.step() else { return nil }
        let element = (statement.int64(0), statement.bytes(1))
        statement.reset()
        return element
    }

    private static func deleteElement(_ database: Database, _ keyID: Int64, at position: Int64) throws {
        let statement = try database.cached("DELETE FROM lists WHERE key_id = ?1 AND pos = ?2")
        try statement.bind(1, keyID)
        try statement.bind(2, position)
        try statement.run()
    }

    /// The OFFSET that reaches `index` when reading from the head (`index >= 0`) or, for a
    /// negative index, from the tail: -1 is the last element, offset 0. `~index` is
    /// `-index - 1` without overflowing at Int64.min.
    @inline(__always)
    private static func offsetFromEnd(_ index: Int64) -> Int64 {
        index >= 0 ? index : ~index
    }

    /// The position of the element at `index` (negative counts from the tail), nil past an end.
    private static func position(_ database: Database, _ keyID: Int64, at index: Int64) throws -> Int64? {
        let statement = try database.cached(index >= 0
            ? "SELECT pos FROM lists WHERE key_id = ?1 ORDER BY pos ASC LIMIT 1 OFFSET ?2"
            : "SELECT pos FROM lists WHERE key_id = ?1 ORDER BY pos DESC LIMIT 1 OFFSET ?2")
        try statement.bind(1, keyID)
        try statement.bind(2, offsetFromEnd(index))
        guard try statement.step() else { return nil }
        let position = statement.int64(0)
        statement.reset()
        return position
    }

    /// The positions of the first and last element of the index range `start...stop` of a
    /// non-empty list, with Redis's LRANGE/LTRIM rules (negative indices from the tail, a
    /// start before the head clamped to it, a stop past the tail clamped to it); nil when the
    /// range is empty. Found by offsets from the nearer end, so no length is needed.
    private static func positionBounds(_ database: Database, _ keyID: Int64,
                                       start: Int64, stop: Int64) throws -> ClosedRange<Int64>? {
        let lower: Int64
        if start == 0 {
            lower = Int64.min
        } else if let found = try position(database, keyID, at: start) {
            lower = found
        } else if start < 0 {
            lower = Int64.min // before the head: clamped to it
        } else {
            return nil // at or past the tail
        }
        let upper: Int64
        if stop == -1 {
            upper = Int64.max
        } else if let found = try position(database, keyID, at: stop) {
            upper = found
        } else if stop >= 0 {
            upper = Int64.max // past the tail: clamped to it
        } else {
            return nil // before the head
        }
        return lower <= upper ? lower...upper : nil
    }

    /// Renumbers the list in order to `gap`, `2 * gap`, ... (upstream's rebalance), for when
    /// an insert finds no free integer between two neighbours or a push would cross a 90%
    /// mark.
    ///
    /// Rows are moved one by one so the (key_id, pos) primary key never sees two rows at one
    /// position: first those moving down, lowest first, then those moving up, highest first.
    /// Old and new positions both increase along the list, so a row moving down can only land
    /// below every row still waiting above it and above every up-mover's old position below
    /// it (each below its own, smaller, new position); the mirror argument holds for rows
    /// moving up.
    private static func renumber(_ database: Database, _ keyID: Int64) throws {
        let select = try database.cached("SELECT pos FROM lists WHERE key_id = ?1 ORDER BY pos")
        try select.bind(1, keyID)
        var positions: [Int64] = []
        while try select.step() { positions.append(select.int64(0)) }
        let (_, overflow) = Int64(positions.count).multipliedReportingOverflow(by: gap)
        guard !overflow else { throw CommandError("ERR list is too long to renumber") }
        let update = try database.cached("UPDATE lists SET pos = ?3 WHERE key_id = ?1 AND pos = ?2")
        func move(_ index: Int) throws {
            update.reset()
            try update.bind(1, keyID)
            try update.bind(2, positions[index])
            try update.bind(3, Int64(index + 1) * gap)
            try update.run()
        }
        for index in positions.indices where Int64(index + 1) * gap < positions[index] {
            try move(index)
        }
        for index in positions.indices.reversed() where Int64(index + 1) * gap > positions[index] {
            try move(index)
        }
    }
}
