import Foundation

/// Puts the JSON reports of a run's shards (`--shard K/N`, one per machine) back together into
/// the report of the whole run.
///
/// What is exact and what is combined:
/// - per test: the seeds (their union, ascending), passed/failed/skipped (summed), the failures
///   and the trace hashes (in seed order), artifact files (concatenated): the same as one
///   run of all the seeds would report;
/// - compatibility (differential suites): compared and diverged summed per test and per
///   command, as one run sums them over its seeds;
/// - measurements (load tests): seeds summed, the mean weighted by seeds, the least minimum
///   and the greatest maximum;
/// - durations: a test's run time is the sum of its shards' (the time its seeds took); the
///   run's wall time is the longest shard's, since shards run side by side;
/// - figures: seeds, busy seconds, simulated operations and seconds summed, the wall time the
///   longest shard's, and the rates recomputed from those sums (seeds per busy second is the
///   per-core speed whatever the number of machines; seeds per wall second is the fleet's).
///
/// Pure: reading files is ``load(file:)``, the checks and the arithmetic are ``merge(_:)``.
public enum ReportMerger {
    /// A report and the file it came from (for messages).
    public typealias Source = (file: String, report: RunReport)

    /// Reads one report file.
    public static func load(file: String) throws(ReportMergeError) -> RunReport {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .notAReport(file: file, reason: "cannot read it: \((error as NSError).localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(RunReport.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw .notAReport(file: file, reason: "no \"\(key.stringValue)\" field")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw .notAReport(file: file, reason: "unexpected value at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw .notAReport(file: file, reason: "not JSON")
        }
    }

    /// The shard a report holds: its `shard` field, else `--shard K/N` in its command, else 1/1
    /// (a run that was not sharded is the only shard of itself).
    public static func shard(of report: RunReport) -> Shard {
        if let text = report.shard, let shard = Shard(parsing: text) { return shard }
        let words = report.command.split(separator: " ").map(String.init)
        if let at = words.firstIndex(of: "--shard"), at + 1 < words.count, let shard = Shard(parsing: words[at + 1]) {
            return shard
        }
        return Shard(index: 1, count: 1)!
    }

    /// The command of the whole run: a shard's command less its `--shard K/N`.
    public static func unshardedCommand(_ command: String) -> String {
        var words = command.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if let at = words.firstIndex(of: "--shard"), at + 1 < words.count, Shard(parsing: words[at + 1]) != nil {
            words.removeSubrange(at...(at + 1))
        }
        return words.joined(separator: " ")
    }

    /// Checks that `sources` are the N shards of one run, each once, and merges them.
    public static func merge(_ sources: [Source]) throws(ReportMergeError) -> RunReport {
        try check(sources)
        let reports = sources.sorted { shard(of: $0.report).index < shard(of: $1.report).index }.map(\.report)
        let first = reports[0]

        // Tests in the run's order: every shard lists every selected test, even one it ran no
        // seed of; a test only a later shard lists (none should) goes last.
        var order: [String] = []
        var parts: [String: [RunReport.TestSummary]] = [:]
        for report in reports {
            for test in report.tests {
                if parts[test.test] == nil { order.append(test.test) }
                parts[test.test, default: []].append(test)
            }
        }
        var seedFiles: [String: [UInt64: String]] = [:]
        for (file, report) in sources {
            for test in report.tests {
                for seed in test.seeds {
                    if let other = seedFiles[test.test]?[seed] {
                        throw .overlappingSeed(test: test.test, seed: seed, files: [other, file])
                    }
                    seedFiles[test.test, default: [:]][seed] = file
                }
            }
        }
        let tests = order.map { mergeTest(parts[$0] ?? []) }

        var merged = RunReport(
            command: unshardedCommand(first.command),
            totals: RunReport.Totals(
                runs: tests.reduce(0) { $0 + $1.seeds.count }, passed: tests.reduce(0) { $0 + $1.passed },
                failed: tests.reduce(0) { $0 + $1.failed }, skipped: tests.reduce(0) { $0 + $1.skipped },
                durationMilliseconds: reports.map(\.totals.durationMilliseconds).max() ?? 0,
                figures: SimulationFigures(combining: reports.compactMap(\.totals.figures))),
            tests: tests,
            compatibility: CompatibilityTable(combining: reports.compactMap(\.compatibility), testOrder: order))
        merged.schemaVersion = first.schemaVersion
        merged.tool = first.tool
        return merged
    }

    /// Same schema, same command less `--shard`, one N, and each of shards 1...N exactly once.
    private static func check(_ sources: [Source]) throws(ReportMergeError) {
        guard let (firstFile, first) = sources.first else { throw .noReports }
        let command = unshardedCommand(first.command)
        let count = shard(of: first).count
        for (file, report) in sources.dropFirst() {
            if report.schemaVersion != first.schemaVersion {
                throw .schemaMismatch(file: file, version: report.schemaVersion, expected: first.schemaVersion, firstFile: firstFile)
            }
            let other = unshardedCommand(report.command)
            if other != command { throw .commandMismatch(file: file, command: other, expected: command, firstFile: firstFile) }
            let shardCount = shard(of: report).count
            if shardCount != count { throw .shardCountMismatch(file: file, count: shardCount, expected: count, firstFile: firstFile) }
        }
        var files: [Int: [String]] = [:]
        for (file, report) in sources { files[shard(of: report).index, default: []].append(file) }
        let duplicates = files.keys.sorted().filter { files[$0]!.count > 1 }.map { (shard: $0, files: files[$0]!) }
        let missing = (1...count).filter { files[$0] == nil }
        if !duplicates.isEmpty || !missing.isEmpty { throw .incompleteShards(duplicates: duplicates, missing: missing, count: count) }
    }

    /// One test's shards as one summary.
    private static func mergeTest(_ parts: [RunReport.TestSummary]) -> RunReport.TestSummary {
        // Seeds with their trace hashes, ascending: the order one run of all of them reports.
        let traced = parts.flatMap { part in zip(part.seeds, part.traceHashes).map { (seed: $0, hash: $1) } }
            .sorted { $0.seed < $1.seed }
        let failures = parts.flatMap(\.failures).sorted { $0.seed < $1.seed }
        let measured = parts.compactMap(\.measurements)
        let artifacts = parts.compactMap(\.artifactFiles)
        return RunReport.TestSummary(
            test: parts[0].test, seeds: traced.map(\.seed),
            passed: parts.reduce(0) { $0 + $1.passed }, failed: parts.reduce(0) { $0 + $1.failed },
            skipped: parts.reduce(0) { $0 + $1.skipped },
            durationMilliseconds: parts.reduce(0) { $0 + $1.durationMilliseconds },
            failures: failures, traceHashes: traced.map(\.hash),
            measurements: measured.isEmpty ? nil : MeasurementSummary.combining(measured),
            artifactFiles: artifacts.isEmpty ? nil : artifacts.flatMap { $0 })
    }
}

extension RunReport {
    /// A report from its parts (a merged one).
    init(command: String, totals: Totals, tests: [TestSummary], compatibility: CompatibilityTable?) {
        self.command = command
        self.totals = totals
        self.tests = tests
        self.compatibility = compatibility
    }
}

extension SimulationFigures {
    /// Several shards' figures as one run's (see ``ReportMerger``); nil when there are none.
    init?(combining parts: [SimulationFigures]) {
        guard !parts.isEmpty else { return nil }
        seeds = parts.reduce(0) { $0 + $1.seeds }
        wallSeconds = parts.map(\.wallSeconds).max() ?? 0
        busySeconds = parts.reduce(0) { $0 + $1.busySeconds }
        seedsPerSecond = Double(seeds) / wallSeconds
        seedsPerSecondPerCore = Double(seeds) / busySeconds
        simulatedOperations = parts.reduce(0) { $0 + $1.simulatedOperations }
        simulatedOperationsPerSecond = Double(simulatedOperations) / wallSeconds
        simulatedSeconds = parts.reduce(0) { $0 + $1.simulatedSeconds }
        timeAcceleration = simulatedSeconds / busySeconds
    }
}

extension CompatibilityTable {
    /// Shards' tables as one: compared and diverged summed per test (in `testOrder`) and per
    /// command (by name); nil when there are none.
    init?(combining parts: [CompatibilityTable], testOrder: [String]) {
        guard !parts.isEmpty else { return nil }
        func summed(_ rows: [Row]) -> [String: Row] {
            var byName: [String: Row] = [:]
            for row in rows {
                byName[row.name, default: Row(name: row.name, compared: 0, diverged: 0)].compared += row.compared
                byName[row.name]!.diverged += row.diverged
            }
            return byName
        }
        let tests = summed(parts.flatMap(\.tests))
        let commands = summed(parts.flatMap(\.commands))
        let ordered = testOrder.filter { tests[$0] != nil } + tests.keys.filter { !testOrder.contains($0) }.sorted()
        self.tests = ordered.map { tests[$0]! }
        self.commands = commands.keys.sorted().map { commands[$0]! }
    }
}

extension MeasurementSummary {
    /// One test's figures from several shards: per figure (in order of first appearance) the
    /// seeds summed, the mean weighted by seeds, the least minimum and the greatest maximum.
    static func combining(_ parts: [[MeasurementSummary]]) -> [MeasurementSummary] {
        var order: [String] = []
        var byName: [String: MeasurementSummary] = [:]
        for figure in parts.flatMap({ $0 }) {
            guard var sum = byName[figure.name] else {
                order.append(figure.name)
                byName[figure.name] = figure
                continue
            }
            let seeds = sum.seeds + figure.seeds
            sum.mean = seeds == 0 ? 0 : (sum.mean * Double(sum.seeds) + figure.mean * Double(figure.seeds)) / Double(seeds)
            sum.seeds = seeds
            sum.minimum = Swift.min(sum.minimum, figure.minimum)
            sum.maximum = Swift.max(sum.maximum, figure.maximum)
            byName[figure.name] = sum
        }
        return order.map { byName[$0]! }
    }
}
