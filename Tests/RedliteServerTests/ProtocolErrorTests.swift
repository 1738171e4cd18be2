import Foundation
@preconcurrency import Glibc
import RESP
import RedisClient
import Redlite
import RedliteServer
import Testing

/// Malformed requests and clients that vanish: the exact error bytes, then the end of the
/// connection, and no harm to anyone else. The expected bytes are redis-server 7.0.15's
/// (checked with a raw socket against it).
@Suite struct ProtocolErrorTests {
    struct Exchange: Sendable, CustomTestStringConvertible {
        let input: String
        let output: String
        var testDescription: String { input.count > 40 ? "\(input.prefix(12))... (\(input.utf8.count) bytes)" : input }
    }

    static let exchanges: [Exchange] = [
        Exchange(input: "*abc\r\n", output: "-ERR Protocol error: invalid multibulk length\r\n"),
        Exchange(input: "PING\r\n*2147483648\r\n", output: "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"),
        Exchange(input: "*1\r\n$abc\r\n", output: "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange(input: "*1\r\n$536870913\r\n", output: "-ERR Protocol error: invalid bulk length\r\n"),
        Exchange(input: "*1\r\n+foo\r\n", output: "-ERR Protocol error: expected '$', got '+'\r\n"),
        Exchange(input: "SET a \"b\r\n", output: "-ERR Protocol error: unbalanced quotes in request\r\n"),
        Exchange(input: String(repeating: "x", count: 70_000), output: "-ERR Protocol error: too big inline request\r\n"),
    ]

    @Test(arguments: exchanges)
    func aProtocolErrorIsAnsweredThenTheConnectionCloses(_ exchange: Exchange) throws {
        let fixture = try ServerFixture()
        let bystander = try fixture.connect()
        #expect(try bystander.execute(command("SET", "k", "v")) == .ok)
        let client = try fixture.raw()
        try client.send(exchange.input)
        let (reply, closed) = client.readToEnd()
        #expect(text(reply) == exchange.output)
        #expect(closed, "the server must close the connection after a protocol error")
        #expect(try bystander.execute(command("GET", "k")) == .bulk("v"))
        #expect(eventually { fixture.server.connectedClientCount == 1 })
    }

    @Test func aHugeDeclaredBulkAllocatesNothing() throws {
        let fixture = try ServerFixture()
        let before = residentBytes()
        // 512 MB claimed (the largest legal length) from each of 8 clients, 5 bytes sent.
        let clients = try (0..<8).map { _ in try fixture.raw() }
        for client in clients { try client.send("*2\r\n$3\r\nGET\r\n$536870912\r\nabcde") }
        let bystander = try fixture.connect()
        #expect(try bystander.execute(command("PING")) == .simple("PONG"))
        let grown = residentBytes() - before
        #expect(grown < 64 << 20, "resident memory grew by \(grown >> 20) MB")
        // One byte over the limit is refused outright.
        let over = try fixture.raw()
        try over.send("*1\r\n$536870913\r\n")
        #expect(text(over.readToEnd().bytes) == "-ERR Protocol error: invalid bulk length\r\n")
    }

    @Test(arguments: [false, true])
    func aClientVanishingMidCommandHarmsNoOne(reset: Bool) throws {
        let fixture = try ServerFixture()
        let other = try fixture.connect()
        #expect(try other.execute(command("SET", "shared", "1")) == .ok)
        // Complete commands, then half of one: the complete ones run, the partial one never does.
        let client = try fixture.raw()
        var pipeline = String(repeating: "*2\r\n$4\r\nINCR\r\n$1\r\nc\r\n", count: 100)
        pipeline += "*3\r\n$3\r\nSET\r\n$7\r\npartial\r\n$10\r\n12345"
        try client.send(pipeline)
        client.close(reset: reset)
        #expect(eventually { (try? other.execute(command("GET", "c"))) == .bulk("100") })
        #expect(try other.execute(command("EXISTS", "partial")) == .integer(0))
        #expect(try other.execute(command("INCR", "shared")) == .integer(2))
        #expect(eventually { fixture.server.connectedClientCount == 1 })
    }

    @Test func aClientVanishingInsideMultiLeavesNothingBehind() throws {
        let fixture = try ServerFixture()
        let client = try fixture.raw()
        try client.send("WATCH w\r\nMULTI\r\nSET inside 1\r\n")
        #expect(client.read(like: "+OK\r\n+OK\r\n+QUEUED\r\n") == "+OK\r\n+OK\r\n+QUEUED\r\n")
        client.close(reset: true)
        let other = try fixture.connect()
        // Once it has answered, `other` is registered: a count of one means the first is gone.
        #expect(try other.execute(command("PING")) == .simple("PONG"))
        #expect(eventually { fixture.server.connectedClientCount == 1 })
        #expect(try other.execute(command("EXISTS", "inside")) == .integer(0))
        // Its watch registration is gone too (the engine keeps one row per watched absent key).
        let inspector = try RedliteConnection(.file(fixture.databasePath))
        #expect(try inspector.database.scalarInt("SELECT COUNT(*) FROM redlite_watches") == 0)
    }

    @Test func garbageFromOneClientDoesNotDisturbAPipelineOfAnother() throws {
        let fixture = try ServerFixture()
        let steady = try fixture.raw()
        let garbage = try fixture.raw()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try garbage.send([UInt8(ascii: "*"), UInt8(ascii: "x")] + noise)
        try steady.send(String(repeating: "INCR n\r\n", count: 500))
        let expected = (1...500).map { ":\($0)\r\n" }.joined()
        #expect(steady.read(like: expected) == expected)
        #expect(text(garbage.readToEnd().bytes) == "-ERR Protocol error: invalid multibulk length\r\n")
    }
}

/// This process's resident set size, from /proc/self/statm.
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}
