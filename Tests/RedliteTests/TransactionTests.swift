import CSQLite
import Foundation
import Testing
@testable import Redlite

/// MULTI/EXEC/WATCH and the rule that every command, and every EXEC, is one SQLite transaction.
@Suite struct TransactionTests {
    @Test func execRunsTheQueueInOrder() {
        let db = TestDatabase()
        #expect(db("MULTI") == .ok)
        #expect(db("SET", "a", "1") == .simple("QUEUED"))
        #expect(db("INCR", "a") == .simple("QUEUED"))
        #expect(db("GET", "a") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.ok, .integer(2), .bulk("2")]))
    }

    @Test func controlErrors() {
        let db = TestDatabase()
        #expect(db("EXEC") == .err("ERR EXEC without MULTI"))
        #expect(db("DISCARD") == .err("ERR DISCARD without MULTI"))
        #expect(db("MULTI") == .ok)
        #expect(db("MULTI") == .err("ERR MULTI calls can not be nested"))
        #expect(db("WATCH", "a") == .err("ERR WATCH inside MULTI is not allowed"))
        // Neither of those poisons the transaction.
        #expect(db("PING") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.simple("PONG")]))
        #expect(db("MULTI") == .ok)
        #expect(db("SET", "a", "1") == .simple("QUEUED"))
        #expect(db("DISCARD") == .ok)
        #expect(db("EXISTS", "a") == .integer(0))
    }

    @Test func queueTimeErrorsAbortExec() {
        let db = TestDatabase()
        #expect(db("MULTI") == .ok)
        #expect(db("SET", "a", "1") == .simple("QUEUED"))
        #expect(db("SET", "b") == .arity("set"))
        #expect(db("NOSUCHCOMMAND") == .err("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: "))
        #expect(db("EXEC") == .err("EXECABORT Transaction discarded because of previous errors."))
        #expect(db("EXISTS", "a") == .integer(0))
        // The transaction is over.
        #expect(db("EXEC") == .err("ERR EXEC without MULTI"))
    }

    @Test func runTimeErrorsStayInsideTheReply() {
        let db = TestDatabase()
        #expect(db("MULTI") == .ok)
        db("SET", "a", "x")
        db("INCR", "a")
        db("SET", "b", "1")
        #expect(db("EXEC") == .array([.ok, .notInteger, .ok]))
        #expect(db("GET", "b") == .bulk("1"))
    }

    @Test func watchAbortsWhenAnotherConnectionWrites() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("watch.db").path
        let clock = ManualClock()
        let first = TestDatabase(.file(path), clock: clock)
        let second = TestDatabase(.file(path), clock: clock)
        #expect(first("SET", "k", "1") == .ok)
        #expect(first("WATCH", "k") == .ok)
        #expect(second("SET", "k", "2") == .ok)
        #expect(first("MULTI") == .ok)
        #expect(first("SET", "k", "3") == .simple("QUEUED"))
        #expect(first("EXEC") == .nullArray)
        #expect(first("GET", "k") == .bulk("2"))
        // WATCH is cleared by EXEC: the next transaction goes through.
        #expect(first("MULTI") == .ok)
        #expect(first("SET", "k", "3") == .simple("QUEUED"))
        #expect(first("EXEC") == .array([.ok]))
    }

    @Test func watchSeesADeleteAndRecreateOfTheSameValue() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("aba.db").path
        let first = TestDatabase(.file(path))
        let second = TestDatabase(.file(path))
        first("SET", "k", "v")
        first("WATCH", "k")
        second("DEL", "k")
        second("SET", "k", "v")
        first("MULTI")
        first("SET", "k", "mine")
        #expect(first("EXEC") == .nullArray)
    }

    @Test func watchOfAMissingKeyAbortsWhenItAppears() {
        let db = TestDatabase()
        db("WATCH", "k")
        db("SET", "k", "1")
        db("MULTI")
        db("SET", "k", "2")
        #expect(db("EXEC") == .nullArray)
    }

    @Test func watchedKeyExpiringBeforeExecAborts() {
        let db = TestDatabase()
        db("SET", "k", "1", "PX", "100")
        db("WATCH", "k")
        db.advance(milliseconds: 101)
        db("MULTI")
        db("SET", "other", "1")
        #expect(db("EXEC") == .nullArray)
    }

    @Test func unchangedWatchedKeysLetExecThrough() {
        let db = TestDatabase()
        db("SET", "k", "1")
        db("WATCH", "k", "missing")
        db("GET", "k")
        db("MULTI")
        db("INCR", "k")
        #expect(db("EXEC") == .array([.integer(2)]))
    }

    /// Each case checked against Redis 7.0.15: a watched key that was absent and is absent
    /// again at EXEC still aborts if it existed in between.
    @Test func watchOfAnAbsentKeySeesItComeAndGo() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("absent.db").path
        let clock = ManualClock()
        let a = TestDatabase(.file(path), clock: clock), b = TestDatabase(.file(path), clock: clock)
        func exec() -> Reply {
            a("MULTI")
            a("PING")
            return a("EXEC")
        }
        // Created and deleted by another connection, then by the same one.
        a("WATCH", "k"); b("SET", "k", "1"); b("DEL", "k")
        #expect(exec() == .nullArray)
        a("WATCH", "k"); a("SET", "k", "1"); a("DEL", "k")
        #expect(exec() == .nullArray)
        // Renamed in and out again.
        b("SET", "x", "1")
        a("WATCH", "k"); b("RENAME", "x", "k"); b("RENAME", "k", "x")
        #expect(exec() == .nullArray)
        // DEL of a key that never existed changes nothing.
        a("WATCH", "m"); b("DEL", "m")
        #expect(exec() == .array([.simple("PONG")]))
        // SWAPDB twice: aborts only when the key exists in one of the two databases.
        a("WATCH", "z"); b("SWAPDB", "0", "1"); b("SWAPDB", "0", "1")
        #expect(exec() == .array([.simple("PONG")]))
        b("SELECT", "1"); b("SET", "y", "1")
        a("WATCH", "y"); b("SWAPDB", "0", "1"); b("SWAPDB", "0", "1")
        #expect(exec() == .nullArray)
        // Another program's writes (plain SQL, as upstream Redlite does them) are seen too.
        a("WATCH", "u")
        try b.connection.database.execute("""
            INSERT INTO keys (db, key, type, created_at, updated_at, version) VALUES (0, 'u', 1, 0, 0, 1);
            DELETE FROM keys WHERE key = 'u';
            """)
        #expect(exec() == .nullArray)
        // Registrations are removed by EXEC, DISCARD and UNWATCH.
        a("WATCH", "p"); a("MULTI"); a("DISCARD")
        a("WATCH", "q"); a("UNWATCH")
        #expect(try a.sql("SELECT COUNT(*) FROM redlite_watches") == [["0"]])
    }

    /// A key already expired (but not yet removed) at WATCH: its removal changes nothing a
    /// client could see, so EXEC goes through; recreating it aborts (both as Redis 7.0).
    @Test func watchOfAnAlreadyExpiredKey() throws {
        let db = TestDatabase()
        // One active purge a second, so the expired rows are still there at WATCH.
        db("CONFIG", "SET", "hz", "1")
        db("SET", "e", "v", "PX", "20")
        db("SET", "f", "v", "PX", "20")
        db.advance(milliseconds: 100)
        db("WATCH", "f")
        db("SET", "f", "new")
        db("MULTI")
        db("PING")
        #expect(db("EXEC") == .nullArray)
        db("WATCH", "e")
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE key = 'e'") == [["1"]])
        #expect(try db.connection.purgeExpiredKeys() == 1)
        db("MULTI")
        db("PING")
        #expect(db("EXEC") == .array([.simple("PONG")]))
    }

    @Test func execIsOneSQLiteCommit() {
        let db = TestDatabase()
        let commits = CommitCounter(db.connection)
        db("MULTI")
        for index in 0..<5 { db("SET", "k\(index)", "v") }
        db("EXEC")
        #expect(commits.count == 1)
        for index in 0..<5 { db("SET", "j\(index)", "v") }
        #expect(commits.count == 6)
    }

    /// A command that fails after it has written part of its work leaves nothing behind: the
    /// trigger makes the second INSERT of SET fail after the key row was inserted.
    @Test func aFailingCommandIsRolledBackWhole() throws {
        let db = TestDatabase()
        try db.connection.database.execute("""
            CREATE TEMP TRIGGER poison BEFORE INSERT ON strings WHEN NEW.value = CAST('poison' AS BLOB)
            BEGIN SELECT RAISE(ABORT, 'poisoned value'); END;
            """)
        guard case .error(let message) = db("SET", "k", "poison") else {
            Issue.record("SET of a poisoned value must fail")
            return
        }
        #expect(message.hasPrefix("ERR storage error: poisoned value"))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        // Inside EXEC only the failing command is undone, as Redis applies the others.
        db("MULTI")
        db("SET", "a", "1")
        db("SET", "b", "poison")
        db("SET", "c", "1")
        guard case .array(let replies) = db("EXEC"), replies.count == 3 else {
            Issue.record("EXEC must answer three replies")
            return
        }
        #expect(replies[0] == .ok && replies[1].isError && replies[2] == .ok)
        #expect(try db.sql("SELECT key FROM keys ORDER BY key") == [["a"], ["c"]])
        #expect(try db.integrityCheck() == ["ok"])
    }
}

/// Counts commits on a connection through SQLite's commit hook.
final class CommitCounter {
    private(set) var count = 0

    init(_ connection: RedliteConnection) {
        sqlite3_commit_hook(connection.database.handle, { context in
            guard let context else { return 0 }
            Unmanaged<CommitCounter>.fromOpaque(context).takeUnretainedValue().count += 1
            return 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
