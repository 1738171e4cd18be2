import SQLite

/// The baseline: the least SQL that does each command's work on the same schema, through
/// prepared statements, with no command parsing, type checks or reply building. A write is one
/// transaction, as in the engine; a read is one autocommit statement.
final class RawSQLite {
    let database: Database
    private var now: Int64 = 1_767_225_600_000

    init(database: Database) { self.database = database }

    private func upsertKey(_ key: [UInt8], type: Int64) throws -> Int64 {
        now += 1
        let statement = try database.cached("""
            INSERT INTO keys (db, key, type, version, created_at, updated_at) VALUES (0, ?1, ?2, 1, ?3, ?3)
            ON CONFLICT(db, key) DO UPDATE SET version = version + 1, updated_at = excluded.updated_at
            RETURNING id
            """)
        try statement.bindText(1, key)
        try statement.bind(2, type)
        try statement.bind(3, now)
        _ = try statement.step()
        let id = statement.int64(0)
        try statement.run()
        return id
    }

    /// One write transaction; `commit()` resets the statements first, as the engine does, so
    /// no finished statement keeps a WAL snapshot open.
    private func transaction(_ body: () throws -> Void) throws {
        try database.begin(immediate: true)
        do {
            try body()
            try database.commit()
        } catch {
            database.rollback()
            throw error
        }
    }

    /// Runs an autocommit read and resets its statement, ending the implicit read transaction.
    private func read<T>(_ body: () throws -> T) rethrows -> T {
        defer { database.resetStatements() }
        return try body()
    }

    func get(_ key: [UInt8]) throws -> [UInt8]? {
        try read { try getValue(key) }
    }

    private func getValue(_ key: [UInt8]) throws -> [UInt8]? {
        let statement = try database.cached(
            "SELECT s.value FROM keys k JOIN strings s ON s.key_id = k.id WHERE k.db = 0 AND k.key = ?1")
        try statement.bindText(1, key)
        return try statement.step() ? statement.bytes(0) : nil
    }

    func set(_ key: [UInt8], _ value: [UInt8]) throws {
        try transaction {
            let id = try upsertKey(key, type: 1)
            let statement = try database.cached(
                "INSERT INTO strings (key_id, value) VALUES (?1, ?2) ON CONFLICT(key_id) DO UPDATE SET value = excluded.value")
            try statement.bind(1, id)
            try statement.bindBlob(2, value)
            try statement.run()
        }
    }

    func incr(_ key: [UInt8]) throws {
        try transaction {
            let id = try upsertKey(key, type: 1)
            let read = try database.cached("SELECT value FROM strings WHERE key_id = ?1")
            try read.bind(1, id)
            let current = try read.step() ? Int64(String(decoding: read.bytes(0), as: UTF8.self)) ?? 0 : 0
            let write = try database.cached(
                "INSERT INTO strings (key_id, value) VALUES (?1, ?2) ON CONFLICT(key_id) DO UPDATE SET value = excluded.value")
            try write.bind(1, id)
            try write.bindBlob(2, Array(String(current + 1).utf8))
            try write.run()
        }
    }

    func lpush(_ key: [UInt8], _ value: [UInt8]) throws {
        try transaction {
            let id = try upsertKey(key, type: 3)
            let head = try database.cached("SELECT MIN(pos) FROM lists WHERE key_id = ?1")
            try head.bind(1, id)
            _ = try head.step()
            let position = head.isNull(0) ? 0 : head.int64(0) - 1_000_000
            let insert = try database.cached("INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)")
            try insert.bind(1, id)
            try insert.bind(2, position)
            try insert.bindBlob(3, value)
            try insert.run()
        }
    }

    func hset(_ key: [UInt8], _ field: [UInt8], _ value: [UInt8]) throws {
        try transaction {
            let id = try upsertKey(key, type: 2)
            let statement = try database.cached(
                "INSERT INTO hashes (key_id, field, value) VALUES (?1, ?2, ?3) ON CONFLICT(key_id, field) DO UPDATE SET value = excluded.value")
            try statement.bind(1, id)
            try statement.bindText(2, field)
            try statement.bindBlob(3, value)
            try statement.run()
        }
    }

    func zadd(_ key: [UInt8], _ score: Double, _ member: [UInt8]) throws {
        try transaction {
            let id = try upsertKey(key, type: 5)
            let statement = try database.cached(
                "INSERT INTO zsets (key_id, member, score) VALUES (?1, ?2, ?3) ON CONFLICT(key_id, member) DO UPDATE SET score = excluded.score")
            try statement.bind(1, id)
            try statement.bindBlob(2, member)
            try statement.bind(3, score)
            try statement.run()
        }
    }

    func zrange(_ key: [UInt8], count: Int64) throws -> [[UInt8]] {
        try read { try zrangeMembers(key, count: count) }
    }

    private func zrangeMembers(_ key: [UInt8], count: Int64) throws -> [[UInt8]] {
        let statement = try database.cached("""
            SELECT z.member FROM keys k JOIN zsets z ON z.key_id = k.id
            WHERE k.db = 0 AND k.key = ?1 ORDER BY z.score, z.member LIMIT ?2
            """)
        try statement.bindText(1, key)
        try statement.bind(2, count)
        var members: [[UInt8]] = []
        while try statement.step() { members.append(statement.bytes(0)) }
        return members
    }
}
