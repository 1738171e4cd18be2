import RESP
import Testing
@testable import Redlite

/// Creates keys of every type straight through the store, so the key commands can be tested
/// without depending on the other families' write commands.
enum KeyFixtures {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs `body` in a write transaction at the connection's current time, as a command would.
    static func write(_ db: TestDatabase, inDB number: Int64? = nil, _ body: (Store) throws -> Void) {
        let store = db.connection.store
        let selected = store.db
        do {
            try db.connection.database.execute("BEGIN IMMEDIATE")
            store.beginCommand()
            if let number { store.db = number }
            defer { store.db = selected }
            try body(store)
            try db.connection.database.execute("COMMIT")
        } catch {
            db.connection.rollback()
            Issue.record("fixture failed: \(error)")
        }
    }

    static func string(_ db: TestDatabase, _ key: [UInt8], _ value: [UInt8], expireAt: Int64? = nil, inDB number: Int64? = nil) {
        write(db, inDB: number) { store in
            let record = try store.create(key, type: .string, expireAt: expireAt)
            try store.setStringValue(record, value)
        }
    }

    static func string(_ db: TestDatabase, _ key: String, _ value: String = "v", expireAt: Int64? = nil, inDB number: Int64? = nil) {
        string(db, bytes(key), bytes(value), expireAt: expireAt, inDB: number)
    }

    static func hash(_ db: TestDatabase, _ key: String, _ pairs: [(String, [UInt8])]) {
        write(db) { store in
            let record = try store.create(bytes(key), type: .hash)
            for (field, value) in pairs {
                let statement = try store.database.cached("INSERT INTO hashes (key_id, field, value) VALUES (?1, ?2, ?3)")
                try statement.bind(1, record.id)
                try store.bindName(statement, 2, bytes(field))
                try statement.bindBlob(3, value)
                try statement.run()
            }
        }
    }

    static func list(_ db: TestDatabase, _ key: String, _ values: [[UInt8]]) {
        write(db) { store in
            let record = try store.create(bytes(key), type: .list)
            for (position, value) in values.enumerated() {
                let statement = try store.database.cached("INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)")
                try statement.bind(1, record.id)
                try statement.bind(2, Int64(position) * 1000)
                try statement.bindBlob(3, value)
                try statement.run()
            }
        }
    }

    static func set(_ db: TestDatabase, _ key: String, _ members: [[UInt8]]) {
        write(db) { store in
            let record = try store.create(bytes(key), type: .set)
            for member in members {
                let statement = try store.database.cached("INSERT INTO sets (key_id, member) VALUES (?1, ?2)")
                try statement.bind(1, record.id)
                try statement.bindBlob(2, member)
                try statement.run()
            }
        }
    }

    static func zset(_ db: TestDatabase, _ key: String, _ members: [([UInt8], Double)]) {
        write(db) { store in
            let record = try store.create(bytes(key), type: .zset)
            for (member, score) in members {
                let statement = try store.database.cached("INSERT INTO zsets (key_id, member, score) VALUES (?1, ?2, ?3)")
                try statement.bind(1, record.id)
                try statement.bindBlob(2, member)
                try statement.bind(3, score)
                try statement.run()
            }
        }
    }

    /// The id of the key's row, or nil.
    static func id(_ db: TestDatabase, _ key: String, inDB number: Int64 = 0) throws -> String? {
        try db.sql("SELECT id FROM keys WHERE db = \(number) AND key = '\(key)'").first?.first
    }
}

@Suite struct KeyCommandsTests {
    private typealias F = KeyFixtures
    private let binary: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x61]

    private func now(_ db: TestDatabase) -> Int64 { db.clock.nowMilliseconds() }

    // MARK: DEL UNLINK EXISTS TYPE

    @Test func delCountsLiveKeysOnce() throws {
        let db = TestDatabase()
        F.string(db, "a")
        F.hash(db, "h", [("f", F.bytes("v"))])
        F.list(db, "l", [F.bytes("x")])
        #expect(db("DEL", "a", "a", "missing", "h") == .integer(2))
        #expect(db("DEL", "a") == .integer(0))
        #expect(db("UNLINK", "l", "l") == .integer(1))
        #expect(db("DEL") == .arity("del"))
        #expect(db("UNLINK") == .arity("unlink"))
        // Children go with the key row.
        #expect(try db.sql("SELECT (SELECT COUNT(*) FROM keys) + (SELECT COUNT(*) FROM hashes) + (SELECT COUNT(*) FROM lists) + (SELECT COUNT(*) FROM strings)") == [["0"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func delBinaryAndEmptyKeys() throws {
        let db = TestDatabase()
        F.string(db, binary, binary)
        F.string(db, [], [])
        #expect(try db.sql("SELECT typeof(key) FROM keys ORDER BY id") == [["blob"], ["text"]])
        #expect(db.run([F.bytes("EXISTS"), binary, [], binary]) == .integer(3))
        #expect(db.run([F.bytes("DEL"), binary, []]) == .integer(2))
        #expect(db.run([F.bytes("EXISTS"), binary, []]) == .integer(0))
    }

    @Test func delOfAnExpiredKeyRemovesTheRowWithoutCountingIt() throws {
        let db = TestDatabase()
        F.string(db, "gone", expireAt: now(db) + 10)
        F.string(db, "live")
        db.advance(milliseconds: 11)
        // A read first, so the active purge does not get there before DEL.
        #expect(db("EXISTS", "gone") == .integer(0))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["2"]])
        #expect(db("DEL", "gone", "live") == .integer(1))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
    }

    @Test func existsCountsRepeats() {
        let db = TestDatabase()
        F.string(db, "k")
        #expect(db("EXISTS", "k", "k", "nokey", "k") == .integer(3))
        #expect(db("EXISTS", "nokey") == .integer(0))
        #expect(db("EXISTS") == .arity("exists"))
    }

    @Test func typeNamesEveryType() {
        let db = TestDatabase()
        F.string(db, "s")
        F.hash(db, "h", [("f", [])])
        F.list(db, "l", [[]])
        F.set(db, "t", [[]])
        F.zset(db, "z", [([], 1)])
        #expect(db("TYPE", "s") == .simple("string"))
        #expect(db("TYPE", "h") == .simple("hash"))
        #expect(db("TYPE", "l") == .simple("list"))
        #expect(db("TYPE", "t") == .simple("set"))
        #expect(db("TYPE", "z") == .simple("zset"))
        #expect(db("TYPE", "nokey") == .simple("none"))
        #expect(db("TYPE") == .arity("type"))
        #expect(db("TYPE", "a", "b") == .arity("type"))
    }

    // MARK: EXPIRE family

    @Test func expireSetsAndReportsTTL() {
        let db = TestDatabase()
        F.string(db, "k")
        #expect(db("EXPIRE", "k", "100") == .integer(1))
        #expect(db("TTL", "k") == .integer(100))
        #expect(db("PTTL", "k") == .integer(100_000))
        #expect(db("PEXPIRE", "k", "1500") == .integer(1))
        #expect(db("PTTL", "k") == .integer(1500))
        #expect(db("TTL", "k") == .integer(2))
        let at = now(db) / 1000 + 1000
        #expect(db("EXPIREAT", "k", String(at)) == .integer(1))
        #expect(db("EXPIRETIME", "k") == .integer(at))
        #expect(db("PEXPIRETIME", "k") == .integer(at * 1000))
        #expect(db("PEXPIREAT", "k", String(at * 1000 + 1)) == .integer(1))
        #expect(db("PEXPIRETIME", "k") == .integer(at * 1000 + 1))
        #expect(db("EXPIRE", "nokey", "100") == .integer(0))
        #expect(db("PEXPIREAT", "nokey", String(at)) == .integer(0))
    }

    @Test func expireArityAndParsingErrors() {
        let db = TestDatabase()
        F.string(db, "k")
        #expect(db("EXPIRE", "k") == .arity("expire"))
        #expect(db("PEXPIRE", "k") == .arity("pexpire"))
        #expect(db("EXPIREAT", "k") == .arity("expireat"))
        #expect(db("PEXPIREAT", "k") == .arity("pexpireat"))
        #expect(db("EXPIRE", "k", "abc") == .notInteger)
        #expect(db("EXPIRE", "k", "1.5") == .notInteger)
        #expect(db("EXPIRE", "k", "") == .notInteger)
        #expect(db("EXPIRE", "k", " 1") == .notInteger)
        #expect(db("EXPIRE", "k", "10", "FOO") == .err("ERR Unsupported option FOO"))
        // Options are parsed before the number.
        #expect(db("EXPIRE", "k", "abc", "FOO") == .err("ERR Unsupported option FOO"))
        #expect(db("EXPIRE", "k", "abc", "NX", "XX") == .err("ERR NX and XX, GT or LT options at the same time are not compatible"))
        #expect(db.run([F.bytes("EXPIRE"), F.bytes("k"), F.bytes("10"), F.bytes("f\r\no\0x")]) == .err("ERR Unsupported option f  o"))
        #expect(db("TTL", "k") == .integer(-1))
    }

    @Test func expireOptionCompatibility() {
        let db = TestDatabase()
        F.string(db, "k")
        let nxError = Reply.err("ERR NX and XX, GT or LT options at the same time are not compatible")
        let gtltError = Reply.err("ERR GT and LT options at the same time are not compatible")
        #expect(db("EXPIRE", "k", "10", "NX", "XX") == nxError)
        #expect(db("EXPIRE", "k", "10", "nx", "gt") == nxError)
        #expect(db("EXPIRE", "k", "10", "lt", "NX") == nxError)
        #expect(db("EXPIRE", "k", "10", "GT", "LT") == gtltError)
        #expect(db("PEXPIRE", "k", "10", "gt", "gt", "lt") == gtltError)
        // NX with GT and LT: NX's message wins.
        #expect(db("PEXPIREAT", "k", "10", "gt", "lt", "nx") == nxError)
        // Repeats are fine.
        #expect(db("EXPIRE", "k", "10", "nx", "nx") == .integer(1))
        #expect(db("EXPIRE", "k", "20", "xx", "xx") == .integer(1))
        #expect(db("TTL", "k") == .integer(20))
    }

    @Test func expireConditions() {
        let db = TestDatabase()
        F.string(db, "k")
        // No TTL: XX and GT fail (infinite TTL is never beaten), NX and LT succeed.
        #expect(db("EXPIRE", "k", "10", "XX") == .integer(0))
        #expect(db("EXPIRE", "k", "10", "GT") == .integer(0))
        #expect(db("EXPIRE", "k", "10", "XX", "LT") == .integer(0))
        #expect(db("TTL", "k") == .integer(-1))
        #expect(db("EXPIRE", "k", "10", "LT") == .integer(1))
        #expect(db("PERSIST", "k") == .integer(1))
        #expect(db("EXPIRE", "k", "10", "NX") == .integer(1))
        #expect(db("EXPIRE", "k", "20", "NX") == .integer(0))
        #expect(db("TTL", "k") == .integer(10))
        // With a TTL of 10 s.
        #expect(db("PEXPIRE", "k", "10000", "GT") == .integer(0))
        #expect(db("PEXPIRE", "k", "10001", "GT") == .integer(1))
        #expect(db("PEXPIRE", "k", "10001", "LT") == .integer(0))
        #expect(db("PEXPIRE", "k", "5000", "LT") == .integer(1))
        #expect(db("PEXPIRE", "k", "6000", "XX", "GT") == .integer(1))
        #expect(db("PEXPIRE", "k", "7000", "XX", "LT") == .integer(0))
        #expect(db("PTTL", "k") == .integer(6000))
        #expect(db("PEXPIRE", "k", "7000", "XX") == .integer(1))
        #expect(db("PTTL", "k") == .integer(7000))
        // A past time passing LT deletes the key.
        #expect(db("EXPIRE", "k", "-1", "LT") == .integer(1))
        #expect(db("EXISTS", "k") == .integer(0))
        #expect(db("EXPIRE", "k", "10", "NX") == .integer(0))
    }

    @Test func expireInThePastDeletes() throws {
        let db = TestDatabase()
        for key in ["a", "b", "c", "d", "e"] { F.string(db, key) }
        #expect(db("EXPIRE", "a", "0") == .integer(1))
        #expect(db("PEXPIRE", "b", "-1") == .integer(1))
        #expect(db("PEXPIREAT", "c", String(now(db))) == .integer(1))
        #expect(db("EXPIREAT", "d", "1") == .integer(1))
        // One millisecond ahead is still in the future.
        #expect(db("PEXPIREAT", "e", String(now(db) + 1)) == .integer(1))
        #expect(db("EXISTS", "a", "b", "c", "d", "e") == .integer(1))
        #expect(try db.sql("SELECT key FROM keys") == [["e"]])
    }

    @Test func expireOverflowBoundaries() {
        let db = TestDatabase()
        let invalid = { (name: String) in Reply.err("ERR invalid expire time in '\(name)' command") }
        F.string(db, "k")
        #expect(db("EXPIRE", "k", "9223372036854775807") == invalid("expire"))
        // Checked before the key is looked up.
        #expect(db("EXPIRE", "nokey", "9223372036854775807") == invalid("expire"))
        // Fits the seconds-to-ms conversion but not the addition of now.
        #expect(db("EXPIRE", "k", "9223372036854775") == invalid("expire"))
        #expect(db("EXPIRE", "k", "9223372036854776") == invalid("expire"))
        #expect(db("EXPIRE", "k", "-9223372036854776") == invalid("expire"))
        #expect(db("EXPIRE", "k", "-9223372036854775808") == invalid("expire"))
        #expect(db("PEXPIRE", "k", "9223372036854775807") == invalid("pexpire"))
        #expect(db("PEXPIRE", "k", String(Int64.max - now(db) + 1)) == invalid("pexpire"))
        #expect(db("EXPIREAT", "k", "9223372036854776") == invalid("expireat"))
        #expect(db("EXPIREAT", "k", "-9223372036854776") == invalid("expireat"))
        #expect(db("PEXPIREAT", "k", "9223372036854775808") == .notInteger)
        #expect(db("TTL", "k") == .integer(-1))

        #expect(db("PEXPIRE", "k", String(Int64.max - now(db))) == .integer(1))
        #expect(db("PEXPIRETIME", "k") == .integer(Int64.max))
        #expect(db("PTTL", "k") == .integer(Int64.max - now(db)))
        #expect(db("EXPIRETIME", "k") == .integer(Int64.max / 1000 + 1))
        #expect(db("EXPIREAT", "k", "9223372036854775") == .integer(1))
        #expect(db("PEXPIRETIME", "k") == .integer(9_223_372_036_854_775_000))
        #expect(db("EXPIRE", "k", "9223372036854") == .integer(1))
        #expect(db("PTTL", "k") == .integer(9_223_372_036_854_000))
        #expect(db("PEXPIREAT", "k", "9223372036854775807") == .integer(1))
        // The most negative times are past, not errors.
        #expect(db("PEXPIRE", "k", "-9223372036854775808") == .integer(1))
        #expect(db("EXISTS", "k") == .integer(0))
        F.string(db, "k")
        #expect(db("EXPIRE", "k", "-9223372036854775") == .integer(1))
        F.string(db, "k")
        #expect(db("PEXPIREAT", "k", "-9223372036854775808") == .integer(1))
        #expect(db("EXISTS", "k") == .integer(0))
    }

    @Test func expireOnAnyTypeAndBinaryKey() {
        let db = TestDatabase()
        F.zset(db, "z", [(F.bytes("m"), 1)])
        F.string(db, binary, [])
        #expect(db("EXPIRE", "z", "5") == .integer(1))
        #expect(db("TTL", "z") == .integer(5))
        #expect(db.run([F.bytes("PEXPIRE"), binary, F.bytes("250")]) == .integer(1))
        #expect(db.run([F.bytes("PTTL"), binary]) == .integer(250))
    }

    @Test func expireBumpsVersion() throws {
        let db = TestDatabase()
        F.string(db, "k")
        #expect(try db.sql("SELECT version FROM keys") == [["1"]])
        #expect(db("EXPIRE", "k", "10") == .integer(1))
        #expect(try db.sql("SELECT version, expire_at - \(now(db)) FROM keys") == [["2", "10000"]])
        #expect(db("EXPIRE", "k", "5", "GT") == .integer(0))
        #expect(try db.sql("SELECT version FROM keys") == [["2"]])
        #expect(db("PERSIST", "k") == .integer(1))
        #expect(try db.sql("SELECT version, expire_at FROM keys") == [["3", "NULL"]])
        #expect(db("PERSIST", "k") == .integer(0))
        #expect(try db.sql("SELECT version FROM keys") == [["3"]])
    }

    // MARK: TTL family

    @Test func ttlFamilyMissingAndPersistent() {
        let db = TestDatabase()
        F.string(db, "p")
        for command in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
            #expect(db(command, "nokey") == .integer(-2))
            #expect(db(command, "p") == .integer(-1))
            #expect(db(command) == .arity(command.lowercased()))
        }
    }

    @Test func ttlRoundsHalfUp() {
        let db = TestDatabase()
        F.string(db, "k", expireAt: now(db) + 1499)
        #expect(db("TTL", "k") == .integer(1))
        #expect(db("PEXPIRE", "k", "1500") == .integer(1))
        #expect(db("TTL", "k") == .integer(2))
        #expect(db("PEXPIRE", "k", "499") == .integer(1))
        #expect(db("TTL", "k") == .integer(0))
        #expect(db("PTTL", "k") == .integer(499))
        // EXPIRETIME rounds the same way.
        let base = (now(db) / 1000 + 10) * 1000
        #expect(db("PEXPIREAT", "k", String(base + 499)) == .integer(1))
        #expect(db("EXPIRETIME", "k") == .integer(base / 1000))
        #expect(db("PEXPIREAT", "k", String(base + 500)) == .integer(1))
        #expect(db("EXPIRETIME", "k") == .integer(base / 1000 + 1))
    }

    @Test func persistCases() {
        let db = TestDatabase()
        F.string(db, "k", expireAt: now(db) + 5000)
        #expect(db("PERSIST", "nokey") == .integer(0))
        #expect(db("PERSIST", "k") == .integer(1))
        #expect(db("TTL", "k") == .integer(-1))
        #expect(db("PERSIST", "k") == .integer(0))
        #expect(db("PERSIST") == .arity("persist"))
    }

    // MARK: RENAME RENAMENX

    @Test func renameMovesDataAndKeepsId() throws {
        let db = TestDatabase()
        F.hash(db, "h", [("f", binary)])
        let id = try F.id(db, "h")
        #expect(db("RENAME", "h", "h2") == .ok)
        #expect(try F.id(db, "h2") == id)
        #expect(try F.id(db, "h") == nil)
        #expect(db("TYPE", "h2") == .simple("hash"))
        #expect(try db.sql("SELECT version FROM keys") == [["2"]])
        #expect(try db.sql("SELECT COUNT(*) FROM hashes WHERE key_id = \(id ?? "0")") == [["1"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func renameErrorsAndSameKey() throws {
        let db = TestDatabase()
        #expect(db("RENAME", "nokey", "x") == .err("ERR no such key"))
        #expect(db("RENAME", "nokey", "nokey") == .err("ERR no such key"))
        #expect(db("RENAMENX", "nokey", "x") == .err("ERR no such key"))
        #expect(db("RENAME", "a") == .arity("rename"))
        #expect(db("RENAMENX", "a", "b", "c") == .arity("renamenx"))
        F.string(db, "k", expireAt: now(db) + 100_000)
        #expect(db("RENAME", "k", "k") == .ok)
        #expect(db("RENAMENX", "k", "k") == .integer(0))
        // A rename onto itself is not a write.
        #expect(try db.sql("SELECT version FROM keys") == [["1"]])
        #expect(db("PTTL", "k") == .integer(100_000))
    }

    @Test func renameKeepsTTLAndOverwritesAnyType() throws {
        let db = TestDatabase()
        F.string(db, "k", "v", expireAt: now(db) + 100_000)
        F.list(db, "l", [F.bytes("a"), F.bytes("b")])
        #expect(db("RENAME", "k", "l") == .ok)
        #expect(db("TYPE", "l") == .simple("string"))
        #expect(db("PTTL", "l") == .integer(100_000))
        #expect(db("EXISTS", "k") == .integer(0))
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["0"]])
        // A destination with a TTL loses it to the source's (none).
        F.string(db, "p")
        #expect(db("RENAME", "p", "l") == .ok)
        #expect(db("TTL", "l") == .integer(-1))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["1"]])
    }

    @Test func renamenx() {
        let db = TestDatabase()
        F.string(db, "a")
        F.string(db, "b")
        #expect(db("RENAMENX", "a", "b") == .integer(0))
        #expect(db("RENAMENX", "a", "c") == .integer(1))
        #expect(db("EXISTS", "a", "b", "c") == .integer(2))
    }

    @Test func renameBinaryNames() throws {
        let db = TestDatabase()
        F.string(db, "t")
        #expect(db.run([F.bytes("RENAME"), F.bytes("t"), binary]) == .ok)
        #expect(try db.sql("SELECT typeof(key) FROM keys") == [["blob"]])
        #expect(db.run([F.bytes("RENAME"), binary, []]) == .ok)
        #expect(try db.sql("SELECT typeof(key), length(key) FROM keys") == [["text", "0"]])
        #expect(db.run([F.bytes("TYPE"), []]) == .simple("string"))
    }

    @Test func renameAbortsWatchersOfBothNames() {
        let db = TestDatabase()
        F.string(db, "a")
        F.string(db, "b")
        #expect(db("WATCH", "b") == .ok)
        #expect(db("RENAME", "a", "b") == .ok)
        #expect(db("MULTI") == .ok)
        #expect(db("EXISTS", "b") == .simple("QUEUED"))
        #expect(db("EXEC") == .nullArray)
        #expect(db("WATCH", "b") == .ok)
        #expect(db("RENAME", "b", "c") == .ok)
        #expect(db("MULTI") == .ok)
        #expect(db("EXEC") == .nullArray)
        // A rename onto itself is no write: the transaction runs.
        #expect(db("WATCH", "c") == .ok)
        #expect(db("RENAME", "c", "c") == .ok)
        #expect(db("MULTI") == .ok)
        #expect(db("EXISTS", "c") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.integer(1)]))
    }

    // MARK: COPY

    @Test func copyEveryType() throws {
        let db = TestDatabase()
        F.string(db, binary, binary)
        F.hash(db, "h", [("f1", F.bytes("1")), ("f2", binary)])
        F.list(db, "l", [F.bytes("a"), [], binary])
        F.set(db, "s", [F.bytes("x"), binary])
        F.zset(db, "z", [(F.bytes("m"), 1.5), (binary, -.infinity)])
        #expect(db.run([F.bytes("COPY"), binary, F.bytes("str2")]) == .integer(1))
        for key in ["h", "l", "s", "z"] {
            #expect(db("COPY", key, key + "2") == .integer(1))
            #expect(db("TYPE", key + "2") == db("TYPE", key))
        }
        for (table, columns, blob) in [("strings", "value", "value"), ("hashes", "field, value", "value"),
                                       ("lists", "pos, value", "value"), ("sets", "member", "member"),
                                       ("zsets", "member, score", "member")] {
            func rows(_ pick: String) throws -> [[String]] {
                try db.sql("""
                    SELECT \(columns), typeof(\(blob)) FROM \(table)
                    WHERE key_id = (SELECT \(pick)(key_id) FROM \(table)) ORDER BY rowid
                    """)
            }
            let original = try rows("MIN"), copied = try rows("MAX")
            #expect(!original.isEmpty)
            #expect(original == copied, "\(table)")
            #expect(original.allSatisfy { $0.last == "blob" }, "\(table)")
        }
        #expect(try db.sql("SELECT COUNT(*), COUNT(DISTINCT id) FROM keys") == [["10", "10"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func copyKeepsTTLAndIsIndependent() throws {
        let db = TestDatabase()
        F.string(db, "k", "v", expireAt: now(db) + 30_000)
        #expect(db("COPY", "k", "c") == .integer(1))
        #expect(db("PTTL", "c") == .integer(30_000))
        #expect(db("DEL", "k") == .integer(1))
        #expect(db("EXISTS", "c") == .integer(1))
        #expect(try db.sql("SELECT value FROM strings") == [["v"]])
        #expect(try db.sql("SELECT version FROM keys") == [["1"]])
    }

    @Test func copyOptionsAndErrors() {
        let db = TestDatabase()
        F.string(db, "a", "1")
        F.list(db, "b", [F.bytes("x")])
        #expect(db("COPY", "a") == .arity("copy"))
        #expect(db("COPY", "a", "a") == .err("ERR source and destination objects are the same"))
        #expect(db("COPY", "nokey", "nokey") == .err("ERR source and destination objects are the same"))
        #expect(db("COPY", "a", "a", "REPLACE") == .err("ERR source and destination objects are the same"))
        #expect(db("COPY", "a", "a", "DB", "0") == .err("ERR source and destination objects are the same"))
        #expect(db("COPY", "nokey", "x") == .integer(0))
        #expect(db("COPY", "a", "b") == .integer(0))
        #expect(db("TYPE", "b") == .simple("list"))
        #expect(db("COPY", "a", "b", "REPLACE") == .integer(1))
        #expect(db("TYPE", "b") == .simple("string"))
        #expect(db("COPY", "a", "c", "replace", "replace") == .integer(1))
        #expect(db("COPY", "a", "x", "DB", "16") == .err("ERR DB index is out of range"))
        #expect(db("COPY", "a", "x", "DB", "-1") == .err("ERR DB index is out of range"))
        #expect(db("COPY", "nokey", "x", "DB", "16") == .err("ERR DB index is out of range"))
        #expect(db("COPY", "a", "x", "DB", "x") == .notInteger)
        #expect(db("COPY", "a", "x", "DB", "99999999999999999999") == .notInteger)
        #expect(db("COPY", "a", "x", "DB", "2147483648") == .err("ERR value is out of range, value must between -2147483648 and 2147483647"))
        #expect(db("COPY", "a", "x", "DB", "-2147483649") == .err("ERR value is out of range, value must between -2147483648 and 2147483647"))
        #expect(db("COPY", "a", "x", "DB") == .syntaxError)
        #expect(db("COPY", "a", "x", "FOO") == .syntaxError)
        #expect(db("EXISTS", "x") == .integer(0))
    }

    @Test func copyToAnotherDatabase() throws {
        let db = TestDatabase()
        F.set(db, "s", [F.bytes("m")])
        F.string(db, "s", "other", inDB: 3)
        #expect(db("COPY", "s", "s", "DB", "1") == .integer(1))
        #expect(db("COPY", "s", "s", "DB", "3") == .integer(0))
        #expect(db("COPY", "s", "s", "DB", "3", "REPLACE") == .integer(1))
        #expect(db("EXISTS", "s") == .integer(1))
        #expect(db("SELECT", "3") == .ok)
        #expect(db("TYPE", "s") == .simple("set"))
        #expect(db("SELECT", "1") == .ok)
        #expect(db("TYPE", "s") == .simple("set"))
        // From another selected database the default destination is that database.
        #expect(db("COPY", "s", "t") == .integer(1))
        #expect(try db.sql("SELECT db, key, type FROM keys ORDER BY id") == [["0", "s", "4"], ["1", "s", "4"], ["3", "s", "4"], ["1", "t", "4"]])
        #expect(try db.sql("SELECT COUNT(*) FROM sets") == [["4"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func copyStreamRows() throws {
        let db = TestDatabase()
        F.write(db) { store in
            let record = try store.create(F.bytes("st"), type: .stream)
            try store.database.execute("""
                INSERT INTO streams (id, key_id, entry_ms, entry_seq, data, created_at) VALUES
                    (100, \(record.id), 1, 0, X'01', 5), (101, \(record.id), 2, 0, X'02', 6);
                INSERT INTO stream_groups (id, key_id, name, last_ms, last_seq) VALUES (7, \(record.id), 'g', 2, 0);
                INSERT INTO stream_consumers (group_id, name, seen_time) VALUES (7, 'c', 9);
                INSERT INTO stream_pending (key_id, group_id, entry_id, consumer, delivered_at, delivery_count)
                    VALUES (\(record.id), 7, 101, 'c', 9, 2);
                """)
        }
        #expect(db("TYPE", "st") == .simple("stream"))
        #expect(db("COPY", "st", "st2") == .integer(1))
        let copy = try F.id(db, "st2") ?? "0"
        #expect(try db.sql("SELECT entry_ms, entry_seq, hex(data) FROM streams WHERE key_id = \(copy) ORDER BY id") == [["1", "0", "01"], ["2", "0", "02"]])
        #expect(try db.sql("""
            SELECT g.name, c.name, s.entry_ms, p.delivery_count FROM stream_pending p
            JOIN stream_groups g ON g.id = p.group_id JOIN streams s ON s.id = p.entry_id
            JOIN stream_consumers c ON c.group_id = g.id WHERE p.key_id = \(copy)
            """) == [["g", "c", "2", "2"]])
        #expect(db("DEL", "st") == .integer(1))
        #expect(try db.sql("SELECT COUNT(*) FROM streams") == [["2"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    // MARK: KEYS

    @Test func keysGlobAndOrder() {
        let db = TestDatabase()
        for key in ["user:2", "user:1", "admin", "user:10", "u", "usex"] { F.string(db, key) }
        #expect(db("KEYS", "*") == .bulks("user:2", "user:1", "admin", "user:10", "u", "usex"))
        #expect(db("KEYS", "user:*") == .bulks("user:2", "user:1", "user:10"))
        #expect(db("KEYS", "user:?") == .bulks("user:2", "user:1"))
        #expect(db("KEYS", "us[e]?") == .bulks("usex"))
        #expect(db("KEYS", "*1*") == .bulks("user:1", "user:10"))
        #expect(db("KEYS", "[^u]*") == .bulks("admin"))
        #expect(db("KEYS", "u") == .bulks("u"))
        #expect(db("KEYS", "nothing*") == .array([]))
        #expect(db("KEYS") == .arity("keys"))
        #expect(db("KEYS", "a", "b") == .arity("keys"))
    }

    @Test func keysEscapesAndSpecialPrefixes() {
        let db = TestDatabase()
        for key in ["a*b", "axb", "a\\", "a?"] { F.string(db, key) }
        #expect(db("KEYS", "a\\*b") == .bulks("a*b"))
        #expect(db("KEYS", "a\\*") == .array([]))
        #expect(db("KEYS", "a\\\\") == .bulks("a\\"))
        #expect(db("KEYS", "a\\") == .bulks("a\\"))
        #expect(db("KEYS", "a\\?") == .bulks("a?"))
        #expect(db("KEYS", "a?") == .bulks("a\\", "a?"))
    }

    @Test func keysBinaryPrefixesFindTextAndBlobKeys() {
        let db = TestDatabase()
        let blobKey: [UInt8] = [0x61, 0xff, 0x00]
        let textKey: [UInt8] = Array("aé".utf8)  // 61 c3 a9
        let highKey: [UInt8] = [0xff, 0xff, 0x01]
        F.string(db, blobKey, [])
        F.string(db, textKey, [])
        F.string(db, "b")
        F.string(db, highKey, [])
        #expect(db.run([F.bytes("KEYS"), F.bytes("a*")]) == .array([.bulk(blobKey), .bulk(textKey)]))
        #expect(db.run([F.bytes("KEYS"), [0x61, 0xff, 0x2a]]) == .array([.bulk(blobKey)]))
        #expect(db.run([F.bytes("KEYS"), [0x61, 0xc3, 0x2a]]) == .array([.bulk(textKey)]))
        #expect(db.run([F.bytes("KEYS"), [0xff, 0xff, 0x2a]]) == .array([.bulk(highKey)]))
        #expect(db.run([F.bytes("KEYS"), [0x2a, 0x00]]) == .array([.bulk(blobKey)]))
    }

    @Test func keysHidesExpiredAndOtherDatabases() {
        let db = TestDatabase()
        F.string(db, "a")
        F.string(db, "b", expireAt: now(db) + 5)
        F.string(db, "c", inDB: 2)
        #expect(db("KEYS", "*") == .bulks("a", "b"))
        db.advance(milliseconds: 6)
        #expect(db("KEYS", "*") == .bulks("a"))
        #expect(db("KEYS", "b*") == .array([]))
        #expect(db("SELECT", "2") == .ok)
        #expect(db("KEYS", "*") == .bulks("c"))
    }

    // MARK: SCAN

    private func scanAll(_ db: TestDatabase, _ extra: [String]) -> ([String], Int) {
        var cursor = "0"
        var seen: [String] = []
        var calls = 0
        repeat {
            guard case .array(let parts) = db.run(([["SCAN"], [cursor], extra].flatMap { $0 }).map(F.bytes)),
                  parts.count == 2, case .bulk(let next) = parts[0], case .array(let names) = parts[1] else {
                Issue.record("bad SCAN reply")
                return (seen, calls)
            }
            for case .bulk(let name) in names { seen.append(String(decoding: name, as: UTF8.self)) }
            cursor = String(decoding: next, as: UTF8.self)
            calls += 1
        } while cursor != "0" && calls < 100
        return (seen, calls)
    }

    @Test func scanWalksEveryKeyOnce() {
        let db = TestDatabase()
        let names = (0..<25).map { "k\($0)" }
        for name in names { F.string(db, name) }
        let (seen, calls) = scanAll(db, ["COUNT", "10"])
        #expect(seen == names)
        #expect(calls == 3)
        // Exactly COUNT keys left: the call that returns them already answers cursor 0.
        let (_, exactCalls) = scanAll(db, ["COUNT", "25"])
        #expect(exactCalls == 1)
        let (all, defaultCalls) = scanAll(db, [])
        #expect(all == names)
        #expect(defaultCalls == 3)
    }

    @Test func scanMatchAndType() {
        let db = TestDatabase()
        F.string(db, "s1")
        F.hash(db, "h1", [("f", [])])
        F.zset(db, "z1", [([], 0)])
        F.string(db, "s2")
        F.list(db, "l1", [[]])
        F.set(db, "t1", [[]])
        #expect(scanAll(db, ["MATCH", "s*"]).0 == ["s1", "s2"])
        #expect(scanAll(db, ["TYPE", "string"]).0 == ["s1", "s2"])
        #expect(scanAll(db, ["TYPE", "ZSET"]).0 == ["z1"])
        #expect(scanAll(db, ["type", "hash", "match", "h*"]).0 == ["h1"])
        #expect(scanAll(db, ["TYPE", "list", "COUNT", "1"]).0 == ["l1"])
        #expect(scanAll(db, ["TYPE", "set"]).0 == ["t1"])
        #expect(db("SCAN", "0", "TYPE", "bogus") == .array([.bulk("0"), .array([])]))
        #expect(scanAll(db, ["MATCH", "*", "COUNT", "2"]).0 == ["s1", "h1", "z1", "s2", "l1", "t1"])
    }

    @Test func scanTypeCursorIsTheLastIdVisited() {
        let db = TestDatabase()
        F.string(db, "a")
        F.list(db, "l", [[]])
        F.string(db, "b")
        F.string(db, "c")
        #expect(db("SCAN", "0", "TYPE", "string", "COUNT", "2") == .array([.bulk("3"), .bulks("a", "b")]))
        #expect(db("SCAN", "3", "TYPE", "string", "COUNT", "2") == .array([.bulk("0"), .bulks("c")]))
        #expect(db("SCAN", "1", "COUNT", "1") == .array([.bulk("2"), .bulks("l")]))
    }

    @Test func scanErrorsAndEdges() {
        let db = TestDatabase()
        F.string(db, "a")
        F.string(db, "x", expireAt: now(db))
        db.advance(milliseconds: 1)
        #expect(db("SCAN") == .arity("scan"))
        #expect(db("SCAN", "abc") == .err("ERR invalid cursor"))
        #expect(db("SCAN", "0", "COUNT", "0") == .syntaxError)
        #expect(db("SCAN", "0", "COUNT", "x") == .notInteger)
        #expect(db("SCAN", "0", "MATCH") == .syntaxError)
        #expect(db("SCAN", "0", "FOO", "bar") == .syntaxError)
        #expect(db("SCAN", "0", "COUNT", "9223372036854775807") == .array([.bulk("0"), .bulks("a")]))
        #expect(db("SCAN", "18446744073709551615") == .array([.bulk("0"), .array([])]))
    }

    @Test func scanBinaryKeys() {
        let db = TestDatabase()
        F.string(db, binary, [])
        #expect(db("SCAN", "0") == .array([.bulk("0"), .array([.bulk(binary)])]))
    }

    // MARK: RANDOMKEY

    @Test func randomkeyEmptyAndSingle() {
        let db = TestDatabase()
        #expect(db("RANDOMKEY") == .null)
        F.string(db, "only")
        F.string(db, "gone", expireAt: now(db))
        F.string(db, "elsewhere", inDB: 1)
        db.advance(milliseconds: 1)
        for _ in 0..<10 { #expect(db("RANDOMKEY") == .bulk("only")) }
        #expect(db("RANDOMKEY", "x") == .arity("randomkey"))
    }

    @Test func randomkeyIsDeterministicAndCoversAllKeys() {
        func picks(seed: UInt64) -> [Reply] {
            let db = TestDatabase(seed: seed)
            for index in 0..<5 { F.string(db, "k\(index)") }
            return (0..<200).map { _ in db("RANDOMKEY") }
        }
        let first = picks(seed: 42)
        #expect(first == picks(seed: 42))
        #expect(first != picks(seed: 43))
        let counts = Dictionary(grouping: first, by: { reply -> [UInt8] in
            if case .bulk(let name) = reply { return name }
            return []
        }).mapValues(\.count)
        #expect(counts.count == 5)
        #expect(counts.values.allSatisfy { $0 > 20 })
    }

    // MARK: Whole-family checks

    @Test func batchKeepsTheFileSound() throws {
        let db = TestDatabase()
        for index in 0..<20 { F.string(db, "k\(index)") }
        F.hash(db, "h", [("a", [1]), ("b", [2])])
        F.zset(db, "z", [([1], 1)])
        #expect(db("RENAME", "h", "k0") == .ok)
        #expect(db("COPY", "k0", "k1", "REPLACE") == .integer(1))
        #expect(db("COPY", "z", "z", "DB", "5") == .integer(1))
        #expect(db("EXPIRE", "k2", "0") == .integer(1))
        #expect(db("PEXPIRE", "k3", "10") == .integer(1))
        #expect(db("DEL", "k4", "k5", "z") == .integer(3))
        #expect(db("RENAMENX", "k6", "k7") == .integer(0))
        #expect(db("RENAMENX", "k6", "new") == .integer(1))
        db.advance(milliseconds: 11)
        #expect(db("DBSIZE") == .integer(16))
        #expect(db("EXISTS", "k3") == .integer(0))
        #expect(try db.sql("SELECT COUNT(*) FROM hashes") == [["4"]])
        // k3's row waits for the active purge (no write since it expired).
        #expect(try db.sql("SELECT COUNT(*) FROM strings") == [["15"]])
        #expect(try db.sql("SELECT COUNT(*) FROM zsets") == [["1"]])
        #expect(try db.integrityCheck() == ["ok"])
        #expect(try db.sql("PRAGMA foreign_key_check") == [])
    }
}

