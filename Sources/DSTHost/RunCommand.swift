import ArgumentParser
import DSTHostCore
import Foundation

/// A test's results as the report shows them: under its name (with the part's label when a
/// bundle runs one test in two parts), its seeds, and its results in seed order, each seed's
/// runs in a row (two with --check-determinism).
struct TestRuns {
    var name: String
    var test: LoadedTest
    var seeds: [UInt64]
    var results: [TestResult]
}

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

    @OptionGroup var targets: TargetOptions

    @Option(help: ArgumentHelp("Keep running new seeds (from --seed-start on) until this much time has passed: 30, 30s, 10m, 1h.", valueName: "time"))
    var duration: String?

    @Option(help: "Only tests with one of these tags (comma-separated), e.g. quick.")
    var tags: String?

    @OptionGroup var parameters: ParameterOptions

    @OptionGroup var reference: ReferenceOptions

    @Flag(help: "Run the suites' sweep tests (tagged sweep: e.g. chaos crashes at every write and sync index), which are left out otherwise.")
    var sweep = false

    @Option(help: "Seconds a seed may run; past it the test is asked to stop.")
    var timeout: Double?

    @Flag(name: .customLong("check-determinism"), help: "Run every seed twice and fail on any difference in its trace.")
    var checkDeterminism = false

    @Option(help: "Write a report: json, markdown or junit (to --output, or instead of the console lines).")
    var format: String?

    @Option(help: "The report file (needs --format).")
    var output: String?

    @Option(help: ArgumentHelp("Write every artifact of every seed (charts, minimized traces, crash inputs) under this folder, as DIR/<suite>-<test>/seed-<N>/<name>.", valueName: "folder"))
    var artifacts: String?

    @Option(help: ArgumentHelp("Run a bundle of the spec (e.g. pr, nightly): its runs one after another, reported together. See `dst-host bundles`.", valueName: "name"))
    var bundle: String?

    @OptionGroup var spec: SpecOptions

    @Option(help: ArgumentHelp("Run only the K-th of N disjoint slices of this run's seeds (1 <= K <= N), for sharing a run among machines; `dst-host merge` combines the shards' JSON reports.", valueName: "K/N"))
    var shard: String?

    @Option(help: "Worker processes running seeds in isolation (default: the number of cores); 0 runs in this process, without isolation (for debuggers).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if seeds == 0 { throw ValidationError("--seeds must be at least 1") }
        if jobs < 0 { throw ValidationError("--jobs must be 0 or more") }
        if let format, ReportFormat(rawValue: format) == nil {
            throw ValidationError("--format must be json, markdown or junit, not '\(format)'")
        }
        if output != nil && format == nil { throw ValidationError("--output needs --format json|markdown|junit") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if bundle != nil {
            if !suites.isEmpty || seeds != nil || seed != nil || filter != nil || !targets.values.filter({ !RESPTarget.namesServer($0) }).isEmpty
                || tags != nil || duration != nil || sweep {
                throw ValidationError("--bundle takes its tests and seeds from the spec: leave out suites, --seeds, --seed, --filter, --target NAME, --tags, --duration and --sweep")
            }
        }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, not '\(shard)'")
        }
        if let duration {
            guard Duration(commandLine: duration) != nil else {
                throw ValidationError("--duration must be a positive time such as 30, 30s, 10m or 1h, not '\(duration)'")
            }
            if seed != nil || seeds != nil { throw ValidationError("--duration runs seeds until the time is up: leave out --seed and --seeds") }
        }
    }

    func run() throws {
        if let bundle { return try runBundle(named: bundle) }
        let registry = try plugins.registry()
        let selected = try selectTests(registry)
        guard !selected.isEmpty else {
            Console.error("dst-host: no test matches (see `dst-host plugins`)")
            throw ExitCode(2)
        }
        let suiteNames = Array(Set(selected.map(\.suite))).sorted().joined(separator: ", ")
        guard let timeLimit else {
            // Fixed seeds: one part, run and reported as a bundle's parts are.
            let seeds = Dictionary(uniqueKeysWithValues: selected.map { ($0.qualifiedName, seedList(for: $0)) })
            let part = RunPart(label: "", tests: selected, seeds: seeds, parameterWords: [])
            return try runParts([part], registry: registry, plugins: plugins) { "\(selected.count) tests of \(suiteNames), \($0) seeds" }
        }
        // Tests tagged `timed` (soak) run for the --duration themselves, once: they get it as
        // the parameter `duration` (seconds). Other tests run rounds of seeds until it is up.
        let timedTests = selected.filter { $0.tags.contains("timed") }
        let roundTests = selected.filter { test in !timedTests.contains { $0.qualifiedName == test.qualifiedName } }
        let parameterWords = (timedTests.isEmpty ? [] : durationParameter) + self.parameters.raw
        let parameters = try ParameterOptions.values(of: parameterWords)
        try preflight([RunPart(label: "", tests: selected, seeds: [:], parameterWords: parameterWords)], extra: [])
        let shard = self.shard.flatMap(Shard.init(parsing:))
        if format == nil || output != nil {
            let extent = roundTests.isEmpty ? "seed \(seedStart), for \(duration ?? "")" : "seeds from \(seedStart) on for \(duration ?? "")"
            let slice = shard.map { ", shard \($0)" } ?? ""
            Console.line("dst-host: \(selected.count) tests of \(suiteNames), \(extent)\(slice)\(checkDeterminism ? ", each run twice" : "")")
        }

        let start = ContinuousClock.now
        let runs = checkDeterminism ? 2 : 1
        let executor = Executor(jobs: jobs, timeout: timeout, pluginPaths: plugins.paths, parameterArguments: parameterWords,
                                reference: reference, target: try targets.reachableServer())
        // Every test's seeds in order, each run `runs` times in a row.
        var results: [TestResult] = []
        var seedsRun: [String: [UInt64]] = [:]
        try withScratchFolder { scratch in
            // Rounds of a few seeds per worker, until the time is up: the seeds run are the
            // same whatever the machine's speed, only how many differs.
            // A shard deals out N times as many seeds per round, and keeps its own.
            let round = UInt64(max(jobs, 1) * 4 * (shard?.count ?? 1))
            var next = seedStart
            func nextRound() -> [(test: String, seed: UInt64)] {
                guard !roundTests.isEmpty else { return [] }
                let seeds = (0..<round).map { next &+ $0 }.filter { shard?.includes(seed: $0) ?? true }
                next &+= round
                for test in roundTests { seedsRun[test.qualifiedName, default: []] += seeds }
                return roundTests.flatMap { test in seeds.flatMap { Array(repeating: (test: test.qualifiedName, seed: $0), count: runs) } }
            }
            // The timed tests' one seed each goes first, beside the first round (in shard 1).
            let timedHere = shard.map { $0.index == 1 } ?? true ? timedTests : []
            for test in timedHere { seedsRun[test.qualifiedName] = [seedStart] }
            let once = timedHere.flatMap { Array(repeating: (test: $0.qualifiedName, seed: seedStart), count: runs) }
            results = try executor.run(once + nextRound(), more: { ContinuousClock.now - start < timeLimit ? nextRound() : [] },
                                       timed: true, registry: registry, parameters: parameters, scratch: scratch)
        }
        // Regroup per test: a timed run's rounds interleave the tests.
        var byTest: [String: [TestResult]] = [:]
        for result in results { byTest[result.test, default: []].append(result) }
        let testRuns = selected.map {
            TestRuns(name: $0.qualifiedName, test: $0, seeds: seedsRun[$0.qualifiedName] ?? [], results: byTest[$0.qualifiedName] ?? [])
        }
        try report(testRuns, results: results, start: start, workersUsed: executor.workers(for: selected), target: targets.server)
    }

    /// `--bundle NAME`: the spec's runs for that bundle, each with its own workers and
    /// parameters, then one report.
    private func runBundle(named name: String) throws {
        let spec = try self.spec.load()
        guard let bundle = spec.bundle(named: name) else {
            Console.error("dst-host: \(spec.path): no bundle named '\(name)' (bundles: \(spec.bundles.map(\.name).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        var plugins = self.plugins
        let parts: [RunPart]
        let registry: PluginRegistry
        do {
            plugins.paths += try BundlePlanner.pluginPaths(of: bundle, in: spec)
            registry = try plugins.registry()
            let plan = try BundlePlanner(spec: spec, registry: registry).parts(of: bundle)
            for note in plan.notes { Console.note("dst-host: \(note)") }
            parts = plan.parts
        } catch let error as SpecError {
            Console.error("dst-host: \(error)")
            throw ExitCode(2)
        }
        try runParts(parts, registry: registry, plugins: plugins) {
            "bundle \(name) (\(spec.path)): \(parts.map(\.label).joined(separator: "; ")); \($0) seeds"
        }
    }

    /// Refuses (exit 2) parameters a part's typed tests cannot take, and says when a planted
    /// defect is active: before anything runs.
    private func preflight(_ parts: [RunPart], extra: [String]) throws {
        let extraValues = try ParameterOptions.values(of: extra)
        for part in parts {
            let values = try ParameterOptions.values(of: part.parameterWords).merging(extraValues) { $1 }
            let problems = part.tests.flatMap { $0.parameterProblems(values) }
            if !problems.isEmpty {
                for problem in problems { Console.error("dst-host: \(part.label.isEmpty ? "" : "\(part.label): ")\(problem)") }
                throw ExitCode(2)
            }
        }
        if let defect = PlantedDefect.active {
            Console.error("dst-host: warning: planted defect '\(defect.rawValue)' is active (DST_PLANTED_DEFECT): this run tests the tests")
        }
    }

    /// Runs `parts` one after another, each with its own workers and parameters, and reports
    /// them as one run: a command line's fixed seeds (one part), a bundle, `dst-host full`.
    /// `header` describes the run given how many seeds this shard runs.
    func runParts(_ parts: [RunPart], registry: PluginRegistry, plugins: PluginOptions, header: (Int) -> String) throws {
        try preflight(parts, extra: self.parameters.raw)
        let shard = self.shard.flatMap(Shard.init(parsing:))
        let console = format == nil || output != nil
        let start = ContinuousClock.now
        let target = try targets.reachableServer()
        let runs = checkDeterminism ? 2 : 1
        var testRuns: [TestRuns] = []
        var results: [TestResult] = []
        var workersUsed = 0
        // A test in two parts is reported twice, each under its part's label.
        let counts = Dictionary(parts.flatMap { $0.tests.map { ($0.qualifiedName, 1) } }, uniquingKeysWith: +)
        // The whole run's (test, seed) pairs are dealt among shards, not each part's.
        var dealt = parts.flatMap { part in part.tests.map { (test: part.label + "\u{0}" + $0.qualifiedName, seeds: part.seeds[$0.qualifiedName] ?? []) } }
        if let shard { dealt = shard.slice(dealt) }
        if console {
            let seeds = dealt.reduce(0) { $0 + $1.seeds.count }
            Console.line("dst-host: \(header(seeds))\(shard.map { ", shard \($0)" } ?? "")\(checkDeterminism ? ", each run twice" : "")")
        }
        var shardSeeds = Dictionary(uniqueKeysWithValues: dealt.map { ($0.test, $0.seeds) })
        try withScratchFolder { scratch in
            for part in parts {
                let seeds = part.tests.map { test in (test, shardSeeds.removeValue(forKey: part.label + "\u{0}" + test.qualifiedName) ?? []) }
                let items = seeds.flatMap { test, seeds in
                    seeds.flatMap { seed in Array(repeating: (test: test.qualifiedName, seed: seed), count: runs) }
                }
                let words = part.parameterWords + self.parameters.raw
                let executor = Executor(jobs: jobs, timeout: timeout, pluginPaths: plugins.paths, parameterArguments: words,
                                        reference: reference, target: target)
                let partResults = try executor.run(items, registry: registry, parameters: try ParameterOptions.values(of: words), scratch: scratch)
                results += partResults
                workersUsed = max(workersUsed, executor.workers(for: part.tests))
                var byTest: [String: [TestResult]] = [:]
                for result in partResults { byTest[result.test, default: []].append(result) }
                for (test, seeds) in seeds {
                    let label = (counts[test.qualifiedName] ?? 0) > 1 ? "\(test.qualifiedName) [\(part.label)]" : test.qualifiedName
                    testRuns.append(TestRuns(name: label, test: test, seeds: seeds, results: byTest[test.qualifiedName] ?? []))
                }
            }
        }
        try report(testRuns, results: results, start: start, workersUsed: workersUsed, target: target)
    }

    /// Prints each test's verdict (and writes the report): the same for a command-line run and
    /// for a bundle's parts. Throws exit status 1 when a seed failed.
    func report(_ testRuns: [TestRuns], results: [TestResult], start: ContinuousClock.Instant, workersUsed: Int,
                target: RESPTarget?) throws {
        let runs = checkDeterminism ? 2 : 1

        // With --format and no --output the report is the output: no console lines.
        let console = format == nil || output != nil
        var passedSeeds = 0, failedSeeds = 0, skippedSeeds = 0
        var perTest: [(name: String, results: [TestResult])] = []
        for run in testRuns {
            let test = run.test
            var failures: [TestResult] = []
            var testResults: [TestResult] = []
            let seeds = run.seeds
            let ordered = run.results
            var index = 0
            for _ in seeds {
                var result = ordered[index]
                if checkDeterminism {
                    let again = ordered[index + 1]
                    if again.traceHash != result.traceHash || again.outcome != result.outcome {
                        result = result.failing(with: "nondeterministic: trace \(result.traceHash) (\(result.outcome.rawValue)) then \(again.traceHash) (\(again.outcome.rawValue))")
                    }
                }
                index += runs
                testResults.append(result)
                if result.outcome == .skipped {
                    skippedSeeds += 1
                } else if result.passed {
                    passedSeeds += 1
                } else {
                    failedSeeds += 1
                    failures.append(result)
                }
            }
            perTest.append((run.name, testResults))
            guard console else { continue }
            let count = seeds.count
            let skipped = testResults.filter { $0.outcome == .skipped }
            if failures.isEmpty && !skipped.isEmpty {
                // Never shown as passed: say how many seeds did not run, and why.
                let reason = skipped[0].logTail.last { $0.hasPrefix("skipped: ") }.map { String($0.dropFirst(9)) } ?? "no reason given"
                Console.line("\(Console.yellow("-")) \(run.name)  \(count - skipped.count)/\(count) seeds passed, \(skipped.count) skipped: \(reason)")
            } else if failures.isEmpty {
                Console.line("\(Console.green("✓")) \(run.name)  \(count)/\(count) seeds")
            } else {
                Console.line("\(Console.red("✗")) \(run.name)  \(count - failures.count)/\(count) seeds passed")
                for result in failures.prefix(5) { report(result) }
                if failures.count > 5 { Console.line("    ... and \(failures.count - 5) more failing seeds") }
            }
            // Load tests are there for their figures: show them.
            if test.tags.contains("measurement") {
                for figure in MeasurementSummary.summarize(testResults) { Console.line("    \(figure.text)") }
            }
        }
        var artifactFiles: [String: [String]] = [:]
        if let artifacts {
            do {
                artifactFiles = try ArtifactFolder(root: URL(fileURLWithPath: artifacts)).write(results)
            } catch {
                Console.error("dst-host: cannot write artifacts under \(artifacts): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            if console {
                Console.line(Console.dim("artifacts: \(artifactFiles.values.reduce(0) { $0 + $1.count }) files under \(artifacts)"))
            }
        }
        let elapsed = ContinuousClock.now - start
        if console {
            Console.line(Console.dim("\(results.count) runs in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))) with \(workersUsed == 0 ? "no workers (in-process)" : "\(workersUsed) workers")"))
            if let compatibility = CompatibilityTable(tests: perTest) { compatibility.consoleLines.forEach(Console.line) }
            Console.line("\(passedSeeds) passed, \(failedSeeds) failed" + (skippedSeeds > 0 ? ", \(skippedSeeds) skipped" : ""))
            // Load tests print their own figures; the simulation's would only say that none ran.
            if !testRuns.allSatisfy({ $0.test.tags.contains("measurement") }) {
                let figures = SimulationFigures(results: results, wallMicroseconds: elapsed.wholeMicroseconds)
                Console.line(target == nil ? figures.summary : figures.targetSummary)
            }
        }
        if let format = format.flatMap(ReportFormat.init(rawValue:)) {
            let milliseconds = elapsed.wholeMilliseconds
            let measured = Set(testRuns.filter { $0.test.tags.contains("measurement") }.map(\.name))
            let runReport = RunReport(command: commandLine, tests: perTest, replayOptions: replayOptions,
                                      durationMilliseconds: milliseconds, measured: measured,
                                      artifactFiles: output.map { ReportFormat.relativeArtifactPaths(artifactFiles, to: $0) } ?? artifactFiles,
                                      shard: shard.flatMap(Shard.init(parsing:)))
            try ReportOutput.write(runReport, format: format, to: output)
        }
        if failedSeeds > 0 { throw ExitCode(1) }
    }

    /// The command that reproduces this run, for reports.
    private var commandLine: String {
        var words = ["dst-host"] + suites + plugins.paths.flatMap { ["--plugin", $0] }
        if let bundle { words += ["--bundle", bundle] + (spec.path == SpecLoader.defaultPath ? [] : ["--spec", spec.path]) }
        if let seed { words += ["--seed", String(seed)] } else {
            if let seeds { words += ["--seeds", String(seeds)] }
            if seedStart != 0 { words += ["--seed-start", String(seedStart)] }
        }
        if let filter { words += ["--filter", filter] }
        words += targets.words
        if let duration { words += ["--duration", duration] }
        if let tags { words += ["--tags", tags] }
        words += parameters.raw.flatMap { ["--param", $0] }
        if sweep { words.append("--sweep") }
        if checkDeterminism { words.append("--check-determinism") }
        if let shard { words += ["--shard", shard] }
        return words.joined(separator: " ")
    }

    private func report(_ result: TestResult) {
        Console.line("  \(Console.red("FAIL")) [seed=\(result.seed)] \(result.test) (\(result.outcome.rawValue))")
        for failure in result.failures.prefix(5) { Console.line("      \(failure)") }
        if result.outcome == .crashed || result.outcome == .timedOut {
            for line in result.logTail.suffix(3) { Console.line("      last log: \(line)") }
        }
        if result.failures.count > 5 { Console.line("      ... \(result.failures.count - 5) more failed checks") }
        for artifact in result.artifacts {
            Console.line("      artifact: \(artifact.name) (\(artifact.bytes.count) bytes)\(artifacts == nil ? "; keep it with --artifacts DIR" : "")")
        }
        Console.line("      replay: dst-host replay --seed \(result.seed) --test \(result.test)\(replayOptions)")
    }

    /// `--duration`, parsed (validated already).
    private var timeLimit: Duration? { duration.flatMap(Duration.init(commandLine:)) }

    /// `--duration` as the parameter timed tests read (`duration=` seconds), or nothing.
    private var durationParameter: [String] { timeLimit.map { ["duration=\($0.components.seconds)"] } ?? [] }

    /// The options a replay needs to reproduce the run exactly.
    private var replayOptions: String {
        // A timed test ran for --duration: its replay runs as long (other tests ignore it).
        plugins.paths.map { " --plugin \($0)" }.joined() + (durationParameter + parameters.raw).map { " --param \($0)" }.joined()
            + (targets.server.map { " --target \($0)" } ?? "")
    }

    /// The seeds `test` runs (before any --shard slicing).
    func seedList(for test: LoadedTest) -> [UInt64] {
        if let seed { return [seed] }
        let count = seeds ?? UInt64(test.defaultSeeds)
        return (0..<count).map { seedStart &+ $0 }
    }

    /// The tests this run selects from `registry` (also what `dst-host cloud plan` counts).
    func selectTests(_ registry: PluginRegistry) throws -> [LoadedTest] {
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
        // Sweeps are long: only on request, and then only they run.
        tests = tests.filter { $0.tags.contains("sweep") == sweep }
        if let faults = parameters.faultList {
            let faultTests = tests.filter { $0.tags.contains("fault") }
            let known = Set(faultTests.map(\.name))
            if !sweep, let unknown = faults.first(where: { !known.contains($0) }) {
                Console.error("dst-host: unknown fault '\(unknown)' (available: \(known.sorted().joined(separator: ", ")))")
                throw ExitCode(2)
            }
            tests = tests.filter { !$0.tags.contains("fault") || faults.contains($0.name) }
        }
        if let filter { tests = tests.filter { $0.name.contains(filter) || $0.qualifiedName.contains(filter) } }
        if let target = targets.testName {
            let named = tests.filter { $0.name == target }
            guard !named.isEmpty else {
                Console.error("dst-host: no test named '\(target)' (available: \(tests.map(\.name).joined(separator: ", ")))")
                throw ExitCode(2)
            }
            tests = named
        }
        if let tags {
            let wanted = Set(tags.split(separator: ",").map(String.init))
            tests = tests.filter { !wanted.isDisjoint(with: $0.tags) }
        }
        return tests
    }
}
