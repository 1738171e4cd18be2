import Testing
@testable import Redlite

/// The typed Swift API runs the same commands as execute(argv) and decodes their replies.
@Suite struct TypedAPITests {
    @Test func stringsAndKeys() throws {
        let db = TestDatabase()
        let connection = db.connection
        #expect(try connection.get("k") == nil)
        try connection.set("k", "v")
        #expect(try connection.get("k") == Array("v".utf8))
        try connection.set([0xff, 0x00], [0x01], expireMilliseconds: 100)
        #expect(try connection.timeToLive([0xff, 0x00]) == 100)
        #expect(try connection.increment("n", by: 5) == 5)
        #expect(try connection.exists("k", "k", "missing") == 2)
        #expect(try connection.expire("k", milliseconds: 10))
        #expect(try connection.delete("k", "n", "missing") == 2)
        try connection.set("k", "not a number")
        #expect(throws: CommandError.notInteger) { try connection.increment("k") }
    }

    @Test func errorRepliesAreThrownWithRedisText() throws {
        let connection = TestDatabase().connection
        try connection.rightPush("list", "a")
        #expect(throws: CommandError.wrongType) { _ = try connection.get("list") }
        #expect(throws: CommandError("ERR syntax error")) { try connection.call(["SET", "k", "v", "BOGUS"]) }
    }

    @Test func containers() throws {
        let connection = TestDatabase().connection
        #expect(try connection.leftPush("l", "b", "a") == 2)
        #expect(try connection.rightPush("l", "c") == 3)
        #expect(try connection.range("l") == ["a", "b", "c"].map { Array($0.utf8) })
        #expect(try connection.hashSet("h", "f", "1"))
        #expect(try !connection.hashSet("h", "f", "2"))
        #expect(try connection.hashGet("h", "f") == Array("2".utf8))
        #expect(try connection.hashGetAll("h").map { $0.value } == [Array("2".utf8)])
        #expect(try connection.setAdd("s", "x", "y", "x") == 2)
        #expect(try connection.setMembers("s").count == 2)
        #expect(try connection.sortedSetAdd("z", score: 1.5, member: "m"))
        #expect(try connection.sortedSetScore("z", "m") == 1.5)
        #expect(try connection.sortedSetScore("z", "missing") == nil)
        #expect(try connection.sortedSetRange("z") == [Array("m".utf8)])
    }
}
