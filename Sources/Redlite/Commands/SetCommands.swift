import RESP
import SQLite

/// The set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE
/// SINTER SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE SINTERCARD SSCAN.
///
/// A set is one `keys` row of type 4 plus one `sets` row per member, bound as BLOB. Replies
/// whose order Redis leaves undefined (SMEMBERS, SINTER, SPOP with a count...) list members
/// in byte order, which the `(key_id, member)` primary key yields without sorting.
///
/// Set algebra runs in SQL over the key ids, passed as one JSON array (`json_each`), so a
/// single prepared statement serves any number of keys (compound SELECTs stop at 500 terms).
enum SetCommands {
    static let all: [CommandSpec] = [
        CommandSpec("sadd", arity: -3, .write, sadd),
        CommandSpec("srem", arity: -3, .write, srem),
        CommandSpec("smembers", arity: 2, .read, smembers),
        CommandSpec("sismember", arity: 3, .read, sismember),
        CommandSpec("smismember", arity: -3, .read, smismember),
        CommandSpec("scard", arity: 2, .read, scard),
        CommandSpec("spop", arity: -2, .write, spop),
        CommandSpec("srandmember", arity: -2, .read, srandmember),
        CommandSpec("smove", arity: 4, .write, smove),
        CommandSpec("sinter", arity: -2, .read, sinter),
        CommandSpec("sunion", arity: -2, .read, sunion),
        CommandSpec("sdiff", arity: -2, .read, sdiff),
        CommandSpec("sinterstore", arity: -3, .write, sinterstore),
        CommandSpec("sunionstore", arity: -3, .write, sunionstore),
        CommandSpec("sdiffstore", arity: -3, .write, sdiffstore),
        CommandSpec("sintercard", arity: -3, .read, sintercard),
        CommandSpec("sscan", arity: -3, .read, sscan),
    ]

    private static let numkeysNotPositive = CommandError("ERR numkeys should be greater than 0")
    private static let tooManyNumkeys = CommandError("ERR Number of keys can't be greater than number of args")
    private static let negativeLimit = CommandError("ERR LIMIT can't be negative")
    /// Redis reads SRANDMEMBER's and HRANDFIELD's count in -LONG_MAX...LONG_MAX.
    private static let countOutOfRange = CommandError(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")

    // MARK: Adding and removing

    /// SADD key member [member ...]: answers how many members were new.
    static func sadd(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let existing = try store.lookupForWrite(argv[1], as: .set)
        let record = try existing ?? store.create(argv[1], type: .set)
        var added: Int64 = 0
        for member in argv[2...] where try insertMember(store, record.id, member) { added += 1 }
        // Redis leaves the key unmodified (WATCH holds) when nothing was added.
        if existing != nil && added > 0 { try store.touch(record) }
        return .integer(added)
    }

    /// SREM key member [member ...]: answers how many members were removed; an emptied set
    /// is deleted.
    static func srem(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .set) else { return .integer(0) }
        var removed: Int64 = 0
        for member in argv[2...] where try deleteMember(store, record.id, member) { removed += 1 }
        if removed > 0 { try store.touchOrDeleteIfEmpty(record) }
        return .integer(removed)
    }

    /// SMOVE source destination member: moves the member (1), or 0 when the source lacks it.
    /// A missing source answers 0 before any type check; otherwise both keys must be sets,
    /// even when the member is absent.
    static func smove(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let source = try store.lookupForWrite(argv[1])
        let destination = try store.lookupForWrite(argv[2])
        guard let source else { return .integer(0) }
        guard source.type == .set, destination.map({ $0.type == .set }) ?? true else { throw CommandError.wrongType }
        if let destination, destination.id == source.id {
            return .integer(try isMember(store, source.id, argv[3]) ? 1 : 0)
        }
        guard try deleteMember(store, source.id, argv[3]) else { return .integer(0) }
        try store.touchOrDeleteIfEmpty(source)
        let target = try destination ?? store.create(argv[2], type: .set)
        if try insertMember(store, target.id, argv[3]), destination != nil { try store.touch(target) }
        return .integer(1)
    }

    // MARK: Reading

    /// SMEMBERS key: every member (a RESP3 set).
    static func smembers(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .set) else { return .set([]) }
        return .set(try allMembers(store, record).map(Reply.bulk))
    }

    /// SISMEMBER key member: 1 or 0.
    static func sismember(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .set) else { return .integer(0) }
        return .integer(try isMember(store, record.id, argv[2]) ? 1 : 0)
    }

    /// SMISMEMBER key member [member ...]: 1 or 0 per member.
    static func smismember(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .set) else {
            return .array(Array(repeating: .integer(0), count: argv.count - 2))
        }
        return .array(try argv[2...].map { .integer(try isMember(store, record.id, $0) ? 1 : 0) })
    }

    /// SCARD key: the number of members.
    static func scard(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .set) else { return .integer(0) }
        return .integer(try store.elementCount(record))
    }

    // MARK: Random members

    /// SPOP key [count]: removes and answers random members (picked with the connection's
    /// random source). Without a count: one member or null. With one: a set of up to `count`
    /// distinct members; the whole set (and the key goes) when it has no more.
    static func spop(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count <= 3 else { throw CommandError.syntax }
        let store = connection.store
        guard argv.count == 3 else {
            guard let record = try store.lookupForWrite(argv[1], as: .set) else { return .null }
            guard let position = try store.randomPosition(record, connection.random) else { return .null }
            let statement = try store.database.cached("""
                DELETE FROM sets WHERE rowid =
                    (SELECT rowid FROM sets WHERE key_id = ?1 ORDER BY member LIMIT 1 OFFSET ?2)
                RETURNING member
                """)
            try statement.bind(1, record.id)
            try statement.bind(2, position)
            guard try statement.step() else { return .null }
            let member = statement.bytes(0)
            try statement.run()
            try store.touchOrDeleteIfEmpty(record)
            return .bulk(member)
        }
        guard let count = Numbers.parseInt64(argv[2]), count >= 0 else { throw CommandError.notPositive }
        guard let record = try store.lookupForWrite(argv[1], as: .set) else { return .set([]) }
        guard count > 0 else { return .set([]) }
        let rowIDs = try self.rowIDs(store, record)
        if count >= Int64(rowIDs.count) {
            let members = try allMembers(store, record)
            try store.delete(record)
            return .set(members.map(Reply.bulk))
        }
        var popped: [Reply] = []
        popped.reserveCapacity(Int(count))
        for rowID in connection.random.distinctPicks(rowIDs, count: Int(count)) {
            let statement = try store.database.cached("DELETE FROM sets WHERE rowid = ?1 RETURNING member")
            try statement.bind(1, rowID)
            guard try statement.step() else { continue }
            popped.append(.bulk(statement.bytes(0)))
            try statement.run()
        }
        // Fewer picks than members: the set is still non-empty.
        try store.touch(record)
        return .set(popped)
    }

    /// SRANDMEMBER key [count]: random members, without removing them. Without a count: one
    /// member or null. A positive count answers distinct members (the whole set when it has
    /// no more than `count`); a negative one answers exactly -count picks that may repeat.
    static func srandmember(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count <= 3 else { throw CommandError.syntax }
        let store = connection.store
        guard argv.count == 3 else {
            guard let record = try store.lookup(argv[1], as: .set) else { return .null }
            let statement = try store.database.cached(
                "SELECT member FROM sets WHERE key_id = ?1 ORDER BY member LIMIT 1 OFFSET ?2")
            guard let position = try store.randomPosition(record, connection.random) else { return .null }
            try statement.bind(1, record.id)
            try statement.bind(2, position)
            guard try statement.step() else { return .null }
            return .bulk(statement.bytes(0))
        }
        let count = try parseRandomCount(argv[2])
        guard let record = try store.lookup(argv[1], as: .set) else { return .array([]) }
        guard count != 0 else { return .array([]) }
        let rowIDs = try self.rowIDs(store, record)
        guard !rowIDs.isEmpty else { return .array([]) }
        if count > 0 && count >= Int64(rowIDs.count) {
            return .array(try allMembers(store, record).map(Reply.bulk))
        }
        let picked = count > 0
            ? connection.random.distinctPicks(rowIDs, count: Int(count))
            : connection.random.repeatedPicks(rowIDs, count: count.magnitude)
        var fetched: [Int64: [UInt8]] = [:]
        var members: [Reply] = []
        for rowID in picked {
            if let member = fetched[rowID] {
                members.append(.bulk(member))
                continue
            }
            let statement = try store.database.cached("SELECT member FROM sets WHERE rowid = ?1")
            try statement.bind(1, rowID)
            guard try statement.step() else { continue }
            let member = statement.bytes(0)
            fetched[rowID] = member
            members.append(.bulk(member))
        }
        return .array(members)
    }

    // MARK: Set algebra

    private enum Operation { case intersection, union, difference }

    /// SINTER key [key ...]: the members in every set (a missing key is an empty set).
    static func sinter(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try algebra(connection.store, .intersection, argv[1...])
    }

    /// SUNION key [key ...]: the members in any of the sets.
    static func sunion(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try algebra(connection.store, .union, argv[1...])
    }

    /// SDIFF key [key ...]: the members of the first set in none of the others.
    static func sdiff(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try algebra(connection.store, .difference, argv[1...])
    }

    /// SINTERSTORE destination key [key ...]: stores SINTER's result, answers its size.
    static func sinterstore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try algebraStore(connection.store, .intersection, argv)
    }

    /// SUNIONSTORE destination key [key ...]: stores SUNION's result, answers its size.
    static func sunionstore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try algebraStore(connection.store, .union, argv)
    }

    /// SDIFFSTORE destination key [key ...]: stores SDIFF's result, answers its size.
    static func sdiffstore(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try algebraStore(connection.store, .difference, argv)
    }

    /// SINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counting
    /// stopped at `limit` (0 = no limit).
    static func sintercard(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let numkeys = Numbers.parseInt64(argv[1]), numkeys > 0 else { throw numkeysNotPositive }
        guard numkeys <= Int64(argv.count - 2) else { throw tooManyNumkeys }
        let keysEnd = 2 + Int(numkeys)
        var limit: Int64 = 0
        var index = keysEnd
        while index < argv.count {
            guard Bytes.equalsIgnoringCase(argv[index], "limit"), index + 1 < argv.count else {
                throw CommandError.syntax
            }
            guard let parsed = Numbers.parseInt64(argv[index + 1]), parsed >= 0 else { throw negativeLimit }
            limit = parsed
            index += 2
        }
        let store = connection.store
        let sets = try resolve(store, argv[2..<keysEnd], forWrite: false)
        var count: Int64 = 0
        try evaluate(store, .intersection, sets, limit: limit == 0 ? -1 : limit) { _ in count += 1 }
        return .integer(count)
    }

    /// SINTER, SUNION, SDIFF: every key is type-checked before anything is computed.
    private static func algebra(_ store: Store, _ operation: Operation, _ keys: ArraySlice<[UInt8]>) throws -> Reply {
        let sets = try resolve(store, keys, forWrite: false)
        var members: [Reply] = []
        try evaluate(store, operation, sets) { members.append(.bulk($0)) }
        return .set(members)
    }

    /// The *STORE variants: the destination is replaced whatever it held (its TTL goes too);
    /// an empty result deletes it.
    private static func algebraStore(_ store: Store, _ operation: Operation, _ argv: [[UInt8]]) throws -> Reply {
        let sets = try resolve(store, argv[2...], forWrite: true)
        // Computed in full first: the destination may be one of the sources.
        var members: [[UInt8]] = []
        try evaluate(store, operation, sets) { members.append($0) }
        if let old = try store.lookupForWrite(argv[1]) { try store.delete(old) }
        guard !members.isEmpty else { return .integer(0) }
        let record = try store.create(argv[1], type: .set)
        for member in members { _ = try insertMember(store, record.id, member) }
        return .integer(Int64(members.count))
    }

    /// Looks every key up (nil when missing); WRONGTYPE when any holds another type.
    private static func resolve(_ store: Store, _ keys: ArraySlice<[UInt8]>, forWrite: Bool) throws -> [KeyRecord?] {
        try keys.map { key in
            forWrite ? try store.lookupForWrite(key, as: .set) : try store.lookup(key, as: .set)
        }
    }

    /// Runs the operation over the sets (nil = missing = empty) and calls `body` with each
    /// resulting member, in byte order. `limit` stops an intersection early (-1: none).
    private static func evaluate(_ store: Store, _ operation: Operation, _ sets: [KeyRecord?],
                                 limit: Int64 = -1, _ body: ([UInt8]) throws -> Void) throws {
        let statement: Statement
        switch operation {
        case .intersection:
            // Walk the first set, keeping members every other set has.
            guard let first = sets.first ?? nil, !sets.contains(where: { $0 == nil }) else { return }
            statement = try store.database.cached("""
                SELECT s.member FROM sets AS s WHERE s.key_id = ?1 AND NOT EXISTS (
                    SELECT 1 FROM json_each(?2) AS j WHERE NOT EXISTS (
                        SELECT 1 FROM sets AS o WHERE o.key_id = j.value AND o.member = s.member))
                ORDER BY s.member LIMIT ?3
                """)
            try statement.bind(1, first.id)
            try statement.bind(2, idList(sets.dropFirst().compactMap { $0?.id }.filter { $0 != first.id }))
            try statement.bind(3, limit)
        case .union:
            let ids = sets.compactMap { $0?.id }
            guard !ids.isEmpty else { return }
            statement = try store.database.cached("""
                SELECT DISTINCT member FROM sets WHERE key_id IN (SELECT value FROM json_each(?1))
                ORDER BY member
                """)
            try statement.bind(1, idList(ids))
        case .difference:
            guard let first = sets.first ?? nil else { return }
            statement = try store.database.cached("""
                SELECT s.member FROM sets AS s WHERE s.key_id = ?1 AND NOT EXISTS (
                    SELECT 1 FROM sets AS o
                    WHERE o.key_id IN (SELECT value FROM json_each(?2)) AND o.member = s.member)
                ORDER BY s.member
                """)
            try statement.bind(1, first.id)
            // The first key repeated among the others empties the result, as A - A should.
            try statement.bind(2, idList(sets.dropFirst().compactMap { $0?.id }))
        }
        while try statement.step() { try body(statement.bytes(0)) }
    }

    /// Key ids as a JSON array, for `json_each`.
    private static func idList(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    // MARK: SSCAN

    /// SSCAN key cursor [MATCH pattern] [COUNT count]: walks the set in rowid order (the cursor
    /// is the last rowid visited). COUNT bounds the rows visited and MATCH filters them
    /// afterwards. Redis answers a small set whole in one call; here COUNT is honoured at
    /// every size, which is deterministic and still within SCAN's contract.
    static func sscan(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try ScanOptions.scanContainer(
            connection, argv, type: .set,
            sql: "SELECT rowid, member FROM sets WHERE key_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3"
        ) { _, member in [.bulk(member)] }
    }

    // MARK: Row helpers

    private static func isMember(_ store: Store, _ keyID: Int64, _ member: [UInt8]) throws -> Bool {
        let statement = try store.database.cached("SELECT 1 FROM sets WHERE key_id = ?1 AND member = ?2")
        try statement.bind(1, keyID)
        try statement.bindBlob(2, member)
        return try statement.step()
    }

    /// Adds the member: `true` when it was new.
    private static func insertMember(_ store: Store, _ keyID: Int64, _ member: [UInt8]) throws -> Bool {
        let statement = try store.database.cached("INSERT OR IGNORE INTO sets (key_id, member) VALUES (?1, ?2)")
        try statement.bind(1, keyID)
        try statement.bindBlob(2, member)
        try statement.run()
        return store.database.changes > 0
    }

    /// Removes the member: `true` when it was there.
    private static func deleteMember(_ store: Store, _ keyID: Int64, _ member: [UInt8]) throws -> Bool {
        let statement = try store.database.cached("DELETE FROM sets WHERE key_id = ?1 AND member = ?2")
        try statement.bind(1, keyID)
        try statement.bindBlob(2, member)
        try statement.run()
        return store.database.changes > 0
    }

    /// Every member, in byte order.
    private static func allMembers(_ store: Store, _ record: KeyRecord) throws -> [[UInt8]] {
        let statement = try store.database.cached("SELECT member FROM sets WHERE key_id = ?1 ORDER BY member")
        try statement.bind(1, record.id)
        var members: [[UInt8]] = []
        while try statement.step() { members.append(statement.bytes(0)) }
        return members
    }

    // MARK: Shared with HashCommands

    /// The rowids of a hash's or set's rows, in primary-key order (field or member), which a
    /// covering index scan yields without sorting. Random picks index into this list, so the
    /// same seed picks the same elements.
    static func rowIDs(_ store: Store, _ record: KeyRecord) throws -> [Int64] {
        let sql = record.type == .hash
            ? "SELECT rowid FROM hashes WHERE key_id = ?1 ORDER BY field"
            : "SELECT rowid FROM sets WHERE key_id = ?1 ORDER BY member"
        let statement = try store.database.cached(sql)
        try statement.bind(1, record.id)
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.int64(0)) }
        return ids
    }

    /// SRANDMEMBER's and HRANDFIELD's count: an integer in -LONG_MAX...LONG_MAX.
    static func parseRandomCount(_ bytes: [UInt8]) throws -> Int64 {
        guard let count = Numbers.parseInt64(bytes) else { throw CommandError.notInteger }
        guard count != Int64.min else { throw countOutOfRange }
        return count
    }
}
