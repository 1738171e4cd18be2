import Foundation
import SQLite
import Testing
@testable import Redlite

/// Open modes: memory, WAL file with FULL or NORMAL, a named VFS, several connections.
@Suite struct StorageModeTests {
    @Test func memoryDatabase() throws {
        let db = TestDatabase()
        #expect(try db.sql("PRAGMA journal_mode") == [["memory"]])
        #expect(db("SET", "k", "v") == .ok)
        #expect(db("GET", "k") == .bulk("v"))
    }

    @Test(arguments: [(StorageOptions.Durability.full, "2"), (.normal, "1")])
    func fileInWALWithTheChosenDurability(durability: StorageOptions.Durability, synchronous: String) throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = TestDatabase(.file(folder.appendingPathComponent("d.db").path, durability: durability))
        #expect(try db.sql("PRAGMA journal_mode") == [["wal"]])
        #expect(try db.sql("PRAGMA synchronous") == [[synchronous]])
        #expect(try db.sql("PRAGMA foreign_keys") == [["1"]])
        #expect(db("CONFIG", "GET", "redlite-synchronous") == .map([ReplyPair(.bulk("redlite-synchronous"), .bulk(durability.rawValue))]))
    }

    @Test func dataSurvivesReopening() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("reopen.db").path
        do {
            let db = TestDatabase(.file(path))
            db("SET", "k", "v")
            db("RPUSH", "l", "a", "b")
        }
        let db = TestDatabase(.file(path))
        #expect(db("GET", "k") == .bulk("v"))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("a", "b"))
    }

    @Test func severalConnectionsShareOneFile() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("shared.db").path
        let connections = (0..<4).map { _ in TestDatabase(.file(path)) }
        for (index, db) in connections.enumerated() { #expect(db("INCR", "counter") == .integer(Int64(index + 1))) }
        #expect(connections[0]("GET", "counter") == .bulk("4"))
        connections[2]("SELECT", "3")
        connections[2]("SET", "only-in-3", "x")
        #expect(connections[1]("EXISTS", "only-in-3") == .integer(0))
        connections[1]("SELECT", "3")
        #expect(connections[1]("EXISTS", "only-in-3") == .integer(1))
    }

    /// A read leaves no snapshot behind: the next command sees another connection's commit.
    @Test func readsNeverSeeAStaleSnapshot() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fresh.db").path
        let reader = TestDatabase(.file(path)), writer = TestDatabase(.file(path))
        for round in 0..<5 {
            #expect(writer("SET", "k", "v\(round)") == .ok)
            #expect(reader("GET", "k") == .bulk("v\(round)"))
            #expect(reader("EXISTS", "k", "k") == .integer(2))
        }
    }

    @Test func namedVFS() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // unix-dotfile is one of SQLite's built-in VFSes on Unix: proof the name reaches sqlite3_open_v2.
        let db = TestDatabase(.file(folder.appendingPathComponent("v.db").path, vfs: "unix-dotfile"))
        #expect(db("SET", "k", "v") == .ok)
        guard case .bulk(let info) = db("INFO", "server") else { Issue.record("INFO must answer a bulk string"); return }
        #expect(String(decoding: info, as: UTF8.self).contains("redlite_vfs:unix-dotfile"))
        #expect(throws: SQLiteError.self) {
            _ = try RedliteConnection(.file(folder.appendingPathComponent("w.db").path, vfs: "no-such-vfs"))
        }
    }

    @Test func theInjectedClockDrivesTTLs() {
        let clock = ManualClock(milliseconds: 1_000_000)
        let db = TestDatabase(clock: clock)
        db("SET", "k", "v", "EX", "10")
        #expect(db("PEXPIRETIME", "k") == .integer(1_010_000))
        clock.advance(milliseconds: 9_999)
        #expect(db("TTL", "k") == .integer(0))
        #expect(db("PTTL", "k") == .integer(1))
        clock.advance(milliseconds: 1)
        #expect(db("GET", "k") == .bulk("v"))
        clock.advance(milliseconds: 1)
        #expect(db("GET", "k") == .null)
    }

    @Test func activePurgeDeletesExpiredRows() throws {
        let db = TestDatabase()
        for index in 0..<50 { db("SET", "k\(index)", "v", "PX", "10") }
        db("SET", "keep", "v")
        db.advance(milliseconds: 1000)
        db("SET", "trigger", "v")
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["2"]])
    }

    @Test func vacuumPurgesAndCompacts() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = TestDatabase(.file(folder.appendingPathComponent("vac.db").path))
        db("CONFIG", "SET", "hz", "1")
        for index in 0..<5 { db("SET", "k\(index)", "v", "PX", "10") }
        db("SET", "keep", "v")
        db.advance(milliseconds: 11)
        #expect(db("VACUUM") == .integer(5))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["1"]])
        #expect(db("VACUUM") == .integer(0))
    }

    @Test func keyinfo() {
        let db = TestDatabase(clock: ManualClock(milliseconds: 5_000))
        #expect(db("KEYINFO", "missing") == .null)
        db("SET", "k", "v")
        db.advance(milliseconds: 10)
        db("APPEND", "k", "w")
        #expect(db("KEYINFO", "k") == .array([
            .bulk("type"), .bulk("string"), .bulk("ttl"), .integer(-1),
            .bulk("created_at"), .integer(5_000), .bulk("updated_at"), .integer(5_010),
        ]))
        db("EXPIRE", "k", "100")
        guard case .array(let fields) = db("KEYINFO", "k") else { Issue.record("KEYINFO must answer an array"); return }
        #expect(fields[3] == .integer(100))
    }

    @Test func infoKeyspace() {
        let db = TestDatabase()
        db("SET", "a", "1")
        db("SET", "b", "1", "EX", "100")
        db("SELECT", "2")
        db("SET", "c", "1")
        #expect(db("INFO", "keyspace") == .bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n"))
    }

    @Test func swapdbAndFlush() {
        let db = TestDatabase()
        db("SET", "k", "zero")
        db("SELECT", "1")
        db("SET", "k", "one")
        db("SET", "only1", "x")
        #expect(db("SWAPDB", "0", "1") == .ok)
        #expect(db("GET", "k") == .bulk("zero"))
        #expect(db("DBSIZE") == .integer(1))
        db("SELECT", "0")
        #expect(db("GET", "k") == .bulk("one"))
        #expect(db("SWAPDB", "0", "x") == .err("ERR invalid second DB index"))
        #expect(db("SWAPDB", "0", "16") == .err("ERR DB index is out of range"))
        #expect(db("FLUSHDB") == .ok)
        #expect(db("DBSIZE") == .integer(0))
        db("SELECT", "1")
        #expect(db("DBSIZE") == .integer(1))
        #expect(db("FLUSHALL") == .ok)
        #expect(db("DBSIZE") == .integer(0))
    }
}
