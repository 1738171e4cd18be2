import Foundation
import Testing

/// dst-host as a user runs it: the real binary, real plugins, real worker processes.
@Suite(.serialized) struct HostEndToEndTests {
    @Test func pluginsListsSmokeAndAThirdPartyCPlugin() throws {
        let keyinfo = try HostHarness.cExample()
        let result = try HostHarness.run(["plugins", "--plugin", keyinfo])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("smoke 1.0.0  ABI 1.5"))
        #expect(result.output.contains("properties 1.0.0  ABI 1.5"))
        #expect(result.output.contains("crash_recovery_consistent"))
        #expect(result.output.contains("keyinfo 1.0.0  ABI 1.5  \(keyinfo)"))
        #expect(result.output.contains("basic_set_get"))
        #expect(result.output.contains("[quick, extension]"))
    }

    /// DST_PLUGIN_PATH: folders (their lib*.so files) and files, ':'-separated.
    @Test func pluginPathEnvironment() throws {
        let keyinfo = try HostHarness.cExample()
        let folder = URL(fileURLWithPath: keyinfo).deletingLastPathComponent().path
        let byFolder = try HostHarness.run(["plugins"], environment: ["DST_PLUGIN_PATH": "/nonexistent:\(folder)"])
        #expect(byFolder.status == 0, "\(byFolder.error)")
        #expect(byFolder.output.contains("keyinfo 1.0.0"))
        let byFile = try HostHarness.run(["keyinfo", "--seeds", "1"], environment: ["DST_PLUGIN_PATH": keyinfo])
        #expect(byFile.status == 0)
        #expect(byFile.output.contains("5 passed, 0 failed"))
    }

    @Test func smokePasses() throws {
        let result = try HostHarness.run(["smoke"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("17 passed, 0 failed"))
    }

    @Test func theCPluginRunsInTheUnchangedHost() throws {
        let keyinfo = try HostHarness.cExample()
        let result = try HostHarness.run(["--plugin", keyinfo, "--seeds", "5"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ keyinfo/keyinfo_ttl  5/5 seeds"))
        #expect(result.output.contains("25 passed, 0 failed"))
    }

    /// Typed parameters: the host checks `--param` against the declared types and passes the
    /// values to the C function as real arguments (through libffi).
    @Test func typedParametersReachTheCFunction() throws {
        let keyinfo = try HostHarness.cExample()
        let listed = try HostHarness.run(["plugins", "--plugin", keyinfo])
        #expect(listed.output.contains("--param max_ttl=<int64> (default 3600)"))
        #expect(listed.output.contains("--param fraction=<double> (default 0.5)"))
        let custom = try HostHarness.run(["--plugin", keyinfo, "--filter", "sweep", "--seeds", "10",
                                          "--param", "max_ttl=5", "--param", "fraction=0.99", "--param", "prefix=custom"])
        #expect(custom.status == 0, "\(custom.output)")
        let replay = try HostHarness.run(["replay", "--plugin", keyinfo, "--test", "keyinfo_ttl_sweep", "--seed", "3", "--param", "prefix=zz"])
        #expect(replay.output.contains("log: keyinfo_ttl_sweep: zz:3 ttl"))
        let bad = try HostHarness.run(["--plugin", keyinfo, "--filter", "sweep", "--param", "max_ttl=abc"])
        #expect(bad.status == 2)
        #expect(bad.error.contains("--param max_ttl: 'abc' is not an integer (int64) (keyinfo/keyinfo_ttl_sweep declares it an integer)"))
        let outOfRange = try HostHarness.run(["--plugin", keyinfo, "--filter", "sweep", "--seeds", "1", "--param", "fraction=2"])
        #expect(outOfRange.status == 1)
        #expect(outOfRange.output.contains("parameters out of range"))
    }

    @Test func crashesHangsAndExitsBecomeFailedResultsAndTheRunCompletes() throws {
        let crashes = try HostHarness.fixture("crashes")
        let result = try HostHarness.run(["--plugin", crashes, "--seeds", "4", "--timeout", "0.5"])
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL [seed=0] crashes/segfault (crashed)"))
        #expect(result.output.contains("FAIL [seed=3] crashes/segfault (crashed)"))
        #expect(result.output.contains("signal 11"))
        #expect(result.output.contains("✗ crashes/segfault  2/4 seeds passed"))
        #expect(result.output.contains("signal 6"))
        #expect(result.output.contains("a plugin must return, not call exit()"))
        #expect(result.output.contains("crashes/hangs (timed_out)"))
        #expect(result.output.contains("✓ crashes/passes  4/4 seeds"))
        #expect(result.output.contains("replay: dst-host replay --seed 3 --test crashes/segfault --plugin \(crashes)"))
        #expect(result.output.contains("6 passed, 14 failed"))
    }

    @Test(arguments: [
        ("not_a_plugin", "no dst_plugin_v1 function"),
        ("wrong_major", "plugin ABI major 2, this host supports 1"),
        ("refuses_host", "the plugin refused this host's ABI version 1.5"),
        ("zero_struct_size", "malformed descriptor: struct_size is 0"),
        ("null_names", "malformed descriptor: the suite name is NULL"),
        ("null_test_name", "malformed descriptor: test #1 has a NULL name"),
        ("duplicate_tests", "malformed descriptor: duplicate test name 'twice'"),
        ("no_run_function", "malformed descriptor: test 'no_run' has no run function"),
        ("crashes_on_load", "the plugin crashed while loading (signal 11 (Segmentation fault)); nothing was run"),
        ("crashes_in_constructor", "the plugin crashed while loading (signal 6 (Aborted)); nothing was run"),
    ])
    func badPluginsGetOneLineAndExitStatus2(fixture: String, message: String) throws {
        let path = try HostHarness.fixture(fixture)
        let result = try HostHarness.run(["plugins", "--plugin", path])
        #expect(result.status == 2)
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1, "one line, got: \(result.error)")
        #expect(lines.first == Substring("dst-host: cannot load plugin \(path): \(message)") || result.error.contains(message),
                "got: \(result.error)")
        #expect(result.error.contains(path))
    }

    @Test func notASharedObject() throws {
        let path = HostHarness.root.appendingPathComponent("Tests/DSTHostTests/Fixtures/not_a_shared_object.txt").path
        let result = try HostHarness.run(["--plugin", path])
        #expect(result.status == 2)
        #expect(result.error == "dst-host: cannot load plugin \(path): not a loadable shared object (invalid ELF header)\n")
    }

    @Test func replayReproducesTheSameTrace() throws {
        let keyinfo = try HostHarness.cExample()
        let first = try HostHarness.run(["replay", "--plugin", keyinfo, "--seed", "7", "--test", "keyinfo/keyinfo_ttl"])
        let second = try HostHarness.run(["replay", "--plugin", keyinfo, "--seed", "7", "--test", "keyinfo_ttl"])
        let other = try HostHarness.run(["replay", "--plugin", keyinfo, "--seed", "8", "--test", "keyinfo_ttl"])
        func trace(_ output: String) -> Substring? {
            output.split(separator: "\n").first?.split(separator: ",").first { $0.contains("trace") }
        }
        #expect(first.status == 0 && second.status == 0)
        #expect(trace(first.output) != nil)
        #expect(trace(first.output) == trace(second.output))
        #expect(trace(first.output) != trace(other.output))
        // The trace itself: every engine call and reply, and the clock's moves.
        // Identical apart from the first line's timing.
        #expect(first.output.split(separator: "\n").dropFirst() == second.output.split(separator: "\n").dropFirst())
        #expect(first.output.contains("  open engine 1: memory vfs default"))
        #expect(first.output.contains("  > EXPIRE keyinfo:string:"))
        #expect(first.output.contains("  < :1"))
        #expect(first.output.contains("  clock +"))
        let quiet = try HostHarness.run(["replay", "--plugin", keyinfo, "--seed", "7", "--test", "keyinfo_ttl", "--quiet"])
        #expect(!quiet.output.contains("  > "))
    }

    @Test func determinismCheckPassesForDeterministicSuites() throws {
        let keyinfo = try HostHarness.cExample()
        let result = try HostHarness.run(["smoke", "keyinfo", "--plugin", keyinfo, "--seeds", "2", "--check-determinism"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("each run twice"))
    }

    /// Every suite catches a planted engine defect (the host's test-only switch).
    @Test(arguments: [
        ("drop_last_rpush", "✗ smoke/list_operations"),
        ("ignore_expire", "✗ smoke/expire_on_virtual_clock"),
        ("ignore_expire", "✗ keyinfo/keyinfo_ttl"),
    ])
    func suitesCatchPlantedDefects(defect: String, failure: String) throws {
        let keyinfo = try HostHarness.cExample()
        let clean = try HostHarness.run(["smoke", "keyinfo", "--plugin", keyinfo, "--seeds", "2"])
        #expect(clean.status == 0)
        let planted = try HostHarness.run(["smoke", "keyinfo", "--plugin", keyinfo, "--seeds", "2"],
                                          environment: ["DST_PLANTED_DEFECT": defect])
        #expect(planted.status == 1)
        #expect(planted.output.contains(failure), "\(planted.output)")
        #expect(planted.error.contains("planted defect '\(defect)' is active"))
    }

    /// Properties catches a planted defect and shrinks the failure to a few operations, saved
    /// as an artifact that replay shows.
    @Test func propertiesShrinkAPlantedDefect() throws {
        let clean = try HostHarness.run(["properties", "--seeds", "5"])
        #expect(clean.status == 0, "\(clean.output)")
        let planted = try HostHarness.run(["properties", "--filter", "list_order", "--seeds", "3"],
                                          environment: ["DST_PLANTED_DEFECT": "drop_last_rpush"])
        #expect(planted.status == 1)
        #expect(planted.output.contains("shrunk to 1 op"), "\(planted.output)")
        let replay = try HostHarness.run(["replay", "--seed", "0", "--test", "properties/list_order_preserved", "--quiet"],
                                         environment: ["DST_PLANTED_DEFECT": "drop_last_rpush"])
        #expect(replay.output.contains("artifact: minimized-trace.txt"))
    }

    @Test func exitCodesAndUsageErrors() throws {
        #expect(try HostHarness.run(["--seeds", "0"]).status == 2)
        #expect(try HostHarness.run(["--jobs", "-1"]).status == 2)
        let unknown = try HostHarness.run(["nosuchsuite"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("no suite named 'nosuchsuite' (available: "))
        #expect(try HostHarness.run(["smoke", "--filter", "nothing-matches"]).status == 2)
    }

    @Test func inProcessRunsGiveTheSameVerdicts() throws {
        let result = try HostHarness.run(["smoke", "--jobs", "0"])
        #expect(result.status == 0)
        #expect(result.output.contains("with no workers (in-process)"))
        #expect(result.output.contains("17 passed, 0 failed"))
    }

    @Test func execPrintsRepliesAsRedisCLI() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-exec-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("x.db").path
        #expect(try HostHarness.run(["exec", "--db", db, "--", "RPUSH", "l", "a", "b c", "\u{1}"]).output == "(integer) 3\n")
        #expect(try HostHarness.run(["exec", "--db", db, "--", "LRANGE", "l", "0", "-1"]).output == "1) \"a\"\n2) \"b c\"\n3) \"\\x01\"\n")
        #expect(try HostHarness.run(["exec", "--db", db, "--", "GET", "missing"]).output == "(nil)\n")
        let error = try HostHarness.run(["exec", "--", "GET"])
        #expect(error.status == 1)
        #expect(error.output == "(error) ERR wrong number of arguments for 'get' command\n")
    }

    /// `--duration` keeps running rounds of new seeds until the time is up: every test gets the
    /// same contiguous seeds from --seed-start, and the report lists them.
    @Test func aTimedRunRunsContiguousSeedsUntilTheTimeIsUp() throws {
        let result = try HostHarness.run(["smoke", "--filter", "incr_decr", "--duration", "1s", "--seed-start", "100",
                                          "--jobs", "1", "--format", "json"])
        #expect(result.status == 0, "\(result.error)")
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let tests = report?["tests"] as? [[String: Any]] ?? []
        let seeds = (tests.first?["seeds"] as? [Int]) ?? []
        #expect(seeds.count >= 4 && seeds.count % 4 == 0, "rounds of 4 seeds per worker: \(seeds)")
        #expect(seeds == Array(100..<(100 + seeds.count)))
        let bad = try HostHarness.run(["smoke", "--duration", "soon"])
        #expect(bad.status != 0 && bad.error.contains("--duration must be a positive time"), "\(bad.error)")
    }

    @Test func targetPicksOneTestByItsExactName() throws {
        let result = try HostHarness.run(["smoke", "--target", "incr_decr", "--seeds", "2"])
        #expect(result.status == 0 && result.output.contains("✓ smoke/incr_decr") && !result.output.contains("smoke/basic"), "\(result.output)")
        let unknown = try HostHarness.run(["smoke", "--target", "incr"])
        #expect(unknown.status == 2 && unknown.error.contains("no test named 'incr' (available: basic_set_get, incr_decr"), "\(unknown.error)")
    }
}
