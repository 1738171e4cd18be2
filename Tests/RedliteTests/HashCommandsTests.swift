import RESP
import Testing
@testable import Redlite


@Suite struct HashCommandsTests {
    static let binary: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x41]
    static let invalidUTF8Field: [UInt8] = [0xc3, 0x28, 0x00]

    @Test func hsetAndHget() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "1", "b", "2", "a", "3") == .integer(2))
        #expect(db("HGET", "h", "a") == .bulk("3"))
        #expect(db("HSET", "h", "a", "4", "c", "5") == .integer(1))
        #expect(db("HGET", "h", "a") == .bulk("4"))
        #expect(db("HGET", "h", "zz") == .null)
        #expect(db("HGET", "missing", "a") == .null)
        #expect(db("HSET", "h", "", "") == .integer(1))
        #expect(db("HGET", "h", "") == .bulk(""))
        #expect(db("hset", "h", "a", "1", "b") == .arity("hset"))
        #expect(db("HSET", "h", "a") == .arity("hset"))
        #expect(db("HGET", "h") == .arity("hget"))
        try makeString(db, "s")
        #expect(db("HSET", "s", "a", "1") == .wrongType)
        // The pair count is checked before the key's type.
        #expect(db("HSET", "s", "a", "1", "b") == .arity("hset"))
        #expect(db("HGET", "s", "a") == .wrongType)
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func binaryFieldsAndValues() throws {
        let db = TestDatabase()
        #expect(db.run([b("HSET"), b("h"), Self.binary, Self.binary, Self.invalidUTF8Field, b("v")]) == .integer(2))
        #expect(db.run([b("HGET"), b("h"), Self.binary]) == .bulk(Self.binary))
        #expect(db.run([b("HGET"), b("h"), Self.invalidUTF8Field]) == .bulk("v"))
        #expect(db.run([b("HEXISTS"), b("h"), [0xc3, 0x28]]) == .integer(0))
        #expect(db.run([b("HSTRLEN"), b("h"), Self.binary]) == .integer(5))
        #expect(db("HKEYS", "h") == .array([.bulk(Self.binary), .bulk(Self.invalidUTF8Field)]))
        #expect(db.run([b("HDEL"), b("h"), Self.invalidUTF8Field]) == .integer(1))
        #expect(db("HLEN", "h") == .integer(1))
        // UTF-8 fields are TEXT (as upstream keys them), others BLOB; values always BLOB.
        #expect(db("HSET", "t", "é", "v") == .integer(1))
        #expect(try db.sql("SELECT typeof(field), typeof(value) FROM hashes ORDER BY rowid")
                == [["blob", "blob"], ["text", "blob"]])
    }

    @Test func hsetnx() throws {
        let db = TestDatabase()
        #expect(db("HSETNX", "h", "a", "1") == .integer(1))
        #expect(db("HSETNX", "h", "a", "2") == .integer(0))
        #expect(db("HGET", "h", "a") == .bulk("1"))
        #expect(db("HSETNX", "h", "b", "2") == .integer(1))
        #expect(db("HSETNX", "h", "b") == .arity("hsetnx"))
        try makeString(db, "s")
        #expect(db("HSETNX", "s", "a", "1") == .wrongType)
    }

    @Test func hmsetAndHmget() throws {
        let db = TestDatabase()
        #expect(db("HMSET", "h", "a", "1", "b", "2") == .ok)
        #expect(db("HMSET", "h", "a") == .arity("hmset"))
        #expect(db("HMSET", "h", "a", "1", "b") == .arity("hmset"))
        #expect(db("HMGET", "h", "a", "zz", "b", "a") == .array([.bulk("1"), .null, .bulk("2"), .bulk("1")]))
        #expect(db("HMGET", "missing", "a", "b") == .array([.null, .null]))
        #expect(db("HMGET", "h") == .arity("hmget"))
        try makeString(db, "s")
        #expect(db("HMGET", "s", "a") == .wrongType)
        #expect(db("HMSET", "s", "a", "1") == .wrongType)
    }

    @Test func hgetallKeysValsInInsertionOrder() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "z", "1", "a", "2", "m", "3") == .integer(3))
        #expect(db("HSET", "h", "z", "9") == .integer(0))
        #expect(db("HGETALL", "h") == .map([
            ReplyPair(.bulk("z"), .bulk("9")), ReplyPair(.bulk("a"), .bulk("2")), ReplyPair(.bulk("m"), .bulk("3")),
        ]))
        #expect(db("HKEYS", "h") == .bulks("z", "a", "m"))
        #expect(db("HVALS", "h") == .bulks("9", "2", "3"))
        #expect(db("HGETALL", "missing") == .map([]))
        #expect(db("HKEYS", "missing") == .array([]))
        #expect(db("HVALS", "missing") == .array([]))
        #expect(db("HGETALL") == .arity("hgetall"))
        #expect(db("HKEYS", "a", "b") == .arity("hkeys"))
        try makeString(db, "s")
        #expect(db("HGETALL", "s") == .wrongType)
        #expect(db("HKEYS", "s") == .wrongType)
        #expect(db("HVALS", "s") == .wrongType)
    }

    @Test func hdelDeletesTheEmptiedKey() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "1", "b", "2", "c", "3") == .integer(3))
        #expect(db("HDEL", "h", "a", "a", "zz") == .integer(1))
        #expect(db("HDEL", "missing", "a") == .integer(0))
        #expect(db("HLEN", "h") == .integer(2))
        #expect(db("HDEL", "h", "b", "c") == .integer(2))
        #expect(db("HLEN", "h") == .integer(0))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(try db.sql("SELECT COUNT(*) FROM hashes") == [["0"]])
        #expect(db("HDEL", "h") == .arity("hdel"))
        try makeString(db, "s")
        #expect(db("HDEL", "s", "a") == .wrongType)
    }

    @Test func hexistsHlenHstrlen() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "hello", "e", "") == .integer(2))
        #expect(db("HEXISTS", "h", "a") == .integer(1))
        #expect(db("HEXISTS", "h", "zz") == .integer(0))
        #expect(db("HEXISTS", "missing", "a") == .integer(0))
        #expect(db("HLEN", "h") == .integer(2))
        #expect(db("HLEN", "missing") == .integer(0))
        #expect(db("HSTRLEN", "h", "a") == .integer(5))
        #expect(db("HSTRLEN", "h", "e") == .integer(0))
        #expect(db("HSTRLEN", "h", "zz") == .integer(0))
        #expect(db("HSTRLEN", "missing", "a") == .integer(0))
        #expect(db("HSET", "h", "u", "é") == .integer(1))
        #expect(db("HSTRLEN", "h", "u") == .integer(2))
        try makeString(db, "s")
        #expect(db("HEXISTS", "s", "a") == .wrongType)
        #expect(db("HLEN", "s") == .wrongType)
        #expect(db("HSTRLEN", "s", "a") == .wrongType)
        #expect(db("HEXISTS", "h") == .arity("hexists"))
    }

    @Test func hincrby() throws {
        let db = TestDatabase()
        #expect(db("HINCRBY", "h", "n", "-5") == .integer(-5))
        #expect(db("HINCRBY", "h", "n", "15") == .integer(10))
        #expect(db("HGET", "h", "n") == .bulk("10"))
        #expect(db("HINCRBY", "h", "n", "x") == .notInteger)
        #expect(db("HINCRBY", "h", "n", "1.5") == .notInteger)
        #expect(db("HINCRBY", "h", "n", "9223372036854775808") == .notInteger)
        #expect(db("HSET", "h", "s", "abc", "sp", " 1", "e", "", "z", "01") == .integer(4))
        for field in ["s", "sp", "e", "z"] {
            #expect(db("HINCRBY", "h", field, "1") == .err("ERR hash value is not an integer"))
        }
        #expect(db("HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808") == .integer(2))
        #expect(db("HINCRBY", "h", "max", "1") == .err("ERR increment or decrement would overflow"))
        #expect(db("HINCRBY", "h", "min", "-1") == .err("ERR increment or decrement would overflow"))
        #expect(db("HINCRBY", "h", "max", "-9223372036854775808") == .integer(-1))
        #expect(db("HINCRBY", "h", "min", "9223372036854775807") == .integer(-1))
        #expect(db("HINCRBY", "h", "new", "-9223372036854775808") == .integer(Int64.min))
        #expect(db("HINCRBY", "h", "n") == .arity("hincrby"))
        try makeString(db, "s")
        #expect(db("HINCRBY", "s", "a", "1") == .wrongType)
        // The increment is parsed before the key's type is checked.
        #expect(db("HINCRBY", "s", "a", "x") == .notInteger)
        #expect(try db.sql("SELECT typeof(value), value FROM hashes WHERE field = 'n'") == [["blob", "10"]])
    }

    @Test func hincrbyfloat() throws {
        let db = TestDatabase()
        #expect(db("HINCRBYFLOAT", "h", "f", "1.5") == .bulk("1.5"))
        #expect(db("HINCRBYFLOAT", "h", "f", "0.1") == .bulk("1.6"))
        #expect(db("HINCRBYFLOAT", "h", "y", "0.1") == .bulk("0.1"))
        #expect(db("HINCRBYFLOAT", "h", "y", "0.2") == .bulk("0.3"))
        #expect(db("HINCRBYFLOAT", "h", "i", "1.0") == .bulk("1"))
        #expect(db("HINCRBYFLOAT", "h", "i", "5e3") == .bulk("5001"))
        #expect(db("HINCRBYFLOAT", "h", "i", "-5001") == .bulk("0"))
        #expect(db("HGET", "h", "f") == .bulk("1.6"))
        #expect(db("HINCRBYFLOAT", "h", "f", "abc") == .err("ERR value is not a valid float"))
        #expect(db("HINCRBYFLOAT", "h", "f", "nan") == .err("ERR value is not a valid float"))
        #expect(db("HINCRBYFLOAT", "h", "f", " 1") == .err("ERR value is not a valid float"))
        #expect(db("HINCRBYFLOAT", "h", "f", "") == .err("ERR value is not a valid float"))
        #expect(db("HINCRBYFLOAT", "h", "f", "inf") == .err("ERR value is NaN or Infinity"))
        #expect(db("HINCRBYFLOAT", "h", "f", "-inf") == .err("ERR value is NaN or Infinity"))
        #expect(db("HSET", "h", "s", "abc", "sp", " 1", "inf", "inf") == .integer(3))
        #expect(db("HINCRBYFLOAT", "h", "s", "1") == .err("ERR hash value is not a float"))
        #expect(db("HINCRBYFLOAT", "h", "sp", "1") == .err("ERR hash value is not a float"))
        #expect(db("HINCRBYFLOAT", "h", "inf", "1") == .err("ERR increment would produce NaN or Infinity"))
        #expect(db("HGET", "h", "inf") == .bulk("inf"))
        try makeString(db, "s")
        #expect(db("HINCRBYFLOAT", "s", "a", "1") == .wrongType)
        #expect(db("HINCRBYFLOAT", "s", "a", "abc") == .err("ERR value is not a valid float"))
        #expect(db("HINCRBYFLOAT", "h", "f") == .arity("hincrbyfloat"))
    }

    @Test func hrandfieldWithoutCount() throws {
        let db = TestDatabase()
        #expect(db("HRANDFIELD", "missing") == .null)
        #expect(db("HSET", "h", "a", "1", "b", "2", "c", "3") == .integer(3))
        var seen: Set<[UInt8]> = []
        for _ in 0..<60 {
            guard case .bulk(let field) = db("HRANDFIELD", "h") else { Issue.record("expected a field"); return }
            seen.insert(field)
        }
        #expect(seen == [b("a"), b("b"), b("c")])
        try makeString(db, "s")
        #expect(db("HRANDFIELD", "s") == .wrongType)
    }

    @Test func hrandfieldCounts() throws {
        let db = TestDatabase()
        #expect(db("HRANDFIELD", "missing", "3") == .array([]))
        #expect(db("HRANDFIELD", "missing", "-3", "WITHVALUES") == .array([]))
        #expect(db("HSET", "h", "a", "1", "b", "2", "c", "3") == .integer(3))
        #expect(db("HRANDFIELD", "h", "0") == .array([]))
        #expect(db("HRANDFIELD", "h", "0", "withvalues") == .array([]))
        // Count at least the size: the whole hash, in insertion order.
        #expect(db("HRANDFIELD", "h", "3") == .bulks("a", "b", "c"))
        #expect(db("HRANDFIELD", "h", "100", "WITHVALUES") == .bulks("a", "1", "b", "2", "c", "3"))
        // Positive below the size: distinct fields.
        for _ in 0..<20 {
            guard case .array(let items) = db("HRANDFIELD", "h", "2") else { Issue.record("expected an array"); return }
            #expect(items.count == 2)
            #expect(Set(items.map { "\($0)" }).count == 2)
        }
        // Negative: exactly that many, repeats allowed, values matching fields.
        guard case .array(let flat) = db("HRANDFIELD", "h", "-10", "WITHVALUES") else { Issue.record("array"); return }
        #expect(flat.count == 20)
        let pairs: [(Reply, Reply)] = [(.bulk("a"), .bulk("1")), (.bulk("b"), .bulk("2")), (.bulk("c"), .bulk("3"))]
        for index in stride(from: 0, to: flat.count, by: 2) {
            #expect(pairs.contains { $0.0 == flat[index] && $0.1 == flat[index + 1] })
        }
        guard case .array(let many) = db("HRANDFIELD", "h", "-50") else { Issue.record("array"); return }
        #expect(many.count == 50)
        #expect(Set(many.map { "\($0)" }).count == 3)
    }

    @Test func hrandfieldIsReproducibleFromTheSeed() {
        func picks(seed: UInt64) -> [Reply] {
            let db = TestDatabase(seed: seed)
            db("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5")
            return [db("HRANDFIELD", "h"), db("HRANDFIELD", "h", "2"), db("HRANDFIELD", "h", "-4", "WITHVALUES")]
        }
        #expect(picks(seed: 7) == picks(seed: 7))
    }

    @Test func hrandfieldErrors() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "1") == .integer(1))
        #expect(db("HRANDFIELD", "h", "x") == .notInteger)
        #expect(db("HRANDFIELD", "h", "x", "foo") == .notInteger)
        #expect(db("HRANDFIELD", "h", "1", "foo") == .syntaxError)
        #expect(db("HRANDFIELD", "h", "1", "withvalues", "x") == .syntaxError)
        #expect(db("HRANDFIELD", "h", "9223372036854775808") == .notInteger)
        let range = Reply.err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        #expect(db("HRANDFIELD", "h", "-9223372036854775808") == range)
        #expect(db("HRANDFIELD", "missing", "-9223372036854775808") == range)
        let withValuesRange = Reply.err("ERR value is out of range")
        #expect(db("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES") == withValuesRange)
        #expect(db("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == withValuesRange)
        #expect(db("HRANDFIELD", "h", "9223372036854775807", "WITHVALUES") == withValuesRange)
        #expect(db("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES") == .bulks("a", "1"))
        #expect(db("HRANDFIELD", "h", "9223372036854775807") == .bulks("a"))
        try makeString(db, "s")
        #expect(db("HRANDFIELD", "s", "1") == .wrongType)
        #expect(db("HRANDFIELD", "s", "0") == .wrongType)
        #expect(db("HRANDFIELD", "s", "x") == .notInteger)
        #expect(db("HRANDFIELD", "s", "1", "withvalues", "x") == .syntaxError)
        #expect(db("HRANDFIELD") == .arity("hrandfield"))
    }

    @Test func hrandfieldWithValuesUnderResp3() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "1", "b", "2") == .integer(2))
        _ = db("HELLO", "3")
        #expect(db("HRANDFIELD", "h", "5", "WITHVALUES") == .array([.bulks("a", "1"), .bulks("b", "2")]))
        guard case .array(let pairs) = db("HRANDFIELD", "h", "-3", "WITHVALUES") else { Issue.record("array"); return }
        #expect(pairs.count == 3)
        for pair in pairs {
            #expect(pair == .bulks("a", "1") || pair == .bulks("b", "2"))
        }
        #expect(db("HRANDFIELD", "h", "1", "WITHVALUES") == .array([.bulks("a", "1")])
                || db("HRANDFIELD", "h", "1", "WITHVALUES") == .array([.bulks("b", "2")]))
        #expect(db("HRANDFIELD", "h", "5") == .bulks("a", "b"))
    }

    @Test func hscan() throws {
        let db = TestDatabase()
        #expect(db("HSCAN", "missing", "0") == .array([.bulk("0"), .array([])]))
        for index in 1...5 {
            #expect(db("HSET", "h", "f\(index)", "v\(index)") == .integer(1))
        }
        #expect(db("HSCAN", "h", "0") == .array([
            .bulk("0"), .bulks("f1", "v1", "f2", "v2", "f3", "v3", "f4", "v4", "f5", "v5"),
        ]))
        // COUNT pages through by rowid; MATCH filters the fields visited.
        var cursor = "0"
        var collected: [Reply] = []
        var calls = 0
        repeat {
            guard case .array(let parts) = db("HSCAN", "h", cursor, "COUNT", "2"),
                  case .bulk(let next) = parts[0], case .array(let items) = parts[1] else {
                Issue.record("bad HSCAN reply"); return
            }
            #expect(items.count <= 4)
            collected += items
            cursor = String(decoding: next, as: UTF8.self)
            calls += 1
        } while cursor != "0" && calls < 10
        #expect(calls == 3)
        #expect(collected == Reply.bulks("f1", "v1", "f2", "v2", "f3", "v3", "f4", "v4", "f5", "v5").arrayItems)
        #expect(db("HSCAN", "h", "0", "MATCH", "*3", "COUNT", "100") == .array([.bulk("0"), .bulks("f3", "v3")]))
        #expect(db("HSCAN", "h", "0", "match", "nothing") == .array([.bulk("0"), .array([])]))
        #expect(db("HSCAN", "h", "18446744073709551615") == .array([.bulk("0"), .array([])]))
        #expect(db("HSCAN", "h", "18446744073709551616") == .err("ERR invalid cursor"))
        #expect(db("HSCAN", "h", "x") == .err("ERR invalid cursor"))
        // strtoul reads "-1" as 2^64-1, as Redis does: a cursor past every row, so nothing.
        #expect(db("HSCAN", "h", "-1") == .array([.bulk("0"), .array([])]))
        #expect(db("HSCAN", "h", " 1") == .err("ERR invalid cursor"))
        #expect(db("HSCAN", "h", "0", "COUNT", "0") == .syntaxError)
        #expect(db("HSCAN", "h", "0", "COUNT", "x") == .notInteger)
        #expect(db("HSCAN", "h", "0", "MATCH") == .syntaxError)
        #expect(db("HSCAN", "h", "0", "BOGUS", "1") == .syntaxError)
        // A missing key answers an empty scan before the options are read; the cursor first.
        #expect(db("HSCAN", "missing", "0", "COUNT", "0") == .array([.bulk("0"), .array([])]))
        #expect(db("HSCAN", "missing", "x") == .err("ERR invalid cursor"))
        try makeString(db, "s")
        #expect(db("HSCAN", "s", "0") == .wrongType)
        #expect(db("HSCAN", "s", "0", "COUNT", "0") == .wrongType)
        #expect(db("HSCAN", "s", "x") == .err("ERR invalid cursor"))
        #expect(db("HSCAN", "h") == .arity("hscan"))
    }

    @Test func expiredHashIsMissing() throws {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "1") == .integer(1))
        try expire(db, "h", in: 100)
        db.advance(milliseconds: 100)
        #expect(db("HGET", "h", "a") == .bulk("1"))
        db.advance(milliseconds: 1)
        #expect(db("HGET", "h", "a") == .null)
        #expect(db("HLEN", "h") == .integer(0))
        #expect(db("HGETALL", "h") == .map([]))
        #expect(db("HINCRBY", "h", "n", "1") == .integer(1))
        #expect(db("HGETALL", "h") == .map([ReplyPair(.bulk("n"), .bulk("1"))]))
        #expect(try db.sql("SELECT expire_at FROM keys") == [["NULL"]])
    }

    @Test func sqlRowsAndVersions() throws {
        let db = TestDatabase()
        func version() throws -> [[String]] { try db.sql("SELECT version FROM keys WHERE key = 'h'") }
        #expect(db("HSET", "h", "a", "1") == .integer(1))
        #expect(try version() == [["1"]])
        #expect(db("HSET", "h", "a", "1") == .integer(0))
        #expect(try version() == [["2"]])
        #expect(db("HSETNX", "h", "a", "1") == .integer(0))
        #expect(try version() == [["2"]])
        #expect(db("HSETNX", "h", "b", "2") == .integer(1))
        #expect(try version() == [["3"]])
        #expect(db("HINCRBY", "h", "n", "7") == .integer(7))
        #expect(try version() == [["4"]])
        #expect(db("HINCRBYFLOAT", "h", "n", "0.5") == .bulk("7.5"))
        #expect(try version() == [["5"]])
        #expect(db("HDEL", "h", "zz") == .integer(0))
        #expect(try version() == [["5"]])
        #expect(db("HDEL", "h", "b") == .integer(1))
        #expect(try version() == [["6"]])
        #expect(db("HINCRBY", "h", "n", "x") == .notInteger)
        #expect(db("HINCRBY", "h", "n", "1") == .err("ERR hash value is not an integer"))
        #expect(try version() == [["6"]])
        #expect(try db.sql("SELECT type FROM keys WHERE key = 'h'") == [["2"]])
        #expect(try db.sql("SELECT field, typeof(field), value, typeof(value) FROM hashes ORDER BY rowid")
                == [["a", "text", "1", "blob"], ["n", "text", "7.5", "blob"]])
        #expect(db("HDEL", "h", "a", "n") == .integer(2))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func watchSeesHashWrites() {
        let db = TestDatabase()
        #expect(db("HSET", "h", "a", "1") == .integer(1))
        #expect(db("WATCH", "h") == .ok)
        #expect(db("HSET", "h", "a", "1") == .integer(0))
        #expect(db("MULTI") == .ok)
        #expect(db("HGET", "h", "a") == .simple("QUEUED"))
        #expect(db("EXEC") == .nullArray)
        // A failed command inside EXEC leaves nothing behind.
        #expect(db("MULTI") == .ok)
        #expect(db("HSET", "h", "b", "2") == .simple("QUEUED"))
        #expect(db("HINCRBY", "h", "a", "9223372036854775807") == .simple("QUEUED"))
        #expect(db("HINCRBY", "h", "a", "1") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.integer(1), .err("ERR increment or decrement would overflow"), .integer(2)]))
    }

    @Test func batchKeepsTheFileSound() throws {
        let db = TestDatabase()
        for index in 0..<200 {
            db("HSET", "h\(index % 7)", "f\(index)", "\(index)")
            if index % 3 == 0 { db("HDEL", "h\(index % 7)", "f\(index - 3)") }
            if index % 5 == 0 { db("HINCRBY", "h\(index % 7)", "counter", "\(index)") }
        }
        #expect(try db.integrityCheck() == ["ok"])
        #expect(try db.sql("SELECT COUNT(*) FROM hashes WHERE key_id NOT IN (SELECT id FROM keys)") == [["0"]])
    }
}

fileprivate extension Reply {
    /// The items of an array reply (empty for anything else).
    var arrayItems: [Reply] {
        if case .array(let items) = self { return items }
        return []
    }
}
