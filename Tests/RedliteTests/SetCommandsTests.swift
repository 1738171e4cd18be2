import RESP
import Testing
@testable import Redlite


/// A set reply of bulk strings.
private func members(_ items: String...) -> Reply { .set(items.map { .bulk($0) }) }

/// The items of an array or set reply, as text, sorted (for order-free comparisons).
private func sortedItems(_ reply: Reply) -> [String] {
    let items: [Reply]
    switch reply {
    case .array(let list), .set(let list): items = list
    default: return []
    }
    return items.map { item in
        if case .bulk(let bytes) = item { return String(decoding: bytes, as: UTF8.self) }
        return "?"
    }.sorted()
}

private let wrongType = Reply.wrongType

@Suite struct SetCommandsTests {
    static let binary: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x41]

    @Test func saddSremScard() throws {
        let db = TestDatabase()
        #expect(db("SADD", "s", "a", "b", "a") == .integer(2))
        #expect(db("SADD", "s", "a", "c") == .integer(1))
        #expect(db("SCARD", "s") == .integer(3))
        #expect(db("SCARD", "missing") == .integer(0))
        #expect(db("SREM", "s", "a", "a", "zz") == .integer(1))
        #expect(db("SREM", "missing", "a") == .integer(0))
        #expect(db("SMEMBERS", "s") == members("b", "c"))
        #expect(db("SREM", "s", "b", "c") == .integer(2))
        #expect(db("SCARD", "s") == .integer(0))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(db("SADD", "s") == .arity("sadd"))
        #expect(db("SREM", "s") == .arity("srem"))
        #expect(db("SCARD") == .arity("scard"))
        try makeString(db, "str")
        #expect(db("SADD", "str", "a") == wrongType)
        #expect(db("SREM", "str", "a") == wrongType)
        #expect(db("SCARD", "str") == wrongType)
        #expect(db("HSET", "h", "f", "v") == .integer(1))
        #expect(db("SADD", "h", "a") == wrongType)
        #expect(db("HGET", "s", "a") == .null)
    }

    @Test func binaryAndEmptyMembers() throws {
        let db = TestDatabase()
        #expect(db.run([b("SADD"), b("s"), Self.binary, [], b("a")]) == .integer(3))
        #expect(db.run([b("SISMEMBER"), b("s"), Self.binary]) == .integer(1))
        #expect(db.run([b("SISMEMBER"), b("s"), [0x00]]) == .integer(0))
        #expect(db("SISMEMBER", "s", "") == .integer(1))
        // Byte order: the empty member, 0x00..., then "a".
        #expect(db("SMEMBERS", "s") == .set([.bulk([]), .bulk(Self.binary), .bulk("a")]))
        #expect(try db.sql("SELECT DISTINCT typeof(member) FROM sets") == [["blob"]])
        #expect(db.run([b("SREM"), b("s"), Self.binary]) == .integer(1))
        #expect(db("SCARD", "s") == .integer(2))
        // Members compare bytewise: "a" and "A" and "a\0" are different.
        #expect(db.run([b("SADD"), b("t"), b("a"), b("A"), [0x61, 0x00]]) == .integer(3))
        #expect(db("SINTER", "s", "t") == members("a"))
    }

    @Test func smembersSismemberSmismember() throws {
        let db = TestDatabase()
        #expect(db("SADD", "s", "c", "a", "b") == .integer(3))
        #expect(db("SMEMBERS", "s") == members("a", "b", "c"))
        #expect(db("SMEMBERS", "missing") == .set([]))
        #expect(db("SISMEMBER", "s", "a") == .integer(1))
        #expect(db("SISMEMBER", "s", "z") == .integer(0))
        #expect(db("SISMEMBER", "missing", "a") == .integer(0))
        #expect(db("SMISMEMBER", "s", "a", "z", "c", "a") == .array([.integer(1), .integer(0), .integer(1), .integer(1)]))
        #expect(db("SMISMEMBER", "missing", "a", "b") == .array([.integer(0), .integer(0)]))
        #expect(db("SMISMEMBER", "s") == .arity("smismember"))
        #expect(db("SISMEMBER", "s") == .arity("sismember"))
        #expect(db("SMEMBERS", "s", "x") == .arity("smembers"))
        try makeString(db, "str")
        #expect(db("SMEMBERS", "str") == wrongType)
        #expect(db("SISMEMBER", "str", "a") == wrongType)
        #expect(db("SMISMEMBER", "str", "a") == wrongType)
    }

    @Test func spopSingle() throws {
        let db = TestDatabase()
        #expect(db("SPOP", "missing") == .null)
        #expect(db("SADD", "s", "a", "b", "c") == .integer(3))
        var popped: [String] = []
        for _ in 0..<3 {
            guard case .bulk(let member) = db("SPOP", "s") else { Issue.record("expected a member"); return }
            popped.append(String(decoding: member, as: UTF8.self))
        }
        #expect(popped.sorted() == ["a", "b", "c"])
        #expect(db("SPOP", "s") == .null)
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        try makeString(db, "str")
        #expect(db("SPOP", "str") == wrongType)
        #expect(db("SPOP") == .arity("spop"))
    }

    @Test func spopWithCount() throws {
        let db = TestDatabase()
        #expect(db("SPOP", "missing", "3") == .set([]))
        #expect(db("SPOP", "missing", "0") == .set([]))
        #expect(db("SADD", "s", "a", "b", "c", "d", "e") == .integer(5))
        #expect(db("SPOP", "s", "0") == .set([]))
        let first = db("SPOP", "s", "2")
        guard case .set(let items) = first else { Issue.record("SPOP count answers a set"); return }
        #expect(items.count == 2)
        #expect(db("SCARD", "s") == .integer(3))
        let rest = sortedItems(db("SMEMBERS", "s"))
        #expect(Set(rest + sortedItems(first)) == ["a", "b", "c", "d", "e"])
        // A count reaching the size pops everything and deletes the key.
        #expect(sortedItems(db("SPOP", "s", "3")) == rest)
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(db("SADD", "t", "x", "y") == .integer(2))
        #expect(db("SPOP", "t", "100") == members("x", "y"))
        #expect(try db.sql("SELECT COUNT(*) FROM keys") == [["0"]])
        #expect(try db.sql("SELECT COUNT(*) FROM sets") == [["0"]])
    }

    @Test func spopErrors() throws {
        let db = TestDatabase()
        #expect(db("SADD", "s", "a") == .integer(1))
        let notPositive = Reply.err("ERR value is out of range, must be positive")
        #expect(db("SPOP", "s", "-1") == notPositive)
        #expect(db("SPOP", "missing", "-1") == notPositive)
        #expect(db("SPOP", "s", "x") == notPositive)
        #expect(db("SPOP", "s", "18446744073709551616") == notPositive)
        #expect(db("SPOP", "s", "-9223372036854775808") == notPositive)
        #expect(db("SPOP", "s", "1", "2") == .syntaxError)
        #expect(db("SPOP", "missing", "1", "2") == .syntaxError)
        try makeString(db, "str")
        #expect(db("SPOP", "str", "0") == wrongType)
        #expect(db("SPOP", "str", "-1") == notPositive)
        #expect(db("SCARD", "s") == .integer(1))
    }

    @Test func srandmember() throws {
        let db = TestDatabase()
        #expect(db("SRANDMEMBER", "missing") == .null)
        #expect(db("SRANDMEMBER", "missing", "5") == .array([]))
        #expect(db("SRANDMEMBER", "missing", "-5") == .array([]))
        #expect(db("SADD", "s", "a", "b", "c") == .integer(3))
        var seen: Set<String> = []
        for _ in 0..<60 {
            guard case .bulk(let member) = db("SRANDMEMBER", "s") else { Issue.record("expected a member"); return }
            seen.insert(String(decoding: member, as: UTF8.self))
        }
        #expect(seen == ["a", "b", "c"])
        #expect(db("SRANDMEMBER", "s", "0") == .array([]))
        #expect(db("SRANDMEMBER", "s", "3") == .bulks("a", "b", "c"))
        #expect(db("SRANDMEMBER", "s", "9223372036854775807") == .bulks("a", "b", "c"))
        for _ in 0..<20 {
            let picks = sortedItems(db("SRANDMEMBER", "s", "2"))
            #expect(picks.count == 2 && Set(picks).count == 2)
        }
        let repeated = sortedItems(db("SRANDMEMBER", "s", "-40"))
        #expect(repeated.count == 40)
        #expect(Set(repeated) == ["a", "b", "c"])
        #expect(db("SCARD", "s") == .integer(3))
    }

    @Test func srandmemberErrors() throws {
        let db = TestDatabase()
        #expect(db("SADD", "s", "a") == .integer(1))
        let range = Reply.err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        #expect(db("SRANDMEMBER", "s", "-9223372036854775808") == range)
        #expect(db("SRANDMEMBER", "missing", "-9223372036854775808") == range)
        #expect(db("SRANDMEMBER", "s", "x") == .notInteger)
        #expect(db("SRANDMEMBER", "s", "9223372036854775808") == .notInteger)
        #expect(db("SRANDMEMBER", "s", "1", "2") == .syntaxError)
        try makeString(db, "str")
        #expect(db("SRANDMEMBER", "str") == wrongType)
        #expect(db("SRANDMEMBER", "str", "0") == wrongType)
        #expect(db("SRANDMEMBER", "str", "x") == .notInteger)
    }

    @Test func randomPicksAreReproducibleFromTheSeed() {
        func run(seed: UInt64) -> [Reply] {
            let db = TestDatabase(seed: seed)
            db("SADD", "s", "a", "b", "c", "d", "e", "f", "g")
            return [db("SRANDMEMBER", "s"), db("SRANDMEMBER", "s", "3"), db("SRANDMEMBER", "s", "-5"),
                    db("SPOP", "s"), db("SPOP", "s", "2"), db("SMEMBERS", "s")]
        }
        #expect(run(seed: 42) == run(seed: 42))
    }

    @Test func smove() throws {
        let db = TestDatabase()
        #expect(db("SADD", "src", "a", "b") == .integer(2))
        #expect(db("SADD", "dst", "b") == .integer(1))
        #expect(db("SMOVE", "src", "dst", "a") == .integer(1))
        #expect(db("SMEMBERS", "src") == members("b"))
        #expect(db("SMEMBERS", "dst") == members("a", "b"))
        // Already in the destination: still 1, and the source loses it.
        #expect(db("SMOVE", "src", "dst", "b") == .integer(1))
        #expect(try db.sql("SELECT key FROM keys ORDER BY key") == [["dst"]])
        #expect(db("SMOVE", "dst", "new", "a") == .integer(1))
        #expect(db("SMEMBERS", "new") == members("a"))
        #expect(db("SMOVE", "dst", "new", "zz") == .integer(0))
        #expect(db("SMOVE", "dst", "other", "zz") == .integer(0))
        #expect(try db.sql("SELECT key FROM keys ORDER BY key") == [["dst"], ["new"]])
        // Same key: answers membership, changes nothing.
        #expect(db("SMOVE", "dst", "dst", "b") == .integer(1))
        #expect(db("SMOVE", "dst", "dst", "zz") == .integer(0))
        #expect(db("SMEMBERS", "dst") == members("b"))
        try makeString(db, "str")
        // A missing source answers 0 before any type check.
        #expect(db("SMOVE", "missing", "str", "a") == .integer(0))
        #expect(db("SMOVE", "str", "dst", "a") == wrongType)
        #expect(db("SMOVE", "dst", "str", "zz") == wrongType)
        #expect(db("SMOVE", "dst", "str", "b") == wrongType)
        #expect(db("SMEMBERS", "dst") == members("b"))
        #expect(db("SMOVE", "a", "b") == .arity("smove"))
    }

    @Test func sinterSunionSdiff() throws {
        let db = TestDatabase()
        #expect(db("SADD", "a", "1", "2", "3", "4") == .integer(4))
        #expect(db("SADD", "b", "3", "4", "5") == .integer(3))
        #expect(db("SADD", "c", "4", "5", "6") == .integer(3))
        #expect(db("SINTER", "a", "b") == members("3", "4"))
        #expect(db("SINTER", "a", "b", "c") == members("4"))
        #expect(db("SINTER", "a") == members("1", "2", "3", "4"))
        #expect(db("SINTER", "a", "a") == members("1", "2", "3", "4"))
        #expect(db("SINTER", "a", "missing") == .set([]))
        #expect(db("SINTER", "missing", "a") == .set([]))
        #expect(db("SUNION", "a", "b", "c") == members("1", "2", "3", "4", "5", "6"))
        #expect(db("SUNION", "missing", "b") == members("3", "4", "5"))
        #expect(db("SUNION", "missing") == .set([]))
        #expect(db("SDIFF", "a", "b") == members("1", "2"))
        #expect(db("SDIFF", "a", "b", "c") == members("1", "2"))
        #expect(db("SDIFF", "a", "missing") == members("1", "2", "3", "4"))
        #expect(db("SDIFF", "a", "a") == .set([]))
        #expect(db("SDIFF", "missing", "a") == .set([]))
        #expect(db("SDIFF", "b") == members("3", "4", "5"))
        try makeString(db, "str")
        // Every key is type-checked, even after a missing one.
        for command in ["SINTER", "SUNION", "SDIFF"] {
            #expect(db(command, "missing", "str") == wrongType)
            #expect(db(command, "str", "missing") == wrongType)
            #expect(db(command, "a", "str") == wrongType)
            #expect(db(command) == .arity(command.lowercased()))
        }
    }

    @Test func manyKeysPastSQLitesCompoundLimit() throws {
        let db = TestDatabase()
        var argv: [String] = []
        for index in 0..<600 {
            #expect(db("SADD", "k\(index)", "common", "m\(index)") == .integer(2))
            argv.append("k\(index)")
        }
        #expect(db.run([b("SINTER")] + argv.map(b)) == members("common"))
        guard case .set(let union) = db.run([b("SUNION")] + argv.map(b)) else { Issue.record("set"); return }
        #expect(union.count == 601)
        #expect(db.run([b("SDIFF")] + argv.map(b)) == members("m0"))
        #expect(db.run([b("SINTERCARD"), b("600")] + argv.map(b)) == .integer(1))
    }

    @Test func storeVariants() throws {
        let db = TestDatabase()
        #expect(db("SADD", "a", "1", "2", "3") == .integer(3))
        #expect(db("SADD", "b", "2", "3", "4") == .integer(2 + 1))
        #expect(db("SINTERSTORE", "d", "a", "b") == .integer(2))
        #expect(db("SMEMBERS", "d") == members("2", "3"))
        #expect(db("SUNIONSTORE", "d", "a", "b") == .integer(4))
        #expect(db("SMEMBERS", "d") == members("1", "2", "3", "4"))
        #expect(db("SDIFFSTORE", "d", "a", "b") == .integer(1))
        #expect(db("SMEMBERS", "d") == members("1"))
        // The destination may be a source.
        #expect(db("SUNIONSTORE", "a", "a", "b") == .integer(4))
        #expect(db("SMEMBERS", "a") == members("1", "2", "3", "4"))
        #expect(db("SDIFFSTORE", "a", "a", "b") == .integer(1))
        #expect(db("SMEMBERS", "a") == members("1"))
        // Any type is overwritten, its TTL dropped; an empty result deletes the destination.
        try makeString(db, "str")
        try expire(db, "str", in: 10_000)
        #expect(db("SINTERSTORE", "str", "b") == .integer(3))
        #expect(db("SMEMBERS", "str") == members("2", "3", "4"))
        #expect(try db.sql("SELECT type, expire_at FROM keys WHERE key = 'str'") == [["4", "NULL"]])
        #expect(try db.sql("SELECT COUNT(*) FROM strings") == [["0"]])
        try makeString(db, "str2")
        #expect(db("SINTERSTORE", "str2", "b", "missing") == .integer(0))
        #expect(db("SUNIONSTORE", "d", "missing") == .integer(0))
        #expect(db("SDIFFSTORE", "b", "b", "b") == .integer(0))
        #expect(try db.sql("SELECT key FROM keys ORDER BY key") == [["a"], ["str"]])
        // Source type errors win and leave the destination alone.
        try makeString(db, "bad")
        #expect(db("SUNIONSTORE", "a", "missing", "bad") == wrongType)
        #expect(db("SINTERSTORE", "a", "missing", "bad") == wrongType)
        #expect(db("SMEMBERS", "a") == members("1"))
        #expect(db("SINTERSTORE", "d") == .arity("sinterstore"))
        #expect(db("SUNIONSTORE", "d") == .arity("sunionstore"))
        #expect(db("SDIFFSTORE", "d") == .arity("sdiffstore"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func sintercard() throws {
        let db = TestDatabase()
        #expect(db("SADD", "a", "1", "2", "3", "4") == .integer(4))
        #expect(db("SADD", "b", "2", "3", "4", "5") == .integer(4))
        #expect(db("SINTERCARD", "2", "a", "b") == .integer(3))
        #expect(db("SINTERCARD", "1", "a") == .integer(4))
        #expect(db("SINTERCARD", "2", "a", "missing") == .integer(0))
        #expect(db("SINTERCARD", "2", "a", "b", "LIMIT", "2") == .integer(2))
        #expect(db("SINTERCARD", "2", "a", "b", "limit", "0") == .integer(3))
        #expect(db("SINTERCARD", "2", "a", "b", "LIMIT", "100") == .integer(3))
        #expect(db("SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "2") == .integer(2))
        let numkeys = Reply.err("ERR numkeys should be greater than 0")
        #expect(db("SINTERCARD", "0", "a") == numkeys)
        #expect(db("SINTERCARD", "-1", "a") == numkeys)
        #expect(db("SINTERCARD", "x", "a") == numkeys)
        #expect(db("SINTERCARD", "9223372036854775808", "a") == numkeys)
        let tooMany = Reply.err("ERR Number of keys can't be greater than number of args")
        #expect(db("SINTERCARD", "3", "a", "b") == tooMany)
        #expect(db("SINTERCARD", "9223372036854775807", "a") == tooMany)
        #expect(db("SINTERCARD", "1", "a", "LIMIT") == .syntaxError)
        #expect(db("SINTERCARD", "1", "a", "FOO", "1") == .syntaxError)
        let negative = Reply.err("ERR LIMIT can't be negative")
        #expect(db("SINTERCARD", "1", "a", "LIMIT", "-1") == negative)
        #expect(db("SINTERCARD", "1", "a", "LIMIT", "x") == negative)
        #expect(db("SINTERCARD", "1", "missing", "LIMIT", "-1") == negative)
        try makeString(db, "str")
        #expect(db("SINTERCARD", "2", "missing", "str") == wrongType)
        #expect(db("SINTERCARD", "2", "a", "str") == wrongType)
        #expect(db("SINTERCARD", "1") == .arity("sintercard"))
    }

    @Test func sscan() throws {
        let db = TestDatabase()
        #expect(db("SSCAN", "missing", "0") == .array([.bulk("0"), .array([])]))
        #expect(db("SADD", "s", "m1", "m2", "m3", "m4", "m5") == .integer(5))
        #expect(db("SSCAN", "s", "0") == .array([.bulk("0"), .bulks("m1", "m2", "m3", "m4", "m5")]))
        var cursor = "0"
        var collected: [String] = []
        var calls = 0
        repeat {
            guard case .array(let parts) = db("SSCAN", "s", cursor, "COUNT", "2"),
                  case .bulk(let next) = parts[0] else { Issue.record("bad SSCAN reply"); return }
            collected += sortedItems(parts[1])
            cursor = String(decoding: next, as: UTF8.self)
            calls += 1
        } while cursor != "0" && calls < 10
        #expect(calls == 3)
        #expect(collected.sorted() == ["m1", "m2", "m3", "m4", "m5"])
        #expect(db("SSCAN", "s", "0", "MATCH", "*[24]") == .array([.bulk("0"), .bulks("m2", "m4")]))
        #expect(db("SSCAN", "s", "x") == .err("ERR invalid cursor"))
        #expect(db("SSCAN", "s", "0", "COUNT", "0") == .syntaxError)
        #expect(db("SSCAN", "s", "0", "FOO") == .syntaxError)
        #expect(db("SSCAN", "missing", "0", "COUNT", "0") == .array([.bulk("0"), .array([])]))
        try makeString(db, "str")
        #expect(db("SSCAN", "str", "0") == wrongType)
        #expect(db("SSCAN", "str", "0", "COUNT", "0") == wrongType)
        #expect(db("SSCAN", "str", "x") == .err("ERR invalid cursor"))
        #expect(db("SSCAN", "s") == .arity("sscan"))
    }

    @Test func resp3ReplyTypes() {
        let db = TestDatabase()
        #expect(db("SADD", "s", "a", "b") == .integer(2))
        _ = db("HELLO", "3")
        #expect(db("SMEMBERS", "s") == members("a", "b"))
        #expect(db("SRANDMEMBER", "s", "5") == .bulks("a", "b"))
        #expect(db("SMISMEMBER", "s", "a") == .array([.integer(1)]))
        #expect(db("SPOP", "s", "5") == members("a", "b"))
    }

    @Test func expiredSetIsMissing() throws {
        let db = TestDatabase()
        #expect(db("SADD", "s", "a") == .integer(1))
        #expect(db("SADD", "t", "a", "b") == .integer(2))
        try expire(db, "s", in: 50)
        db.advance(milliseconds: 51)
        #expect(db("SMEMBERS", "s") == .set([]))
        #expect(db("SISMEMBER", "s", "a") == .integer(0))
        #expect(db("SUNION", "s", "t") == members("a", "b"))
        #expect(db("SINTER", "t", "s") == .set([]))
        #expect(db("SMOVE", "s", "t", "a") == .integer(0))
        #expect(db("SADD", "s", "z") == .integer(1))
        #expect(db("SMEMBERS", "s") == members("z"))
    }

    @Test func sqlRowsAndVersions() throws {
        let db = TestDatabase()
        func version(_ key: String) throws -> [[String]] {
            try db.sql("SELECT version FROM keys WHERE key = '\(key)'")
        }
        #expect(db("SADD", "s", "a", "b") == .integer(2))
        #expect(try version("s") == [["1"]])
        #expect(db("SADD", "s", "a") == .integer(0))
        #expect(try version("s") == [["1"]])
        #expect(db("SADD", "s", "c") == .integer(1))
        #expect(try version("s") == [["2"]])
        #expect(db("SREM", "s", "zz") == .integer(0))
        #expect(try version("s") == [["2"]])
        #expect(db("SREM", "s", "c") == .integer(1))
        #expect(try version("s") == [["3"]])
        #expect(db("SADD", "d", "x") == .integer(1))
        #expect(db("SMOVE", "s", "d", "a") == .integer(1))
        #expect(try version("s") == [["4"]])
        #expect(try version("d") == [["2"]])
        #expect(db("SPOP", "s", "0") == .set([]))
        #expect(try version("s") == [["4"]])
        #expect(db("SPOP", "d") != .null)
        #expect(try version("d") == [["3"]])
        #expect(try db.sql("SELECT typeof(member), COUNT(*) FROM sets GROUP BY 1") == [["blob", "2"]])
        #expect(try db.sql("SELECT type FROM keys ORDER BY key") == [["4"], ["4"]])
        #expect(db("SREM", "s", "b") == .integer(1))
        #expect(try db.sql("SELECT key FROM keys") == [["d"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func watchSeesSetWrites() {
        let db = TestDatabase()
        #expect(db("SADD", "s", "a") == .integer(1))
        #expect(db("WATCH", "s") == .ok)
        #expect(db("SADD", "s", "a") == .integer(0))
        #expect(db("MULTI") == .ok)
        #expect(db("SCARD", "s") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.integer(1)]))
        #expect(db("WATCH", "s") == .ok)
        #expect(db("SADD", "s", "b") == .integer(1))
        #expect(db("MULTI") == .ok)
        #expect(db("SCARD", "s") == .simple("QUEUED"))
        #expect(db("EXEC") == .nullArray)
    }

    @Test func batchKeepsTheFileSound() throws {
        let db = TestDatabase()
        for index in 0..<300 {
            db("SADD", "s\(index % 5)", "m\(index % 37)")
            if index % 4 == 0 { db("SREM", "s\(index % 5)", "m\((index + 3) % 37)") }
            if index % 7 == 0 { db("SMOVE", "s\(index % 5)", "s\((index + 1) % 5)", "m\(index % 37)") }
            if index % 11 == 0 { db("SPOP", "s\(index % 5)", "2") }
            if index % 13 == 0 { db("SUNIONSTORE", "u", "s0", "s1") }
            if index % 17 == 0 { db("SINTERSTORE", "s4", "s2", "s3") }
        }
        #expect(try db.integrityCheck() == ["ok"])
        #expect(try db.sql("SELECT COUNT(*) FROM sets WHERE key_id NOT IN (SELECT id FROM keys)") == [["0"]])
        #expect(try db.sql("SELECT COUNT(*) FROM keys WHERE id NOT IN (SELECT key_id FROM sets)") == [["0"]])
    }
}
