import CSQLite
import Foundation
import RESP
import Testing
@testable import Redlite

/// Replies checked against Redis 7.0.15.
@Suite struct ListCommandsTests {
    // MARK: Helpers

    /// Makes `key` a string (the string family is not needed for WRONGTYPE checks).
    private func makeString(_ db: TestDatabase, _ key: String) {
        do {
            try db.connection.store.writeString(Array(key.utf8), Array("v".utf8))
        } catch {
            Issue.record("cannot write string: \(error)")
        }
    }

    /// The list's positions in order.
    private func positions(_ db: TestDatabase, _ key: String) throws -> [Int64] {
        try db.sql("""
            SELECT pos FROM lists WHERE key_id = (SELECT id FROM keys WHERE key = '\(key)') ORDER BY pos
            """).compactMap { Int64($0[0]) }
    }

    private func version(_ db: TestDatabase, _ key: String) throws -> Int64? {
        try db.sql("SELECT version FROM keys WHERE key = '\(key)'").first.flatMap { Int64($0[0]) }
    }

    private func execSQL(_ db: TestDatabase, _ sql: String) {
        do { try db.connection.database.execute(sql) } catch { Issue.record("SQL failed: \(error)") }
    }

    private let gap = ListCommands.gap

    // MARK: Push

    @Test func pushesAndLengths() throws {
        let db = TestDatabase()
        #expect(db("LPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("c", "b", "a"))
        #expect(db("RPUSH", "l", "x", "y") == .integer(5))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("c", "b", "a", "x", "y"))
        #expect(db("LPUSHX", "l", "p", "q") == .integer(7))
        #expect(db("RPUSHX", "l", "z") == .integer(8))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("q", "p", "c", "b", "a", "x", "y", "z"))
        #expect(db("LPUSHX", "none", "a") == .integer(0))
        #expect(db("RPUSHX", "none", "a", "b") == .integer(0))
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE key = 'none'") == [["0"]])
        #expect(db("LLEN", "l") == .integer(8))
        #expect(db("LLEN", "none") == .integer(0))
        #expect(db("LPUSH", "l") == .arity("lpush"))
        #expect(db("RPUSH", "l") == .arity("rpush"))
        #expect(db("LPUSHX", "l") == .arity("lpushx"))
        #expect(db("RPUSHX", "l") == .arity("rpushx"))
        #expect(db("LLEN") == .arity("llen"))
        #expect(db("LLEN", "l", "x") == .arity("llen"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func wrongTypeEverywhere() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "l", "a") == .integer(1))
        let wrong: [[String]] = [
            ["LPUSH", "s", "a"], ["RPUSH", "s", "a"], ["LPUSHX", "s", "a"], ["RPUSHX", "s", "a"],
            ["LPOP", "s"], ["RPOP", "s"], ["LPOP", "s", "0"], ["RPOP", "s", "2"], ["LLEN", "s"],
            ["LRANGE", "s", "0", "-1"], ["LINDEX", "s", "0"], ["LINDEX", "s", "x"], ["LSET", "s", "0", "x"],
            ["LSET", "s", "x", "x"], ["LTRIM", "s", "0", "1"], ["LREM", "s", "0", "a"],
            ["LINSERT", "s", "BEFORE", "a", "b"], ["LPOS", "s", "a"], ["LPOS", "s", "a", "COUNT", "0"],
            ["LMOVE", "s", "l", "LEFT", "RIGHT"], ["LMOVE", "l", "s", "LEFT", "RIGHT"],
            ["RPOPLPUSH", "s", "l"], ["RPOPLPUSH", "l", "s"],
        ]
        for argv in wrong {
            #expect(db.run(argv.map { Array($0.utf8) }) == .wrongType, "\(argv)")
        }
        // Nothing was popped by the failed moves.
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("a"))
    }

    @Test func emptyAndBinaryValues() throws {
        let db = TestDatabase()
        let binary: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x41]
        let key: [UInt8] = [0x6b, 0x00, 0xfe]
        #expect(db.run([Array("RPUSH".utf8), key, [], binary, [0]]) == .integer(3))
        #expect(db.run([Array("LRANGE".utf8), key, Array("0".utf8), Array("-1".utf8)]) == .array([.bulk([]), .bulk(binary), .bulk([0])]))
        #expect(db.run([Array("LPOS".utf8), key, binary]) == .integer(1))
        #expect(db.run([Array("LPOS".utf8), key, []]) == .integer(0))
        #expect(db.run([Array("LINSERT".utf8), key, Array("AFTER".utf8), [], [0xff]]) == .integer(4))
        #expect(db.run([Array("LREM".utf8), key, Array("0".utf8), [0]]) == .integer(1))
        #expect(db.run([Array("LINDEX".utf8), key, Array("1".utf8)]) == .bulk([0xff]))
        #expect(db.run([Array("LSET".utf8), key, Array("-1".utf8), binary + binary]) == .ok)
        #expect(db.run([Array("RPOP".utf8), key]) == .bulk(binary + binary))
        #expect(db.run([Array("LPOP".utf8), key, Array("5".utf8)]) == .array([.bulk([]), .bulk([0xff])]))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    // MARK: Storage layout

    @Test func pushPositionsOnAnEmptyList() throws {
        let db = TestDatabase()
        #expect(db("LPUSH", "l", "a") == .integer(1))
        #expect(try positions(db, "l") == [0])
        #expect(db("RPUSH", "r", "a") == .integer(1))
        #expect(try positions(db, "r") == [1_000_000])
        #expect(db("LPUSH", "m", "a", "b", "c") == .integer(3))
        #expect(try db.sql("SELECT pos, CAST(value AS TEXT) FROM lists WHERE key_id = (SELECT id FROM keys WHERE key = 'm') ORDER BY pos")
            == [["-2000000", "c"], ["-1000000", "b"], ["0", "a"]])
        #expect(db("RPUSH", "n", "a", "b", "c") == .integer(3))
        #expect(try positions(db, "n") == [1_000_000, 2_000_000, 3_000_000])
        // Further pushes go `gap` beyond the current ends.
        #expect(db("LPUSH", "n", "z") == .integer(4))
        #expect(db("RPUSH", "m", "z") == .integer(4))
        #expect(try positions(db, "n") == [0, 1_000_000, 2_000_000, 3_000_000])
        #expect(try positions(db, "m") == [-2_000_000, -1_000_000, 0, 1_000_000])
        #expect(try db.sql("SELECT DISTINCT typeof(value) FROM lists") == [["blob"]])
        #expect(try db.sql("SELECT DISTINCT type FROM keys") == [["3"]])
    }

    @Test func linsertPositionsAndRebalance() throws {
        let db = TestDatabase()
        #expect(db("RPUSH", "l", "a", "b") == .integer(2))
        #expect(db("LINSERT", "l", "BEFORE", "a", "h") == .integer(3)) // at the head: pivot - gap
        #expect(db("LINSERT", "l", "AFTER", "b", "t") == .integer(4)) // at the tail: pivot + gap
        #expect(try positions(db, "l") == [0, 1_000_000, 2_000_000, 3_000_000])
        #expect(db("LINSERT", "l", "AFTER", "a", "m") == .integer(5)) // midpoint
        #expect(try positions(db, "l") == [0, 1_000_000, 1_500_000, 2_000_000, 3_000_000])
        execSQL(db, "DELETE FROM keys")

        // 25 inserts before one pivot halve the free space until there is none (the 21st),
        // which renumbers the list.
        #expect(db("RPUSH", "r", "a", "b") == .integer(2))
        var expected = ["a"]
        for index in 1...25 {
            #expect(db("LINSERT", "r", "BEFORE", "b", "x\(index)") == .integer(Int64(index + 2)))
            expected.append("x\(index)")
            let stored = try positions(db, "r")
            #expect(stored.count == index + 2)
            #expect(zip(stored, stored.dropFirst()).allSatisfy { $0 < $1 }, "positions must increase: \(stored)")
        }
        expected.append("b")
        #expect(db("LRANGE", "r", "0", "-1") == .array(expected.map { .bulk($0) }))
        let stored = try positions(db, "r")
        // Renumbered when 20 elements sat between a and b: b moved to 22 * gap.
        #expect(stored.first == gap)
        #expect(stored.last == 22 * gap)
        #expect(Array(stored.prefix(21)) == (1...21).map { Int64($0) * gap })
        #expect(Set(stored).count == stored.count)
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func linsertAfterRebalance() throws {
        let db = TestDatabase()
        #expect(db("RPUSH", "r", "a", "b", "c") == .integer(3))
        for index in 1...25 {
            #expect(db("LINSERT", "r", "AFTER", "a", "y\(index)") == .integer(Int64(index + 3)))
        }
        let expected = ["a"] + (1...25).reversed().map { "y\($0)" } + ["b", "c"]
        #expect(db("LRANGE", "r", "0", "-1") == .array(expected.map { .bulk($0) }))
        let stored = try positions(db, "r")
        #expect(zip(stored, stored.dropFirst()).allSatisfy { $0 < $1 })
        #expect(stored.last == 22 * gap) // renumbered with 19 y's in the list; c stayed put after
    }

    @Test func pushesNearTheNinetyPercentMarkRenumber() throws {
        let db = TestDatabase()
        let low = ListCommands.lowestPosition
        let high = ListCommands.highestPosition
        #expect(low == -8_301_034_833_169_298_220)
        #expect(high == 8_301_034_833_169_298_220)

        // LPUSH landing exactly on the mark is allowed.
        #expect(db("RPUSH", "l", "a", "b") == .integer(2))
        execSQL(db, "UPDATE lists SET pos = pos + \(low) WHERE key_id = (SELECT id FROM keys WHERE key = 'l')")
        #expect(try positions(db, "l") == [low + gap, low + 2 * gap])
        #expect(db("LPUSH", "l", "c") == .integer(3))
        #expect(try positions(db, "l") == [low, low + gap, low + 2 * gap])
        // One more would cross it: the list is renumbered to gap, 2*gap, ... and the push goes
        // below the new head.
        #expect(db("LPUSH", "l", "d", "e") == .integer(5))
        #expect(try positions(db, "l") == [-gap, 0, gap, 2 * gap, 3 * gap])
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("e", "d", "c", "a", "b"))

        // RPUSH, mirrored.
        #expect(db("RPUSH", "r", "a", "b") == .integer(2))
        execSQL(db, "UPDATE lists SET pos = pos + \(high - 3 * gap) WHERE key_id = (SELECT id FROM keys WHERE key = 'r')")
        #expect(db("RPUSH", "r", "c") == .integer(3))
        #expect(try positions(db, "r") == [high - 2 * gap, high - gap, high])
        #expect(db("RPUSH", "r", "d") == .integer(4))
        #expect(try positions(db, "r") == [gap, 2 * gap, 3 * gap, 4 * gap])
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("a", "b", "c", "d"))

        // A multi-element push that would cross the mark part-way also renumbers first.
        #expect(db("RPUSH", "m", "a") == .integer(1))
        execSQL(db, "UPDATE lists SET pos = \(high - gap) WHERE key_id = (SELECT id FROM keys WHERE key = 'm')")
        #expect(db("RPUSH", "m", "b", "c") == .integer(3))
        #expect(try positions(db, "m") == [gap, 2 * gap, 3 * gap])

        // LINSERT at an end and LMOVE pushes respect the marks too.
        #expect(db("RPUSH", "i", "a", "b") == .integer(2))
        execSQL(db, "UPDATE lists SET pos = pos + \(low) - 1 WHERE key_id = (SELECT id FROM keys WHERE key = 'i')")
        #expect(db("LINSERT", "i", "BEFORE", "a", "z") == .integer(3))
        #expect(try positions(db, "i") == [0, gap, 2 * gap])
        execSQL(db, "UPDATE lists SET pos = pos + \(low) WHERE key_id = (SELECT id FROM keys WHERE key = 'i')")
        #expect(db("LMOVE", "i", "i", "RIGHT", "LEFT") == .bulk("b"))
        #expect(try positions(db, "i") == [0, gap, 2 * gap])
        #expect(db("LRANGE", "i", "0", "-1") == .bulks("b", "z", "a"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func renumberingNeverCollides() throws {
        // A layout where renumbering row by row in either plain order would hit the
        // (key_id, pos) primary key: ascending, d (to 4*gap) meets e; descending, b (to
        // 2*gap) meets a.
        let db = TestDatabase()
        #expect(db("RPUSH", "l", "a", "b", "c", "d", "e") == .integer(5))
        let id = try db.sql("SELECT id FROM keys WHERE key = 'l'")[0][0]
        execSQL(db, "DELETE FROM lists WHERE key_id = \(id)")
        let layout: [(Int64, String)] = [
            (2 * gap, "a"), (3 * gap, "b"), (3 * gap + 1, "c"), (3 * gap + 2, "d"), (4 * gap, "e"),
        ]
        for (position, value) in layout {
            execSQL(db, "INSERT INTO lists (key_id, pos, value) VALUES (\(id), \(position), CAST('\(value)' AS BLOB))")
        }
        // No room between b and c: renumber, then the midpoint.
        #expect(db("LINSERT", "l", "BEFORE", "c", "x") == .integer(6))
        #expect(try positions(db, "l") == [gap, 2 * gap, 2 * gap + gap / 2, 3 * gap, 4 * gap, 5 * gap])
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("a", "b", "x", "c", "d", "e"))
        // And with rows far below and above the new numbering.
        execSQL(db, "UPDATE lists SET pos = pos - \(8 * gap) WHERE key_id = \(id) AND pos <= \(2 * gap)")
        execSQL(db, "UPDATE lists SET pos = pos + \(gap) - 1 WHERE key_id = \(id) AND pos = \(5 * gap)")
        execSQL(db, "UPDATE lists SET pos = pos + \(gap) WHERE key_id = \(id) AND pos = \(4 * gap)")
        execSQL(db, "UPDATE lists SET pos = \(6 * gap) - 2 WHERE key_id = \(id) AND pos = \(3 * gap)")
        #expect(try positions(db, "l") == [-7 * gap, -6 * gap, 2 * gap + gap / 2, 5 * gap, 6 * gap - 2, 6 * gap - 1])
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("a", "b", "x", "d", "c", "e"))
        #expect(db("LINSERT", "l", "AFTER", "c", "y") == .integer(7))
        #expect(try positions(db, "l") == [gap, 2 * gap, 3 * gap, 4 * gap, 5 * gap, 5 * gap + gap / 2, 6 * gap])
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("a", "b", "x", "d", "c", "y", "e"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func writesBumpVersionAndEmptyListsAreDeleted() throws {
        let db = TestDatabase()
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        let start = try #require(try version(db, "l"))
        #expect(db("RPUSH", "l", "d") == .integer(4))
        #expect(try version(db, "l") == start + 1)
        #expect(db("LSET", "l", "0", "A") == .ok)
        #expect(try version(db, "l") == start + 2)
        // LTRIM counts as a write even when it keeps everything, as in Redis (WATCH fails).
        #expect(db("LTRIM", "l", "-100", "100") == .ok)
        #expect(try version(db, "l") == start + 3)
        // No-ops that Redis does not count as writes.
        #expect(db("LREM", "l", "0", "zz") == .integer(0))
        #expect(db("LINSERT", "l", "BEFORE", "zz", "x") == .integer(-1))
        #expect(db("LPOP", "l", "0") == .array([]))
        #expect(try version(db, "l") == start + 3)
        #expect(db("LINSERT", "l", "AFTER", "b", "x") == .integer(5))
        #expect(db("LREM", "l", "1", "x") == .integer(1))
        #expect(db("LPOP", "l") == .bulk("A"))
        #expect(db("LMOVE", "l", "l", "LEFT", "LEFT") == .bulk("b"))
        #expect(try version(db, "l") == start + 7)
        #expect(db("RPOP", "l", "10") == .bulks("d", "c", "b"))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["0"]])

        // WATCH sees a rotation of a one-element list.
        #expect(db("RPUSH", "w", "z") == .integer(1))
        #expect(db("WATCH", "w") == .ok)
        #expect(db("LMOVE", "w", "w", "LEFT", "RIGHT") == .bulk("z"))
        #expect(db("MULTI") == .ok)
        #expect(db("LLEN", "w") == .simple("QUEUED"))
        #expect(db("EXEC") == .nullArray)
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func expiredKeysAreGone() throws {
        let db = TestDatabase()
        #expect(db("RPUSH", "l", "a", "b") == .integer(2))
        execSQL(db, "UPDATE keys SET expire_at = \(db.clock.nowMilliseconds() + 10)")
        #expect(db("LLEN", "l") == .integer(2))
        db.advance(milliseconds: 11)
        #expect(db("LLEN", "l") == .integer(0))
        #expect(db("LRANGE", "l", "0", "-1") == .array([]))
        #expect(db("LINDEX", "l", "0") == .null)
        #expect(db("LPOS", "l", "a") == .null)
        #expect(db("LPUSHX", "l", "x") == .integer(0))
        #expect(db("LSET", "l", "0", "x") == .err("ERR no such key"))
        #expect(db("RPUSH", "l", "c") == .integer(1))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("c"))
        #expect(try db.sql("SELECT expire_at FROM keys") == [["NULL"]])
    }

    // MARK: Length memo (long lists)

    /// `RPUSH key 0 1 2 ... count-1`.
    private func fill(_ db: TestDatabase, _ key: String, _ count: Int, from start: Int = 0) -> Reply {
        db.run([Array("RPUSH".utf8), Array(key.utf8)] + (start..<start + count).map { Array(String($0).utf8) })
    }

    @Test func longListRepliesStayExact() throws {
        let db = TestDatabase()
        let n = Int64(ListCommands.memoMinimumLength) + 44
        #expect(fill(db, "l", Int(n)) == .integer(n))
        #expect(db("LPUSH", "l", "a", "b") == .integer(n + 2))
        #expect(db("RPUSH", "l", "c") == .integer(n + 3))
        #expect(db("LPOP", "l") == .bulk("b"))
        #expect(db("RPOP", "l", "2") == .bulks("c", String(n - 1)))
        #expect(db("LPUSHX", "l", "d") == .integer(n + 1))
        #expect(db("LREM", "l", "0", "d") == .integer(1))
        #expect(db("LSET", "l", "0", "A") == .ok)
        #expect(db("LINSERT", "l", "AFTER", "A", "e") == .integer(n + 1))
        #expect(db("LTRIM", "l", "0", "-3") == .ok)
        #expect(db("RPUSHX", "l", "f") == .integer(n))
        #expect(db("LMOVE", "l", "l", "LEFT", "RIGHT") == .bulk("A"))
        #expect(db("RPUSH", "l", "g") == .integer(n + 1))
        #expect(fill(db, "m", Int(n)) == .integer(n))
        #expect(db("LMOVE", "l", "m", "LEFT", "RIGHT") == .bulk("e"))
        #expect(db("RPOPLPUSH", "l", "m") == .bulk("g"))
        #expect(db("LPUSH", "l", "h") == .integer(n))
        #expect(db("LPUSH", "m", "i") == .integer(n + 3))
        #expect(db("LLEN", "l") == .integer(n))
        #expect(db("LLEN", "m") == .integer(n + 3))
        // Shrinking below the memo's threshold and growing again.
        #expect(db("LTRIM", "l", "0", "9") == .ok)
        #expect(db("RPUSH", "l", "j") == .integer(11))
        #expect(fill(db, "l", Int(n)) == .integer(n + 11))
        // Emptied by a pop: the key and its memo go; a new list starts from zero.
        #expect(db("LPOP", "l", String(n + 11)) != .nullArray)
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE key = 'l'") == [["0"]])
        #expect(db("RPUSH", "l", "k") == .integer(1))
        #expect(try db.sql("SELECT COUNT(*) FROM keys k JOIN lists l ON l.key_id = k.id WHERE k.key = 'm'") == [[String(n + 3)]])
        // The memo is in the file, for every connection: one row per long list, none for the
        // emptied one.
        #expect(try db.sql("SELECT COUNT(*) FROM redlite_list_lengths l JOIN keys k ON k.id = l.key_id WHERE k.key = 'm'") == [["1"]])
        #expect(try db.sql("SELECT COUNT(*) FROM redlite_list_lengths l JOIN keys k ON k.id = l.key_id WHERE k.key = 'l'") == [["0"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func memoNoticesOtherWriters() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("lists.db").path
        let first = TestDatabase(.file(path))
        let second = TestDatabase(.file(path), clock: first.clock)
        func a(_ words: String...) -> Reply { first.run(words.map { Array($0.utf8) }) }
        func b(_ words: String...) -> Reply { second.run(words.map { Array($0.utf8) }) }
        let n = Int64(ListCommands.memoMinimumLength) + 10
        #expect(fill(first, "l", Int(n)) == .integer(n))
        #expect(a("RPUSH", "l", "x") == .integer(n + 1))
        // Another connection changes the list: a's memo is stale and a counts again.
        #expect(b("RPOP", "l", "5") != .nullArray)
        #expect(a("RPUSH", "l", "y") == .integer(n - 3))
        #expect(b("RPUSH", "l", "z") == .integer(n - 2))
        #expect(a("LPUSH", "l", "w") == .integer(n - 1))
        // Another program writes rows and bumps the version, as upstream does.
        let id = try first.sql("SELECT id FROM keys WHERE key = 'l'")[0][0]
        execSQL(second, """
            INSERT INTO lists (key_id, pos, value) VALUES (\(id), 999999999999, X'00'), (\(id), 999999999998, X'01');
            UPDATE keys SET version = version + 1 WHERE id = \(id)
            """)
        #expect(a("LPUSH", "l", "v") == .integer(n + 2))
        // A key deleted and recreated under the same id and version (upstream reuses ids) is
        // told apart by created_at.
        let version = try first.sql("SELECT version FROM keys WHERE id = \(id)")[0][0]
        execSQL(second, """
            DELETE FROM keys WHERE id = \(id);
            INSERT INTO keys (id, db, key, type, version, created_at, updated_at) VALUES (\(id), 0, 'l', 3, \(version), 1, 1);
            INSERT INTO lists (key_id, pos, value) VALUES (\(id), 5, X'02');
            """)
        #expect(a("RPUSH", "l", "u") == .integer(2))
        #expect(a("LRANGE", "l", "0", "-1") == .array([.bulk([2]), .bulk("u")]))
        #expect(try first.integrityCheck() == ["ok"])
    }

    @Test func memoRollsBackWithTheCommand() throws {
        let db = TestDatabase()
        let n = Int64(ListCommands.memoMinimumLength) + 10
        #expect(fill(db, "l", Int(n)) == .integer(n))
        #expect(db("RPUSH", "l", "x") == .integer(n + 1))
        // Run a push inside a transaction that is then rolled back (as a failed COMMIT would
        // be): its memo update must go with it.
        let database = db.connection.database
        try database.execute("BEGIN IMMEDIATE")
        let reply = try ListCommands.rpush(db.connection, [Array("RPUSH".utf8), Array("l".utf8), Array("y".utf8), Array("z".utf8)])
        #expect(reply == .integer(n + 3))
        try database.execute("ROLLBACK")
        // The version is back where it was; a write that bumps it without changing the rows
        // must not make the rolled-back memo look current.
        execSQL(db, "UPDATE keys SET version = version + 1 WHERE key = 'l'")
        #expect(db("RPUSH", "l", "w") == .integer(n + 2))
        // Inside EXEC, a queued command's own failure undoes only itself.
        #expect(db("MULTI") == .ok)
        #expect(db("RPUSH", "l", "a") == .simple("QUEUED"))
        #expect(db("LSET", "l", String(10 * n), "b") == .simple("QUEUED"))
        #expect(db("RPUSH", "l", "c") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.integer(n + 3), .err("ERR index out of range"), .integer(n + 4)]))
        #expect(db("LPUSH", "l", "d") == .integer(n + 5))
    }

    // MARK: Pop

    @Test func popWithAndWithoutCount() throws {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "l", "a", "b", "c", "d") == .integer(4))
        #expect(db("LPOP", "l", "0") == .array([]))
        #expect(db("RPOP", "l", "0") == .array([]))
        #expect(db("LPOP", "nokey", "0") == .nullArray)
        #expect(db("LPOP", "nokey", "2") == .nullArray)
        #expect(db("RPOP", "nokey", "2") == .nullArray)
        #expect(db("LPOP", "nokey") == .null)
        #expect(db("RPOP", "nokey") == .null)
        let notPositive = Reply.err("ERR value is out of range, must be positive")
        #expect(db("LPOP", "l", "-1") == notPositive)
        #expect(db("LPOP", "l", "x") == notPositive)
        #expect(db("RPOP", "nokey", "-1") == notPositive)
        #expect(db("LPOP", "s", "x") == notPositive) // the count is checked before the type
        #expect(db("LPOP", "l", "9223372036854775808") == notPositive)
        #expect(db("LPOP", "l", "1", "2") == .arity("lpop"))
        #expect(db("RPOP", "l", "1", "2") == .arity("rpop"))
        #expect(db("LPOP") == .arity("lpop"))
        #expect(db("RPOP", "l", "2") == .bulks("d", "c"))
        #expect(db("RPOP", "l") == .bulk("b"))
        #expect(db("LPOP", "l", "1") == .bulks("a"))
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE key = 'l'") == [["0"]])
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LPOP", "l", "9223372036854775807") == .bulks("a", "b", "c"))
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LPOP", "l") == .bulk("a"))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("b", "c"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    // MARK: Read by index

    @Test func lrangeIndices() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "l", "y", "x", "a", "b", "c", "z") == .integer(6))
        let all = Reply.bulks("y", "x", "a", "b", "c", "z")
        #expect(db("LRANGE", "l", "0", "-1") == all)
        #expect(db("LRANGE", "l", "-100", "100") == all)
        #expect(db("LRANGE", "l", "0", "9223372036854775807") == all)
        #expect(db("LRANGE", "l", "-9223372036854775808", "9223372036854775807") == all)
        #expect(db("LRANGE", "l", "-9223372036854775808", "0") == .bulks("y"))
        #expect(db("LRANGE", "l", "-9223372036854775808", "-9223372036854775808") == .array([]))
        #expect(db("LRANGE", "l", "5", "10") == .bulks("z"))
        #expect(db("LRANGE", "l", "6", "10") == .array([]))
        #expect(db("LRANGE", "l", "3", "1") == .array([]))
        #expect(db("LRANGE", "l", "-2", "-1") == .bulks("c", "z"))
        #expect(db("LRANGE", "l", "-1", "-2") == .array([]))
        #expect(db("LRANGE", "l", "1", "-2") == .bulks("x", "a", "b", "c"))
        #expect(db("LRANGE", "l", "2", "-4") == .bulks("a"))
        #expect(db("LRANGE", "l", "2", "-5") == .array([]))
        #expect(db("LRANGE", "l", "2", "-6") == .array([]))
        #expect(db("LRANGE", "l", "-3", "4") == .bulks("b", "c"))
        #expect(db("LRANGE", "l", "-3", "2") == .array([]))
        #expect(db("LRANGE", "l", "-7", "-7") == .array([]))
        #expect(db("LRANGE", "l", "-7", "-6") == .bulks("y"))
        #expect(db("LRANGE", "l", "x", "1") == .notInteger)
        #expect(db("LRANGE", "l", "0", "x") == .notInteger)
        #expect(db("LRANGE", "l", "0", "9223372036854775808") == .notInteger)
        #expect(db("LRANGE", "nokey", "x", "1") == .notInteger)
        #expect(db("LRANGE", "s", "x", "1") == .notInteger)
        #expect(db("LRANGE", "nokey", "0", "1") == .array([]))
        #expect(db("LRANGE", "l", "0") == .arity("lrange"))
    }

    @Test func lindexIndices() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LINDEX", "l", "0") == .bulk("a"))
        #expect(db("LINDEX", "l", "2") == .bulk("c"))
        #expect(db("LINDEX", "l", "3") == .null)
        #expect(db("LINDEX", "l", "-1") == .bulk("c"))
        #expect(db("LINDEX", "l", "-3") == .bulk("a"))
        #expect(db("LINDEX", "l", "-4") == .null)
        #expect(db("LINDEX", "l", "9223372036854775807") == .null)
        #expect(db("LINDEX", "l", "-9223372036854775808") == .null)
        #expect(db("LINDEX", "l", "x") == .notInteger)
        #expect(db("LINDEX", "l", "01") == .notInteger)
        // The key is looked up first: a missing key answers nil, another type WRONGTYPE.
        #expect(db("LINDEX", "nokey", "x") == .null)
        #expect(db("LINDEX", "s", "x") == .wrongType)
        #expect(db("LINDEX", "l") == .arity("lindex"))
    }

    @Test func lsetErrorsAndIndices() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("LSET", "nokey", "0", "x") == .err("ERR no such key"))
        #expect(db("LSET", "nokey", "x", "x") == .err("ERR no such key"))
        #expect(db("LSET", "s", "x", "x") == .wrongType)
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LSET", "l", "x", "x") == .notInteger)
        #expect(db("LSET", "l", "3", "x") == .err("ERR index out of range"))
        #expect(db("LSET", "l", "-4", "x") == .err("ERR index out of range"))
        #expect(db("LSET", "l", "9223372036854775807", "x") == .err("ERR index out of range"))
        #expect(db("LSET", "l", "-9223372036854775808", "x") == .err("ERR index out of range"))
        #expect(db("LSET", "l", "-1", "Z") == .ok)
        #expect(db("LSET", "l", "0", "A") == .ok)
        #expect(db("LSET", "l", "1", "") == .ok)
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("A", "", "Z"))
        #expect(db("LSET", "l", "0") == .arity("lset"))
    }

    // MARK: Trim and remove

    @Test func ltrimRanges() throws {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("LTRIM", "nokey", "0", "1") == .ok)
        #expect(db("LTRIM", "nokey", "x", "1") == .notInteger)
        #expect(db("LTRIM", "s", "0", "1") == .wrongType)
        #expect(db("LTRIM", "s", "x", "1") == .notInteger)
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LTRIM", "l", "0", "x") == .notInteger)
        #expect(db("LTRIM", "l", "1", "-1") == .ok)
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("b", "c"))
        #expect(db("LTRIM", "l", "5", "1") == .ok)
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE key = 'l'") == [["0"]])
        #expect(db("RPUSH", "l", "a", "b", "c", "d", "e") == .integer(5))
        #expect(db("LTRIM", "l", "-3", "-2") == .ok)
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("c", "d"))
        #expect(db("LTRIM", "l", "-100", "100") == .ok)
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("c", "d"))
        #expect(db("LTRIM", "l", "-9223372036854775808", "9223372036854775807") == .ok)
        #expect(db("LLEN", "l") == .integer(2))
        #expect(db("LTRIM", "l", "1", "1") == .ok)
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("d"))
        #expect(db("LTRIM", "l", "0", "-2") == .ok)
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["1"]]) // only "s" left
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LTRIM", "l", "-1", "-3") == .ok)
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["0"]])
        #expect(db("LTRIM", "l", "0") == .arity("ltrim"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func lremCounts() throws {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "r", "a", "b", "a", "c", "a", "d", "a") == .integer(7))
        #expect(db("LREM", "r", "2", "a") == .integer(2))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("b", "c", "a", "d", "a"))
        #expect(db("LREM", "r", "-1", "a") == .integer(1))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("b", "c", "a", "d"))
        #expect(db("LREM", "r", "0", "a") == .integer(1))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("b", "c", "d"))
        #expect(db("LREM", "r", "x", "a") == .notInteger)
        #expect(db("LREM", "nokey", "x", "a") == .notInteger)
        #expect(db("LREM", "nokey", "0", "a") == .integer(0))
        #expect(db("LREM", "s", "0", "a") == .wrongType)
        #expect(db("LREM", "s", "x", "a") == .notInteger)
        #expect(db("LREM", "r", "0", "zz") == .integer(0))
        #expect(db("LREM", "r", "-9223372036854775808", "c") == .integer(1))
        #expect(db("LREM", "r", "9223372036854775807", "b") == .integer(1))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("d"))
        #expect(db("LREM", "r", "0", "d") == .integer(1))
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE key = 'r'") == [["0"]])
        #expect(db("RPUSH", "n", "x", "y", "x", "x") == .integer(4))
        #expect(db("LREM", "n", "-2", "x") == .integer(2))
        #expect(db("LRANGE", "n", "0", "-1") == .bulks("x", "y"))
        #expect(db("LREM", "n", "0") == .arity("lrem"))
    }

    // MARK: Insert

    @Test func linsertReplies() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LINSERT", "nokey", "before", "a", "x") == .integer(0))
        #expect(db("LINSERT", "nokey", "middle", "a", "x") == .syntaxError)
        #expect(db("LINSERT", "s", "BEFORE", "a", "x") == .wrongType)
        #expect(db("LINSERT", "s", "middle", "a", "x") == .syntaxError)
        #expect(db("LINSERT", "l", "middle", "a", "x") == .syntaxError)
        #expect(db("LINSERT", "l", "BEFORE", "a", "x") == .integer(4))
        #expect(db("LINSERT", "l", "after", "c", "y") == .integer(5))
        #expect(db("LINSERT", "l", "After", "b", "z") == .integer(6))
        #expect(db("LINSERT", "l", "before", "nope", "w") == .integer(-1))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("x", "a", "b", "z", "c", "y"))
        // The first occurrence of the pivot is the one used.
        #expect(db("RPUSH", "d", "p", "q", "p") == .integer(3))
        #expect(db("LINSERT", "d", "AFTER", "p", "n") == .integer(4))
        #expect(db("LRANGE", "d", "0", "-1") == .bulks("p", "n", "q", "p"))
        #expect(db("LINSERT", "l", "BEFORE", "a") == .arity("linsert"))
    }

    // MARK: LPOS

    @Test func lposOptions() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "p", "a", "b", "c", "1", "2", "3", "c", "c") == .integer(8))
        #expect(db("LPOS", "p", "c") == .integer(2))
        #expect(db("LPOS", "p", "c", "RANK", "2") == .integer(6))
        #expect(db("LPOS", "p", "c", "RANK", "-1") == .integer(7))
        #expect(db("LPOS", "p", "c", "rank", "-2") == .integer(6))
        #expect(db("LPOS", "p", "c", "COUNT", "2") == .array([.integer(2), .integer(6)]))
        #expect(db("LPOS", "p", "c", "COUNT", "0") == .array([.integer(2), .integer(6), .integer(7)]))
        #expect(db("LPOS", "p", "c", "COUNT", "0", "RANK", "-1") == .array([.integer(7), .integer(6), .integer(2)]))
        #expect(db("LPOS", "p", "c", "RANK", "2", "COUNT", "2") == .array([.integer(6), .integer(7)]))
        #expect(db("LPOS", "p", "c", "RANK", "-2", "COUNT", "5") == .array([.integer(6), .integer(2)]))
        #expect(db("LPOS", "p", "c", "MAXLEN", "2") == .null)
        #expect(db("LPOS", "p", "c", "MAXLEN", "3") == .integer(2))
        #expect(db("LPOS", "p", "c", "maxlen", "9223372036854775807") == .integer(2))
        #expect(db("LPOS", "p", "c", "COUNT", "0", "MAXLEN", "3") == .array([.integer(2)]))
        #expect(db("LPOS", "p", "c", "COUNT", "1", "MAXLEN", "2") == .array([]))
        #expect(db("LPOS", "p", "c", "RANK", "-1", "MAXLEN", "1") == .integer(7))
        #expect(db("LPOS", "p", "3", "RANK", "-1", "MAXLEN", "2") == .null)
        #expect(db("LPOS", "p", "3", "RANK", "-1", "MAXLEN", "3") == .integer(5))
        #expect(db("LPOS", "p", "c", "COUNT", "9223372036854775807") == .array([.integer(2), .integer(6), .integer(7)]))
        #expect(db("LPOS", "p", "c", "RANK", "9223372036854775807") == .null)
        #expect(db("LPOS", "p", "c", "RANK", "9223372036854775807", "COUNT", "0") == .array([]))
        #expect(db("LPOS", "p", "c", "RANK", "-9223372036854775807", "COUNT", "1") == .array([]))
        // Redis 7.0 quirk: RANK LLONG_MIN searches from the tail and ignores COUNT.
        #expect(db("LPOS", "p", "c", "RANK", "-9223372036854775808") == .integer(7))
        #expect(db("LPOS", "p", "c", "RANK", "-9223372036854775808", "COUNT", "1") == .array([.integer(7), .integer(6), .integer(2)]))
        #expect(db("LPOS", "p", "c", "RANK", "-9223372036854775808", "COUNT", "1", "MAXLEN", "2") == .array([.integer(7), .integer(6)]))
        // Repeated options: the last wins.
        #expect(db("LPOS", "p", "c", "RANK", "1", "RANK", "2") == .integer(6))
        #expect(db("LPOS", "p", "c", "COUNT", "1", "COUNT", "0") == .array([.integer(2), .integer(6), .integer(7)]))
        #expect(db("LPOS", "p", "nope") == .null)
        #expect(db("LPOS", "p", "nope", "COUNT", "0") == .array([]))
        #expect(db("LPOS", "nokey", "a") == .null)
        #expect(db("LPOS", "nokey", "a", "COUNT", "0") == .array([]))
        #expect(db("LPOS", "s", "a") == .wrongType)
    }

    @Test func lposErrors() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "p", "a") == .integer(1))
        let rankZero = Reply.err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
        #expect(db("LPOS", "p", "a", "RANK", "0") == rankZero)
        #expect(db("LPOS", "nokey", "a", "RANK", "0") == rankZero)
        #expect(db("LPOS", "s", "a", "RANK", "0") == rankZero) // options before the type
        #expect(db("LPOS", "p", "a", "RANK", "x") == .notInteger)
        #expect(db("LPOS", "p", "a", "COUNT", "-1") == .err("ERR COUNT can't be negative"))
        #expect(db("LPOS", "p", "a", "COUNT", "x") == .err("ERR COUNT can't be negative"))
        #expect(db("LPOS", "p", "a", "MAXLEN", "-1") == .err("ERR MAXLEN can't be negative"))
        #expect(db("LPOS", "p", "a", "MAXLEN", "x") == .err("ERR MAXLEN can't be negative"))
        #expect(db("LPOS", "p", "a", "BOGUS", "1") == .syntaxError)
        #expect(db("LPOS", "p", "a", "RANK") == .syntaxError)
        #expect(db("LPOS", "nokey", "a", "BOGUS") == .syntaxError)
        #expect(db("LPOS", "s", "a", "BOGUS") == .syntaxError)
        #expect(db("LPOS", "p", "a", "RANK", "0", "BOGUS") == rankZero) // left to right
        #expect(db("LPOS", "p", "a", "BOGUS", "RANK", "0") == .syntaxError)
        #expect(db("LPOS", "p") == .arity("lpos"))
    }

    // MARK: Moves

    @Test func lmoveBetweenLists() throws {
        let db = TestDatabase()
        #expect(db("RPUSH", "l", "a", "b", "c") == .integer(3))
        #expect(db("LMOVE", "l", "d", "LEFT", "RIGHT") == .bulk("a"))
        #expect(db("LMOVE", "l", "d", "left", "left") == .bulk("b"))
        #expect(db("LMOVE", "l", "d", "RIGHT", "RIGHT") == .bulk("c"))
        #expect(db("LMOVE", "l", "d", "right", "LEFT") == .null)
        #expect(db("LRANGE", "l", "0", "-1") == .array([]))
        #expect(db("LRANGE", "d", "0", "-1") == .bulks("b", "a", "c"))
        #expect(try db.sql("SELECT key FROM keys") == [["d"]])
        #expect(db("RPOPLPUSH", "d", "x") == .bulk("c"))
        #expect(db("RPOPLPUSH", "nokey", "x") == .null)
        #expect(db("LRANGE", "x", "0", "-1") == .bulks("c"))
        #expect(db("LRANGE", "d", "0", "-1") == .bulks("b", "a"))
        #expect(db("LMOVE", "l", "d", "UP", "RIGHT") == .syntaxError)
        #expect(db("LMOVE", "d", "d", "LEFT", "DOWN") == .syntaxError)
        #expect(db("LMOVE", "d", "d", "LEFT") == .arity("lmove"))
        #expect(db("RPOPLPUSH", "d") == .arity("rpoplpush"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func lmoveRotatesOneKey() throws {
        let db = TestDatabase()
        #expect(db("RPUSH", "r", "1", "2", "3") == .integer(3))
        #expect(db("LMOVE", "r", "r", "LEFT", "RIGHT") == .bulk("1"))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("2", "3", "1"))
        #expect(db("LMOVE", "r", "r", "RIGHT", "LEFT") == .bulk("1"))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("1", "2", "3"))
        #expect(db("LMOVE", "r", "r", "LEFT", "LEFT") == .bulk("1"))
        #expect(db("LMOVE", "r", "r", "RIGHT", "RIGHT") == .bulk("3"))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("1", "2", "3"))
        #expect(db("RPOPLPUSH", "r", "r") == .bulk("3"))
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("3", "1", "2"))
        // A one-element list keeps its key row (same id) through a rotation.
        #expect(db("RPUSH", "one", "z") == .integer(1))
        let id = try db.sql("SELECT id FROM keys WHERE key = 'one'")
        #expect(db("LMOVE", "one", "one", "LEFT", "RIGHT") == .bulk("z"))
        #expect(try db.sql("SELECT id FROM keys WHERE key = 'one'") == id)
        #expect(db("LRANGE", "one", "0", "-1") == .bulks("z"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func lmoveChecksTheDestinationBeforePopping() {
        let db = TestDatabase()
        makeString(db, "s")
        #expect(db("RPUSH", "r", "1", "2", "3") == .integer(3))
        #expect(db("LMOVE", "r", "s", "LEFT", "RIGHT") == .wrongType)
        #expect(db("RPOPLPUSH", "r", "s") == .wrongType)
        #expect(db("LRANGE", "r", "0", "-1") == .bulks("1", "2", "3"))
        #expect(db("LMOVE", "s", "r", "LEFT", "RIGHT") == .wrongType)
        // A missing source answers nil without looking at the destination.
        #expect(db("LMOVE", "nokey", "s", "LEFT", "RIGHT") == .null)
        #expect(db("RPOPLPUSH", "nokey", "s") == .null)
        // Side names are checked before any key.
        #expect(db("LMOVE", "nokey", "r", "UP", "RIGHT") == .syntaxError)
        #expect(db("LMOVE", "s", "r", "UP", "RIGHT") == .syntaxError)
    }

    @Test func commandsInsideMultiExec() {
        let db = TestDatabase()
        #expect(db("MULTI") == .ok)
        #expect(db("RPUSH", "l", "a", "b") == .simple("QUEUED"))
        #expect(db("LSET", "l", "9", "x") == .simple("QUEUED"))
        #expect(db("LPOP", "l") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.integer(2), .err("ERR index out of range"), .bulk("a")]))
        #expect(db("LRANGE", "l", "0", "-1") == .bulks("b"))
    }
}
