@preconcurrency import Glibc
import RESP
import Testing
@testable import RedisClient

/// RedisConnection against a real redis-server (7.0.15 here), one server per test.
@Suite("RedisConnection")
struct RedisConnectionTests {
    @Test func ping() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        #expect(try redis.execute(command("PING")) == .simple("PONG"))
        #expect(try redis.execute(command("PING", "hello")) == .bulk("hello"))
        #expect(redis.isUsable)
    }

    @Test func binaryValuesRoundTrip() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        let key: [UInt8] = [0x6B, 0x00, 0x0D, 0x0A, 0xFF]
        let value: [UInt8] = [0x00, 0x0D, 0x0A, 0xFF, 0x41, 0x00, 0x0D, 0x0A, 0x24, 0x2D, 0x31, 0xFF, 0x00]
        #expect(try redis.execute([Array("SET".utf8), key, value]) == .ok)
        #expect(try redis.execute([Array("GET".utf8), key]) == .bulk(value))
        #expect(try redis.execute([Array("STRLEN".utf8), key]) == .integer(Int64(value.count)))
        // The key is stored with all five bytes: a truncated one does not exist.
        #expect(try redis.execute([Array("EXISTS".utf8), [0x6B]]) == .integer(0))
        // An empty argument is sent as an empty string, and an empty string is not nil.
        #expect(try redis.execute([Array("SET".utf8), Array("empty".utf8), []]) == .ok)
        #expect(try redis.execute(command("GET", "empty")) == .bulk([]))
        #expect(try redis.execute(command("STRLEN", "empty")) == .integer(0))
    }

    @Test func missingValueIsNull() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        #expect(try redis.execute(command("GET", "nothing")) == .null)
        #expect(try redis.execute(command("HGET", "nothing", "field")) == .null)
        #expect(try redis.execute(command("MGET", "nothing", "nothing")) == .array([.null, .null]))
    }

    @Test func integers() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        #expect(try redis.execute(command("INCRBY", "n", "42")) == .integer(42))
        #expect(try redis.execute(command("DECRBY", "n", "100")) == .integer(-58))
        #expect(try redis.execute(command("SET", "big", "9223372036854775806")) == .ok)
        #expect(try redis.execute(command("INCR", "big")) == .integer(Int64.max))
        #expect(try redis.execute(command("SET", "small", "-9223372036854775807")) == .ok)
        #expect(try redis.execute(command("DECR", "small")) == .integer(Int64.min))
    }

    @Test func errorRepliesAreValuesWithTheWholeLine() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        #expect(try redis.execute(command("SET", "s", "text")) == .ok)
        #expect(try redis.execute(command("LPUSH", "s", "x"))
            == .error("WRONGTYPE Operation against a key holding the wrong kind of value"))
        #expect(try redis.execute(command("INCR", "s")) == .error("ERR value is not an integer or out of range"))
        let unknown = try redis.execute(command("NOSUCHCOMMAND", "a"))
        #expect(unknown.isError)
        #expect(unknown == .error("ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' "))
        // An error reply does not break the connection.
        #expect(redis.isUsable)
        #expect(try redis.execute(command("GET", "s")) == .bulk("text"))
    }

    @Test func flatAndNestedArrays() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        #expect(try redis.execute(command("ZADD", "z", "1", "a", "2.5", "b", "-inf", "c")) == .integer(3))
        let withScores: Reply = .array([.bulk("c"), .bulk("-inf"), .bulk("a"), .bulk("1"), .bulk("b"), .bulk("2.5")])
        #expect(try redis.execute(command("ZRANGE", "z", "0", "-1", "WITHSCORES")) == withScores)
        #expect(try redis.execute(command("ZRANGE", "none", "0", "-1")) == .array([]))

        #expect(try redis.execute(command("SET", "s", "text")) == .ok)
        #expect(try redis.execute(command("MULTI")) == .ok)
        for queued in [
            command("RPUSH", "l", "x", "y"), command("INCR", "s"), command("LRANGE", "l", "0", "-1"),
            command("ZRANGE", "z", "0", "-1", "WITHSCORES"), command("GET", "nothing"),
            command("HGETALL", "none"),
        ] {
            #expect(try redis.execute(queued) == .simple("QUEUED"))
        }
        let exec = try redis.execute(command("EXEC"))
        #expect(exec == .array([
            .integer(2),
            .error("ERR value is not an integer or out of range"),
            .array([.bulk("x"), .bulk("y")]),
            withScores,
            .null,
            .array([]),
        ]))

        // Deeper nesting from a script: Lua tables become nested arrays.
        let script = "return {1, {2, {3, 'x', {}}}, redis.status_reply('FINE'), redis.error_reply('MY failure')}"
        #expect(try redis.execute(command("EVAL", script, "0")) == .array([
            .integer(1),
            .array([.integer(2), .array([.integer(3), .bulk("x"), .array([])])]),
            .simple("FINE"),
            .error("MY failure"),
        ]))
    }

    /// hiredis 0.14's reader keeps a fixed stack of 9 tasks: 8 levels of arrays (the outer one
    /// and 7 inside it, hence its message) parse, a ninth is a protocol error that breaks the
    /// connection.
    @Test func nestingDepthLimit() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        func nested(_ depth: Int) -> (script: String, reply: Reply) {
            var script = "1", reply = Reply.integer(1)
            for _ in 0..<depth {
                script = "{\(script)}"
                reply = .array([reply])
            }
            return ("return \(script)", reply)
        }
        let deepest = nested(8)
        #expect(try redis.execute(command("EVAL", deepest.script, "0")) == deepest.reply)
        let error = #expect(throws: RedisClientError.self) {
            try redis.execute(command("EVAL", nested(9).script, "0"))
        }
        #expect(error == .protocol(
            endpoint: server.endpoint, message: "No support for nested multi bulk replies with depth > 7"))
        #expect(!redis.isUsable)
    }

    /// hiredis 0.14 parses RESP2's `*-1` into the same REDIS_REPLY_NIL as `$-1`.
    @Test func abortedExecIsNull() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        let other = try RedisConnection(host: server.host, port: server.port)
        #expect(try redis.execute(command("WATCH", "k")) == .ok)
        #expect(try other.execute(command("SET", "k", "changed")) == .ok)
        #expect(try redis.execute(command("MULTI")) == .ok)
        #expect(try redis.execute(command("SET", "k", "mine")) == .simple("QUEUED"))
        #expect(try redis.execute(command("EXEC")) == .null)
        #expect(try redis.execute(command("GET", "k")) == .bulk("changed"))
    }

    @Test func pipelineKeepsOrder() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        let commands: [[[UInt8]]] = (0..<1000).map { index in
            index.isMultiple(of: 2) ? command("RPUSH", "list", "item \(index)") : command("ECHO", "reply \(index)")
        }
        let replies = try redis.pipeline(commands)
        #expect(replies.count == 1000)
        let expected: [Reply] = (0..<1000).map { index in
            index.isMultiple(of: 2) ? .integer(Int64(index / 2 + 1)) : .bulk("reply \(index)")
        }
        #expect(replies == expected)
        #expect(try redis.execute(command("LINDEX", "list", "-1")) == .bulk("item 998"))
        #expect(try redis.pipeline([]) == [])
        // Error replies stay in their place.
        #expect(try redis.pipeline([command("PING"), command("LPUSH", "list"), command("LLEN", "list")])
            == [.simple("PONG"), .error("ERR wrong number of arguments for 'lpush' command"), .integer(500)])
    }

    @Test func emptyCommandIsRejectedBeforeSending() throws {
        let (server, redis) = try startServer()
        defer { server.stop() }
        #expect(throws: RedisClientError.emptyCommand) { try redis.execute([]) }
        #expect(throws: RedisClientError.emptyCommand) { try redis.pipeline([command("PING"), []]) }
        // Nothing was sent or buffered: the next reply is the next command's.
        #expect(redis.isUsable)
        #expect(try redis.execute(command("ECHO", "after")) == .bulk("after"))
    }

    @Test func connectingWhereNothingListensThrows() throws {
        // Bound but not listening: connections are refused, and no one else can take the port.
        let socket = try LoopbackSocket(listening: false)
        let endpoint = "127.0.0.1:\(socket.port)"
        let error = #expect(throws: RedisClientError.self) {
            try RedisConnection(host: "127.0.0.1", port: socket.port, timeoutMilliseconds: 500)
        }
        guard case .connect(let reported, let message)? = error else {
            Issue.record("expected .connect, got \(String(describing: error))")
            return
        }
        #expect(reported == endpoint)
        #expect(message == "Connection refused")
        #expect(error?.description == "cannot connect to redis at \(endpoint): Connection refused")
    }

    @Test func invalidArgumentsAreConnectErrors() {
        #expect(throws: RedisClientError.connect(endpoint: "127.0.0.1:70000", message: "port 70000 is out of range")) {
            try RedisConnection(host: "127.0.0.1", port: 70000)
        }
        #expect(throws: RedisClientError.self) { try RedisConnection(host: "127.0.0.1", port: 6379, timeoutMilliseconds: 0) }
        let error = #expect(throws: RedisClientError.self) {
            try RedisConnection(host: "no-such-host.invalid", port: 6379, timeoutMilliseconds: 500)
        }
        guard case .connect(let endpoint, _)? = error else {
            Issue.record("expected .connect, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "no-such-host.invalid:6379")
    }

    /// A server that stops answering makes the call throw after the timeout, and the
    /// connection is unusable afterwards (the late reply would be taken for the next one's).
    @Test func timeoutBreaksTheConnection() throws {
        let (server, redis) = try startServer(timeoutMilliseconds: 200)
        defer { server.stop() }
        var error: RedisClientError?
        let elapsed = milliseconds {
            error = #expect(throws: RedisClientError.self) { try redis.execute(command("BLPOP", "empty", "3")) }
        }
        #expect(elapsed >= 150 && elapsed < 1500)
        guard case .io(let endpoint, let message)? = error else {
            Issue.record("expected .io, got \(String(describing: error))")
            return
        }
        #expect(endpoint == server.endpoint)
        #expect(message.hasPrefix("no answer within 200 ms"))
        #expect(!redis.isUsable)
        let later = #expect(throws: RedisClientError.self) { try redis.execute(command("PING")) }
        #expect(later == .closed(endpoint: server.endpoint, cause: error!.description))
        #expect(throws: RedisClientError.self) { try redis.pipeline([command("PING")]) }
    }

    @Test func serverGoneIsAnIOError() throws {
        let (server, redis) = try startServer()
        #expect(try redis.execute(command("PING")) == .simple("PONG"))
        server.stop()
        let error = #expect(throws: RedisClientError.self) { try redis.execute(command("PING")) }
        guard case .io? = error else {
            Issue.record("expected .io, got \(String(describing: error))")
            return
        }
        #expect(!redis.isUsable)
    }

    @Test func garbageFromTheServerIsAProtocolError() throws {
        let listener = try LoopbackSocket(listening: true)
        let redis = try RedisConnection(host: "127.0.0.1", port: listener.port, timeoutMilliseconds: 1000)
        let peer = try listener.accept()
        defer { close(peer) }
        let garbage = Array("?garbage\r\n".utf8)
        #expect(write(peer, garbage, garbage.count) == garbage.count)
        let error = #expect(throws: RedisClientError.self) { try redis.execute(command("PING")) }
        guard case .protocol(let endpoint, let message)? = error else {
            Issue.record("expected .protocol, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "127.0.0.1:\(listener.port)")
        #expect(message.contains("Protocol error"))
        #expect(throws: RedisClientError.self) { try redis.execute(command("PING")) }
        #expect(!redis.isUsable)
    }

    @Test func peerClosingMidPipelineIsAnIOError() throws {
        let listener = try LoopbackSocket(listening: true)
        let redis = try RedisConnection(host: "127.0.0.1", port: listener.port, timeoutMilliseconds: 1000)
        let peer = try listener.accept()
        // One reply, then the server goes away: the second reply never comes.
        let oneReply = Array("+PONG\r\n".utf8)
        #expect(write(peer, oneReply, oneReply.count) == oneReply.count)
        close(peer)
        let error = #expect(throws: RedisClientError.self) { try redis.pipeline([command("PING"), command("PING")]) }
        #expect(error == .io(endpoint: "127.0.0.1:\(listener.port)", message: "Server closed the connection"))
    }
}
