import Foundation

/// What a run produced, in the shape every report format is written from. Deterministic for
/// the same seeds, except durations.
public struct RunReport: Codable, Sendable, Equatable {
    /// Bumped whenever a field changes meaning or disappears (fields are only ever added).
    public static let currentSchemaVersion = 1

    public var schemaVersion = RunReport.currentSchemaVersion
    public var tool = "dst-host"
    /// The command line that reproduces the run (minus report options).
    public var command: String
    public var totals: Totals
    public var tests: [TestSummary]
    /// Differential suites' agreement with their reference, when any ran (optional).
    public var compatibility: CompatibilityTable?
    /// `K/N` when the run was one shard of a run (`--shard K/N`), so `dst-host merge` can tell
    /// which slice a report holds without parsing the command (optional; absent otherwise).
    public var shard: String?

    public struct Totals: Codable, Sendable, Equatable {
        public var runs: Int
        public var passed: Int
        public var failed: Int
        public var skipped: Int
        public var durationMilliseconds: Int64
        /// Speed: seeds/s, simulated ops/s, time acceleration (added in schema 1, optional).
        public var figures: SimulationFigures?
    }

    /// One test across all its seeds.
    public struct TestSummary: Codable, Sendable, Equatable {
        public var test: String
        public var seeds: [UInt64]
        public var passed: Int
        public var failed: Int
        public var skipped: Int
        public var durationMilliseconds: Int64
        /// Every failing seed's result, with its checks, last log lines and replay command.
        public var failures: [Failure]
        /// Trace hash per seed, in `seeds` order (what a determinism check compares).
        public var traceHashes: [String]
        /// For load tests (tagged `measurement`): their figures over the seeds (optional).
        public var measurements: [MeasurementSummary]?
        /// Files `--artifacts` wrote for this test (optional).
        public var artifactFiles: [String]?
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var seed: UInt64
        public var outcome: String
        public var messages: [String]
        public var logTail: [String]
        public var artifacts: [String]
        public var replay: String
    }

    /// Builds the report from the results of `tests`, in order, `seedsPerTest` each.
    /// `measured` names the tests whose figures the report shows; `artifactFiles` lists, per
    /// test, the files `--artifacts` wrote.
    public init(command: String, tests: [(name: String, results: [TestResult])], replayOptions: String,
                durationMilliseconds: Int64, measured: Set<String> = [], artifactFiles: [String: [String]] = [:],
                shard: Shard? = nil) {
        self.command = command
        self.shard = shard?.description
        self.tests = tests.map { name, results in
            TestSummary(
                test: name, seeds: results.map(\.seed),
                passed: results.filter { $0.outcome == .passed }.count,
                failed: results.filter { !$0.passed }.count,
                skipped: results.filter { $0.outcome == .skipped }.count,
                durationMilliseconds: results.reduce(0) { $0 + $1.durationMicroseconds } / 1000,
                failures: results.filter { !$0.passed }.map { result in
                    Failure(seed: result.seed, outcome: result.outcome.rawValue, messages: result.failures,
                            logTail: result.logTail, artifacts: result.artifacts.map(\.name),
                            replay: "dst-host replay --seed \(result.seed) --test \(name)\(replayOptions)")
                },
                traceHashes: results.map(\.traceHash),
                measurements: measured.contains(name) ? MeasurementSummary.summarize(results) : nil,
                artifactFiles: artifactFiles[name])
        }
        compatibility = CompatibilityTable(tests: tests)
        let all = self.tests
        totals = Totals(runs: all.reduce(0) { $0 + $1.seeds.count }, passed: all.reduce(0) { $0 + $1.passed },
                        failed: all.reduce(0) { $0 + $1.failed }, skipped: all.reduce(0) { $0 + $1.skipped },
                        durationMilliseconds: durationMilliseconds,
                        figures: SimulationFigures(results: tests.flatMap(\.results), wallMicroseconds: durationMilliseconds * 1000))
    }
}
