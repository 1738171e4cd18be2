import RESP
import SQLite

/// The hash commands: HSET HSETNX HGET HMGET HMSET HGETALL HDEL HEXISTS HLEN HKEYS HVALS
/// HINCRBY HINCRBYFLOAT HSTRLEN HRANDFIELD HSCAN.
///
/// A hash is one `keys` row of type 2 plus one `hashes` row per field. Fields are bound with
/// ``Store/bindName(_:_:_:)`` (TEXT when valid UTF-8, as upstream keys its fields), values as
/// BLOB. Whole-hash replies (HGETALL, HKEYS, HVALS, HSCAN) follow rowid order, which is the
/// fields' insertion order, as a small Redis hash (a listpack) answers.
enum HashCommands {
    static let all: [CommandSpec] = [
        CommandSpec("hset", arity: -4, .write, hset),
        CommandSpec("hsetnx", arity: 4, .write, hsetnx),
        CommandSpec("hget", arity: 3, .read, hget),
        CommandSpec("hmget", arity: -3, .read, hmget),
        CommandSpec("hmset", arity: -4, .write, hmset),
        CommandSpec("hgetall", arity: 2, .read, hgetall),
        CommandSpec("hdel", arity: -3, .write, hdel),
        CommandSpec("hexists", arity: 3, .read, hexists),
        CommandSpec("hlen", arity: 2, .read, hlen),
        CommandSpec("hkeys", arity: 2, .read, hkeys),
        CommandSpec("hvals", arity: 2, .read, hvals),
        CommandSpec("hincrby", arity: 4, .write, hincrby),
        CommandSpec("hincrbyfloat", arity: 4, .write, hincrbyfloat),
        CommandSpec("hstrlen", arity: 3, .read, hstrlen),
        CommandSpec("hrandfield", arity: -2, .read, hrandfield),
        CommandSpec("hscan", arity: -3, .read, hscan),
    ]

    private static let hashValueNotInteger = CommandError("ERR hash value is not an integer")
    private static let hashValueNotFloat = CommandError("ERR hash value is not a float")
    private static let incrementNotFinite = CommandError("ERR value is NaN or Infinity")
    /// HRANDFIELD's WITHVALUES limit: Redis refuses counts whose reply length (2 × count)
    /// would overflow a long.
    private static let withValuesOutOfRange = CommandError("ERR value is out of range")

    // MARK: Writing fields

    /// HSET key field value [field value ...]: sets the fields, answers how many were new.
    static func hset(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        .integer(try setFields(connection.store, argv, command: "hset"))
    }

    /// HMSET key field value [field value ...]: HSET answering +OK (deprecated in Redis).
    static func hmset(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        _ = try setFields(connection.store, argv, command: "hmset")
        return .ok
    }

    /// HSET and HMSET: the pairs are checked before the key, so an odd count is an arity
    /// error even on a key of another type.
    private static func setFields(_ store: Store, _ argv: [[UInt8]], command: String) throws -> Int64 {
        guard argv.count % 2 == 0 else { throw CommandError.arity(command) }
        let existing = try store.lookupForWrite(argv[1], as: .hash)
        let record = try existing ?? store.create(argv[1], type: .hash)
        var added: Int64 = 0
        for index in stride(from: 2, to: argv.count, by: 2) {
            if try insertField(store, record.id, argv[index], argv[index + 1]) {
                added += 1
            } else {
                try updateField(store, record.id, argv[index], argv[index + 1])
            }
        }
        // Redis signals the key as modified even when every value was already equal.
        if existing != nil { try store.touch(record) }
        return added
    }

    /// HSETNX key field value: sets the field only when it does not exist (1), else 0.
    static func hsetnx(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let existing = try store.lookupForWrite(argv[1], as: .hash)
        let record = try existing ?? store.create(argv[1], type: .hash)
        guard try insertField(store, record.id, argv[2], argv[3]) else { return .integer(0) }
        if existing != nil { try store.touch(record) }
        return .integer(1)
    }

    /// HINCRBY key field increment: adds to the field's integer (absent = 0).
    static func hincrby(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let increment = Numbers.parseInt64(argv[3]) else { throw CommandError.notInteger }
        let store = connection.store
        let existing = try store.lookupForWrite(argv[1], as: .hash)
        var current: Int64 = 0
        if let existing, let stored = try fieldValue(store, existing.id, argv[2]) {
            guard let parsed = Numbers.parseInt64(stored) else { throw hashValueNotInteger }
            current = parsed
        }
        let (sum, overflow) = current.addingReportingOverflow(increment)
        guard !overflow else { throw CommandError.overflow }
        try upsertField(store, existing, argv[1], argv[2], Numbers.format(sum))
        return .integer(sum)
    }

    /// HINCRBYFLOAT key field increment: adds in long double, as INCRBYFLOAT, and answers the
    /// stored text.
    static func hincrbyfloat(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        // The increment alone (added to nothing) tells a malformed number from an infinite one,
        // both refused before the key is looked at.
        switch Numbers.incrementByFloat(current: nil, increment: argv[3]) {
        case .failure(.notAFloat): throw CommandError.notFloat
        case .failure(.nanOrInfinity): throw incrementNotFinite
        case .success: break
        }
        let store = connection.store
        let existing = try store.lookupForWrite(argv[1], as: .hash)
        let current = try existing.flatMap { try fieldValue(store, $0.id, argv[2]) }
        let result: [UInt8]
        switch Numbers.incrementByFloat(current: current, increment: argv[3]) {
        case .failure(.notAFloat): throw hashValueNotFloat
        case .failure(.nanOrInfinity): throw CommandError.nanOrInfinity
        case .success(let text): result = text
        }
        try upsertField(store, existing, argv[1], argv[2], result)
        return .bulk(result)
    }

    /// HDEL key field [field ...]: answers how many fields existed; an emptied hash is deleted.
    static func hdel(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1], as: .hash) else { return .integer(0) }
        var deleted: Int64 = 0
        for field in argv[2...] {
            let statement = try store.database.cached("DELETE FROM hashes WHERE key_id = ?1 AND field = ?2")
            try statement.bind(1, record.id)
            try store.bindName(statement, 2, field)
            try statement.run()
            deleted += Int64(store.database.changes)
        }
        if deleted > 0 { try store.touchOrDeleteIfEmpty(record) }
        return .integer(deleted)
    }

    // MARK: Reading fields

    /// HGET key field: the value, or null.
    static func hget(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .hash) else { return .null }
        return .bulkOrNull(try fieldValue(store, record.id, argv[2]))
    }

    /// HMGET key field [field ...]: one value or null per field.
    static func hmget(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let fields = argv[2...]
        guard let record = try store.lookup(argv[1], as: .hash) else {
            return .array(Array(repeating: .null, count: fields.count))
        }
        return .array(try fields.map { .bulkOrNull(try fieldValue(store, record.id, $0)) })
    }

    /// HGETALL key: a map of field to value (a flat array in RESP2).
    static func hgetall(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var pairs: [ReplyPair] = []
        try forEachRow(connection.store, argv[1]) { field, value in
            pairs.append(ReplyPair(.bulk(field), .bulk(value)))
        }
        return .map(pairs)
    }

    /// HKEYS key: every field.
    static func hkeys(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var fields: [Reply] = []
        try forEachRow(connection.store, argv[1]) { field, _ in fields.append(.bulk(field)) }
        return .array(fields)
    }

    /// HVALS key: every value.
    static func hvals(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var values: [Reply] = []
        try forEachRow(connection.store, argv[1]) { _, value in values.append(.bulk(value)) }
        return .array(values)
    }

    /// HEXISTS key field: 1 when the field exists, else 0.
    static func hexists(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .hash) else { return .integer(0) }
        return .integer(try fieldValue(store, record.id, argv[2]) == nil ? 0 : 1)
    }

    /// HLEN key: the number of fields.
    static func hlen(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .hash) else { return .integer(0) }
        return .integer(try store.elementCount(record))
    }

    /// HSTRLEN key field: the value's length in bytes, 0 when absent.
    static func hstrlen(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1], as: .hash) else { return .integer(0) }
        let statement = try store.database.cached("SELECT length(CAST(value AS BLOB)) FROM hashes WHERE key_id = ?1 AND field = ?2")
        try statement.bind(1, record.id)
        try store.bindName(statement, 2, argv[2])
        guard try statement.step() else { return .integer(0) }
        return .integer(statement.int64(0))
    }

    // MARK: HRANDFIELD

    /// HRANDFIELD key [count [WITHVALUES]]: random fields picked with the connection's random
    /// source. Without a count: one field or null. A positive count answers distinct fields
    /// (the whole hash, in insertion order, when it has no more than `count`); a negative one
    /// answers exactly -count picks that may repeat. RESP3 answers WITHVALUES as
    /// `[field, value]` pairs, RESP2 as a flat array.
    static func hrandfield(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard argv.count > 2 else {
            guard let record = try store.lookup(argv[1], as: .hash) else { return .null }
            let statement = try store.database.cached("""
                SELECT field FROM hashes WHERE key_id = ?1 ORDER BY field LIMIT 1 OFFSET ?2
                """)
            guard let position = try store.randomPosition(record, connection.random) else { return .null }
            try statement.bind(1, record.id)
            try statement.bind(2, position)
            guard try statement.step() else { return .null }
            return .bulk(statement.bytes(0))
        }
        // Redis validates count and options before it looks at the key.
        let count = try SetCommands.parseRandomCount(argv[2])
        guard argv.count == 3 || (argv.count == 4 && Bytes.equalsIgnoringCase(argv[3], "withvalues")) else {
            throw CommandError.syntax
        }
        let withValues = argv.count == 4
        if withValues && (count < -(Int64.max / 2) || count > Int64.max / 2) { throw withValuesOutOfRange }
        guard let record = try store.lookup(argv[1], as: .hash) else { return .array([]) }
        guard count != 0 else { return .array([]) }

        var rows: [(field: [UInt8], value: [UInt8])] = []
        let rowIDs = try SetCommands.rowIDs(store, record)
        guard !rowIDs.isEmpty else { return .array([]) }
        if count > 0 && count >= Int64(rowIDs.count) {
            try forEachRow(store, record) { rows.append(($0, $1)) }
        } else {
            let picked = count > 0
                ? connection.random.distinctPicks(rowIDs, count: Int(count))
                : connection.random.repeatedPicks(rowIDs, count: count.magnitude)
            var fetched: [Int64: (field: [UInt8], value: [UInt8])] = [:]
            for rowID in picked {
                if let row = fetched[rowID] {
                    rows.append(row)
                    continue
                }
                let statement = try store.database.cached("SELECT field, value FROM hashes WHERE rowid = ?1")
                try statement.bind(1, rowID)
                guard try statement.step() else { continue }
                let row = (field: statement.bytes(0), value: statement.bytes(1))
                fetched[rowID] = row
                rows.append(row)
            }
        }
        if !withValues { return .array(rows.map { .bulk($0.field) }) }
        if connection.protocolVersion == .resp3 {
            return .array(rows.map { .array([.bulk($0.field), .bulk($0.value)]) })
        }
        var flat: [Reply] = []
        flat.reserveCapacity(rows.count * 2)
        for row in rows {
            flat.append(.bulk(row.field))
            flat.append(.bulk(row.value))
        }
        return .array(flat)
    }

    // MARK: HSCAN

    /// HSCAN key cursor [MATCH pattern] [COUNT count]: walks the hash in rowid order (the
    /// cursor is the last rowid visited); answers field, value, field, value... COUNT bounds
    /// the rows visited and MATCH filters their fields afterwards. Redis answers a small hash
    /// whole in one call; here COUNT is honoured at every size, which is deterministic and
    /// still within SCAN's contract.
    static func hscan(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try ScanOptions.scanContainer(
            connection, argv, type: .hash,
            sql: "SELECT rowid, field, value FROM hashes WHERE key_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3"
        ) { row, field in [.bulk(field), .bulk(row.bytes(2))] }
    }

    // MARK: Row helpers

    /// The field's value, or nil.
    private static func fieldValue(_ store: Store, _ keyID: Int64, _ field: [UInt8]) throws -> [UInt8]? {
        let statement = try store.database.cached("SELECT value FROM hashes WHERE key_id = ?1 AND field = ?2")
        try statement.bind(1, keyID)
        try store.bindName(statement, 2, field)
        guard try statement.step() else { return nil }
        return statement.bytes(0)
    }

    /// Adds the field when absent: `true` when it was added, `false` when it already existed.
    private static func insertField(_ store: Store, _ keyID: Int64, _ field: [UInt8], _ value: [UInt8]) throws -> Bool {
        let statement = try store.database.cached(
            "INSERT OR IGNORE INTO hashes (key_id, field, value) VALUES (?1, ?2, ?3)")
        try statement.bind(1, keyID)
        try store.bindName(statement, 2, field)
        try statement.bindBlob(3, value)
        try statement.run()
        return store.database.changes > 0
    }

    /// Replaces an existing field's value in place (its rowid, hence its order, is kept).
    private static func updateField(_ store: Store, _ keyID: Int64, _ field: [UInt8], _ value: [UInt8]) throws {
        let statement = try store.database.cached("UPDATE hashes SET value = ?3 WHERE key_id = ?1 AND field = ?2")
        try statement.bind(1, keyID)
        try store.bindName(statement, 2, field)
        try statement.bindBlob(3, value)
        try statement.run()
    }

    /// Writes one field of the hash `existing` (created when nil) and records the write.
    private static func upsertField(_ store: Store, _ existing: KeyRecord?, _ key: [UInt8],
                                    _ field: [UInt8], _ value: [UInt8]) throws {
        let record = try existing ?? store.create(key, type: .hash)
        let statement = try store.database.cached("""
            INSERT INTO hashes (key_id, field, value) VALUES (?1, ?2, ?3)
            ON CONFLICT(key_id, field) DO UPDATE SET value = excluded.value
            """)
        try statement.bind(1, record.id)
        try store.bindName(statement, 2, field)
        try statement.bindBlob(3, value)
        try statement.run()
        if existing != nil { try store.touch(record) }
    }

    /// Calls `body` with every field and value of the hash at `key` (nothing when missing).
    private static func forEachRow(_ store: Store, _ key: [UInt8], _ body: ([UInt8], [UInt8]) throws -> Void) throws {
        guard let record = try store.lookup(key, as: .hash) else { return }
        try forEachRow(store, record, body)
    }

    /// Calls `body` with every field and value of the hash, in insertion (rowid) order.
    private static func forEachRow(_ store: Store, _ record: KeyRecord, _ body: ([UInt8], [UInt8]) throws -> Void) throws {
        let statement = try store.database.cached("SELECT field, value FROM hashes WHERE key_id = ?1 ORDER BY rowid")
        try statement.bind(1, record.id)
        while try statement.step() {
            try body(statement.bytes(0), statement.bytes(1))
        }
    }
}
