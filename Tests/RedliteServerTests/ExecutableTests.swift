import Foundation
@preconcurrency import Glibc
import RESP
import RedisClient
import Synchronization
import Testing

/// The redlite-server binary, as a user runs it: the ready line, startup errors, signals, and
/// the stock Redis tools against it.
@Suite struct ExecutableTests {
    @Test func printsOneReadyLineAndStopsCleanlyOnSIGTERMAndSIGINT() throws {
        for signal in [SIGTERM, SIGINT] {
            let directory = try TemporaryDirectory()
            let server = try ServerBinary(["--db", directory.path + "/x.db", "--event-loops", "3"])
            #expect(server.readyLine == "redlite-server: listening on 127.0.0.1:\(server.port) (storage file \(directory.path)/x.db, sync normal, 3 event loops)")
            let redis = try RedisConnection(host: "127.0.0.1", port: server.port)
            #expect(try redis.execute(command("SET", "k", "v")) == .ok)
            let (status, reason, log) = server.stop(signal: signal)
            #expect(reason == .exit && status == 0, "log: \(log)")
            #expect(log.contains("stopped"))
            // The last connection's close checkpointed the WAL and removed it.
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/x.db-wal"))
            #expect(FileManager.default.fileExists(atPath: directory.path + "/x.db"))
        }
    }

    @Test func badArgumentsAndStartupFailuresSayWhyAndExitNonZero() throws {
        let badSync = try ServerBinary.run(["--sync", "sometimes"])
        #expect(badSync.status != 0)
        #expect(badSync.error.contains("'sometimes'") && badSync.error.contains("--sync"))
        let badPort = try ServerBinary.run(["--port", "70000"])
        #expect(badPort.status != 0)
        #expect(badPort.error.contains("--port must be 0-65535, not 70000"))
        let noFolder = try ServerBinary.run(["--port", "0", "--db", "/nonexistent-folder/x.db"])
        #expect(noFolder.status == 1)
        #expect(noFolder.output.isEmpty)
        let errorLines = noFolder.error.split(separator: "\n").filter { $0.hasPrefix("redlite-server: ") }
        #expect(errorLines == ["redlite-server: cannot open database '/nonexistent-folder/x.db': unable to open database file (unable to open database file, code 14)"])
        // A port someone else holds.
        let directory = try TemporaryDirectory()
        let holder = try ServerBinary(["--db", directory.path + "/a.db"])
        let taken = try ServerBinary.run(["--port", String(holder.port), "--db", directory.path + "/b.db"])
        #expect(taken.status == 1)
        #expect(taken.error.contains("redlite-server: cannot listen on 127.0.0.1:\(holder.port): Address already in use"))
        _ = holder.stop()
    }

    /// Writers increment their own key as fast as they can and remember the last value the
    /// server acknowledged; the server is stopped under them by `signal`. After a restart on the
    /// same file each key holds at least its last acknowledged value (and at most one more: the
    /// command in flight may have run without its reply getting out).
    @Test(arguments: [SIGTERM, SIGKILL])
    func acknowledgedWritesSurviveTheServerStopping(signal: Int32) throws {
        let directory = try TemporaryDirectory()
        let database = directory.path + "/data.db"
        let server = try ServerBinary(["--db", database])
        let port = server.port
        let acknowledged = Mutex<[Int64]>(Array(repeating: 0, count: 6))
        let started = DispatchGroup(), finished = DispatchGroup()
        for writer in 0..<6 {
            started.enter()
            finished.enter()
            Thread {
                defer { finished.leave() }
                guard let redis = try? RedisConnection(host: "127.0.0.1", port: port, timeoutMilliseconds: 5000) else {
                    started.leave()
                    return
                }
                started.leave()
                while case .integer(let value)? = try? redis.execute(command("INCR", "writer\(writer)")) {
                    acknowledged.withLock { $0[writer] = value }
                }
            }.start()
        }
        started.wait()
        usleep(400_000)
        let (status, reason, log) = server.stop(signal: signal)
        finished.wait()
        if signal == SIGTERM {
            #expect(reason == .exit && status == 0, "log: \(log)")
        } else {
            #expect(reason == .uncaughtSignal && status == SIGKILL)
        }
        let acked = acknowledged.withLock { $0 }
        #expect(acked.allSatisfy { $0 > 0 }, "every writer got some acknowledgements: \(acked)")
        let restarted = try ServerBinary(["--db", database])
        let redis = try RedisConnection(host: "127.0.0.1", port: restarted.port)
        for writer in 0..<6 {
            guard case .bulk(let stored) = try redis.execute(command("GET", "writer\(writer)")),
                  let value = Int64(text(stored)) else {
                Issue.record("writer\(writer) lost entirely (acknowledged \(acked[writer]))")
                continue
            }
            #expect(value == acked[writer] || value == acked[writer] + 1, "writer\(writer): stored \(value), acknowledged \(acked[writer])")
        }
        #expect(try redis.execute(command("DBSIZE")) == .integer(6))
        _ = restarted.stop()
    }

    @Test func redisCLIWorksAgainstIt() throws {
        guard let cli = locate("redis-cli") else {
            print("skipped: redis-cli is not installed (apt-get install redis-tools)")
            return
        }
        let directory = try TemporaryDirectory()
        let server = try ServerBinary(["--db", directory.path + "/cli.db", "--password", "pw"])
        func cliRun(_ arguments: [String], input: String? = nil) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: cli)
            process.arguments = ["-p", String(server.port), "--no-auth-warning"] + arguments
            let output = Pipe(), stdin = Pipe()
            process.standardOutput = output
            process.standardInput = stdin
            try process.run()
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try stdin.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return text(Array(data))
        }
        // redis-cli prints an error and an empty line when its output is not a terminal.
        #expect(try cliRun(["set", "a", "1"]) == "NOAUTH Authentication required.\n\n")
        #expect(try cliRun(["-a", "pw", "set", "a", "1"]) == "OK\n")
        #expect(try cliRun(["-a", "pw", "get", "a"]) == "1\n")
        #expect(try cliRun(["-a", "pw", "incrby", "a", "41"]) == "42\n")
        #expect(try cliRun(["-a", "pw", "--no-raw", "lrange", "nothing", "0", "-1"]) == "(empty array)\n")
        // Commands from standard input, as scripts pipe them.
        #expect(try cliRun(["-a", "pw"], input: "rpush l x y\nlrange l 0 -1\nclient getname\n") == "2\nx\ny\n\n")
        _ = server.stop()
    }

    @Test func redisBenchmarkRunsAgainstIt() throws {
        guard let benchmark = locate("redis-benchmark") else {
            print("skipped: redis-benchmark is not installed (apt-get install redis-tools)")
            return
        }
        let directory = try TemporaryDirectory()
        let server = try ServerBinary(["--db", directory.path + "/bench.db"])
        for pipeline in ["1", "16"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: benchmark)
            process.arguments = ["-p", String(server.port), "-t", "set,get,incr,lpush", "-n", "2000", "-c", "10", "-q", "-P", pipeline]
            let output = Pipe(), error = Pipe()
            process.standardOutput = output
            process.standardError = error
            try process.run()
            let printed = text(Array(output.fileHandleForReading.readDataToEndOfFile()))
            let warnings = text(Array(error.fileHandleForReading.readDataToEndOfFile()))
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(!warnings.contains("Could not fetch server CONFIG"), "stderr: \(warnings)")
            for name in ["SET", "GET", "INCR", "LPUSH"] {
                #expect(printed.contains("\(name): ") && printed.contains("requests per second"), "no \(name) line in: \(printed)")
            }
        }
        // Everything it sent ran: 2 runs x 2000 INCRs of one counter, 4000 LPUSHes of one list.
        let redis = try RedisConnection(host: "127.0.0.1", port: server.port)
        #expect(try redis.execute(command("GET", "counter:__rand_int__")) == .bulk("4000"))
        #expect(try redis.execute(command("LLEN", "mylist")) == .integer(4000))
        _ = server.stop()
    }

    private func locate(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first { access($0, X_OK) == 0 }
    }
}
