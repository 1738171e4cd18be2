import RESP
import Testing
@testable import Redlite

/// The clock every `TestDatabase` starts at (ManualClock's default).
private let start: Int64 = 1_767_225_600_000

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A list key made directly in SQL, so these tests do not depend on the list family.
private func makeList(_ db: TestDatabase, _ key: String) throws {
    let record = try db.connection.store.create(bytes(key), type: .list)
    _ = try db.sql("INSERT INTO lists (key_id, pos, value) VALUES (\(record.id), 0, x'61')")
}

/// `keys.expire_at` of a key in db 0 ("NULL" for none), or nil when there is no row.
private func expireAt(_ db: TestDatabase, _ key: String) throws -> String? {
    try db.sql("SELECT expire_at FROM keys WHERE db = 0 AND key = '\(key)'").first?.first
}

private func version(_ db: TestDatabase, _ key: String) throws -> Int? {
    try db.sql("SELECT version FROM keys WHERE db = 0 AND key = '\(key)'").first?.first.flatMap { Int($0) }
}

private func typeOf(_ db: TestDatabase, _ key: String) throws -> String? {
    try db.sql("SELECT type FROM keys WHERE db = 0 AND key = '\(key)'").first?.first
}

@Suite struct StringCommandsTests {
    // MARK: GET / SET

    @Test func getAndSetBasics() throws {
        let db = TestDatabase()
        #expect(db("GET", "k") == .null)
        #expect(db("SET", "k", "v") == .ok)
        #expect(db("GET", "k") == .bulk("v"))
        #expect(db("SET", "k", "") == .ok)
        #expect(db("GET", "k") == .bulk(""))
        #expect(db("GET") == .arity("get"))
        #expect(db("GET", "a", "b") == .arity("get"))
        #expect(db("SET", "k") == .arity("set"))
        try makeList(db, "l")
        #expect(db("GET", "l") == .wrongType)
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func binaryKeysAndValues() throws {
        let db = TestDatabase()
        let key: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x80]
        let value: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x00]
        #expect(db.run([bytes("SET"), key, value]) == .ok)
        #expect(db.run([bytes("GET"), key]) == .bulk(value))
        #expect(db.run([bytes("STRLEN"), key]) == .integer(5))
        #expect(db.run([bytes("APPEND"), key, [0xfe]]) == .integer(6))
        #expect(db.run([bytes("GETRANGE"), key, bytes("-2"), bytes("-1")]) == .bulk([0x00, 0xfe]))
        #expect(db.run([bytes("MGET"), key, bytes("nope")]) == .array([.bulk(value + [0xfe]), .null]))
        // Values are BLOBs; a UTF-8 key is TEXT, a non-UTF-8 one a BLOB.
        #expect(try db.sql("SELECT typeof(k.key), typeof(s.value) FROM keys k JOIN strings s ON s.key_id = k.id")
                == [["blob", "blob"]])
        #expect(db("SET", "text", "v") == .ok)
        #expect(try db.sql("SELECT typeof(k.key), typeof(s.value) FROM keys k JOIN strings s ON s.key_id = k.id WHERE k.key = 'text'")
                == [["text", "blob"]])
    }

    @Test func setReplacesAnyTypeAndClearsTTL() throws {
        let db = TestDatabase()
        try makeList(db, "l")
        #expect(db("SET", "l", "v") == .ok)
        #expect(db("GET", "l") == .bulk("v"))
        #expect(try typeOf(db, "l") == "1")
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["0"]])
        #expect(db("SET", "k", "v", "EX", "100") == .ok)
        #expect(try expireAt(db, "k") == String(start + 100_000))
        #expect(db("SET", "k", "w") == .ok)
        #expect(try expireAt(db, "k") == "NULL")
    }

    @Test func setExpiryOptions() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "v", "ex", "10") == .ok)
        #expect(try expireAt(db, "k") == String(start + 10_000))
        #expect(db("SET", "k", "v", "PX", "1500") == .ok)
        #expect(try expireAt(db, "k") == String(start + 1500))
        #expect(db("SET", "k", "v", "EXAT", "1800000000") == .ok)
        #expect(try expireAt(db, "k") == "1800000000000")
        #expect(db("SET", "k", "v", "PXAT", "1800000000123") == .ok)
        #expect(try expireAt(db, "k") == "1800000000123")
        #expect(db("SET", "k", "w", "KEEPTTL") == .ok)
        #expect(try expireAt(db, "k") == "1800000000123")
        #expect(db("GET", "k") == .bulk("w"))
        // The same expiry option may repeat; only its last value is parsed.
        #expect(db("SET", "k", "v", "EX", "abc", "EX", "20") == .ok)
        #expect(try expireAt(db, "k") == String(start + 20_000))
        #expect(db("SET", "k", "v", "KEEPTTL", "KEEPTTL") == .ok)
        // A time already past still sets the key, which is then expired.
        #expect(db("SET", "p", "v", "PXAT", "1") == .ok)
        #expect(db("GET", "p") == .null)
        #expect(db("SET", "p", "v", "EXAT", "9223372036854775") == .ok)
        #expect(try expireAt(db, "p") == "9223372036854775000")
        #expect(db("SET", "p", "v", "PXAT", "9223372036854775807") == .ok)
    }

    @Test func setExpiresWithVirtualTime() {
        let db = TestDatabase()
        #expect(db("SET", "k", "v", "PX", "100") == .ok)
        db.advance(milliseconds: 100)
        #expect(db("GET", "k") == .bulk("v"))
        db.advance(milliseconds: 1)
        #expect(db("GET", "k") == .null)
        #expect(db("SET", "k", "w", "KEEPTTL") == .ok)
        #expect(db("GET", "k") == .bulk("w"))
        db.advance(milliseconds: 1_000_000)
        #expect(db("GET", "k") == .bulk("w"))
    }

    @Test func setOptionErrors() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "v", "EX", "10", "PX", "10") == .syntaxError)
        #expect(db("SET", "k", "v", "PX", "10", "PXAT", "10") == .syntaxError)
        #expect(db("SET", "k", "v", "EXAT", "10", "EX", "10") == .syntaxError)
        #expect(db("SET", "k", "v", "NX", "XX") == .syntaxError)
        #expect(db("SET", "k", "v", "XX", "NX") == .syntaxError)
        #expect(db("SET", "k", "v", "KEEPTTL", "EX", "10") == .syntaxError)
        #expect(db("SET", "k", "v", "PX", "1", "KEEPTTL") == .syntaxError)
        #expect(db("SET", "k", "v", "EX") == .syntaxError)
        #expect(db("SET", "k", "v", "BOGUS") == .syntaxError)
        #expect(db("SET", "k", "v", "PERSIST") == .syntaxError)
        #expect(db("SET", "k", "v", "EXA", "1") == .syntaxError)
        // Syntax is checked before any number.
        #expect(db("SET", "k", "v", "EX", "abc", "NX", "XX") == .syntaxError)
        #expect(db("SET", "k", "v", "EX", "0", "BOGUS") == .syntaxError)
        #expect(db("SET", "k", "v", "EX", "abc") == .notInteger)
        #expect(db("SET", "k", "v", "EX", "1.5") == .notInteger)
        #expect(db("SET", "k", "v", "PX", "") == .notInteger)
        let invalid = Reply.err("ERR invalid expire time in 'set' command")
        #expect(db("SET", "k", "v", "EX", "0") == invalid)
        #expect(db("SET", "k", "v", "EX", "-1") == invalid)
        #expect(db("SET", "k", "v", "PX", "0") == invalid)
        #expect(db("SET", "k", "v", "EXAT", "0") == invalid)
        #expect(db("SET", "k", "v", "PXAT", "-1") == invalid)
        #expect(db("SET", "k", "v", "EX", "9223372036854775807") == invalid)
        #expect(db("SET", "k", "v", "EX", "9223372036854776") == invalid)
        // Fits in ms, but not once the current time is added.
        #expect(db("SET", "k", "v", "EX", "9223372036854775") == invalid)
        #expect(db("SET", "k", "v", "PX", "9223372036854775807") == invalid)
        #expect(db("SET", "k", "v", "EXAT", "9223372036854776") == invalid)
        #expect(db("DBSIZE") == .integer(0))
    }

    @Test func setNXXXAndGet() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "v", "XX") == .null)
        #expect(db("GET", "k") == .null)
        #expect(db("SET", "k", "v", "nx") == .ok)
        #expect(db("SET", "k", "w", "NX") == .null)
        #expect(db("GET", "k") == .bulk("v"))
        #expect(db("SET", "k", "w", "XX") == .ok)
        #expect(db("GET", "k") == .bulk("w"))
        #expect(db("SET", "k", "x", "GET") == .bulk("w"))
        #expect(db("SET", "k", "y", "GET", "GET") == .bulk("x"))
        #expect(db("SET", "k", "z", "NX", "GET") == .bulk("y"))
        #expect(db("GET", "k") == .bulk("y"))
        #expect(db("SET", "n", "v", "XX", "GET") == .null)
        #expect(db("GET", "n") == .null)
        #expect(db("SET", "n", "v", "NX", "GET") == .null)
        #expect(db("GET", "n") == .bulk("v"))
        #expect(db("SET", "m", "v", "GET") == .null)
        #expect(db("GET", "m") == .bulk("v"))
        // NX/XX see a key of any type; XX replaces it.
        try makeList(db, "l")
        #expect(db("SET", "l", "v", "NX") == .null)
        #expect(db("SET", "l", "v", "XX") == .ok)
        #expect(db("GET", "l") == .bulk("v"))
        // An expired key counts as missing.
        #expect(db("SET", "e", "v", "PX", "5") == .ok)
        db.advance(milliseconds: 6)
        #expect(db("SET", "e", "w", "XX") == .null)
        #expect(db("SET", "e", "w", "NX", "GET") == .null)
        #expect(db("GET", "e") == .bulk("w"))
    }

    @Test func setGetOnWrongTypeWritesNothing() throws {
        let db = TestDatabase()
        try makeList(db, "l")
        let before = try version(db, "l")
        #expect(db("SET", "l", "v", "GET") == .wrongType)
        #expect(db("SET", "l", "v", "NX", "GET") == .wrongType)
        #expect(db("SET", "l", "v", "XX", "GET", "EX", "10") == .wrongType)
        #expect(try typeOf(db, "l") == "3")
        #expect(try version(db, "l") == before)
        #expect(try db.sql("SELECT COUNT(*) FROM lists") == [["1"]])
        // The expiry error comes before GET's type check.
        #expect(db("SET", "l", "v", "EX", "0", "GET") == .err("ERR invalid expire time in 'set' command"))
    }

    @Test func setnxSetexPsetex() throws {
        let db = TestDatabase()
        #expect(db("SETNX", "k", "1") == .integer(1))
        #expect(db("SETNX", "k", "2") == .integer(0))
        #expect(db("GET", "k") == .bulk("1"))
        try makeList(db, "l")
        #expect(db("SETNX", "l", "1") == .integer(0))
        #expect(db("SETNX", "k") == .arity("setnx"))

        #expect(db("SETEX", "s", "10", "v") == .ok)
        #expect(try expireAt(db, "s") == String(start + 10_000))
        #expect(db("PSETEX", "p", "10", "v") == .ok)
        #expect(try expireAt(db, "p") == String(start + 10))
        #expect(db("GET", "p") == .bulk("v"))
        #expect(db("SETEX", "l", "10", "v") == .ok)
        #expect(db("GET", "l") == .bulk("v"))
        #expect(db("SETEX", "s", "abc", "v") == .notInteger)
        #expect(db("SETEX", "s", "0", "v") == .err("ERR invalid expire time in 'setex' command"))
        #expect(db("SETEX", "s", "-5", "v") == .err("ERR invalid expire time in 'setex' command"))
        #expect(db("SETEX", "s", "9223372036854775", "v") == .err("ERR invalid expire time in 'setex' command"))
        #expect(db("PSETEX", "s", "0", "v") == .err("ERR invalid expire time in 'psetex' command"))
        #expect(db("PSETEX", "s", "-5", "v") == .err("ERR invalid expire time in 'psetex' command"))
        #expect(db("PSETEX", "s", "x", "v") == .notInteger)
        #expect(db("SETEX", "s", "10") == .arity("setex"))
        #expect(db("PSETEX", "s", "10") == .arity("psetex"))
    }

    // MARK: Multi-key

    @Test func mgetMsetMsetnx() throws {
        let db = TestDatabase()
        try makeList(db, "l")
        #expect(db("MSET", "a", "1", "b", "2") == .ok)
        #expect(db("MGET", "a", "l", "missing", "b") == .array([.bulk("1"), .null, .null, .bulk("2")]))
        #expect(db("MSET", "a", "1", "a", "2") == .ok)
        #expect(db("GET", "a") == .bulk("2"))
        #expect(db("MSET", "a", "1", "b") == .arity("mset"))
        #expect(db("MSET", "a") == .arity("mset"))
        #expect(db("MGET") == .arity("mget"))
        #expect(db("MSETNX", "a", "9", "c", "3") == .integer(0))
        #expect(db("GET", "c") == .null)
        #expect(db("MSETNX", "l", "9") == .integer(0))
        #expect(db("MSETNX", "c", "1", "d", "2", "c", "3") == .integer(1))
        #expect(db("MGET", "c", "d") == .bulks("3", "2"))
        #expect(db("MSETNX", "x", "1", "y") == .arity("msetnx"))
        // MSET replaces other types and clears TTLs.
        #expect(db("SET", "t", "v", "EX", "100") == .ok)
        #expect(db("MSET", "l", "v", "t", "w") == .ok)
        #expect(db("GET", "l") == .bulk("v"))
        #expect(try expireAt(db, "t") == "NULL")
        // MSETNX treats an expired key as missing.
        #expect(db("SET", "e", "v", "PX", "1") == .ok)
        db.advance(milliseconds: 2)
        #expect(db("MSETNX", "e", "new") == .integer(1))
        #expect(db("GET", "e") == .bulk("new"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    // MARK: GETSET / GETDEL / GETEX

    @Test func getsetAndGetdel() throws {
        let db = TestDatabase()
        #expect(db("GETSET", "k", "1") == .null)
        #expect(db("GETSET", "k", "2") == .bulk("1"))
        #expect(db("SET", "t", "v", "EX", "100") == .ok)
        #expect(db("GETSET", "t", "w") == .bulk("v"))
        #expect(try expireAt(db, "t") == "NULL")
        try makeList(db, "l")
        #expect(db("GETSET", "l", "x") == .wrongType)
        #expect(try typeOf(db, "l") == "3")

        #expect(db("GETDEL", "k") == .bulk("2"))
        #expect(db("GETDEL", "k") == .null)
        #expect(try typeOf(db, "k") == nil)
        #expect(db("GETDEL", "l") == .wrongType)
        #expect(try typeOf(db, "l") == "3")
        #expect(db("SET", "e", "v", "PX", "1") == .ok)
        db.advance(milliseconds: 2)
        #expect(db("GETDEL", "e") == .null)
        #expect(db("GETDEL") == .arity("getdel"))
    }

    @Test func getexOptions() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "v") == .ok)
        #expect(db("GETEX", "k") == .bulk("v"))
        #expect(try expireAt(db, "k") == "NULL")
        #expect(db("GETEX", "k", "EX", "10") == .bulk("v"))
        #expect(try expireAt(db, "k") == String(start + 10_000))
        #expect(db("GETEX", "k", "px", "500") == .bulk("v"))
        #expect(try expireAt(db, "k") == String(start + 500))
        #expect(db("GETEX", "k", "EXAT", "1800000000") == .bulk("v"))
        #expect(try expireAt(db, "k") == "1800000000000")
        #expect(db("GETEX", "k", "PXAT", "1800000000001") == .bulk("v"))
        #expect(try expireAt(db, "k") == "1800000000001")
        #expect(db("GETEX", "k", "EX", "10", "EX", "20") == .bulk("v"))
        #expect(try expireAt(db, "k") == String(start + 20_000))
        #expect(db("GETEX", "k", "PERSIST") == .bulk("v"))
        #expect(try expireAt(db, "k") == "NULL")
        // An absolute time not after now deletes the key, after answering it.
        #expect(db("GETEX", "k", "PXAT", "1") == .bulk("v"))
        #expect(try typeOf(db, "k") == nil)
        #expect(db("SET", "k", "v") == .ok)
        #expect(db("GETEX", "k", "PXAT", String(start)) == .bulk("v"))
        #expect(try typeOf(db, "k") == nil)
        #expect(db("SET", "k", "v") == .ok)
        #expect(db("GETEX", "k", "PXAT", String(start + 1)) == .bulk("v"))
        #expect(db("GET", "k") == .bulk("v"))
        db.advance(milliseconds: 2)
        #expect(db("GETEX", "k") == .null)
        #expect(db("GETEX", "k", "EXAT", "9223372036854775") == .null)
        #expect(db("SET", "k", "v") == .ok)
        #expect(db("GETEX", "k", "EXAT", "9223372036854775") == .bulk("v"))
    }

    @Test func getexErrors() throws {
        let db = TestDatabase()
        // A missing key answers nil even when the expiry is bad, but not when the syntax is.
        #expect(db("GETEX", "missing", "EX", "abc") == .null)
        #expect(db("GETEX", "missing", "EX", "0") == .null)
        #expect(db("GETEX", "missing", "BOGUS") == .syntaxError)
        #expect(db("SET", "k", "v", "EX", "100") == .ok)
        #expect(db("GETEX", "k", "EX", "0") == .err("ERR invalid expire time in 'getex' command"))
        #expect(db("GETEX", "k", "PX", "-1") == .err("ERR invalid expire time in 'getex' command"))
        #expect(db("GETEX", "k", "EX", "9223372036854775") == .err("ERR invalid expire time in 'getex' command"))
        #expect(db("GETEX", "k", "EX", "abc") == .notInteger)
        #expect(db("GETEX", "k", "PERSIST", "EX", "10") == .syntaxError)
        #expect(db("GETEX", "k", "EX", "10", "PERSIST") == .syntaxError)
        #expect(db("GETEX", "k", "EX", "10", "PX", "10") == .syntaxError)
        #expect(db("GETEX", "k", "KEEPTTL") == .syntaxError)
        #expect(db("GETEX", "k", "GET") == .syntaxError)
        #expect(db("GETEX", "k", "NX") == .syntaxError)
        #expect(db("GETEX", "k", "EX") == .syntaxError)
        #expect(try expireAt(db, "k") == String(start + 100_000))
        try makeList(db, "l")
        #expect(db("GETEX", "l") == .wrongType)
        #expect(db("GETEX", "l", "EX", "0") == .wrongType)
        #expect(db("GETEX", "l", "BOGUS") == .syntaxError)
        #expect(db("GETEX") == .arity("getex"))
    }

    // MARK: Counters

    @Test func incrDecrFamily() throws {
        let db = TestDatabase()
        #expect(db("INCR", "n") == .integer(1))
        #expect(db("INCR", "n") == .integer(2))
        #expect(db("DECR", "n") == .integer(1))
        #expect(db("INCRBY", "n", "10") == .integer(11))
        #expect(db("INCRBY", "n", "-20") == .integer(-9))
        #expect(db("DECRBY", "n", "1") == .integer(-10))
        #expect(db("DECRBY", "n", "-10") == .integer(0))
        #expect(db("GET", "n") == .bulk("0"))
        #expect(db("DECR", "m") == .integer(-1))
        #expect(db("INCRBY", "o", "5") == .integer(5))
        #expect(db("DECRBY", "p", "5") == .integer(-5))
        #expect(db("GET", "p") == .bulk("-5"))
        #expect(try db.sql("SELECT typeof(s.value), s.value FROM strings s JOIN keys k ON k.id = s.key_id WHERE k.key = 'p'")
                == [["blob", "-5"]])
        #expect(db("INCR") == .arity("incr"))
        #expect(db("INCRBY", "n") == .arity("incrby"))
    }

    @Test func incrBoundariesAndErrors() throws {
        let db = TestDatabase()
        #expect(db("SET", "n", "9223372036854775806") == .ok)
        #expect(db("INCR", "n") == .integer(Int64.max))
        #expect(db("INCR", "n") == .err("ERR increment or decrement would overflow"))
        #expect(db("DECRBY", "n", "-1") == .err("ERR increment or decrement would overflow"))
        #expect(db("INCRBY", "n", "9223372036854775807") == .err("ERR increment or decrement would overflow"))
        #expect(db("INCRBY", "n", "-9223372036854775808") == .integer(-1))
        #expect(db("SET", "n", "-9223372036854775807") == .ok)
        #expect(db("DECR", "n") == .integer(Int64.min))
        #expect(db("DECR", "n") == .err("ERR increment or decrement would overflow"))
        #expect(db("DECRBY", "n", "1") == .err("ERR increment or decrement would overflow"))
        #expect(db("INCRBY", "n", "-1") == .err("ERR increment or decrement would overflow"))
        #expect(db("GET", "n") == .bulk("-9223372036854775808"))
        #expect(db("DECRBY", "n", "-9223372036854775808") == .err("ERR decrement would overflow"))
        #expect(db("DECRBY", "missing", "-9223372036854775808") == .err("ERR decrement would overflow"))
        #expect(db("INCRBY", "n", "9223372036854775808") == .notInteger)
        #expect(db("INCRBY", "n", "abc") == .notInteger)
        #expect(db("INCRBY", "n", "1.5") == .notInteger)
        #expect(db("INCRBY", "n", "+1") == .notInteger)
        for bad in [" 1", "01", "1 ", "abc", "", "1.0", "9223372036854775808", "-0"] {
            #expect(db("SET", "s", bad) == .ok)
            #expect(db("INCR", "s") == .notInteger)
        }
        try makeList(db, "l")
        #expect(db("INCR", "l") == .wrongType)
        #expect(db("DECRBY", "l", "1") == .wrongType)
        // The increment is parsed before the key's type is checked.
        #expect(db("INCRBY", "l", "abc") == .notInteger)
        #expect(db("DECRBY", "l", "-9223372036854775808") == .err("ERR decrement would overflow"))
        #expect(db("DBSIZE") == .integer(3))
    }

    @Test func incrKeepsTTLAndRestartsExpiredKeys() throws {
        let db = TestDatabase()
        #expect(db("SET", "n", "5", "EX", "100") == .ok)
        #expect(db("INCR", "n") == .integer(6))
        #expect(db("INCRBYFLOAT", "n", "0.5") == .bulk("6.5"))
        #expect(try expireAt(db, "n") == String(start + 100_000))
        #expect(db("SET", "e", "41", "PX", "1") == .ok)
        db.advance(milliseconds: 2)
        #expect(db("INCR", "e") == .integer(1))
        #expect(try expireAt(db, "e") == "NULL")
        #expect(db("SET", "f", "41", "PX", "1") == .ok)
        db.advance(milliseconds: 2)
        #expect(db("INCRBYFLOAT", "f", "1.5") == .bulk("1.5"))
        #expect(try expireAt(db, "f") == "NULL")
    }

    @Test func incrbyfloat() throws {
        let db = TestDatabase()
        #expect(db("INCRBYFLOAT", "f", "1.5") == .bulk("1.5"))
        #expect(db("INCRBYFLOAT", "f", "-0.5") == .bulk("1"))
        #expect(db("SET", "f", "10.50") == .ok)
        #expect(db("INCRBYFLOAT", "f", "0.1") == .bulk("10.6"))
        #expect(db("INCRBYFLOAT", "f", "5.0e3") == .bulk("5010.60000000000000009"))
        #expect(db("GET", "f") == .bulk("5010.60000000000000009"))
        // strtold accepts hex and long-double range; leading or trailing space is refused.
        #expect(db("INCRBYFLOAT", "x", "0x10") == .bulk("16"))
        #expect(db("INCRBYFLOAT", "big", "1e400") == .bulk("10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880"))
        #expect(db("INCRBYFLOAT", "x", "1e5000") == .err("ERR value is not a valid float"))
        #expect(db("INCRBYFLOAT", "x", " 1") == .err("ERR value is not a valid float"))
        #expect(db("INCRBYFLOAT", "x", "1 ") == .err("ERR value is not a valid float"))
        #expect(db("SET", "i", "01") == .ok)
        #expect(db("INCRBYFLOAT", "i", "1") == .bulk("2"))
        #expect(db("SET", "f", "1.5") == .ok)
        #expect(db("INCRBYFLOAT", "f", "inf") == .err("ERR increment would produce NaN or Infinity"))
        #expect(db("INCRBYFLOAT", "f", "-inf") == .err("ERR increment would produce NaN or Infinity"))
        #expect(db("INCRBYFLOAT", "f", "abc") == .err("ERR value is not a valid float"))
        #expect(db("INCRBYFLOAT", "f", "") == .err("ERR value is not a valid float"))
        #expect(db("INCRBYFLOAT", "missing", "abc") == .err("ERR value is not a valid float"))
        #expect(db("DBSIZE") == .integer(4))
        #expect(db("GET", "f") == .bulk("1.5"))
        #expect(db("SET", "s", "abc") == .ok)
        #expect(db("INCRBYFLOAT", "s", "1") == .err("ERR value is not a valid float"))
        try makeList(db, "l")
        // The type is checked before either number.
        #expect(db("INCRBYFLOAT", "l", "abc") == .wrongType)
        #expect(db("INCRBYFLOAT", "f") == .arity("incrbyfloat"))
    }

    // MARK: APPEND / STRLEN / GETRANGE / SETRANGE

    @Test func appendAndStrlen() throws {
        let db = TestDatabase()
        #expect(db("STRLEN", "a") == .integer(0))
        // APPEND creates the key even for an empty value.
        #expect(db("APPEND", "a", "") == .integer(0))
        #expect(try typeOf(db, "a") == "1")
        #expect(db("GET", "a") == .bulk(""))
        #expect(db("APPEND", "a", "xy") == .integer(2))
        #expect(db("APPEND", "a", "z") == .integer(3))
        #expect(db("GET", "a") == .bulk("xyz"))
        #expect(db("STRLEN", "a") == .integer(3))
        #expect(db("SET", "n", "12345") == .ok)
        #expect(db("STRLEN", "n") == .integer(5))
        #expect(db("SET", "t", "v", "EX", "100") == .ok)
        #expect(db("APPEND", "t", "w") == .integer(2))
        #expect(try expireAt(db, "t") == String(start + 100_000))
        try makeList(db, "l")
        #expect(db("APPEND", "l", "x") == .wrongType)
        #expect(db("STRLEN", "l") == .wrongType)
        #expect(db("SET", "e", "v", "PX", "1") == .ok)
        db.advance(milliseconds: 2)
        #expect(db("STRLEN", "e") == .integer(0))
        #expect(db("APPEND", "e", "new") == .integer(3))
        #expect(try expireAt(db, "e") == "NULL")
        #expect(db("APPEND", "a") == .arity("append"))
        #expect(db("STRLEN") == .arity("strlen"))
    }

    @Test func getrangeIndices() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "hello") == .ok)
        let cases: [(String, String, String)] = [
            ("0", "-1", "hello"), ("0", "-100", "h"), ("-1", "-5", ""), ("-3", "-1", "llo"),
            ("-100", "-100", "h"), ("-100", "2", "hel"), ("3", "1", ""), ("10", "20", ""),
            ("4", "100", "o"), ("0", "0", "h"), ("1", "-9223372036854775808", ""),
            ("-9223372036854775808", "9223372036854775807", "hello"),
        ]
        for (from, to, expected) in cases {
            #expect(db("GETRANGE", "k", from, to) == .bulk(expected), "GETRANGE k \(from) \(to)")
        }
        #expect(db("SUBSTR", "k", "0", "1") == .bulk("he"))
        #expect(db("GETRANGE", "missing", "0", "-1") == .bulk(""))
        #expect(db("GETRANGE", "missing", "a", "0") == .notInteger)
        #expect(db("GETRANGE", "k", "0", "1.5") == .notInteger)
        #expect(db("SET", "e", "") == .ok)
        #expect(db("GETRANGE", "e", "0", "-1") == .bulk(""))
        #expect(db("GETRANGE", "e", "0", "0") == .bulk(""))
        try makeList(db, "l")
        #expect(db("GETRANGE", "l", "0", "1") == .wrongType)
        #expect(db("GETRANGE", "l", "x", "1") == .notInteger)
        #expect(db("GETRANGE", "k", "0") == .arity("getrange"))
    }

    @Test func setrange() throws {
        let db = TestDatabase()
        // An empty value on a missing key creates nothing.
        #expect(db("SETRANGE", "m", "0", "") == .integer(0))
        #expect(db("SETRANGE", "m", "5", "") == .integer(0))
        #expect(db("SETRANGE", "m", "536870911", "") == .integer(0))
        #expect(db("DBSIZE") == .integer(0))
        #expect(db("SETRANGE", "m", "3", "ab") == .integer(5))
        #expect(db.run([bytes("GET"), bytes("m")]) == .bulk([0, 0, 0, 0x61, 0x62]))
        #expect(db("SETRANGE", "m", "0", "X") == .integer(5))
        #expect(db.run([bytes("GET"), bytes("m")]) == .bulk([0x58, 0, 0, 0x61, 0x62]))
        #expect(db("SETRANGE", "m", "4", "yz") == .integer(6))
        #expect(db.run([bytes("GET"), bytes("m")]) == .bulk([0x58, 0, 0, 0x61, 0x79, 0x7a]))
        #expect(db("SETRANGE", "m", "1", "") == .integer(6))
        #expect(db("SETRANGE", "m", "99999999999", "") == .integer(6))
        #expect(db("SET", "h", "Hello World") == .ok)
        #expect(db("SETRANGE", "h", "6", "Redis") == .integer(11))
        #expect(db("GET", "h") == .bulk("Hello Redis"))
        #expect(db("SETRANGE", "m", "-1", "x") == .err("ERR offset is out of range"))
        #expect(db("SETRANGE", "m", "abc", "x") == .notInteger)
        let tooLong = Reply.err("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
        #expect(db("SETRANGE", "m", "536870912", "x") == tooLong)
        #expect(db("SETRANGE", "m", "536870911", "xy") == tooLong)
        #expect(db("SETRANGE", "new", "9223372036854775807", "x") == tooLong)
        #expect(db("DBSIZE") == .integer(2))
        // SETRANGE keeps the TTL.
        #expect(db("SET", "t", "abc", "EX", "100") == .ok)
        #expect(db("SETRANGE", "t", "1", "X") == .integer(3))
        #expect(db("GET", "t") == .bulk("aXc"))
        #expect(try expireAt(db, "t") == String(start + 100_000))
        try makeList(db, "l")
        #expect(db("SETRANGE", "l", "0", "") == .wrongType)
        #expect(db("SETRANGE", "l", "536870912", "x") == .wrongType)
        #expect(db("SETRANGE", "l", "-1", "") == .err("ERR offset is out of range"))
        #expect(db("SETRANGE", "m", "0") == .arity("setrange"))
    }

    // MARK: Storage

    @Test func everyWriteBumpsTheVersion() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "1") == .ok)
        var last = try #require(try version(db, "k"))
        let writes: [[String]] = [
            ["SET", "k", "2"], ["SET", "k", "3", "EX", "100"], ["SET", "k", "4", "KEEPTTL"],
            ["SET", "k", "5", "XX"], ["SET", "k", "6", "GET"], ["SETEX", "k", "10", "7"],
            ["PSETEX", "k", "10000", "8"], ["MSET", "k", "9"], ["GETSET", "k", "10"],
            ["INCR", "k"], ["INCRBY", "k", "2"], ["DECR", "k"], ["DECRBY", "k", "2"],
            ["INCRBYFLOAT", "k", "1.5"], ["APPEND", "k", "0"], ["APPEND", "k", ""],
            ["SETRANGE", "k", "0", "9"], ["GETEX", "k", "EX", "50"], ["GETEX", "k", "PERSIST"],
        ]
        for argv in writes {
            let reply = db.run(argv.map(bytes))
            #expect(!reply.isError, "\(argv)")
            let now = try #require(try version(db, "k"))
            #expect(now > last, "\(argv) must bump keys.version")
            last = now
        }
        // Commands that change nothing leave the version alone.
        let nonWrites: [[String]] = [
            ["GET", "k"], ["MGET", "k"], ["STRLEN", "k"], ["GETRANGE", "k", "0", "-1"],
            ["GETEX", "k"], ["GETEX", "k", "PERSIST"], ["SET", "k", "x", "NX"], ["SETNX", "k", "x"],
            ["MSETNX", "k", "x"], ["SETRANGE", "k", "0", ""], ["INCR", "k"], ["SET", "k", "x", "EX", "0"],
        ]
        for argv in nonWrites {
            _ = db.run(argv.map(bytes))
            #expect(try version(db, "k") == last, "\(argv) must not bump keys.version")
        }
        // updated_at follows the command's clock.
        db.advance(milliseconds: 7)
        #expect(!db("APPEND", "k", "!").isError)
        #expect(try db.sql("SELECT updated_at FROM keys WHERE key = 'k'") == [[String(start + 7)]])
    }

    @Test func failedCommandsRollBack() throws {
        let db = TestDatabase()
        #expect(db("SET", "k", "v") == .ok)
        let before = try db.sql("SELECT id, version, expire_at FROM keys")
        #expect(db("MSET", "k", "w", "x") == .arity("mset"))
        #expect(db("INCR", "k") == .notInteger)
        #expect(db("SETRANGE", "k", "536870912", "x").isError)
        #expect(db("GETEX", "k", "EX", "0").isError)
        #expect(try db.sql("SELECT id, version, expire_at FROM keys") == before)
        #expect(db("GET", "k") == .bulk("v"))
    }

    @Test func selectedDatabaseIsolation() {
        let db = TestDatabase()
        #expect(db("SET", "k", "zero") == .ok)
        #expect(db("SELECT", "3") == .ok)
        #expect(db("GET", "k") == .null)
        #expect(db("INCR", "k") == .integer(1))
        #expect(db("SELECT", "0") == .ok)
        #expect(db("GET", "k") == .bulk("zero"))
    }

    @Test func mixedBatchKeepsTheFileSound() throws {
        let db = TestDatabase()
        try makeList(db, "l")
        for round in 0..<50 {
            let key = "k\(round % 7)"
            _ = db("SET", key, "v\(round)", "PX", String(10 + round % 5))
            _ = db("APPEND", key, "x")
            _ = db("INCR", "n\(round % 3)")
            _ = db("INCRBYFLOAT", "f", "0.25")
            _ = db("SETRANGE", "r\(round % 4)", String(round), "ab")
            _ = db("GETRANGE", "r\(round % 4)", "-3", "-1")
            _ = db("MSET", "m1", String(round), "m2", String(round * 2))
            _ = db("MSETNX", "nx\(round)", "1", "m1", "2")
            _ = db("GETSET", "g", String(round))
            _ = db("GETDEL", round % 2 == 0 ? "g" : "missing")
            _ = db("GETEX", key, "PERSIST")
            _ = db("SET", "l", "x", "GET")
            _ = db("INCR", "l")
            db.advance(milliseconds: 3)
        }
        #expect(db("GET", "f") == .bulk("12.5"))
        #expect(db("MGET", "n0", "n1", "n2") == .bulks("17", "17", "16"))
        #expect(try typeOf(db, "l") == "3")
        #expect(try db.sql("SELECT COUNT(*) FROM strings s LEFT JOIN keys k ON k.id = s.key_id WHERE k.id IS NULL") == [["0"]])
        #expect(try db.sql("SELECT COUNT(*) FROM keys k LEFT JOIN strings s ON s.key_id = k.id WHERE k.type = 1 AND s.key_id IS NULL") == [["0"]])
        #expect(try db.sql("SELECT DISTINCT typeof(value) FROM strings") == [["blob"]])
        #expect(try db.integrityCheck() == ["ok"])
        #expect(try db.sql("PRAGMA foreign_key_check") == [])
    }
}
