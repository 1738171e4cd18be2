import ArgumentParser
import DSTHostCore
import Foundation

/// The default command: `dst-host smoke`, `dst-host --plugin libchaos.so --seeds 50`,
/// `dst-host properties --seeds 1000 --filter incr`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run tests (the default command).")

    @OptionGroup var plugins: PluginOptions

    @Argument(help: "Suites to run, by name (default: the suites of the --plugin files, or every suite found).")
    var suites: [String] = []

    @Option(help: "Seeds per test (default: each test's own default).")
    var seeds: UInt64?

    @Option(help: "Run this one seed only.")
    var seed: UInt64?

    @Option(name: .customLong("seed-start"), help: "The first seed of the range.")
    var seedStart: UInt64 = 0

    @Option(help: "Only tests whose name contains this text.")
    var filter: String?

    @Option(help: "Only tests with one of these tags (comma-separated), e.g. quick.")
    var tags: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A run parameter for the plugins (repeatable).", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: "Seconds a seed may run; past it the test is asked to stop.")
    var timeout: Double?

    @Flag(name: .customLong("check-determinism"), help: "Run every seed twice and fail on any difference in its trace.")
    var checkDeterminism = false

    func validate() throws {
        if seeds == 0 { throw ValidationError("--seeds must be at least 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        _ = try parsedParameters()
    }

    func parsedParameters() throws -> [String: String] {
        var result: [String: String] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw ValidationError("--param takes key=value, not '\(parameter)'")
            }
            result[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        return result
    }

    func run() throws {
        let registry = try plugins.registry()
        let selected = try selectTests(registry)
        guard !selected.isEmpty else {
            Console.error("dst-host: no test matches (see `dst-host plugins`)")
            throw ExitCode(2)
        }
        let parameters = try parsedParameters()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dst-host-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let suiteNames = Array(Set(selected.map(\.suite))).sorted()
        let totalSeeds = selected.reduce(0) { $0 + seedList(for: $1).count }
        Console.line("dst-host: \(selected.count) tests of \(suiteNames.joined(separator: ", ")), \(totalSeeds) seeds\(checkDeterminism ? ", each run twice" : "")")

        var passedSeeds = 0, failedSeeds = 0
        for test in selected {
            let start = ContinuousClock.now
            var failures: [TestResult] = []
            for seed in seedList(for: test) {
                var result = TestRunner.run(test, seed: seed, parameters: parameters, scratchRoot: scratch,
                                            timeout: timeout.map { .milliseconds(Int64($0 * 1000)) })
                if checkDeterminism {
                    let again = TestRunner.run(test, seed: seed, parameters: parameters, scratchRoot: scratch,
                                               timeout: timeout.map { .milliseconds(Int64($0 * 1000)) })
                    if again.traceHash != result.traceHash || again.outcome != result.outcome {
                        result = result.failing(with: "nondeterministic: trace \(result.traceHash) (\(result.outcome.rawValue)) then \(again.traceHash) (\(again.outcome.rawValue))")
                    }
                }
                if result.passed { passedSeeds += 1 } else { failedSeeds += 1; failures.append(result) }
            }
            let count = seedList(for: test).count
            let milliseconds = (ContinuousClock.now - start).components.seconds * 1000
                + (ContinuousClock.now - start).components.attoseconds / 1_000_000_000_000_000
            if failures.isEmpty {
                Console.line("\(Console.green("✓")) \(test.qualifiedName)  \(count)/\(count) seeds  \(Console.dim("\(milliseconds) ms"))")
            } else {
                Console.line("\(Console.red("✗")) \(test.qualifiedName)  \(count - failures.count)/\(count) seeds passed  \(Console.dim("\(milliseconds) ms"))")
                for result in failures.prefix(5) { report(result) }
                if failures.count > 5 { Console.line("    ... and \(failures.count - 5) more failing seeds") }
            }
        }
        Console.line("\(passedSeeds) passed, \(failedSeeds) failed")
        if failedSeeds > 0 { throw ExitCode(1) }
    }

    private func report(_ result: TestResult) {
        Console.line("  \(Console.red("FAIL")) [seed=\(result.seed)] \(result.test) (\(result.outcome.rawValue))")
        for failure in result.failures.prefix(5) { Console.line("      \(failure)") }
        if result.failures.count > 5 { Console.line("      ... \(result.failures.count - 5) more failed checks") }
        Console.line("      replay: dst-host replay --seed \(result.seed) --test \(result.test)\(replayOptions)")
    }

    /// The options a replay needs to reproduce the run exactly.
    private var replayOptions: String {
        plugins.paths.map { " --plugin \($0)" }.joined() + parameters.map { " --param \($0)" }.joined()
    }

    private func seedList(for test: LoadedTest) -> [UInt64] {
        if let seed { return [seed] }
        let count = seeds ?? UInt64(test.defaultSeeds)
        return (0..<count).map { seedStart &+ $0 }
    }

    private func selectTests(_ registry: PluginRegistry) throws -> [LoadedTest] {
        var tests: [LoadedTest]
        if !suites.isEmpty {
            for name in suites where !registry.plugins.contains(where: { $0.name == name }) {
                let available = registry.plugins.map(\.name).joined(separator: ", ")
                Console.error("dst-host: no suite named '\(name)' (available: \(available.isEmpty ? "none" : available))")
                throw ExitCode(2)
            }
            tests = registry.tests.filter { suites.contains($0.suite) }
        } else if !plugins.paths.isEmpty {
            let explicit = Set(registry.plugins.filter { plugins.paths.contains($0.path) }.map(\.name))
            tests = registry.tests.filter { explicit.contains($0.suite) }
        } else {
            tests = registry.tests
        }
        if let filter { tests = tests.filter { $0.name.contains(filter) || $0.qualifiedName.contains(filter) } }
        if let tags {
            let wanted = Set(tags.split(separator: ",").map(String.init))
            tests = tests.filter { !wanted.isDisjoint(with: $0.tags) }
        }
        return tests
    }
}
