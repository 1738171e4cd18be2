import RESP
import Testing
@testable import Redlite

@Suite struct ServerCommandsTests {
    @Test func pingAndEcho() {
        let db = TestDatabase()
        #expect(db("PING") == .simple("PONG"))
        #expect(db("ping", "hi") == .bulk("hi"))
        #expect(db("PING", "a", "b") == .arity("ping"))
        #expect(db("ECHO", "") == .bulk(""))
        #expect(db("ECHO") == .arity("echo"))
    }

    @Test func unknownCommandQuotesItsArguments() {
        let db = TestDatabase()
        #expect(db("FOO", "a", "b") == .err("ERR unknown command 'FOO', with args beginning with: 'a' 'b' "))
        #expect(db("foo") == .err("ERR unknown command 'foo', with args beginning with: "))
        // Redis prints each argument with `%.*s`: it stops at a NUL byte; CR and LF become spaces.
        #expect(db.run([Array("FOO".utf8), [0x61, 0x00, 0x62], [0x63, 0x0D, 0x0A, 0x64]])
                == .err("ERR unknown command 'FOO', with args beginning with: 'a' 'c  d' "))
        // The 128-byte budget counts bytes of what was printed, and the last argument is cut to it.
        let long = String(repeating: "x", count: 120)
        #expect(db("FOO", long, "abcdefghij", "z")
                == .err("ERR unknown command 'FOO', with args beginning with: '\(long)' 'abcde' "))
    }

    @Test func selectRangeAndIsolation() {
        let db = TestDatabase()
        #expect(db("SELECT", "16") == .err("ERR DB index is out of range"))
        #expect(db("SELECT", "-1") == .err("ERR DB index is out of range"))
        #expect(db("SELECT", "x") == .notInteger)
        #expect(db("SELECT", "15") == .ok)
        #expect(db.connection.selectedDatabase == 15)
    }

    @Test func helloSwitchesProtocol() {
        let db = TestDatabase()
        #expect(db("HELLO", "4") == .err("NOPROTO unsupported protocol version"))
        #expect(db("HELLO", "x") == .err("ERR Protocol version is not an integer or out of range"))
        guard case .map(let pairs) = db("HELLO", "3") else { Issue.record("HELLO must answer a map"); return }
        #expect(pairs.first == ReplyPair(.bulk("server"), .bulk("redis")))
        #expect(pairs.contains(ReplyPair(.bulk("proto"), .integer(3))))
        #expect(db.connection.protocolVersion == .resp3)
        #expect(db("HELLO", "3", "BOGUS") == .err("ERR Syntax error in HELLO option 'BOGUS'"))
    }

    @Test func timeReadsTheInjectedClock() {
        let db = TestDatabase(clock: ManualClock(milliseconds: 1_700_000_000_123))
        #expect(db("TIME") == .bulks("1700000000", "123000"))
    }

    @Test func configGetSet() {
        let db = TestDatabase()
        #expect(db("CONFIG", "GET", "hz") == .map([ReplyPair(.bulk("hz"), .bulk("10"))]))
        #expect(db("CONFIG", "SET", "hz", "50") == .ok)
        #expect(db("CONFIG", "GET", "h*") == .map([ReplyPair(.bulk("hz"), .bulk("50"))]))
        #expect(db("CONFIG", "SET", "nope", "1") == .err("ERR Unknown option or number of arguments for CONFIG SET - 'nope'"))
        #expect(db("CONFIG", "GET") == .arity("config|get"))
        #expect(db("CONFIG", "BOGUS") == .err("ERR unknown subcommand 'BOGUS'. Try CONFIG HELP."))
        #expect(db("CONFIG", "GET", "nothing-matches") == .map([]))
        // redis-benchmark reads these two first and warns when they are missing.
        #expect(db("CONFIG", "GET", "save") == .map([ReplyPair(.bulk("save"), .bulk(""))]))
        #expect(db("CONFIG", "GET", "appendonly") == .map([ReplyPair(.bulk("appendonly"), .bulk("no"))]))
    }

    @Test func commandCountMatchesTheTable() {
        let db = TestDatabase()
        #expect(db("COMMAND", "COUNT") == .integer(Int64(CommandTable.all.count)))
    }

    @Test func flushAndDbsizeOptions() {
        let db = TestDatabase()
        #expect(db("FLUSHDB", "BOGUS") == .syntaxError)
        #expect(db("FLUSHALL", "ASYNC") == .ok)
        #expect(db("DBSIZE") == .integer(0))
    }
}
