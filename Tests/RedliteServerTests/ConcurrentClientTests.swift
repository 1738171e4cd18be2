import Foundation
import RESP
import RedisClient
import Redlite
import RedliteServer
import Synchronization
import Testing

/// Several clients at once: their commands interleave, each stays atomic, and each client's
/// state (database, transaction) is its own.
@Suite struct ConcurrentClientTests {
    /// Runs `body(index)` on `count` threads at once and rethrows the first failure.
    private static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                defer { group.leave() }
                do { try body(index) } catch { failures.withLock { $0.append("\(error)") } }
            }.start()
        }
        group.wait()
        let all = failures.withLock { $0 }
        if let first = all.first { throw TestFailure("\(all.count) threads failed; first: \(first)") }
    }

    @Test(arguments: [false, true])
    func eightClientsIncrementingOneKey(memory: Bool) throws {
        let fixture = try ServerFixture(memory: memory)
        let port = fixture.port
        try Self.onThreads(8) { _ in
            let redis = try RedisConnection(host: "127.0.0.1", port: port, timoutOrDefault: 10_000)
            for _ in 0..<500 {
                guard case .integer = try redis.execute(command("INCR", "counter")) else {
                    throw TestFailure("INCR did not answer an integer")
                }
            }
        }
        #expect(try fixture.connect().execute(command("GET", "counter")) == .bulk("4000"))
    }

    @Test func memoryStorageIsOneDatabaseForAllClients() throws {
        let fixture = try ServerFixture(memory: true)
        let first = try fixture.connect(), second = try fixture.connect()
        #expect(try first.execute(command("SET", "seen", "by both")) == .ok)
        #expect(try second.execute(command("GET", "seen")) == .bulk("by both"))
        #expect(try second.execute(command("RPUSH", "l", "x")) == .integer(1))
        #expect(try first.execute(command("LLEN", "l")) == .integer(1))
        guard case .bulk(let info) = try first.execute(command("INFO", "server")) else { Issue.record("INFO"); return }
        #expect(text(info).contains("redlite_storage:memory\r\n"))
        // Nothing on disk.
        #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
        // A second server in the same process has its own memory database.
        let other = try ServerFixture(memory: true)
        #expect(try other.connect().execute(command("GET", "seen")) == .null)
    }

    @Test func concurrentReadersAndWritersOnMemoryStorage() throws {
        let fixture = try ServerFixture(memory: true)
        let port = fixture.port
        // Writers append to lists while readers check every list is a prefix 0, 1, 2, ...
        try Self.onThreads(6) { index in
            let redis = try RedisConnection(host: "127.0.0.1", port: port, timoutOrDefault: 10_000)
            let key = "list\(index % 3)"
            for step in 0..<300 {
                if index < 3 {
                    let reply = try redis.execute(command("RPUSH", key, String(step)))
                    guard reply == .integer(Int64(step + 1)) else { throw TestFailure("RPUSH answered \(reply)") }
                } else {
                    guard case .array(let items) = try redis.execute(command("LRANGE", key, "0", "-1")) else {
                        throw TestFailure("LRANGE did not answer an array")
                    }
                    guard items == (0..<items.count).map({ .bulk(String($0)) }) else { throw TestFailure("torn list \(items)") }
                }
            }
        }
        #expect(try fixture.connect().execute(command("LLEN", "list2")) == .integer(300))
    }

    @Test func watchConflictBetweenTwoClients() throws {
        let fixture = try ServerFixture()
        let first = try fixture.connect(), second = try fixture.connect()
        #expect(try first.execute(command("SET", "balance", "10")) == .ok)
        #expect(try first.execute(command("WATCH", "balance")) == .ok)
        #expect(try first.execute(command("MULTI")) == .ok)
        #expect(try first.execute(command("INCRBY", "balance", "5")) == .simple("QUEUED"))
        // The other client changes the watched key between MULTI and EXEC.
        #expect(try second.execute(command("INCRBY", "balance", "100")) == .integer(110))
        // Aborted, and the queued INCRBY never ran.
        // (hiredis reports `*-1` and `$-1` alike, as nil; the raw bytes are checked below.)
        #expect(try first.execute(command("EXEC")) == .null)
        #expect(try first.execute(command("GET", "balance")) == .bulk("110"))
        // Without interference the transaction commits.
        #expect(try first.execute(command("WATCH", "balance")) == .ok)
        #expect(try first.pipeline([command("MULTI"), command("INCRBY", "balance", "5"), command("EXEC")])
                == [.ok, .simple("QUEUED"), .array([.integer(115)])])
        // The raw bytes of the aborted EXEC are RESP2's null array.
        let raw = try fixture.raw()
        try raw.send("WATCH balance\r\nMULTI\r\nINCR balance\r\n")
        #expect(raw.read(like: "+OK\r\n+OK\r\n+QUEUED\r\n") == "+OK\r\n+OK\r\n+QUEUED\r\n")
        #expect(try second.execute(command("SET", "balance", "0")) == .ok)
        try raw.send("EXEC\r\n")
        #expect(raw.read(like: "*-1\r\n") == "*-1\r\n")
    }

    @Test func selectIsPerClient() throws {
        let fixture = try ServerFixture()
        let first = try fixture.connect(), second = try fixture.connect()
        #expect(try first.execute(command("SELECT", "5")) == .ok)
        #expect(try first.execute(command("SET", "k", "in five")) == .ok)
        #expect(try second.execute(command("GET", "k")) == .null)
        #expect(try second.execute(command("SET", "k", "in zero")) == .ok)
        #expect(try first.execute(command("GET", "k")) == .bulk("in five"))
        #expect(try second.execute(command("SELECT", "5")) == .ok)
        #expect(try second.execute(command("GET", "k")) == .bulk("in five"))
        // A new client starts in database 0.
        #expect(try fixture.connect().execute(command("GET", "k")) == .bulk("in zero"))
    }
}

extension RedisConnection {
    /// A connection with a longer timeout than hiredis's default two seconds: threads that
    /// contend for the write lock may wait.
    convenience init(host: String, port: Int, timoutOrDefault milliseconds: Int) throws {
        try self.init(host: host, port: port, timeoutMilliseconds: milliseconds)
    }
}
