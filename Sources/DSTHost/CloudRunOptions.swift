import ArgumentParser
import DSTHostCore

/// The run a `dst-host cloud` command shares among machines: the run command's own options,
/// passed through to every shard. `--test` names a suite (`properties`) or one test of it
/// (`properties/list_order_preserved`); `--target` is the cloud's here, not a test.
struct CloudRunOptions: ParsableArguments {
    @OptionGroup var plugins: PluginOptions

    @Argument(help: "Suites to run, by name (as for `dst-host run`).")
    var suites: [String] = []

    @Option(name: .customLong("test"), help: ArgumentHelp("A suite, or one test of it as suite/test (repeatable; one suite/test at most).", valueName: "suite|suite/test"))
    var tests: [String] = []

    @Option(help: "Seeds per test (default: each test's own default).")
    var seeds: UInt64?

    @Option(name: .customLong("seed-start"), help: "The first seed of the range.")
    var seedStart: UInt64?

    @Option(help: "Only tests whose name contains this text.")
    var filter: String?

    @Option(help: "Only tests with one of these tags (comma-separated), e.g. quick.")
    var tags: String?

    @OptionGroup var parameters: ParameterOptions

    @Flag(help: "Run the suites' sweep tests only.")
    var sweep = false

    @Option(help: "Seconds a seed may run; past it the test is asked to stop.")
    var timeout: Double?

    @Flag(name: .customLong("check-determinism"), help: "Run every seed twice and fail on any difference in its trace.")
    var checkDeterminism = false

    func validate() throws {
        if tests.filter({ $0.contains("/") }).count > 1 {
            throw ValidationError("--test names one suite/test at most (use --filter for several tests)")
        }
        for test in tests where test.hasPrefix("/") || test.hasSuffix("/") || test.split(separator: "/").count > 2 {
            throw ValidationError("--test takes a suite or suite/test, not '\(test)'")
        }
    }

    /// The run's arguments after `dst-host`, without shard or report options; `seeds: false`
    /// leaves out the seed range (for a calibration run by time).
    func runArguments(seeds includeSeeds: Bool = true) -> [String] {
        var suiteNames = suites
        var testName: String?
        for test in tests {
            let parts = test.split(separator: "/").map(String.init)
            if !suiteNames.contains(parts[0]) { suiteNames.append(parts[0]) }
            if parts.count == 2 { testName = parts[1] }
        }
        var words = ["run"] + suiteNames + plugins.paths.flatMap { ["--plugin", $0] }
        if includeSeeds {
            if let seeds { words += ["--seeds", String(seeds)] }
            if let seedStart { words += ["--seed-start", String(seedStart)] }
        }
        if let testName { words += ["--target", testName] }
        if let filter { words += ["--filter", filter] }
        if let tags { words += ["--tags", tags] }
        words += parameters.raw.flatMap { ["--param", $0] }
        if sweep { words.append("--sweep") }
        if let timeout { words += ["--timeout", String(timeout)] }
        if checkDeterminism { words.append("--check-determinism") }
        return words
    }

    /// The run command these options make, parsed and validated as `dst-host run` would, so a
    /// mistake is reported once here rather than by every shard.
    func runCommand() throws -> RunCommand {
        do {
            return try RunCommand.parse(Array(runArguments().dropFirst()))
        } catch {
            Console.error("dst-host: " + RunCommand.message(for: error))
            throw ExitCode(2)
        }
    }
}
