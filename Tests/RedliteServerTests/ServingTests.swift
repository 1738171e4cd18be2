@preconcurrency import Glibc
import RESP
import RedisClient
import Redlite
import RedliteServer
import Testing

/// Commands over the wire: hiredis for the ordinary cases, a raw socket for the exact bytes.
@Suite struct ServingTests {
    @Test func basicCommandsThroughHiredis() throws {
        let fixture = try ServerFixture()
        let redis = try fixture.connect()
        #expect(try redis.execute(command("PING")) == .simple("PONG"))
        #expect(try redis.execute(command("SET", "greeting", "hello")) == .ok)
        #expect(try redis.execute(command("GET", "greeting")) == .bulk("hello"))
        #expect(try redis.execute(command("INCRBY", "n", "41")) == .integer(41))
        #expect(try redis.execute(command("INCR", "n")) == .integer(42))
        // Binary-safe: NUL, CR LF and 0xff travel unchanged.
        let binary: [UInt8] = [0, 13, 10, 255, 65]
        #expect(try redis.execute([bytes("SET"), binary, binary]) == .ok)
        #expect(try redis.execute([bytes("GET"), binary]) == .bulk(binary))
        #expect(try redis.execute(command("RPUSH", "l", "a", "b", "c")) == .integer(3))
        #expect(try redis.execute(command("LRANGE", "l", "0", "-1")) == .bulks([bytes("a"), bytes("b"), bytes("c")]))
        #expect(try redis.execute(command("GET")) == .error("ERR wrong number of arguments for 'get' command"))
        #expect(try redis.execute(command("NOSUCH", "x")) == .error("ERR unknown command 'NOSUCH', with args beginning with: 'x' "))
        // Another client sees the committed data.
        #expect(try fixture.connect().execute(command("GET", "n")) == .bulk("42"))
    }

    @Test func aThousandPipelinedCommandsInOneWrite() throws {
        let fixture = try ServerFixture()
        let client = try fixture.raw()
        var request = ""
        for index in 0..<1000 { request += "*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$\(String(index).count)\r\n\(index)\r\n" }
        try client.send(request)
        let expected = (1...1000).map { ":\($0)\r\n" }.joined()
        #expect(client.read(like: expected) == expected)
        // Inline commands pipeline too, and the order held.
        try client.send("LINDEX q 0\r\nLINDEX q 999\r\nLLEN q\r\n")
        #expect(client.read(like: "$1\r\n0\r\n$3\r\n999\r\n:1000\r\n") == "$1\r\n0\r\n$3\r\n999\r\n:1000\r\n")
        // And through hiredis's pipeline.
        let redis = try fixture.connect()
        let replies = try redis.pipeline((0..<1000).map { command("INCR", "counter\($0 % 10)") })
        #expect(replies.count == 1000)
        #expect(replies.last == .integer(100))
    }

    @Test func resp3AfterHello3() throws {
        let fixture = try ServerFixture()
        let client = try fixture.raw()
        try client.send("HSET h f 1.5\r\nHELLO 3\r\nHGETALL h\r\nZADD z 2.5 m\r\nZSCORE z m\r\nGET missing\r\nCLIENT INFO\r\n")
        var decoder = ReplyDecoder()
        var replies: [Reply] = []
        while replies.count < 7 {
            let (chunk, closed) = client.read(count: 1)
            decoder.append(chunk)
            while let reply = try decoder.next() { replies.append(reply) }
            if closed { break }
        }
        try #require(replies.count == 7)
        #expect(replies[0] == .integer(1))
        guard case .map(let hello) = replies[1] else { Issue.record("HELLO 3 answers a map, got \(replies[1])"); return }
        #expect(hello.contains(ReplyPair(.bulk("proto"), .integer(3))))
        #expect(replies[2] == .map([ReplyPair(.bulk("f"), .bulk("1.5"))]))
        #expect(replies[3] == .integer(1))
        #expect(replies[4] == .double(2.5))
        #expect(replies[5] == .null)
        guard case .verbatim("txt", let info) = replies[6] else { Issue.record("CLIENT INFO is verbatim text in RESP3"); return }
        #expect(text(info).hasSuffix(" cmd=client|info user=default redir=-1 resp=3\n"))
    }

    @Test func quitAnswersThenCloses() throws {
        let fixture = try ServerFixture()
        let client = try fixture.raw()
        try client.send("SET a 1\r\nQUIT\r\nSET a 2\r\n")
        let (reply, closed) = client.readToEnd()
        #expect(text(reply) == "+OK\r\n+OK\r\n")
        #expect(closed)
        #expect(try fixture.connect().execute(command("GET", "a")) == .bulk("1"))
    }

    @Test func aClientThatDoesNotReadIsThrottledNotBuffered() throws {
        let fixture = try ServerFixture()
        let redis = try fixture.connect()
        let value = [UInt8](repeating: 120, count: 64 << 10)
        #expect(try redis.execute([bytes("SET"), bytes("big"), value]) == .ok)
        // 2000 requests for 64 KB each, in separate writes, never read: once the socket to the
        // client is full the server stops reading it, instead of running them all and holding
        // 128 MB of replies. INCR counts how many ran.
        let greedy = try fixture.raw()
        for _ in 0..<2000 {
            try greedy.send("GET big\r\nINCR progress\r\n")
            usleep(300)
        }
        usleep(200_000)
        guard case .bulk(let progressText) = try redis.execute(command("GET", "progress")),
              let progress = Int(text(progressText)) else {
            Issue.record("no progress counter")
            return
        }
        #expect(progress < 1000, "ran \(progress) of 2000 requests for a client that reads nothing")
        // Other clients are served meanwhile; reading drains every reply, in order.
        #expect(try redis.execute(command("PING")) == .simple("PONG"))
        let reply = "$65536\r\n".utf8.count + value.count + 2
        var received: [UInt8] = []
        var total = 0
        while total < 2000 * reply + 2000 * 6 {
            let (chunk, closed) = greedy.read(count: 1)
            if closed || chunk.isEmpty { break }
            total += chunk.count
            received = Array((received + chunk).suffix(16))
        }
        #expect(total == 2000 * reply + (1...2000).reduce(0) { $0 + ":\($1)\r\n".utf8.count })
        #expect(text(received).hasSuffix(":2000\r\n"))
    }
}
