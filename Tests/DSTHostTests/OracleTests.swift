import Foundation
import Glibc
import RedisClient
import Testing

/// The Oracle end to end: the real dst-host and libOracle.so against a real redis-server (the
/// host's own, or one given with --redis). It must agree with Redis on the real engine, catch
/// planted differences, skip (never pass) without a server, and leave no server behind.
@Suite(.serialized) struct OracleTests {
    /// The pids of every running redis-server, from /proc.
    private func redisServerPids() -> Set<Int32> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return Set(entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let command = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8) else { return nil }
            return command.hasPrefix("redis-server") ? pid : nil
        })
    }

    @Test func everyGroupAgreesWithRedisAndTheServerIsStopped() throws {
        let before = redisServerPids()
        let result = try HostHarness.run(["oracle", "--seeds", "5"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("40 passed, 0 failed"), "\(result.output)")
        #expect(result.error.contains("reference Redis: started"), "\(result.error)")
        for group in ["strings", "lists", "hashes", "sets", "sorted_sets", "keys", "transactions", "mixed"] {
            #expect(result.output.contains("oracle/\(group)"), "\(result.output)")
        }
        // The table counts commands compared; 5 seeds × 8 groups × 100 commands, none diverged.
        #expect(result.output.contains("compatibility with the reference"), "\(result.output)")
        #expect(result.output.contains("total") && result.output.contains("100.00%"), "\(result.output)")
        #expect(redisServerPids().subtracting(before).isEmpty, "the host left a redis-server running")
    }

    /// Each planted difference and the group that must report it within 30 seeds.
    @Test(arguments: [("ttl_truncates", "strings"), ("wrong_error_text", "mixed")])
    func plantedDifferencesAreReported(defect: String, group: String) throws {
        let result = try HostHarness.run(["oracle", "--filter", group, "--seeds", "30", "--param", "shrink_budget=100"],
                                         environment: ["DST_PLANTED_DEFECT": defect])
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(result.output.contains("✗ oracle/\(group)"), "\(result.output)")
        #expect(result.output.contains("Redis said") && result.output.contains("Redlite said"), "\(result.output)")
        #expect(result.output.contains("replay: dst-host replay --test oracle/\(group) --seed"), "\(result.output)")
        // The table shows the divergences, and compatibility under 100%.
        #expect(result.output.contains("diverging command"), "\(result.output)")
    }

    /// A server given with --redis is shared: runs take it one at a time, each emptying it first.
    @Test func aGivenServerIsUsedOneRunAtATime() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let client = try RedisConnection(host: server.host, port: server.port)
        _ = try client.execute(["SET", "mine", "1"].map { Array($0.utf8) })
        let result = try HostHarness.run(["oracle", "--filter", "keys", "--seeds", "6", "--jobs", "2",
                                          "--redis", server.endpoint])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.error.contains("reference Redis: \(server.endpoint) (shared: one worker at a time"), "\(result.error)")
        #expect(try client.execute(["EXISTS", "mine"].map { Array($0.utf8) }) == .integer(0), "the server was not emptied")
    }

    @Test func aMalformedRedisEndpointIsAUsageError() throws {
        let result = try HostHarness.run(["oracle", "--redis", "localhost"])
        #expect(result.status == 64 || result.status == 2, "\(result.status)")
        #expect(result.error.contains("--redis must be host:port"), "\(result.error)")
    }

    @Test func withoutAServerTheSuiteIsSkippedWithTheReason() throws {
        // A PATH with no redis-server on it (setpriv stays reachable by its absolute path's folder).
        let result = try HostHarness.run(["oracle", "--filter", "strings", "--seeds", "3"],
                                         environment: ["PATH": "/nonexistent"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("0/3 seeds passed, 3 skipped"), "\(result.output)")
        #expect(result.output.contains("redis-server is not installed"), "\(result.output)")
        #expect(result.output.contains("0 passed, 0 failed, 3 skipped"), "\(result.output)")
    }

    /// Interrupted mid-run (SIGINT, as Ctrl-C) or killed outright (SIGKILL: no handler runs, the
    /// kernel's parent-death signal does the work), the host takes its servers down with it.
    @Test(arguments: [SIGINT, SIGKILL])
    func anInterruptedRunStopsItsServers(signal: Int32) throws {
        try HostHarness.requireBuiltPlugins()
        let before = redisServerPids()
        let host = try spawnWithDefaultSignals([HostHarness.executable, "oracle", "--seeds", "5000"])
        var started: Set<Int32> = []
        for _ in 0..<400 where started.count < 2 {
            usleep(50_000)
            started = redisServerPids().subtracting(before)
        }
        try #require(!started.isEmpty, "no redis-server appeared")
        kill(host, signal)
        var status: Int32 = 0
        waitpid(host, &status, 0)
        var left = started
        for _ in 0..<100 where !left.isEmpty {
            usleep(50_000)
            left = redisServerPids().intersection(started)
        }
        #expect(left.isEmpty, "redis-server \(left) outlived the host")
    }

    /// posix_spawn with no signal blocked or ignored: the test runner's threads may block
    /// SIGINT, and a child inherits that (Foundation's Process does not reset it).
    private func spawnWithDefaultSignals(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        try #require(status == 0, "posix_spawn: \(String(cString: strerror(status)))")
        return pid
    }
}
