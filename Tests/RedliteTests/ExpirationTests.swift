import RESP
import Testing
@testable import Redlite

/// Expiry on virtual time: lazy (every command hides expired keys), the active purge (write
/// commands delete expired rows every 1000/hz ms), and writes to expired keys starting afresh.
@Suite struct ExpirationTests {
    private typealias F = KeyFixtures

    private func now(_ db: TestDatabase) -> Int64 { db.clock.nowMilliseconds() }

    private func keyRows(_ db: TestDatabase) throws -> Int {
        Int(try db.sql("SELECT COUNT(*) FROM keys").first?.first ?? "") ?? -1
    }

    @Test func keyIsVisibleUpToItsExpiryMillisecond() {
        let db = TestDatabase()
        F.string(db, "k")
        #expect(db("PEXPIRE", "k", "100") == .integer(1))
        db.advance(milliseconds: 100)
        // Redis: expired only once now > expire_at.
        #expect(db("EXISTS", "k") == .integer(1))
        #expect(db("PTTL", "k") == .integer(0))
        #expect(db("TTL", "k") == .integer(0))
        #expect(db("TYPE", "k") == .simple("string"))
        #expect(db("KEYS", "*") == .bulks("k"))
        #expect(db("RANDOMKEY") == .bulk("k"))
        #expect(db("DBSIZE") == .integer(1))
        db.advance(milliseconds: 1)
        #expect(db("EXISTS", "k") == .integer(0))
        #expect(db("PTTL", "k") == .integer(-2))
        #expect(db("TTL", "k") == .integer(-2))
        #expect(db("EXPIRETIME", "k") == .integer(-2))
        #expect(db("TYPE", "k") == .simple("none"))
        #expect(db("KEYS", "*") == .array([]))
        #expect(db("KEYS", "k*") == .array([]))
        #expect(db("SCAN", "0") == .array([.bulk("0"), .array([])]))
        #expect(db("SCAN", "0", "TYPE", "string") == .array([.bulk("0"), .array([])]))
        #expect(db("RANDOMKEY") == .null)
        #expect(db("DBSIZE") == .integer(0))
    }

    @Test func ttlRoundsToTheNearestSecond() {
        let db = TestDatabase()
        F.string(db, "k")
        #expect(db("EXPIRE", "k", "60") == .integer(1))
        #expect(db("TTL", "k") == .integer(60))
        db.advance(milliseconds: 500)
        #expect(db("PTTL", "k") == .integer(59_500))
        #expect(db("TTL", "k") == .integer(60))
        db.advance(milliseconds: 1)
        #expect(db("PTTL", "k") == .integer(59_499))
        #expect(db("TTL", "k") == .integer(59))
    }

    @Test func activePurgeRemovesRowsNobodyReads() throws {
        let db = TestDatabase()
        // The first write purges and starts the 100 ms (hz 10) interval.
        #expect(db("DEL", "nothing") == .integer(0))
        let start = now(db)
        F.string(db, "keep")
        for index in 0..<3 { F.string(db, "t\(index)", expireAt: start + 10) }
        F.list(db, "l", [F.bytes("a"), F.bytes("b")])
        #expect(db("PEXPIRE", "l", "10") == .integer(1))
        db.advance(milliseconds: 50)
        // Reads hide the keys but never write.
        #expect(db("EXISTS", "t0", "t1", "t2", "l") == .integer(0))
        #expect(try keyRows(db) == 5)
        // A write within the interval does not purge.
        #expect(db("DEL", "nothing") == .integer(0))
        #expect(try keyRows(db) == 5)
        db.advance(milliseconds: 50)
        #expect(db("DEL", "nothing") == .integer(0))
        #expect(try keyRows(db) == 1)
        // The list's element rows went with the key row.
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["0"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func activePurgeHonoursBatchSizeAndHz() throws {
        let db = TestDatabase()
        #expect(db("CONFIG", "SET", "redlite-active-expire-batch", "2") == .ok)
        #expect(db("CONFIG", "SET", "hz", "500") == .ok)
        // CONFIG is not a write command: the first purge happens at the first write.
        for index in 0..<5 { F.string(db, "t\(index)", expireAt: now(db)) }
        F.string(db, "other-db", expireAt: now(db), inDB: 7)
        db.advance(milliseconds: 1)
        #expect(db("PERSIST", "nothing") == .integer(0))
        #expect(try keyRows(db) == 4)
        #expect(db("PERSIST", "nothing") == .integer(0))
        #expect(try keyRows(db) == 4)
        db.advance(milliseconds: 2)
        #expect(db("PERSIST", "nothing") == .integer(0))
        #expect(try keyRows(db) == 2)
        db.advance(milliseconds: 2)
        #expect(db("PERSIST", "nothing") == .integer(0))
        // Every database is purged, not only the selected one.
        #expect(try keyRows(db) == 0)
    }

    @Test func writesToExpiredKeysStartFromAnEmptyKey() throws {
        let db = TestDatabase()
        F.list(db, "l", [F.bytes("a"), F.bytes("b")])
        F.string(db, "e1")
        F.string(db, "e2")
        F.string(db, "e3")
        F.string(db, "src", "fresh")
        F.string(db, "src2", "fresh2")
        // Keep the active purge out of the way (hz 1: the first write purges, the next only
        // a second later), to see each command's own handling of expired keys.
        #expect(db("CONFIG", "SET", "hz", "1") == .ok)
        for key in ["l", "e1", "e2", "e3"] { #expect(db("PEXPIRE", key, "10") == .integer(1)) }
        db.advance(milliseconds: 11)
        #expect(try keyRows(db) == 6)

        // An expired destination does not block COPY or RENAMENX.
        #expect(db("COPY", "src", "l") == .integer(1))
        #expect(db("TYPE", "l") == .simple("string"))
        #expect(db("TTL", "l") == .integer(-1))
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["0"]])
        #expect(db("RENAMENX", "src2", "e1") == .integer(1))
        #expect(db("TTL", "e1") == .integer(-1))
        // EXPIRE and PERSIST see nothing, and drop the expired row.
        #expect(db("EXPIRE", "e2", "100") == .integer(0))
        #expect(db("PERSIST", "e3") == .integer(0))
        #expect(db("EXISTS", "e2", "e3") == .integer(0))
        #expect(try db.sql("SELECT key FROM keys ORDER BY key") == [["e1"], ["l"], ["src"]])
        #expect(try db.sql("SELECT value FROM strings ORDER BY value") == [["fresh"], ["fresh"], ["fresh2"]])
    }

    @Test func expiredSourcesAreMissing() throws {
        let db = TestDatabase()
        F.string(db, "s", expireAt: now(db) + 5)
        #expect(db("CONFIG", "SET", "hz", "1") == .ok)
        #expect(db("DEL", "nothing") == .integer(0))
        db.advance(milliseconds: 6)
        #expect(db("RENAME", "s", "t") == .err("ERR no such key"))
        #expect(db("RENAMENX", "s", "t") == .err("ERR no such key"))
        #expect(db("COPY", "s", "t") == .integer(0))
        #expect(db("EXISTS", "t") == .integer(0))
        #expect(db("DEL", "s") == .integer(0))
        #expect(try keyRows(db) == 0)
    }

    @Test func expireAtInThePastDeletesAtOnce() throws {
        let db = TestDatabase()
        F.hash(db, "h", [("f", F.bytes("v"))])
        #expect(db("EXPIREAT", "h", String(now(db) / 1000 - 1)) == .integer(1))
        #expect(try keyRows(db) == 0)
        #expect(try db.sql("SELECT COUNT(*) FROM hashes") == [["0"]])
    }

    /// Runs only once the string and list families are merged into the tree.
    @Test func setAndRpushOnExpiredKeysStartEmpty() {
        let db = TestDatabase()
        guard CommandTable.lookup(F.bytes("rpush")) != nil, CommandTable.lookup(F.bytes("lrange")) != nil,
              CommandTable.lookup(F.bytes("set")) != nil, CommandTable.lookup(F.bytes("get")) != nil else { return }
        #expect(db("RPUSH", "l", "a", "b") == .integer(2))
        #expect(db("SET", "s", "old") == .ok)
        #expect(db("PEXPIRE", "l", "10") == .integer(1))
        #expect(db("PEXPIRE", "s", "10") == .integer(1))
        db.advance(milliseconds: 11)
        #expect(db("RPUSH", "l", "c") == .integer(1))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("c"))
        #expect(db("TTL", "l") == .integer(-1))
        #expect(db("GET", "s") == .null)
        #expect(db("SET", "s", "new") == .ok)
        #expect(db("GET", "s") == .bulk("new"))
        #expect(db("TTL", "s") == .integer(-1))
    }
}
