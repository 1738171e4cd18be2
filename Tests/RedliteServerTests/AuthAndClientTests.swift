import RESP
import RedisClient
import Redlite
import RedliteServer
import Testing

/// `--password`, CLIENT and `--max-clients` over the wire. Texts are redis-server 7.0.15's.
@Suite struct AuthAndClientTests {
    private static let noAuth = Reply.error("NOAUTH Authentication required.")
    private static let wrongPass = Reply.error("WRONGPASS invalid username-password pair or user is disabled.")

    @Test func aPasswordGatesEveryCommandButAuthHelloAndQuit() throws {
        let fixture = try ServerFixture(password: "secret")
        let redis = try fixture.connect()
        #expect(try redis.execute(command("PING")) == Self.noAuth)
        #expect(try redis.execute(command("SET", "a", "1")) == Self.noAuth)
        #expect(try redis.execute(command("GET")) == .error("ERR wrong number of arguments for 'get' command"))
        #expect(try redis.execute(command("NOPE")) == .error("ERR unknown command 'NOPE', with args beginning with: "))
        #expect(try redis.execute(command("MULTI")) == Self.noAuth)
        #expect(try redis.execute(command("EXEC")) == .error("EXECABORT Transaction discarded because of: NOAUTH Authentication required."))
        #expect(try redis.execute(command("HELLO", "3")) == .error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"))
        #expect(try redis.execute(command("AUTH", "wrong")) == Self.wrongPass)
        #expect(try redis.execute(command("AUTH", "bob", "secret")) == Self.wrongPass)
        #expect(try redis.execute(command("AUTH", "secret")) == .ok)
        #expect(try redis.execute(command("SET", "a", "1")) == .ok)
        // Each client authenticates for itself.
        let second = try fixture.connect()
        #expect(try second.execute(command("GET", "a")) == Self.noAuth)
        #expect(try second.execute(command("AUTH", "default", "secret")) == .ok)
        #expect(try second.execute(command("GET", "a")) == .bulk("1"))
        // HELLO AUTH in RESP2 answers a flat array.
        let third = try fixture.connect()
        guard case .array(let hello) = try third.execute(command("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "third")) else {
            Issue.record("HELLO answers an array in RESP2")
            return
        }
        #expect(hello.prefix(2) == [.bulk("server"), .bulk("redis")])
        #expect(try third.execute(command("CLIENT", "GETNAME")) == .bulk("third"))
        // Before authenticating, requests are held to Redis's small limits.
        let raw = try fixture.raw()
        try raw.send("*11\r\n")
        #expect(text(raw.readToEnd().bytes) == "-ERR Protocol error: unauthenticated multibulk length\r\n")
        // QUIT works unauthenticated.
        let quitter = try fixture.raw()
        try quitter.send("QUIT\r\n")
        let (bytes, closed) = quitter.readToEnd()
        #expect(text(bytes) == "+OK\r\n" && closed)
    }

    @Test func withoutAPasswordAuthSaysNoneIsConfigured() throws {
        let fixture = try ServerFixture()
        let redis = try fixture.connect()
        #expect(try redis.execute(command("AUTH", "x")) == .error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"))
        #expect(try redis.execute(command("AUTH", "default", "anything")) == .ok)
        #expect(try redis.execute(command("PING")) == .simple("PONG"))
    }

    @Test func clientCommandsSeeEveryClient() throws {
        let fixture = try ServerFixture()
        let first = try fixture.connect(), second = try fixture.connect()
        guard case .integer(let firstID) = try first.execute(command("CLIENT", "ID")),
              case .integer(let secondID) = try second.execute(command("CLIENT", "ID")) else {
            Issue.record("CLIENT ID answers an integer")
            return
        }
        #expect(firstID != secondID)
        #expect(try first.execute(command("CLIENT", "SETNAME", "alpha")) == .ok)
        #expect(try first.execute(command("CLIENT", "GETNAME")) == .bulk("alpha"))
        #expect(try second.execute(command("CLIENT", "GETNAME")) == .null)
        #expect(try second.execute(command("CLIENT", "SETNAME", "has space")) == .error("ERR Client names cannot contain spaces, newlines or special characters."))
        #expect(try second.execute(command("SELECT", "4")) == .ok)
        #expect(try second.execute(command("CLIENT", "KILL", "x")) == .error("ERR unknown subcommand 'KILL'. Try CLIENT HELP."))
        guard case .bulk(let listBytes) = try second.execute(command("CLIENT", "LIST")) else {
            Issue.record("CLIENT LIST answers a bulk string")
            return
        }
        let lines = text(listBytes).split(separator: "\n").map(String.init)
        #expect(text(listBytes).hasSuffix("\n"))
        #expect(lines.count == 2)
        let firstLine = try #require(lines.first { $0.hasPrefix("id=\(firstID) ") })
        let secondLine = try #require(lines.first { $0.hasPrefix("id=\(secondID) ") })
        #expect(firstLine.contains(" name=alpha "))
        #expect(firstLine.contains(" db=0 "))
        #expect(firstLine.contains(" cmd=client|getname "))
        #expect(secondLine.contains(" name= "))
        #expect(secondLine.contains(" db=4 "))
        #expect(secondLine.hasSuffix(" cmd=client|list user=default redir=-1 resp=2"))
        // The fields, in Redis 7.0's order, with the real addresses.
        let fields = secondLine.split(separator: " ").map { String($0.split(separator: "=", maxSplits: 1)[0]) }
        #expect(fields == ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub", "ssub", "multi",
                           "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll", "omem", "tot-mem",
                           "events", "cmd", "user", "redir", "resp"])
        #expect(secondLine.contains(" laddr=127.0.0.1:\(fixture.port) "))
        #expect(secondLine.range(of: #" addr=127\.0\.0\.1:\d+ "#, options: .regularExpression) != nil)
        #expect(secondLine.range(of: #" fd=\d+ "#, options: .regularExpression) != nil)
        // A client that leaves leaves the list.
        _ = consume first
        #expect(eventually {
            guard case .bulk(let list) = try? second.execute(command("CLIENT", "LIST")) else { return false }
            return text(list).split(separator: "\n").count == 1
        })
    }

    @Test func maxClientsRefusesTheOneTooMany() throws {
        let fixture = try ServerFixture(maxClients: 2)
        let first = try fixture.connect(), second = try fixture.connect()
        // Answering proves each is registered (the kernel completes a connection before the
        // server has seen it).
        #expect(try first.execute(command("PING")) == .simple("PONG"))
        #expect(try second.execute(command("PING")) == .simple("PONG"))
        let third = try fixture.raw()
        let (reply, closed) = third.readToEnd()
        #expect(text(reply) == "-ERR max number of clients reached\r\n")
        #expect(closed)
        #expect(try second.execute(command("PING")) == .simple("PONG"))
        // A place frees up when a client leaves.
        _ = consume first
        #expect(eventually { fixture.server.connectedClientCount == 1 })
        #expect(try fixture.connect().execute(command("PING")) == .simple("PONG"))
    }
}
