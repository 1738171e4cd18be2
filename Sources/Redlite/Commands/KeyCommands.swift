import RESP
import SQLite

/// The generic key commands: DEL UNLINK EXISTS TYPE, the expiry commands (EXPIRE PEXPIRE
/// EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST), RENAME RENAMENX COPY, and the
/// keyspace walks KEYS SCAN RANDOMKEY.
///
/// These work on the `keys` table alone, except COPY, which duplicates the rows of the key's
/// type table under a new key id.
enum KeyCommands {
    static let all: [CommandSpec] = [
        CommandSpec("del", arity: -2, .write, del),
        CommandSpec("unlink", arity: -2, .write, del),
        CommandSpec("exists", arity: -2, .read, exists),
        CommandSpec("type", arity: 2, .read, type),
        CommandSpec("expire", arity: -3, .write, { try expire($0, $1, name: "expire", seconds: true, relative: true) }),
        CommandSpec("pexpire", arity: -3, .write, { try expire($0, $1, name: "pexpire", seconds: false, relative: true) }),
        CommandSpec("expireat", arity: -3, .write, { try expire($0, $1, name: "expireat", seconds: true, relative: false) }),
        CommandSpec("pexpireat", arity: -3, .write, { try expire($0, $1, name: "pexpireat", seconds: false, relative: false) }),
        CommandSpec("ttl", arity: 2, .read, { try ttl($0, $1, milliseconds: false, absolute: false) }),
        CommandSpec("pttl", arity: 2, .read, { try ttl($0, $1, milliseconds: true, absolute: false) }),
        CommandSpec("expiretime", arity: 2, .read, { try ttl($0, $1, milliseconds: false, absolute: true) }),
        CommandSpec("pexpiretime", arity: 2, .read, { try ttl($0, $1, milliseconds: true, absolute: true) }),
        CommandSpec("persist", arity: 2, .write, persist),
        CommandSpec("rename", arity: 3, .write, { try rename($0, $1, onlyIfAbsent: false) }),
        CommandSpec("renamenx", arity: 3, .write, { try rename($0, $1, onlyIfAbsent: true) }),
        CommandSpec("copy", arity: -3, .write, copy),
        CommandSpec("keys", arity: 2, .read, keys),
        CommandSpec("scan", arity: -2, .read, scan),
        CommandSpec("randomkey", arity: 1, .read, randomkey),
    ]

    private static let sameObject = CommandError("ERR source and destination objects are the same")
    private static let intOutOfRange = CommandError("ERR value is out of range, value must between -2147483648 and 2147483647")
    private static let incompatibleNX = CommandError("ERR NX and XX, GT or LT options at the same time are not compatible")
    private static let incompatibleGTLT = CommandError("ERR GT and LT options at the same time are not compatible")

    /// The live-key condition every walk of the keyspace applies (expired iff now > expire_at).
    private static let live = "(expire_at IS NULL OR expire_at >= ?2)"

    // MARK: DEL UNLINK EXISTS TYPE

    /// DEL key [key ...] and UNLINK key [key ...]: the number of live keys removed. One DELETE
    /// per key also clears an expired row (not counted), as Redis's lookup would.
    static func del(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        var removed: Int64 = 0
        for key in argv.dropFirst() {
            let statement = try store.database.cached("DELETE FROM keys WHERE db = ?1 AND key = ?2 RETURNING expire_at")
            try statement.bind(1, store.db)
            try store.bindName(statement, 2, key)
            while try statement.step() {
                if !store.isExpired(statement.optionalInt64(0)) { removed += 1 }
            }
        }
        return .integer(removed)
    }

    /// EXISTS key [key ...]: counts every argument naming a live key, repeats included.
    static func exists(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var count: Int64 = 0
        for key in argv.dropFirst() {
            if try connection.store.lookup(key) != nil { count += 1 }
        }
        return .integer(count)
    }

    /// TYPE key: the type's name as a status reply, `none` when missing.
    static func type(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        .simple(try connection.store.lookup(argv[1])?.type.name ?? "none")
    }

    // MARK: Expiry

    private struct ExpireCondition: OptionSet {
        let rawValue: UInt8
        static let nx = ExpireCondition(rawValue: 1)
        static let xx = ExpireCondition(rawValue: 2)
        static let gt = ExpireCondition(rawValue: 4)
        static let lt = ExpireCondition(rawValue: 8)
    }

    /// EXPIRE key seconds [NX|XX|GT|LT], PEXPIRE key milliseconds [...], EXPIREAT key
    /// unix-seconds [...], PEXPIREAT key unix-milliseconds [...].
    ///
    /// Redis's order: options first (so a bad option beats a bad number), then the number, then
    /// the overflow check (even for a missing key), then the key. A time not after now deletes
    /// the key and still answers 1.
    static func expire(_ connection: RedliteConnection, _ argv: [[UInt8]], name: String,
                       seconds: Bool, relative: Bool) throws -> Reply {
        var conditions: ExpireCondition = []
        for option in argv.dropFirst(3) {
            if Bytes.equalsIgnoringCase(option, "nx") {
                conditions.insert(.nx)
            } else if Bytes.equalsIgnoringCase(option, "xx") {
                conditions.insert(.xx)
            } else if Bytes.equalsIgnoringCase(option, "gt") {
                conditions.insert(.gt)
            } else if Bytes.equalsIgnoringCase(option, "lt") {
                conditions.insert(.lt)
            } else {
                throw CommandError("ERR Unsupported option \(errorText(option))")
            }
        }
        if conditions.contains(.nx) && !conditions.isDisjoint(with: [.xx, .gt, .lt]) { throw incompatibleNX }
        if conditions.isSuperset(of: [.gt, .lt]) { throw incompatibleGTLT }

        guard var when = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        let store = connection.store
        if seconds {
            guard when <= Int64.max / 1000, when >= Int64.min / 1000 else { throw CommandError.invalidExpireTime(name) }
            when *= 1000
        }
        let base = relative ? store.now : 0
        // Only the upward overflow is checked, as Redis does: a negative time is simply past.
        guard when <= Int64.max - base else { throw CommandError.invalidExpireTime(name) }
        when += base

        guard let record = try store.lookupForWrite(argv[1]) else { return .integer(0) }
        let current = record.expireAt
        if conditions.contains(.nx), current != nil { return .integer(0) }
        if conditions.contains(.xx), current == nil { return .integer(0) }
        // No expiry counts as an infinite TTL: GT never beats it, LT always does.
        if conditions.contains(.gt) {
            guard let current, when > current else { return .integer(0) }
        }
        if conditions.contains(.lt), let current, when >= current { return .integer(0) }

        if when <= store.now {
            try store.delete(record)
        } else {
            try store.setExpiry(record, when)
        }
        return .integer(1)
    }

    /// TTL key, PTTL key (time left) and EXPIRETIME key, PEXPIRETIME key (the Unix time):
    /// -2 for a missing key, -1 without expiry. Seconds round to nearest, half up, as Redis's
    /// `(ms + 500) / 1000` does, for EXPIRETIME too.
    static func ttl(_ connection: RedliteConnection, _ argv: [[UInt8]], milliseconds: Bool,
                    absolute: Bool) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookup(argv[1]) else { return .integer(-2) }
        guard let expireAt = record.expireAt else { return .integer(-1) }
        // A live key may sit exactly at its expiry time: never answer a negative time left.
        let value = absolute ? expireAt : max(expireAt - store.now, 0)
        guard !milliseconds else { return .integer(value) }
        // `(value + 500) / 1000` without overflowing near Int64.max (Redis answers the
        // mathematical result there too, e.g. EXPIRETIME after PEXPIREAT k 9223372036854775807).
        return .integer(value / 1000 + (value % 1000 + 500) / 1000)
    }

    /// PERSIST key: 1 when an expiry was removed, 0 when the key is missing or has none.
    static func persist(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let record = try store.lookupForWrite(argv[1]), record.expireAt != nil else { return .integer(0) }
        try store.setExpiry(record, nil)
        return .integer(1)
    }

    // MARK: RENAME RENAMENX COPY

    /// RENAME key newkey and RENAMENX key newkey. The source row keeps its id, so its data rows
    /// and its expiry follow it; a destination of any type is deleted first (RENAME) or makes
    /// RENAMENX answer 0. Renaming a key onto itself changes nothing, not even its version.
    static func rename(_ connection: RedliteConnection, _ argv: [[UInt8]], onlyIfAbsent: Bool) throws -> Reply {
        let store = connection.store
        let source = argv[1], target = argv[2]
        guard let record = try store.lookupForWrite(source) else { throw CommandError.noSuchKey }
        if source == target { return onlyIfAbsent ? .integer(0) : .ok }
        if let existing = try store.lookupForWrite(target) {
            if onlyIfAbsent { return .integer(0) }
            try store.delete(existing)
        }
        let statement = try store.database.cached(
            "UPDATE keys SET key = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1")
        try statement.bind(1, record.id)
        try store.bindName(statement, 2, target)
        try statement.bind(3, store.now)
        try statement.run()
        return onlyIfAbsent ? .integer(1) : .ok
    }

    /// COPY source destination [DB destination-db] [REPLACE]: a new key (new id) with a copy of
    /// the source's data rows and its expiry. 0 when the source is missing or the destination
    /// exists without REPLACE.
    static func copy(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        var targetDB = store.db
        var replace = false
        var index = 3
        while index < argv.count {
            if Bytes.equalsIgnoringCase(argv[index], "replace") {
                replace = true
            } else if Bytes.equalsIgnoringCase(argv[index], "db"), index + 1 < argv.count {
                // Redis reads the number as a C int before checking the database range.
                guard let number = Numbers.parseInt64(argv[index + 1]) else { throw CommandError.notInteger }
                guard number >= Int64(Int32.min), number <= Int64(Int32.max) else { throw intOutOfRange }
                guard number >= 0, number < RedliteConnection.databaseCount else { throw CommandError.dbIndexOutOfRange }
                targetDB = number
                index += 1
            } else {
                throw CommandError.syntax
            }
            index += 1
        }
        let source = argv[1], target = argv[2]
        if targetDB == store.db && source == target { throw sameObject }
        guard let record = try store.lookup(source) else { return .integer(0) }
        if let existing = try store.lookupForWrite(target, db: targetDB) {
            guard replace else { return .integer(0) }
            try store.delete(existing)
        }
        let copy = try store.create(target, type: record.type, expireAt: record.expireAt, db: targetDB)
        try copyRows(from: record, to: copy.id, store.database)
        return .integer(1)
    }

    /// Duplicates the key's rows in its type's table(s) under `newID`, in one statement per
    /// table, in rowid order so the copy lists its elements in the original's order.
    private static func copyRows(from record: KeyRecord, to newID: Int64, _ database: Database) throws {
        let statements: [String]
        switch record.type {
        case .string:
            statements = ["INSERT INTO strings (key_id, value) SELECT ?1, value FROM strings WHERE key_id = ?2 ORDER BY rowid"]
        case .hash:
            statements = ["INSERT INTO hashes (key_id, field, value) SELECT ?1, field, value FROM hashes WHERE key_id = ?2 ORDER BY rowid"]
        case .list:
            statements = ["INSERT INTO lists (key_id, pos, value) SELECT ?1, pos, value FROM lists WHERE key_id = ?2 ORDER BY rowid"]
        case .set:
            statements = ["INSERT INTO sets (key_id, member) SELECT ?1, member FROM sets WHERE key_id = ?2 ORDER BY rowid"]
        case .zset:
            statements = ["INSERT INTO zsets (key_id, member, score) SELECT ?1, member, score FROM zsets WHERE key_id = ?2 ORDER BY rowid"]
        case .json:
            statements = ["INSERT INTO json_docs (key_id, value) SELECT ?1, value FROM json_docs WHERE key_id = ?2 ORDER BY rowid"]
        case .stream:
            // Streams come only from upstream files. Their groups, consumers and pending
            // entries point at row ids, which are re-mapped through the group name and the
            // entry id (ms-seq), as Redis's COPY duplicates the consumer groups too.
            statements = [
                """
                INSERT INTO streams (key_id, entry_ms, entry_seq, data, created_at)
                SELECT ?1, entry_ms, entry_seq, data, created_at FROM streams WHERE key_id = ?2 ORDER BY id
                """,
                """
                INSERT INTO stream_groups (key_id, name, last_ms, last_seq)
                SELECT ?1, name, last_ms, last_seq FROM stream_groups WHERE key_id = ?2 ORDER BY id
                """,
                """
                INSERT OR IGNORE INTO stream_consumers (group_id, name, seen_time)
                SELECT ng.id, c.name, c.seen_time FROM stream_consumers c
                JOIN stream_groups og ON og.id = c.group_id
                JOIN stream_groups ng ON ng.key_id = ?1 AND ng.name = og.name
                WHERE og.key_id = ?2 ORDER BY c.id
                """,
                """
                INSERT OR IGNORE INTO stream_pending (key_id, group_id, entry_id, consumer, delivered_at, delivery_count)
                SELECT ?1, ng.id, ne.id, p.consumer, p.delivered_at, p.delivery_count FROM stream_pending p
                JOIN stream_groups og ON og.id = p.group_id
                JOIN stream_groups ng ON ng.key_id = ?1 AND ng.name = og.name
                JOIN streams oe ON oe.id = p.entry_id
                JOIN streams ne ON ne.key_id = ?1 AND ne.entry_ms = oe.entry_ms AND ne.entry_seq = oe.entry_seq
                WHERE p.key_id = ?2 ORDER BY p.id
                """,
            ]
        }
        for sql in statements {
            let statement = try database.cached(sql)
            try statement.bind(1, newID)
            try statement.bind(2, record.id)
            try statement.run()
        }
    }

    // MARK: KEYS SCAN RANDOMKEY

    /// KEYS pattern: every live key of the selected database matching the glob, in key-id
    /// (creation) order, a deterministic choice where Redis's order follows its hash table.
    /// A pattern starting with literal bytes reads only that range of the (db, key) index.
    static func keys(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let pattern = GlobPattern(argv[1])
        let statement: Statement
        if !pattern.matchesEverything, case let (low, high)? = prefixRange(argv[1]) {
            // Keys are TEXT when valid UTF-8 and BLOB otherwise; every TEXT sorts before every
            // BLOB, so the prefix is one range among the TEXT keys and one among the BLOB keys.
            statement = try store.database.cached("""
                SELECT id, key FROM keys WHERE db = ?1 AND key >= CAST(?3 AS TEXT) AND key < CAST(?4 AS TEXT) AND \(live)
                UNION ALL
                SELECT id, key FROM keys WHERE db = ?1 AND key >= ?3 AND key < ?4 AND \(live)
                ORDER BY id
                """)
            try statement.bindBlob(3, low)
            try statement.bindBlob(4, high)
        } else {
            // `+db` keeps SQLite on the rowid order instead of sorting an index scan by id.
            statement = try store.database.cached("SELECT id, key FROM keys WHERE +db = ?1 AND \(live) ORDER BY id")
        }
        try statement.bind(1, store.db)
        try statement.bind(2, store.now)
        var names: [Reply] = []
        while try statement.step() {
            let name = statement.bytes(1)
            if pattern.matches(name) { names.append(.bulk(name)) }
        }
        return .array(names)
    }

    /// The bytes every match of `pattern` starts with, as a half-open range `[low, high)`; nil
    /// when the pattern starts with a wildcard or the range has no upper bound (all 0xff).
    private static func prefixRange(_ pattern: [UInt8]) -> ([UInt8], [UInt8])? {
        var prefix: [UInt8] = []
        var index = 0
        scan: while index < pattern.count {
            switch pattern[index] {
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["):
                break scan
            case UInt8(ascii: "\\"):
                guard index + 1 < pattern.count else { break scan }
                prefix.append(pattern[index + 1])
                index += 2
            default:
                prefix.append(pattern[index])
                index += 1
            }
        }
        var high = prefix
        while let last = high.last, last == 0xff { high.removeLast() }
        guard let last = high.last else { return nil }
        high[high.count - 1] = last + 1
        return (prefix, high)
    }

    /// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: walks the selected database in
    /// key-id order (the cursor is the last id visited). COUNT bounds the rows visited, MATCH
    /// filters them afterwards (so a call may answer fewer); TYPE compares the type's name
    /// ignoring case, as Redis 7.0 does, and an unknown name matches nothing.
    static func scan(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let options = try ScanOptions(argv, cursorIndex: 1, allowsType: true)
        let statement: Statement
        if let typeName = options.type {
            let folded = Bytes.lowercased(typeName)
            guard let type = KeyType.allCases.first(where: { Array($0.name.lowercased().utf8) == folded }) else {
                return ScanOptions.reply(nextCursor: 0, [])
            }
            // idx_keys_type is (db, type, id): the walk is an index range, already in id order.
            statement = try store.database.cached("""
                SELECT id, key FROM keys WHERE db = ?1 AND type = ?5 AND id > ?3 AND \(live) ORDER BY id LIMIT ?4
                """)
            try statement.bind(5, type.rawValue)
        } else {
            statement = try store.database.cached(
                "SELECT id, key FROM keys WHERE +db = ?1 AND id > ?3 AND \(live) ORDER BY id LIMIT ?4")
        }
        try statement.bind(1, store.db)
        try statement.bind(2, store.now)
        try statement.bind(3, options.cursor)
        try statement.bind(4, options.fetchLimit)
        return try options.collectPage(statement) { _, name in [.bulk(name)] }
    }

    /// RANDOMKEY: a live key of the selected database picked uniformly by the connection's
    /// random source (reproducible from its seed), or null when there is none.
    static func randomkey(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let counter = try store.database.cached("SELECT COUNT(*) FROM keys WHERE db = ?1 AND \(live)")
        try counter.bind(1, store.db)
        try counter.bind(2, store.now)
        _ = try counter.step()
        let count = counter.int64(0)
        guard count > 0, let bound = Int(exactly: count) else { return .null }
        let offset = connection.random.uniform(below: bound)
        let statement = try store.database.cached(
            "SELECT key FROM keys WHERE +db = ?1 AND \(live) ORDER BY id LIMIT 1 OFFSET ?3")
        try statement.bind(1, store.db)
        try statement.bind(2, store.now)
        try statement.bind(3, Int64(offset))
        guard try statement.step() else { return .null }
        return .bulk(statement.bytes(0))
    }

    // MARK: Helpers

    /// An argument quoted in an error as Redis's `%s` shows it: up to the first NUL, with CR
    /// and LF turned into spaces so the reply stays one line.
    private static func errorText(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix { $0 != 0 }.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 }
        return Bytes.lossyText(Array(shown))
    }
}
