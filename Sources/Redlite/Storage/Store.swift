import SQLite

/// The keyspace on one SQLite connection: finding, creating, touching, expiring and deleting
/// rows of the `keys` table, with Redis's expiry rules. Command families build on these
/// primitives and own their type's table.
///
/// Every method runs inside the SQLite transaction the dispatcher opened for the command.
final class Store {
    let database: Database
    let clock: RedliteClock
    /// The command's time, read once when the command (or EXEC) starts, as Redis does, so every
    /// expiry decision inside one command agrees.
    var now: Int64 = 0
    /// The selected database (0-15) the key functions address.
    var db: Int64 = 0

    init(database: Database, clock: RedliteClock) {
        self.database = database
        self.clock = clock
    }

    /// Reads the clock into ``now``.
    func beginCommand() { now = clock.nowMilliseconds() }

    // MARK: Binding conventions

    /// Binds a key or hash field: TEXT when it is valid UTF-8 (as upstream stores every key),
    /// BLOB otherwise (binary-safe keys, which upstream cannot store at all).
    @inline(__always)
    func bindName(_ statement: Statement, _ index: Int32, _ name: [UInt8]) throws {
        if Bytes.isValidUTF8(name) {
            try statement.bindText(index, name)
        } else {
            try statement.bindBlob(index, name)
        }
    }

    /// Redis's rule: a key is expired once the clock is past its expiry (`now > expire_at`).
    @inline(__always)
    func isExpired(_ expireAt: Int64?) -> Bool {
        guard let expireAt else { return false }
        return now > expireAt
    }

    // MARK: Lookup

    /// The key's row in the selected database, expired or not.
    func row(_ key: [UInt8], db: Int64? = nil) throws -> KeyRecord? {
        let statement = try database.cached(
            "SELECT id, type, expire_at, version FROM keys WHERE db = ?1 AND key = ?2")
        try statement.bind(1, db ?? self.db)
        try bindName(statement, 2, key)
        guard try statement.step() else { return nil }
        guard let type = KeyType(rawValue: statement.int64(1)) else {
            throw CommandError("ERR corrupt keys row: unknown type \(statement.int64(1))")
        }
        return KeyRecord(
            id: statement.int64(0), type: type,
            expireAt: statement.optionalInt64(2), version: statement.int64(3))
    }

    /// The live key (nil when missing or expired). Does not write: read commands hide expired
    /// keys, and the next write to them or the active purge removes the rows.
    func lookup(_ key: [UInt8], db: Int64? = nil) throws -> KeyRecord? {
        guard let record = try row(key, db: db), !isExpired(record.expireAt) else { return nil }
        return record
    }

    /// The live key if it has `type`; nil when missing; WRONGTYPE when it holds another type.
    func lookup(_ key: [UInt8], as type: KeyType) throws -> KeyRecord? {
        guard let record = try lookup(key) else { return nil }
        guard record.type == type else { throw CommandError.wrongType }
        return record
    }

    /// For write commands: the live key, after deleting its row if it has expired, so the
    /// caller may create the key afresh.
    func lookupForWrite(_ key: [UInt8], db: Int64? = nil) throws -> KeyRecord? {
        guard let record = try row(key, db: db) else { return nil }
        if isExpired(record.expireAt) {
            try delete(record)
            return nil
        }
        return record
    }

    /// For write commands: the live key if it has `type`; nil when missing; WRONGTYPE otherwise.
    func lookupForWrite(_ key: [UInt8], as type: KeyType) throws -> KeyRecord? {
        guard let record = try lookupForWrite(key) else { return nil }
        guard record.type == type else { throw CommandError.wrongType }
        return record
    }

    /// The live key of `type`, created empty when missing; WRONGTYPE when it holds another type.
    /// A new key counts as written (its version is fresh); an existing one is not touched here.
    func lookupOrCreate(_ key: [UInt8], as type: KeyType) throws -> KeyRecord {
        if let record = try lookupForWrite(key, as: type) { return record }
        return try create(key, type: type)
    }

    // MARK: Writes

    /// Inserts a new key row. Ids come from a counter that never goes back, so a deleted key's
    /// id is never reused (see ``Schema/engineTables``).
    @discardableResult
    func create(_ key: [UInt8], type: KeyType, expireAt: Int64? = nil, db: Int64? = nil) throws -> KeyRecord {
        let id = try nextKeyID()
        let statement = try database.cached("""
            INSERT INTO keys (id, db, key, type, expire_at, version, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)
            """)
        try statement.bind(1, id)
        try statement.bind(2, db ?? self.db)
        try bindName(statement, 3, key)
        try statement.bind(4, type.rawValue)
        try statement.bind(5, expireAt)
        try statement.bind(6, now)
        try statement.run()
        return KeyRecord(id: id, type: type, expireAt: expireAt, version: 1)
    }

    private func nextKeyID() throws -> Int64 {
        // MAX(id) covers rows another program (upstream Redlite) inserted without the counter.
        let statement = try database.cached("""
            UPDATE redlite_meta
            SET value = MAX(value, (SELECT COALESCE(MAX(id), 0) FROM keys)) + 1
            WHERE name = 'last_key_id'
            RETURNING value
            """)
        guard try statement.step() else {
            throw CommandError("ERR corrupt database: redlite_meta.last_key_id is missing")
        }
        let id = statement.int64(0)
        try statement.run()
        return id
    }

    /// Records a write to the key: bumps `version` (what WATCH compares) and `updated_at`.
    func touch(_ record: KeyRecord) throws {
        let statement = try database.cached(
            "UPDATE keys SET version = version + 1, updated_at = ?2 WHERE id = ?1")
        try statement.bind(1, record.id)
        try statement.bind(2, now)
        try statement.run()
    }

    /// Sets or clears the expiry (Unix ms) and counts as a write.
    func setExpiry(_ record: KeyRecord, _ expireAt: Int64?) throws {
        let statement = try database.cached(
            "UPDATE keys SET expire_at = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1")
        try statement.bind(1, record.id)
        try statement.bind(2, expireAt)
        try statement.bind(3, now)
        try statement.run()
    }

    /// Deletes the key; its rows in the type tables go with it (ON DELETE CASCADE).
    func delete(_ record: KeyRecord) throws {
        let statement = try database.cached("DELETE FROM keys WHERE id = ?1")
        try statement.bind(1, record.id)
        try statement.run()
    }

    /// After removing elements from a container: deletes the key when it has none left (Redis
    /// never keeps an empty hash, list, set or sorted set), otherwise records the write.
    /// Returns `true` when the key was deleted.
    @discardableResult
    func touchOrDeleteIfEmpty(_ record: KeyRecord) throws -> Bool {
        if try !hasElements(record) {
            try delete(record)
            return true
        }
        try touch(record)
        return false
    }

    /// `true` when the key has at least one row in its type's table: an index probe, where
    /// counting would read every row.
    func hasElements(_ record: KeyRecord) throws -> Bool {
        let statement = try database.cached("SELECT EXISTS (SELECT 1 FROM \(record.type.table) WHERE key_id = ?1)")
        try statement.bind(1, record.id)
        _ = try statement.step()
        return statement.int64(0) != 0
    }

    /// The number of elements (rows in the type's table) the key holds.
    func elementCount(_ record: KeyRecord) throws -> Int64 {
        let statement = try database.cached("SELECT COUNT(*) FROM \(record.type.table) WHERE key_id = ?1")
        try statement.bind(1, record.id)
        _ = try statement.step()
        return statement.int64(0)
    }

    /// A uniform position among the key's elements (an OFFSET into its rows), drawn from
    /// `random`; nil when the key has none.
    func randomPosition(_ record: KeyRecord, _ random: RedliteRandom) throws -> Int64? {
        let size = try elementCount(record)
        guard size > 0 else { return nil }
        return Int64(random.uniform(below: Int(size)))
    }

    // MARK: Expiry

    /// Deletes up to `limit` expired keys in every database (the active purge). Returns how
    /// many were deleted.
    @discardableResult
    func purgeExpired(limit: Int64 = -1) throws -> Int {
        let statement = try database.cached("""
            DELETE FROM keys WHERE id IN (
                SELECT id FROM keys WHERE expire_at IS NOT NULL AND expire_at < ?1 LIMIT ?2)
            """)
        try statement.bind(1, now)
        try statement.bind(2, limit)
        try statement.run()
        return database.changes
    }

    // MARK: String values

    /// The value of a string key.
    func stringValue(_ record: KeyRecord) throws -> [UInt8] {
        let statement = try database.cached("SELECT value FROM strings WHERE key_id = ?1")
        try statement.bind(1, record.id)
        guard try statement.step() else { return [] }
        return statement.bytes(0)
    }

    /// Writes the value of a string key (insert or replace).
    func setStringValue(_ record: KeyRecord, _ value: [UInt8]) throws {
        let statement = try database.cached(
            "INSERT INTO strings (key_id, value) VALUES (?1, ?2) ON CONFLICT(key_id) DO UPDATE SET value = excluded.value")
        try statement.bind(1, record.id)
        try statement.bindBlob(2, value)
        try statement.run()
    }

    /// Replaces whatever the key holds with the string `value`, keeping the row when it is
    /// already a string (as SET does), and returns the record. `expireAt` is the new expiry;
    /// `keepTTL` keeps an existing one instead.
    @discardableResult
    func writeString(_ key: [UInt8], _ value: [UInt8], expireAt: Int64? = nil, keepTTL: Bool = false) throws -> KeyRecord {
        let record: KeyRecord
        let existing = try lookupForWrite(key)
        if let existing, existing.type == .string {
            let newExpiry = keepTTL ? existing.expireAt : expireAt
            // The write itself: new expiry, version and updated_at in one statement.
            try setExpiry(existing, newExpiry)
            record = KeyRecord(id: existing.id, type: .string, expireAt: newExpiry, version: existing.version + 1)
        } else {
            if let existing {
                // Another type: SET replaces it entirely (upstream leaves the old type's rows).
                try delete(existing)
            }
            record = try create(key, type: .string, expireAt: keepTTL ? existing?.expireAt : expireAt)
        }
        try setStringValue(record, value)
        return record
    }
}
