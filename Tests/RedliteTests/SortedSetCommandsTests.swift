import RESP
import Testing
@testable import Redlite

/// Expected replies were checked against a real Redis 7.0.15.
@Suite struct SortedSetCommandsTests {
    /// A flat WITHSCORES reply (RESP2 form): member, score, member, score...
    private func scored(_ pairs: (String, Double)...) -> Reply {
        .array(pairs.flatMap { [Reply.bulk($0.0), .double($0.1)] })
    }

    /// The RESP3 form: [member, score] pairs.
    private func pairs(_ pairs: (String, Double)...) -> Reply {
        .array(pairs.map { .array([.bulk($0.0), .double($0.1)]) })
    }

    private func fiveElements() -> TestDatabase {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e") == .integer(5))
        return db
    }

    // MARK: ZADD

    @Test func zaddAddsAndUpdates() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "1", "a", "2", "b") == .integer(2))
        #expect(db("ZADD", "z", "3", "a", "4", "c") == .integer(1))
        #expect(db("ZADD", "z", "CH", "5", "a", "4", "c", "6", "d") == .integer(2))
        #expect(db("ZRANGE", "z", "0", "-1", "WITHSCORES") == scored(("b", 2), ("c", 4), ("a", 5), ("d", 6)))
        // The same member twice: the last score wins and it counts once.
        #expect(db("ZADD", "n", "1", "m", "2", "m") == .integer(1))
        #expect(db("ZSCORE", "n", "m") == .double(2))
        #expect(db("ZADD", "z", "1", "nan") == .integer(1))
        #expect(db("ZADD", "z", "0x10", "hex") == .integer(1))
        #expect(db("ZSCORE", "z", "hex") == .double(16))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func zaddOptionErrors() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "NX", "XX", "1", "a") == .err("ERR XX and NX options at the same time are not compatible"))
        #expect(db("ZADD", "z", "GT", "LT", "1", "a") == .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        #expect(db("ZADD", "z", "nx", "gt", "1", "a") == .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        #expect(db("ZADD", "z", "LT", "NX", "1", "a") == .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        #expect(db("ZADD", "z", "INCR", "1", "a", "2", "b") == .err("ERR INCR option supports a single increment-element pair"))
        #expect(db("ZADD", "z", "INCR", "NX", "XX", "1", "a", "2", "b") == .err("ERR XX and NX options at the same time are not compatible"))
        #expect(db("ZADD", "z", "GT", "LT", "INCR", "1", "a", "2", "b") == .err("ERR GT, LT, and/or NX options at the same time are not compatible"))
        // An odd element count is a syntax error before the flag conflicts.
        #expect(db("ZADD", "z", "NX", "XX", "1") == .syntaxError)
        #expect(db("ZADD", "z", "NX", "XX") == .syntaxError)
        #expect(db("ZADD", "z", "1", "a", "2") == .syntaxError)
        #expect(db("ZADD", "z", "1") == .arity("zadd"))
        #expect(db("ZADD", "z", "x", "a") == .err("ERR value is not a valid float"))
        #expect(db("ZADD", "z", "1", "a", "x", "b") == .err("ERR value is not a valid float"))
        for bad in ["nan", " 1", "1 ", "", "1e400", "1e-400"] {
            #expect(db("ZADD", "z", bad, "a") == .err("ERR value is not a valid float"))
        }
        // Nothing was written by the refused commands.
        #expect(try keyCount(db, "z") == 0)
    }

    @Test func zaddNxXxGtLt() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "XX", "1", "a") == .integer(0))
        #expect(try keyCount(db, "z") == 0)
        #expect(db("ZADD", "z", "XX", "INCR", "1", "a") == .null)
        #expect(db("ZADD", "z", "NX", "1", "a") == .integer(1))
        #expect(db("ZADD", "z", "NX", "5", "a", "2", "b") == .integer(1))
        #expect(db("ZSCORE", "z", "a") == .double(1))
        #expect(db("ZADD", "z", "XX", "CH", "7", "a", "9", "new") == .integer(1))
        #expect(db("ZSCORE", "z", "new") == .null)
        #expect(db("ZADD", "z", "GT", "CH", "3", "a", "9", "b", "1", "c") == .integer(2))
        #expect(db("ZRANGE", "z", "0", "-1", "WITHSCORES") == scored(("c", 1), ("a", 7), ("b", 9)))
        #expect(db("ZADD", "z", "LT", "CH", "8", "a", "10", "b", "0", "c") == .integer(1))
        #expect(db("ZRANGE", "z", "0", "-1", "WITHSCORES") == scored(("c", 0), ("a", 7), ("b", 9)))
        // GT/LT never stop a new member.
        #expect(db("ZADD", "z", "GT", "-100", "low") == .integer(1))
        #expect(db("ZADD", "z", "xx", "gt", "ch", "9", "b") == .integer(0))
    }

    @Test func zaddIncr() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "INCR", "1.5", "a") == .double(1.5))
        #expect(db("ZADD", "z", "INCR", "2", "a") == .double(3.5))
        #expect(db("ZADD", "z", "NX", "INCR", "1", "a") == .null)
        #expect(db("ZADD", "z", "GT", "INCR", "-1", "a") == .null)
        #expect(db("ZADD", "z", "LT", "INCR", "-1", "a") == .double(2.5))
        #expect(db("ZADD", "z", "XX", "INCR", "1", "missing") == .null)
        #expect(db("ZADD", "z", "INCR", "inf", "a") == .double(.infinity))
        #expect(db("ZADD", "z", "INCR", "-inf", "a") == .err("ERR resulting score is not a number (NaN)"))
        #expect(db("ZSCORE", "z", "a") == .double(.infinity))
        // Redis answers the computed -0, and stores 0 (as a small Redis set does).
        #expect(db("ZADD", "y", "INCR", "-0", "m") == .double(-0.0))
        #expect(db("ZSCORE", "y", "m") == .double(0))
    }

    @Test func zaddNegativeZeroReadsBackAsZero() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "-0", "m") == .integer(1))
        guard case .double(let score) = db("ZSCORE", "z", "m") else { Issue.record("ZSCORE must answer a double"); return }
        #expect(score == 0 && score.sign == .plus)
        #expect(db("ZADD", "z", "0", "m") == .integer(0))
    }

    @Test func zaddWrongTypeAndBinaryMembers() throws {
        let db = TestDatabase()
        try addString(db, "s")
        #expect(db("ZADD", "s", "1", "a") == .wrongType)
        #expect(db("ZADD", "s", "XX", "1", "a") == .wrongType)
        // A bad score wins over the wrong type: scores are parsed first.
        #expect(db("ZADD", "s", "x", "a") == .err("ERR value is not a valid float"))
        let binary: [UInt8] = [0x00, 0xff, 0x0d, 0x0a, 0x41]
        #expect(db.run([Array("ZADD".utf8), Array("b".utf8), Array("1".utf8), binary, Array("2".utf8), []]) == .integer(2))
        #expect(db.run([Array("ZSCORE".utf8), Array("b".utf8), binary]) == .double(1))
        #expect(db("ZRANGE", "b", "0", "-1") == .array([.bulk(binary), .bulk([])]))
        #expect(db.run([Array("ZRANK".utf8), Array("b".utf8), []]) == .integer(1))
        // Binary keys too.
        let key: [UInt8] = [0xff, 0x00]
        #expect(db.run([Array("ZADD".utf8), key, Array("1".utf8), Array("m".utf8)]) == .integer(1))
        #expect(db.run([Array("ZCARD".utf8), key]) == .integer(1))
    }

    // MARK: ZINCRBY / ZSCORE / ZMSCORE / ZCARD / ZREM

    @Test func zincrby() throws {
        let db = TestDatabase()
        #expect(db("ZINCRBY", "z", "1.5", "a") == .double(1.5))
        #expect(db("ZINCRBY", "z", "1", "a") == .double(2.5))
        #expect(db("ZINCRBY", "z", "x", "a") == .err("ERR value is not a valid float"))
        #expect(db("ZINCRBY", "z", "inf", "a") == .double(.infinity))
        #expect(db("ZINCRBY", "z", "-inf", "a") == .err("ERR resulting score is not a number (NaN)"))
        #expect(db("ZINCRBY", "z", "1") == .arity("zincrby"))
        try addString(db, "s")
        #expect(db("ZINCRBY", "s", "1", "a") == .wrongType)
        #expect(db("ZINCRBY", "s", "x", "a") == .err("ERR value is not a valid float"))
    }

    @Test func zscoreZmscoreZcard() throws {
        let db = fiveElements()
        #expect(db("ZSCORE", "z", "c") == .double(3))
        #expect(db("ZSCORE", "z", "zz") == .null)
        #expect(db("ZSCORE", "nokey", "a") == .null)
        #expect(db("ZMSCORE", "z", "a", "zz", "c") == .array([.double(1), .null, .double(3)]))
        #expect(db("ZMSCORE", "nokey", "a", "b") == .array([.null, .null]))
        #expect(db("ZMSCORE", "z") == .arity("zmscore"))
        #expect(db("ZCARD", "z") == .integer(5))
        #expect(db("ZCARD", "nokey") == .integer(0))
        try addString(db, "s")
        #expect(db("ZSCORE", "s", "a") == .wrongType)
        #expect(db("ZMSCORE", "s", "a") == .wrongType)
        #expect(db("ZCARD", "s") == .wrongType)
        #expect(db("ZADD", "f", "1.5", "x", "-inf", "y", "1e300", "w", "0.1", "t") == .integer(4))
        #expect(db("ZSCORE", "f", "y") == .double(-.infinity))
        #expect(db("ZSCORE", "f", "w") == .double(1e300))
        #expect(db("ZSCORE", "f", "t") == .double(0.1))
    }

    @Test func zremDeletesEmptyKey() throws {
        let db = fiveElements()
        #expect(db("ZREM", "z", "a", "zz", "a", "b") == .integer(2))
        #expect(db("ZREM", "nokey", "a") == .integer(0))
        #expect(db("ZREM", "z") == .arity("zrem"))
        #expect(db("ZREM", "z", "c", "d", "e") == .integer(3))
        #expect(try keyCount(db, "z") == 0)
        #expect(try db.sql("SELECT COUNT(*) FROM zsets") == [["0"]])
        try addString(db, "s")
        #expect(db("ZREM", "s", "a") == .wrongType)
    }

    // MARK: ZCOUNT / ZLEXCOUNT / ZRANK

    @Test func zcount() throws {
        let db = fiveElements()
        #expect(db("ZCOUNT", "z", "-inf", "+inf") == .integer(5))
        #expect(db("ZCOUNT", "z", "(1", "(3") == .integer(1))
        #expect(db("ZCOUNT", "z", "(1", "3") == .integer(2))
        #expect(db("ZCOUNT", "z", "2", "2") == .integer(1))
        #expect(db("ZCOUNT", "z", "3", "2") == .integer(0))
        #expect(db("ZCOUNT", "z", "", "2") == .integer(2))
        #expect(db("ZCOUNT", "z", "(", "3") == .integer(3))
        #expect(db("ZCOUNT", "z", " 1", "3") == .integer(3))
        #expect(db("ZCOUNT", "z", "1e400", "inf") == .integer(0))
        #expect(db("ZCOUNT", "z", "x", "1") == .err("ERR min or max is not a float"))
        #expect(db("ZCOUNT", "z", "1", "3 ") == .err("ERR min or max is not a float"))
        #expect(db("ZCOUNT", "z", "nan", "3") == .err("ERR min or max is not a float"))
        #expect(db("ZCOUNT", "nokey", "x", "1") == .err("ERR min or max is not a float"))
        #expect(db("ZCOUNT", "nokey", "0", "1") == .integer(0))
        try addString(db, "s")
        #expect(db("ZCOUNT", "s", "0", "1") == .wrongType)
        #expect(db("ZADD", "i", "inf", "p", "-inf", "n", "0", "z") == .integer(3))
        #expect(db("ZCOUNT", "i", "(inf", "+inf") == .integer(0))
        #expect(db("ZCOUNT", "i", "-inf", "(-inf") == .integer(0))
        #expect(db("ZCOUNT", "i", "(-inf", "(inf") == .integer(1))
        #expect(db("ZCOUNT", "i", "inf", "inf") == .integer(1))
        #expect(db("ZCOUNT", "i", "(0", "inf") == .integer(1))
        #expect(db("ZCOUNT", "i", "-inf", "(-0") == .integer(1))
    }

    @Test func zlexcount() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "ab") == .integer(4))
        #expect(db("ZLEXCOUNT", "l", "-", "+") == .integer(4))
        #expect(db("ZLEXCOUNT", "l", "[ab", "+") == .integer(3))
        #expect(db("ZLEXCOUNT", "l", "(a", "[b") == .integer(2))
        #expect(db("ZLEXCOUNT", "l", "+", "-") == .integer(0))
        #expect(db("ZLEXCOUNT", "l", "[", "+") == .integer(4))
        #expect(db("ZLEXCOUNT", "l", "[c", "(c") == .integer(0))
        #expect(db("ZLEXCOUNT", "l", "a", "b") == .err("ERR min or max not valid string range item"))
        #expect(db("ZLEXCOUNT", "l", "", "+") == .err("ERR min or max not valid string range item"))
        #expect(db("ZLEXCOUNT", "l", "+a", "+") == .err("ERR min or max not valid string range item"))
        #expect(db("ZLEXCOUNT", "l", "-", "-x") == .err("ERR min or max not valid string range item"))
        #expect(db("ZLEXCOUNT", "nokey", "x", "y") == .err("ERR min or max not valid string range item"))
        #expect(db("ZLEXCOUNT", "nokey", "-", "+") == .integer(0))
        try addString(db, "s")
        #expect(db("ZLEXCOUNT", "s", "-", "+") == .wrongType)
    }

    @Test func zrankAndZrevrank() throws {
        let db = fiveElements()
        #expect(db("ZRANK", "z", "a") == .integer(0))
        #expect(db("ZRANK", "z", "c") == .integer(2))
        #expect(db("ZREVRANK", "z", "c") == .integer(2))
        #expect(db("ZREVRANK", "z", "a") == .integer(4))
        #expect(db("ZRANK", "z", "zz") == .null)
        #expect(db("ZREVRANK", "nokey", "a") == .null)
        #expect(db("ZRANK", "z", "c", "WITHSCORE") == .arity("zrank"))
        // Equal scores rank by member bytes.
        #expect(db("ZADD", "t", "1", "b", "1", "a", "1", "ab", "0", "z") == .integer(4))
        #expect(db("ZRANK", "t", "ab") == .integer(2))
        #expect(db("ZREVRANK", "t", "ab") == .integer(1))
        try addString(db, "s")
        #expect(db("ZRANK", "s", "a") == .wrongType)
    }

    // MARK: ZRANGE by rank

    @Test func zrangeByRank() throws {
        let db = fiveElements()
        #expect(db("ZRANGE", "z", "0", "-1") == .bulks("a", "b", "c", "d", "e"))
        #expect(db("ZRANGE", "z", "1", "2", "WITHSCORES") == scored(("b", 2), ("c", 3)))
        #expect(db("ZRANGE", "z", "-2", "-1") == .bulks("d", "e"))
        #expect(db("ZRANGE", "z", "-100", "1") == .bulks("a", "b"))
        #expect(db("ZRANGE", "z", "3", "100") == .bulks("d", "e"))
        #expect(db("ZRANGE", "z", "3", "1") == .array([]))
        #expect(db("ZRANGE", "z", "5", "10") == .array([]))
        #expect(db("ZRANGE", "z", "-1", "-2") == .array([]))
        #expect(db("ZRANGE", "z", "0", "-6") == .array([]))
        #expect(db("ZRANGE", "z", "0", "9223372036854775807") == .bulks("a", "b", "c", "d", "e"))
        #expect(db("ZRANGE", "z", "-9223372036854775808", "-4") == .bulks("a", "b"))
        #expect(db("ZRANGE", "z", "0", "1", "REV") == .bulks("e", "d"))
        #expect(db("ZRANGE", "z", "-2", "-1", "REV", "WITHSCORES") == scored(("b", 2), ("a", 1)))
        #expect(db("ZREVRANGE", "z", "0", "1", "WITHSCORES") == scored(("e", 5), ("d", 4)))
        #expect(db("ZREVRANGE", "z", "0", "-1") == .bulks("e", "d", "c", "b", "a"))
        // `LIMIT 0 -1` reads as "no LIMIT" in Redis.
        #expect(db("ZRANGE", "z", "0", "1", "LIMIT", "0", "-1") == .bulks("a", "b"))
        #expect(db("ZRANGE", "nokey", "0", "-1") == .array([]))
        #expect(db("ZRANGE", "nokey", "0", "-1", "WITHSCORES") == .array([]))
    }

    @Test func zrangeErrors() throws {
        let db = fiveElements()
        try addString(db, "s")
        #expect(db("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1") == .err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"))
        #expect(db("ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1") == .err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"))
        #expect(db("ZRANGE", "nokey", "0", "1", "LIMIT", "0", "1") == .err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"))
        #expect(db("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES") == .err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"))
        #expect(db("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES") == .err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"))
        #expect(db("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "0", "1", "WITHSCORES") == .err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"))
        #expect(db("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX") == .syntaxError)
        #expect(db("ZRANGE", "z", "0", "1", "REV", "REV") == .syntaxError)
        #expect(db("ZRANGE", "z", "0", "1", "LIMIT", "0") == .syntaxError)
        #expect(db("ZRANGE", "z", "0", "-1", "WITHSCORES", "BOGUS") == .syntaxError)
        #expect(db("ZREVRANGE", "z", "0", "1", "REV") == .syntaxError)
        #expect(db("ZREVRANGE", "z", "0", "1", "BYSCORE") == .syntaxError)
        #expect(db("ZRANGEBYSCORE", "z", "0", "1", "BYSCORE") == .syntaxError)
        #expect(db("ZRANGEBYSCORE", "z", "0", "1", "REV") == .syntaxError)
        #expect(db("ZRANGEBYSCORE", "z", "x", "1", "WITHSCORES", "BOGUS") == .syntaxError)
        #expect(db("ZRANGE", "z", "0", "1", "LIMIT", "x", "1") == .notInteger)
        #expect(db("ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "0", "1.5") == .notInteger)
        #expect(db("ZRANGE", "z", "x", "1") == .notInteger)
        #expect(db("ZRANGE", "z", "0", "9223372036854775808") == .notInteger)
        #expect(db("ZRANGE", "z", "x", "1", "BYSCORE") == .err("ERR min or max is not a float"))
        #expect(db("ZRANGE", "z", "x", "1", "BYLEX") == .err("ERR min or max not valid string range item"))
        // Range errors come before the key's type is checked.
        #expect(db("ZRANGE", "s", "x", "y") == .notInteger)
        #expect(db("ZRANGE", "nokey", "x", "1") == .notInteger)
        #expect(db("ZRANGE", "s", "0", "1") == .wrongType)
        #expect(db("ZRANGEBYSCORE", "s", "1", "0") == .wrongType)
        #expect(db("ZRANGEBYLEX", "s", "+", "-") == .wrongType)
        #expect(db("ZRANGE", "z", "0") == .arity("zrange"))
    }

    // MARK: ZRANGE by score

    @Test func zrangeByScore() throws {
        let db = fiveElements()
        #expect(db("ZRANGEBYSCORE", "z", "-inf", "+inf") == .bulks("a", "b", "c", "d", "e"))
        #expect(db("ZRANGEBYSCORE", "z", "(1", "(3") == .bulks("b"))
        #expect(db("ZRANGEBYSCORE", "z", "(", "3") == .bulks("a", "b", "c"))
        #expect(db("ZRANGEBYSCORE", "z", "", "3") == .bulks("a", "b", "c"))
        #expect(db("ZRANGEBYSCORE", "z", " 1", "3") == .bulks("a", "b", "c"))
        #expect(db("ZRANGEBYSCORE", "z", "1 ", "3") == .err("ERR min or max is not a float"))
        #expect(db("ZRANGEBYSCORE", "z", "(inf", "+inf") == .array([]))
        #expect(db("ZRANGEBYSCORE", "z", "-inf", "(-inf") == .array([]))
        #expect(db("ZRANGEBYSCORE", "z", "0", "2", "WITHSCORES") == scored(("a", 1), ("b", 2)))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "LIMIT", "1", "2") == .bulks("b", "c"))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "LIMIT", "1", "-5") == .bulks("b", "c", "d", "e"))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "LIMIT", "1", "0") == .array([]))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "LIMIT", "-1", "2") == .array([]))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "LIMIT", "5", "2") == .array([]))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "LIMIT", "9223372036854775807", "9223372036854775807") == .array([]))
        #expect(db("ZRANGEBYSCORE", "z", "0", "10", "WITHSCORES", "LIMIT", "0", "1", "LIMIT", "3", "1") == scored(("d", 4)))
        #expect(db("ZREVRANGEBYSCORE", "z", "5", "4", "WITHSCORES") == scored(("e", 5), ("d", 4)))
        #expect(db("ZREVRANGEBYSCORE", "z", "(5", "(1") == .bulks("d", "c", "b"))
        #expect(db("ZREVRANGEBYSCORE", "z", "1", "5") == .array([]))
        #expect(db("ZRANGE", "z", "5", "1", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES") == scored(("d", 4), ("c", 3)))
        #expect(db("ZRANGE", "z", "1", "5", "BYSCORE", "REV") == .array([]))
        #expect(db("ZRANGE", "z", "(2", "4", "byscore") == .bulks("c", "d"))
        // Equal scores order by member bytes, reversed by REV.
        #expect(db("ZADD", "t", "1", "b", "1", "a", "1", "ab") == .integer(3))
        #expect(db("ZRANGEBYSCORE", "t", "1", "1") == .bulks("a", "ab", "b"))
        #expect(db("ZREVRANGEBYSCORE", "t", "1", "1") == .bulks("b", "ab", "a"))
    }

    // MARK: ZRANGE by lex

    @Test func zrangeByLex() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "ab") == .integer(4))
        #expect(db("ZRANGEBYLEX", "l", "-", "+") == .bulks("a", "ab", "b", "c"))
        #expect(db("ZRANGEBYLEX", "l", "[a", "(b") == .bulks("a", "ab"))
        #expect(db("ZRANGEBYLEX", "l", "(a", "[c", "LIMIT", "1", "1") == .bulks("b"))
        #expect(db("ZRANGEBYLEX", "l", "(a", "[c", "LIMIT", "-1", "1") == .array([]))
        #expect(db("ZRANGEBYLEX", "l", "+", "-") == .array([]))
        #expect(db("ZRANGEBYLEX", "l", "[", "(") == .array([]))
        #expect(db("ZRANGEBYLEX", "l", "[", "+") == .bulks("a", "ab", "b", "c"))
        #expect(db("ZRANGEBYLEX", "l", "[b", "[a") == .array([]))
        #expect(db("ZREVRANGEBYLEX", "l", "[c", "-", "LIMIT", "0", "2") == .bulks("c", "b"))
        #expect(db("ZREVRANGEBYLEX", "l", "+", "(ab") == .bulks("c", "b"))
        #expect(db("ZRANGE", "l", "[c", "-", "BYLEX", "REV") == .bulks("c", "b", "ab", "a"))
        #expect(db("ZRANGE", "l", "-", "[c", "BYLEX", "REV") == .array([]))
        #expect(db("ZRANGE", "l", "[b", "+", "BYLEX") == .bulks("b", "c"))
        #expect(db("ZRANGEBYLEX", "l", "a", "b") == .err("ERR min or max not valid string range item"))
        #expect(db("ZRANGEBYLEX", "l", "", "[b") == .err("ERR min or max not valid string range item"))
    }

    /// Mixed scores (undefined in Redis, but its listpack walk is deterministic): LIMIT's offset
    /// is skipped from the first member in range without looking at the range, and the walk
    /// then takes members while they are within the far bound, even past the contiguous run.
    @Test func zrangeByLexOffsetOnMixedScores() {
        let db = TestDatabase()
        #expect(db("ZADD", "m", "0", "1", "1", "c", "2", "a", "3", "b") == .integer(4))
        #expect(db("ZRANGEBYLEX", "m", "-", "(b") == .bulks("1"))
        #expect(db("ZLEXCOUNT", "m", "-", "(b") == .integer(1))
        #expect(db("ZRANGEBYLEX", "m", "-", "(b", "LIMIT", "1", "5") == .array([]))
        #expect(db("ZRANGEBYLEX", "m", "-", "(b", "LIMIT", "2", "5") == .bulks("a"))
        #expect(db("ZRANGE", "m", "-", "(b", "BYLEX", "LIMIT", "2", "1") == .bulks("a"))
        #expect(db("ZREVRANGEBYLEX", "m", "+", "(a") == .bulks("b"))
        #expect(db("ZREVRANGEBYLEX", "m", "+", "(a", "LIMIT", "2", "5") == .bulks("c"))
        #expect(db("ZRANGEBYLEX", "m", "-", "(b", "LIMIT", "9223372036854775807", "1") == .array([]))
        #expect(db("ZRANGEBYLEX", "l", "+a", "[") == .err("ERR min or max not valid string range item"))
        #expect(db("ZRANGEBYLEX", "nokey", "-", "+") == .array([]))
        // Binary bounds compare bytewise (0xff sorts last, 0x00 first).
        let db2 = TestDatabase()
        #expect(db2.run([Array("ZADD".utf8), Array("b".utf8), Array("0".utf8), [0xff], Array("0".utf8), [0x00],
                         Array("0".utf8), Array("m".utf8)]) == .integer(3))
        #expect(db2.run([Array("ZRANGEBYLEX".utf8), Array("b".utf8), [UInt8(ascii: "("), 0x00], [UInt8(ascii: "["), 0xff]])
                == .array([.bulk("m"), .bulk([0xff])]))
        // `-` followed by a NUL still reads as the bare sign, as in Redis's C-string test.
        #expect(db2.run([Array("ZRANGEBYLEX".utf8), Array("b".utf8), [UInt8(ascii: "-"), 0x00], Array("(m".utf8)])
                == .array([.bulk([0x00])]))
    }

    // MARK: RESP3

    @Test func resp3ScoresArePairs() throws {
        let db = fiveElements()
        _ = db("HELLO", "3")
        #expect(db("ZRANGE", "z", "0", "1", "WITHSCORES") == pairs(("a", 1), ("b", 2)))
        #expect(db("ZRANGEBYSCORE", "z", "0", "2", "WITHSCORES") == pairs(("a", 1), ("b", 2)))
        #expect(db("ZREVRANGE", "z", "0", "0", "WITHSCORES") == pairs(("e", 5)))
        #expect(db("ZRANGE", "z", "0", "1") == .bulks("a", "b"))
        #expect(db("ZPOPMIN", "z") == .array([.bulk("a"), .double(1)]))
        #expect(db("ZPOPMIN", "z", "1") == pairs(("b", 2)))
        #expect(db("ZPOPMAX", "z", "0") == .array([]))
        #expect(db("ZRANDMEMBER", "z", "5", "WITHSCORES") == pairs(("e", 5), ("d", 4), ("c", 3)))
        #expect(db("ZRANDMEMBER", "nokey") == .null)
        #expect(db("ZSCORE", "z", "c") == .double(3))
    }

    // MARK: ZPOPMIN / ZPOPMAX

    @Test func zpop() throws {
        let db = fiveElements()
        #expect(db("ZPOPMIN", "z", "-1") == .err("ERR value is out of range, must be positive"))
        #expect(db("ZPOPMIN", "z", "x") == .err("ERR value is out of range, must be positive"))
        #expect(db("ZPOPMIN", "nokey", "x") == .err("ERR value is out of range, must be positive"))
        #expect(db("ZPOPMIN", "z", "1", "2") == .syntaxError)
        #expect(db("ZPOPMIN", "z", "0") == .array([]))
        #expect(db("ZPOPMIN", "nokey") == .array([]))
        #expect(db("ZPOPMIN", "nokey", "2") == .array([]))
        #expect(db("ZPOPMIN", "z") == scored(("a", 1)))
        #expect(db("ZPOPMAX", "z", "2") == scored(("e", 5), ("d", 4)))
        #expect(db("ZPOPMIN", "z", "1") == scored(("b", 2)))
        #expect(db("ZPOPMIN", "z", "9223372036854775807") == scored(("c", 3)))
        #expect(try keyCount(db, "z") == 0)
        try addString(db, "s")
        #expect(db("ZPOPMIN", "s") == .wrongType)
        #expect(db("ZPOPMAX", "s", "0") == .wrongType)
        #expect(db("ZPOPMIN", "s", "-1") == .err("ERR value is out of range, must be positive"))
        #expect(db("ZPOPMAX") == .arity("zpopmax"))
        #expect(try db.integrityCheck() == ["ok"])
    }

    // MARK: ZREMRANGEBY*

    @Test func zremrangebyrank() throws {
        let db = fiveElements()
        #expect(db("ZREMRANGEBYRANK", "z", "x", "1") == .notInteger)
        #expect(db("ZREMRANGEBYRANK", "nokey", "x", "1") == .notInteger)
        #expect(db("ZREMRANGEBYRANK", "nokey", "0", "1") == .integer(0))
        #expect(db("ZREMRANGEBYRANK", "z", "5", "10") == .integer(0))
        #expect(db("ZREMRANGEBYRANK", "z", "1", "0") == .integer(0))
        #expect(db("ZREMRANGEBYRANK", "z", "-2", "-1") == .integer(2))
        #expect(db("ZRANGE", "z", "0", "-1") == .bulks("a", "b", "c"))
        #expect(db("ZREMRANGEBYRANK", "z", "1", "1") == .integer(1))
        #expect(db("ZREMRANGEBYRANK", "z", "-100", "100") == .integer(2))
        #expect(try keyCount(db, "z") == 0)
        try addString(db, "s")
        #expect(db("ZREMRANGEBYRANK", "s", "0", "1") == .wrongType)
        #expect(db("ZREMRANGEBYRANK", "s", "x", "1") == .notInteger)
    }

    @Test func zremrangebyscoreAndLex() throws {
        let db = fiveElements()
        #expect(db("ZREMRANGEBYSCORE", "z", "x", "1") == .err("ERR min or max is not a float"))
        #expect(db("ZREMRANGEBYSCORE", "z", "(1", "2") == .integer(1))
        #expect(db("ZREMRANGEBYSCORE", "z", "10", "20") == .integer(0))
        #expect(db("ZREMRANGEBYSCORE", "z", "(4", "+inf") == .integer(1))
        #expect(db("ZRANGE", "z", "0", "-1") == .bulks("a", "c", "d"))
        #expect(db("ZREMRANGEBYLEX", "z", "a", "b") == .err("ERR min or max not valid string range item"))
        #expect(db("ZREMRANGEBYLEX", "z", "+", "-") == .integer(0))
        #expect(db("ZREMRANGEBYLEX", "z", "-", "+") == .integer(3))
        #expect(try keyCount(db, "z") == 0)
        #expect(db("ZADD", "l", "0", "a", "0", "b", "0", "c") == .integer(3))
        #expect(db("ZREMRANGEBYLEX", "l", "(a", "[b") == .integer(1))
        #expect(db("ZRANGE", "l", "0", "-1") == .bulks("a", "c"))
        #expect(db("ZREMRANGEBYSCORE", "nokey", "0", "1") == .integer(0))
        try addString(db, "s")
        #expect(db("ZREMRANGEBYSCORE", "s", "0", "1") == .wrongType)
        #expect(db("ZREMRANGEBYSCORE", "s", "x", "1") == .err("ERR min or max is not a float"))
        #expect(db("ZREMRANGEBYLEX", "s", "-", "+") == .wrongType)
    }

    // MARK: Store commands

    private func storeFixture() -> TestDatabase {
        let db = TestDatabase()
        #expect(db("ZADD", "z1", "1", "a", "2", "b", "inf", "c") == .integer(3))
        #expect(db("ZADD", "z2", "3", "b", "-inf", "c", "4", "d") == .integer(3))
        return db
    }


    @Test func storeErrors() throws {
        let db = storeFixture()
        try addString(db, "s")
        #expect(db("ZUNIONSTORE", "d", "0", "z1") == .err("ERR at least 1 input key is needed for 'zunionstore' command"))
        #expect(db("ZINTERSTORE", "d", "-1", "z1") == .err("ERR at least 1 input key is needed for 'zinterstore' command"))
        #expect(db("ZDIFFSTORE", "d", "0", "z1") == .err("ERR at least 1 input key is needed for 'zdiffstore' command"))
        #expect(db("ZUNIONSTORE", "d", "x", "z1") == .notInteger)
        #expect(db("ZUNIONSTORE", "d", "3", "z1", "z2") == .syntaxError)
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "s") == .wrongType)
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "s", "WEIGHTS", "x") == .wrongType)
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1") == .syntaxError)
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "x") == .err("ERR weight value is not a float"))
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "nan") == .err("ERR weight value is not a float"))
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "AGGREGATE", "foo") == .syntaxError)
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "AGGREGATE") == .syntaxError)
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "WITHSCORES") == .syntaxError)
        #expect(db("ZDIFFSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "2") == .syntaxError)
        #expect(db("ZDIFFSTORE", "d", "2", "z1", "z2", "AGGREGATE", "SUM") == .syntaxError)
        #expect(db("ZUNIONSTORE", "d", "1") == .arity("zunionstore"))
        #expect(try keyCount(db, "d") == 0)
    }

    @Test func unionInterDiff() throws {
        let db = storeFixture()
        try addPlainSet(db, "st", ["a", "x"])
        // c: inf + -inf is NaN, which Redis turns into 0.
        #expect(db("ZUNIONSTORE", "d", "3", "z1", "z2", "st") == .integer(5))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("c", 0), ("x", 1), ("a", 2), ("d", 4), ("b", 5)))
        // 0 × inf is NaN too: 0.
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "0", "1") == .integer(4))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("c", -.infinity), ("a", 0), ("b", 3), ("d", 4)))
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "AGGREGATE", "MIN") == .integer(4))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("c", -.infinity), ("a", 1), ("b", 2), ("d", 4)))
        #expect(db("ZINTERSTORE", "d", "2", "z1", "z2", "AGGREGATE", "MAX") == .integer(2))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("b", 3), ("c", .infinity)))
        #expect(db("ZINTERSTORE", "d", "2", "z1", "st", "WEIGHTS", "2", "3") == .integer(1))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("a", 5)))
        #expect(db("ZINTERSTORE", "d", "2", "z1", "z2", "weights", "1", "1", "weights", "2", "2") == .integer(2))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("c", 0), ("b", 10)))
        #expect(db("ZDIFFSTORE", "d", "2", "z1", "st") == .integer(2))
        #expect(db("ZRANGE", "d", "0", "-1", "WITHSCORES") == scored(("b", 2), ("c", .infinity)))
        // An empty result deletes the destination, whatever it held.
        #expect(db("ZDIFFSTORE", "d", "3", "z1", "z2", "st") == .integer(0))
        #expect(try keyCount(db, "d") == 0)
        try addString(db, "d")
        #expect(db("ZINTERSTORE", "d", "2", "z1", "nokey") == .integer(0))
        #expect(try keyCount(db, "d") == 0)
        #expect(db("ZUNIONSTORE", "d", "1", "nokey") == .integer(0))
        // A string destination is replaced, and loses its TTL.
        try addString(db, "d", expireAt: 1_000_000)
        #expect(db("ZUNIONSTORE", "d", "1", "z1") == .integer(3))
        #expect(try db.sql("SELECT type FROM keys WHERE key = 'd'") == [["5"]])
        #expect(try db.sql("SELECT expire_at FROM keys WHERE key = 'd'") == [["NULL"]])
        // The destination may be a source.
        #expect(db("ZUNIONSTORE", "z1", "2", "z1", "z2") == .integer(4))
        #expect(db("ZRANGE", "z1", "0", "-1", "WITHSCORES") == scored(("c", 0), ("a", 1), ("d", 4), ("b", 5)))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func sumsFoldFromTheSmallestInput() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "big", "1e16", "m", "0", "p", "0", "q") == .integer(3))
        #expect(db("ZADD", "mid", "1", "m", "0", "y") == .integer(2))
        #expect(db("ZADD", "small", "1", "m") == .integer(1))
        #expect(db("ZADD", "s2", "1", "m") == .integer(1))
        #expect(db("ZUNIONSTORE", "d", "3", "big", "mid", "small") == .integer(4))
        #expect(db("ZSCORE", "d", "m") == .double(10_000_000_000_000_002))
        #expect(db("ZINTERSTORE", "d", "3", "big", "mid", "small") == .integer(1))
        #expect(db("ZSCORE", "d", "m") == .double(10_000_000_000_000_002))
        #expect(db("ZUNIONSTORE", "d", "2", "big", "small") == .integer(3))
        #expect(db("ZSCORE", "d", "m") == .double(10_000_000_000_000_000))
        #expect(db("ZUNIONSTORE", "d", "3", "big", "small", "s2") == .integer(3))
        #expect(db("ZSCORE", "d", "m") == .double(10_000_000_000_000_002))
    }

    // MARK: ZRANDMEMBER

    @Test func zrandmemberArguments() throws {
        let db = fiveElements()
        try addString(db, "s")
        #expect(db("ZRANDMEMBER", "z", "x") == .notInteger)
        #expect(db("ZRANDMEMBER", "z", "x", "bogus") == .notInteger)
        #expect(db("ZRANDMEMBER", "z", "1", "bogus") == .syntaxError)
        #expect(db("ZRANDMEMBER", "z", "1", "WITHSCORES", "bogus") == .syntaxError)
        #expect(db("ZRANDMEMBER", "z", "-9223372036854775808") == .err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"))
        #expect(db("ZRANDMEMBER", "z", "9223372036854775808") == .notInteger)
        #expect(db("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES") == .err("ERR value is out of range"))
        #expect(db("ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES") == .err("ERR value is out of range"))
        #expect(db("ZRANDMEMBER", "z", "4611686018427387904", "bogus") == .syntaxError)
        #expect(db("ZRANDMEMBER", "z", "0") == .array([]))
        #expect(db("ZRANDMEMBER", "z", "0", "WITHSCORES") == .array([]))
        #expect(db("ZRANDMEMBER", "nokey") == .null)
        #expect(db("ZRANDMEMBER", "nokey", "3") == .array([]))
        #expect(db("ZRANDMEMBER", "nokey", "-3", "WITHSCORES") == .array([]))
        #expect(db("ZRANDMEMBER", "s") == .wrongType)
        #expect(db("ZRANDMEMBER", "s", "0") == .wrongType)
        // A count at least the size answers the whole set, highest first, as Redis does.
        #expect(db("ZRANDMEMBER", "z", "10", "WITHSCORES") == scored(("e", 5), ("d", 4), ("c", 3), ("b", 2), ("a", 1)))
        #expect(db("ZRANDMEMBER", "z", "5") == .bulks("e", "d", "c", "b", "a"))
    }

    @Test func zrandmemberPicks() throws {
        let db = fiveElements()
        let all: Set<String> = ["a", "b", "c", "d", "e"]
        func members(_ reply: Reply) -> [String] {
            guard case .array(let items) = reply else { return [] }
            return items.compactMap { if case .bulk(let bytes) = $0 { return String(decoding: bytes, as: UTF8.self) } else { return nil } }
        }
        for _ in 0..<20 {
            guard case .bulk(let one) = db("ZRANDMEMBER", "z") else { Issue.record("expected a member"); return }
            #expect(all.contains(String(decoding: one, as: UTF8.self)))
            let distinct = members(db("ZRANDMEMBER", "z", "3"))
            #expect(distinct.count == 3 && Set(distinct).count == 3 && Set(distinct).isSubset(of: all))
            let repeated = members(db("ZRANDMEMBER", "z", "-8"))
            #expect(repeated.count == 8 && Set(repeated).isSubset(of: all))
        }
        guard case .array(let withScores) = db("ZRANDMEMBER", "z", "-3", "WITHSCORES") else { Issue.record("array"); return }
        #expect(withScores.count == 6)
        for index in stride(from: 0, to: 6, by: 2) {
            guard case .bulk(let member) = withScores[index], case .double(let score) = withScores[index + 1] else {
                Issue.record("member then score"); return
            }
            #expect(Double(member[0] - UInt8(ascii: "a") + 1) == score)
        }
        // Same seed, same picks.
        let first = TestDatabase(seed: 7), second = TestDatabase(seed: 7)
        for db in [first, second] { _ = db("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d") }
        #expect(first("ZRANDMEMBER", "z", "-20") == second("ZRANDMEMBER", "z", "-20"))
        #expect(first("ZRANDMEMBER", "z", "2") == second("ZRANDMEMBER", "z", "2"))
    }

    // MARK: ZSCAN

    @Test func zscan() throws {
        let db = fiveElements()
        try addString(db, "s")
        #expect(db("ZSCAN", "z", "0") == .array([.bulk("0"), scored(("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)).asBulkScores]))
        #expect(db("ZSCAN", "z", "0", "MATCH", "[ab]") == .array([.bulk("0"), .bulks("a", "1", "b", "2")]))
        #expect(db("ZSCAN", "nokey", "0", "bogus") == .array([.bulk("0"), .array([])]))
        #expect(db("ZSCAN", "s", "0", "bogus") == .wrongType)
        #expect(db("ZSCAN", "s", "x") == .err("ERR invalid cursor"))
        #expect(db("ZSCAN", "nokey", "x") == .err("ERR invalid cursor"))
        #expect(db("ZSCAN", "z", "0", "COUNT", "0") == .syntaxError)
        #expect(db("ZSCAN", "z", "0", "COUNT", "x") == .notInteger)
        #expect(db("ZSCAN", "z", "0", "bogus") == .syntaxError)
        // Scores as Redis keeps them in a listpack: whole numbers up to 2^62 as integers.
        #expect(db("ZADD", "big", "123456789012345678", "c", "0.1", "a", "1e20", "b", "-0", "d", "2.5", "e") == .integer(5))
        #expect(db("ZSCAN", "big", "0") == .array([.bulk("0"), .bulks("c", "123456789012345680", "a", "0.10000000000000001",
                                                                      "b", "1e+20", "d", "0", "e", "2.5")]))
        // Page by page with COUNT 2: every element exactly once.
        var cursor = "0"
        var seen: [String] = []
        var pages = 0
        repeat {
            guard case .array(let reply) = db("ZSCAN", "z", cursor, "COUNT", "2"),
                  case .bulk(let next) = reply[0], case .array(let items) = reply[1] else {
                Issue.record("bad ZSCAN reply"); return
            }
            for index in stride(from: 0, to: items.count, by: 2) {
                if case .bulk(let member) = items[index] { seen.append(String(decoding: member, as: UTF8.self)) }
            }
            cursor = String(decoding: next, as: UTF8.self)
            pages += 1
        } while cursor != "0" && pages < 10
        #expect(seen == ["a", "b", "c", "d", "e"])
        #expect(pages == 3)
        // Exactly COUNT rows left: the last page still ends the iteration.
        #expect(db("ZADD", "f", "inf", "x", "1.5", "y") == .integer(2))
        #expect(db("ZSCAN", "f", "0", "COUNT", "2") == .array([.bulk("0"), .bulks("x", "inf", "y", "1.5")]))
    }

    // MARK: Storage

    @Test func storageRowsAndVersions() throws {
        let db = TestDatabase()
        func version() throws -> [[String]] { try db.sql("SELECT version FROM keys WHERE key = 'z'") }
        #expect(db("ZADD", "z", "1", "a", "2.5", "b") == .integer(2))
        #expect(try db.sql("SELECT typeof(member), typeof(score), hex(member), score FROM zsets ORDER BY member")
                == [["blob", "real", "61", "1.0"], ["blob", "real", "62", "2.5"]])
        #expect(try db.sql("SELECT type FROM keys WHERE key = 'z'") == [["5"]])
        #expect(try version() == [["1"]])
        #expect(db("ZADD", "z", "1", "a") == .integer(0)) // no change: no write
        #expect(try version() == [["1"]])
        #expect(db("ZADD", "z", "3", "a") == .integer(0))
        #expect(try version() == [["2"]])
        #expect(db("ZINCRBY", "z", "1", "a") == .double(4))
        #expect(try version() == [["3"]])
        #expect(db("ZREM", "z", "nope") == .integer(0))
        #expect(try version() == [["3"]])
        #expect(db("ZADD", "z", "1", "c") == .integer(1))
        #expect(try version() == [["4"]])
        #expect(db("ZREM", "z", "c") == .integer(1))
        #expect(try version() == [["5"]])
        #expect(db("ZPOPMIN", "z") == scored(("b", 2.5)))
        #expect(try version() == [["6"]])
        #expect(db("ZREMRANGEBYSCORE", "z", "10", "20") == .integer(0))
        #expect(try version() == [["6"]])
        #expect(db("ZREMRANGEBYRANK", "z", "0", "0") == .integer(1))
        #expect(try version() == [])
        #expect(try db.sql("SELECT COUNT(*) FROM zsets") == [["0"]])
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func expiredKeysAreMissing() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "1", "a") == .integer(1))
        _ = try? db.sql("UPDATE keys SET expire_at = 10 WHERE key = 'z'")
        db.advance(milliseconds: 1_000)
        #expect(db("ZCARD", "z") == .integer(0))
        #expect(db("ZSCORE", "z", "a") == .null)
        #expect(db("ZADD", "z", "XX", "1", "a") == .integer(0))
        #expect(db("ZADD", "z", "2", "b") == .integer(1))
        #expect(db("ZRANGE", "z", "0", "-1", "WITHSCORES") == scored(("b", 2)))
    }

    @Test func largeSetRangesUseWindows() throws {
        let db = TestDatabase()
        var argv: [[UInt8]] = [Array("ZADD".utf8), Array("big".utf8)]
        for index in 0..<1000 {
            argv.append(Array(String(index / 2).utf8))
            argv.append(Array(("m" + String(String(index + 10000).dropFirst())).utf8))
        }
        #expect(db.run(argv) == .integer(1000))
        #expect(db("ZRANGE", "big", "500", "502") == .bulks("m0500", "m0501", "m0502"))
        #expect(db("ZRANGE", "big", "-3", "-1") == .bulks("m0997", "m0998", "m0999"))
        #expect(db("ZREVRANGE", "big", "0", "1") == .bulks("m0999", "m0998"))
        #expect(db("ZRANGEBYSCORE", "big", "(100", "101", "LIMIT", "1", "5") == .bulks("m0203"))
        #expect(db("ZRANK", "big", "m0777") == .integer(777))
        #expect(db("ZREVRANK", "big", "m0777") == .integer(222))
        #expect(db("ZCOUNT", "big", "10", "19.5") == .integer(20))
        #expect(db("ZREMRANGEBYRANK", "big", "0", "-501") == .integer(500))
        #expect(db("ZCARD", "big") == .integer(500))
        #expect(db("ZPOPMAX", "big", "499") != .array([]))
        #expect(db("ZRANGE", "big", "0", "-1", "WITHSCORES") == scored(("m0500", 250)))
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func transactionRollsBackOnNaN() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "inf", "a") == .integer(1))
        #expect(db("ZINCRBY", "z", "-inf", "a") == .err("ERR resulting score is not a number (NaN)"))
        #expect(db("ZSCORE", "z", "a") == .double(.infinity))
    }
}

/// Adds a string key directly in SQL (another family owns SET), so these tests stand alone.
private func addString(_ db: TestDatabase, _ key: String, expireAt: Int64? = nil) throws {
    _ = try db.sql("DELETE FROM keys WHERE db = 0 AND key = '\(key)'")
    _ = try db.sql("""
        INSERT INTO keys (id, db, key, type, expire_at, version, created_at, updated_at)
        VALUES ((SELECT COALESCE(MAX(id), 0) + 1000 FROM keys), 0, '\(key)', 1, \(expireAt.map(String.init) ?? "NULL"), 1, 0, 0)
        """)
    _ = try db.sql("INSERT INTO strings (key_id, value) VALUES ((SELECT id FROM keys WHERE key = '\(key)'), CAST('v' AS BLOB))")
}

/// Adds a plain set directly in SQL (another family owns SADD).
private func addPlainSet(_ db: TestDatabase, _ key: String, _ members: [String]) throws {
    _ = try db.sql("""
        INSERT INTO keys (id, db, key, type, version, created_at, updated_at)
        VALUES ((SELECT COALESCE(MAX(id), 0) + 1000 FROM keys), 0, '\(key)', 4, 1, 0, 0)
        """)
    for member in members {
        _ = try db.sql("INSERT INTO sets (key_id, member) VALUES ((SELECT id FROM keys WHERE key = '\(key)'), CAST('\(member)' AS BLOB))")
    }
}

/// Rows in `keys` for `key` in database 0 (live or not).
private func keyCount(_ db: TestDatabase, _ key: String) throws -> Int {
    try db.sql("SELECT COUNT(*) FROM keys WHERE db = 0 AND key = '\(key)'").first.flatMap { Int($0[0]) } ?? -1
}

private extension Reply {
    /// ZSCAN answers scores as bulk strings: turns `.double` items into their `%.17g` text.
    var asBulkScores: Reply {
        guard case .array(let items) = self else { return self }
        return .array(items.map {
            if case .double(let value) = $0 { return .bulk(Numbers.formatDouble(value)) }
            return $0
        })
    }
}

extension SortedSetCommandsTests {
    @Test func interCleansOnlyTheFirstWeightedNaN() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z1", "5", "a") == .integer(1))
        #expect(db("ZADD", "z2", "inf", "a", "1", "b") == .integer(2))
        #expect(db("ZADD", "z3", "-1", "a") == .integer(1))
        // 5 + (0 × inf = NaN) is NaN, which SUM turns into 0.
        #expect(db("ZINTERSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "0") == .integer(1))
        #expect(db("ZSCORE", "d", "a") == .double(0))
        #expect(db("ZINTERSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "0", "AGGREGATE", "MIN") == .integer(1))
        #expect(db("ZSCORE", "d", "a") == .double(5))
        #expect(db("ZINTERSTORE", "d", "2", "z3", "z2", "WEIGHTS", "1", "0", "AGGREGATE", "MAX") == .integer(1))
        #expect(db("ZSCORE", "d", "a") == .double(-1))
        // A union cleans every weighted score: 5 + 0.
        #expect(db("ZUNIONSTORE", "d", "2", "z1", "z2", "WEIGHTS", "1", "0") == .integer(2))
        #expect(db("ZSCORE", "d", "a") == .double(5))
    }
}

extension SortedSetCommandsTests {
    @Test func watchSeesWritesButNotNoOps() throws {
        let db = TestDatabase()
        #expect(db("ZADD", "z", "1", "a") == .integer(1))
        #expect(db("WATCH", "z") == .ok)
        #expect(db("ZADD", "z", "1", "a") == .integer(0))
        #expect(db("ZREM", "z", "missing") == .integer(0))
        #expect(db("MULTI") == .ok)
        #expect(db("ZCARD", "z") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.integer(1)]))
        #expect(db("WATCH", "z") == .ok)
        #expect(db("ZINCRBY", "z", "1", "a") == .double(2))
        #expect(db("MULTI") == .ok)
        #expect(db("ZCARD", "z") == .simple("QUEUED"))
        #expect(db("EXEC") == .nullArray)
        #expect(db("WATCH", "d") == .ok)
        #expect(db("ZUNIONSTORE", "d", "1", "z") == .integer(1))
        #expect(db("MULTI") == .ok)
        #expect(db("EXEC") == .nullArray)
    }
}

/// Lex ranges over members with different scores: Redis calls the result undefined, but for a
/// small (listpack) set it is a fixed walk. Every expected reply here was read off Redis 7.0.15.
@Suite struct SortedSetMixedScoreLexTests {
    private func db() -> TestDatabase {
        let db = TestDatabase()
        db("ZADD", "z", "1", "b", "2", "a", "3", "d", "4", "c", "5", "e")
        return db
    }

    @Test func rangesFollowRedisListpackWalk() {
        let db = db()
        #expect(db("ZRANGEBYLEX", "z", "[a", "[c") == .bulks("b", "a"))
        #expect(db("ZRANGEBYLEX", "z", "-", "+") == .bulks("b", "a", "d", "c", "e"))
        #expect(db("ZRANGEBYLEX", "z", "[b", "(d") == .bulks("b", "a"))
        #expect(db("ZRANGEBYLEX", "z", "[c", "[e") == .bulks("d", "c", "e"))
        #expect(db("ZRANGEBYLEX", "z", "(a", "[z") == .bulks("b", "a", "d", "c", "e"))
        #expect(db("ZRANGEBYLEX", "z", "[a", "+", "LIMIT", "1", "2") == .bulks("a", "d"))
        #expect(db("ZREVRANGEBYLEX", "z", "[c", "[a") == .bulks("c", "d", "a", "b"))
        #expect(db("ZREVRANGEBYLEX", "z", "+", "[b") == .bulks("e", "c", "d"))
        #expect(db("ZREVRANGEBYLEX", "z", "[d", "-", "LIMIT", "1", "1") == .bulks("d"))
        #expect(db("ZRANGE", "z", "[a", "[d", "BYLEX") == .bulks("b", "a", "d", "c"))
        #expect(db("ZRANGE", "z", "[d", "[a", "BYLEX", "REV") == .bulks("c", "d", "a", "b"))
        #expect(db("ZRANGEBYLEX", "z", "[f", "+") == .array([]))
        #expect(db("ZRANGEBYLEX", "z", "-", "[a") == .array([]))
    }

    @Test func countsAndRemovals() {
        let db = db()
        #expect(db("ZLEXCOUNT", "z", "[a", "[c") == .integer(2))
        #expect(db("ZLEXCOUNT", "z", "-", "+") == .integer(5))
        #expect(db("ZLEXCOUNT", "z", "[c", "[e") == .integer(3))
        db("COPY", "z", "z2")
        #expect(db("ZREMRANGEBYLEX", "z2", "[a", "[c") == .integer(2))
        #expect(db("ZRANGE", "z2", "0", "-1") == .bulks("d", "c", "e"))
        #expect(db("ZREMRANGEBYLEX", "z", "[c", "+") == .integer(3))
        #expect(db("ZRANGE", "z", "0", "-1") == .bulks("b", "a"))
    }
}
