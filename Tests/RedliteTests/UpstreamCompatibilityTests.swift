import Foundation
import SQLite
import Testing
@testable import Redlite

/// Files must be interchangeable with upstream Redlite (for UTF-8 keys). Upstream binds keys
/// and hash fields as TEXT and everything else as BLOB; SQLite never finds a TEXT value equal
/// to a BLOB one, so these storage classes are the compatibility contract.
@Suite struct UpstreamCompatibilityTests {
    @Test func rowsUseUpstreamStorageClassesAndTypeNumbers() throws {
        let db = TestDatabase()
        db("SET", "s", "v")
        db("INCR", "n")
        db("HSET", "h", "field", "value")
        db("RPUSH", "l", "a")
        db("SADD", "set", "m")
        db("ZADD", "z", "1.5", "m")
        #expect(try db.sql("SELECT key, type, typeof(key) FROM keys ORDER BY type, key") == [
            ["n", "1", "text"], ["s", "1", "text"], ["h", "2", "text"], ["l", "3", "text"],
            ["set", "4", "text"], ["z", "5", "text"],
        ])
        #expect(try db.sql("SELECT DISTINCT typeof(value) FROM strings") == [["blob"]])
        #expect(try db.sql("SELECT typeof(field), typeof(value) FROM hashes") == [["text", "blob"]])
        #expect(try db.sql("SELECT typeof(value) FROM lists") == [["blob"]])
        #expect(try db.sql("SELECT typeof(member) FROM sets") == [["blob"]])
        #expect(try db.sql("SELECT typeof(member), typeof(score) FROM zsets") == [["blob", "real"]])
        #expect(try db.sql("SELECT version >= 1 FROM keys WHERE key = 's'") == [["1"]])
    }

    @Test func listPositionsFollowUpstreamGaps() throws {
        let db = TestDatabase()
        db("LPUSH", "left", "a", "b", "c")
        db("RPUSH", "right", "a", "b")
        #expect(try db.sql("""
            SELECT k.key, l.pos FROM lists l JOIN keys k ON k.id = l.key_id ORDER BY k.key, l.pos
            """) == [["left", "-2000000"], ["left", "-1000000"], ["left", "0"],
                     ["right", "1000000"], ["right", "2000000"]])
    }

    @Test func binaryKeysAreStoredAsBlobsAndDoNotCollide() throws {
        let db = TestDatabase()
        let binary: [UInt8] = [0xff, 0x00, 0x0d, 0x0a]
        #expect(db.run([Array("SET".utf8), binary, [0x00, 0xfe]]) == .ok)
        #expect(db.run([Array("GET".utf8), binary]) == .bulk([0x00, 0xfe]))
        #expect(try db.sql("SELECT typeof(key) FROM keys") == [["blob"]])
        #expect(db.run([Array("HSET".utf8), Array("h".utf8), binary, [1]]) == .integer(1))
        #expect(try db.sql("SELECT typeof(field) FROM hashes") == [["blob"]])
        #expect(db.run([Array("HGET".utf8), Array("h".utf8), binary]) == .bulk([1]))
    }

    /// A file as upstream writes it (its INSERT shapes, TEXT keys, no redlite_meta table) opens
    /// here and reads back; new keys then get ids above upstream's.
    @Test func readsAFileUpstreamWrote() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("upstream.db").path
        do {
            let upstream = try Database(path: path)
            try upstream.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            try upstream.execute(Schema.tables)
            try upstream.execute("""
                INSERT INTO keys (db, key, type, updated_at, created_at, version) VALUES (0, 'greeting', 1, 1000, 1000, 1);
                INSERT INTO strings (key_id, value) VALUES (1, CAST('héllo' AS BLOB));
                INSERT INTO keys (db, key, type, updated_at, created_at, version) VALUES (0, 'h', 2, 1000, 1000, 1);
                INSERT INTO hashes (key_id, field, value) VALUES (2, 'f', CAST('1' AS BLOB));
                INSERT INTO keys (db, key, type, updated_at, created_at, version) VALUES (0, 'l', 3, 1000, 1000, 1);
                INSERT INTO lists (key_id, pos, value) VALUES (3, 1000000, CAST('a' AS BLOB)), (3, 2000000, CAST('b' AS BLOB));
                INSERT INTO keys (db, key, type, updated_at, created_at, version) VALUES (0, 's', 4, 1000, 1000, 1);
                INSERT INTO sets (key_id, member) VALUES (4, CAST('m' AS BLOB));
                INSERT INTO keys (db, key, type, updated_at, created_at, version) VALUES (1, 'z', 5, 1000, 1000, 1);
                INSERT INTO zsets (key_id, member, score) VALUES (5, CAST('x' AS BLOB), 2.5);
                """)
        }
        let db = TestDatabase(.file(path))
        #expect(db("GET", "greeting") == .bulk("héllo"))
        #expect(db("HINCRBY", "h", "f", "2") == .integer(3))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("a", "b"))
        #expect(db("SMEMBERS", "s") == .set([.bulk("m")]))
        db("SELECT", "1")
        #expect(db("ZSCORE", "z", "x") == .double(2.5))
        db("SET", "new", "v")
        #expect(try db.sql("SELECT id FROM keys WHERE key = 'new'") == [["6"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    /// Upstream's own read queries (TEXT-bound keys) find what this engine wrote.
    @Test func upstreamQueriesFindWhatWeWrote() throws {
        let db = TestDatabase()
        db("SET", "ключ", "value")
        db("HSET", "h", "поле", "v")
        let get = try db.connection.database.prepare(
            "SELECT s.value FROM keys k JOIN strings s ON s.key_id = k.id WHERE k.db = ?1 AND k.key = ?2")
        try get.bind(1, Int64(0))
        try get.bind(2, "ключ")
        #expect(try get.step())
        #expect(get.bytes(0) == Array("value".utf8))
        let hget = try db.connection.database.prepare(
            "SELECT h.value FROM keys k JOIN hashes h ON h.key_id = k.id WHERE k.db = 0 AND k.key = ?1 AND h.field = ?2")
        try hget.bind(1, "h")
        try hget.bind(2, "поле")
        #expect(try hget.step())
    }
}
