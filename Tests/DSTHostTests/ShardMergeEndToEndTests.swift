import DSTHostCore
import Foundation
import Testing

/// `--shard K/N` and `dst-host merge` through the real binary: shards merged are the run
/// they were cut from, failures included; reports that do not belong together are refused.
struct ShardMergeEndToEndTests {
    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func load(_ path: String) throws -> RunReport {
        try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Runs `arguments` with a JSON report into `path`; the exit status is 0, or 1 with failures.
    private func runReport(_ arguments: [String], into path: String, environment: [String: String]) throws -> RunReport {
        let result = try HostHarness.run(arguments + ["--format", "json", "--output", path], environment: environment)
        #expect(result.status == 0 || result.status == 1, "\(arguments): \(result.error)")
        return try load(path)
    }

    /// What must survive sharding: everything but timings.
    private func expectSameRun(_ merged: RunReport, _ single: RunReport, _ label: String) {
        #expect(merged.command == single.command, "\(label)")
        #expect(merged.totals.runs == single.totals.runs, "\(label)")
        #expect(merged.totals.passed == single.totals.passed, "\(label)")
        #expect(merged.totals.failed == single.totals.failed, "\(label)")
        #expect(merged.totals.skipped == single.totals.skipped, "\(label)")
        #expect(merged.totals.figures?.seeds == single.totals.figures?.seeds, "\(label)")
        #expect(merged.totals.figures?.simulatedOperations == single.totals.figures?.simulatedOperations, "\(label)")
        #expect(merged.tests.map(\.test) == single.tests.map(\.test), "\(label)")
        for (got, expected) in zip(merged.tests, single.tests) {
            #expect(got.seeds == expected.seeds, "\(label) \(got.test)")
            #expect(got.traceHashes == expected.traceHashes, "\(label) \(got.test)")
            #expect(got.failures == expected.failures, "\(label) \(got.test)")
            let counts: (RunReport.TestSummary) -> [Int] = { [$0.passed, $0.failed, $0.skipped] }
            #expect(counts(got) == counts(expected), "\(label) \(got.test)")
        }
        #expect(merged.compatibility == single.compatibility, "\(label)")
    }

    /// properties --seeds 40 once, and as 1, 2, 3 and 5 shards merged: the same run. With the
    /// planted defect some seeds of list_order_preserved fail, so failures are merged too.
    @Test(arguments: [false, true])
    func shardsMergeToTheSingleRun(plantedDefect: Bool) throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = plantedDefect ? ["DST_PLANTED_DEFECT": "drop_last_rpush"] : [:]
        let run = ["properties", "--seeds", "40"]
        let single = try runReport(run, into: folder.appendingPathComponent("single.json").path, environment: environment)
        #expect((single.totals.failed > 0) == plantedDefect)
        if plantedDefect {
            #expect(single.tests.first { $0.test == "properties/list_order_preserved" }?.failed ?? 0 > 0)
        }
        for count in [1, 2, 3, 5] {
            var files: [String] = []
            var shardSeeds: [[String: Set<UInt64>]] = []
            for index in 1...count {
                let path = folder.appendingPathComponent("n\(count)-report-\(index).json").path
                let shard = try runReport(run + ["--shard", "\(index)/\(count)"], into: path, environment: environment)
                #expect(shard.shard == "\(index)/\(count)")
                files.append(path)
                shardSeeds.append(Dictionary(uniqueKeysWithValues: shard.tests.map { ($0.test, Set($0.seeds)) }))
            }
            // Pairwise disjoint, and together every seed of the single run.
            for test in single.tests {
                let parts = shardSeeds.map { $0[test.test] ?? [] }
                #expect(parts.reduce(0) { $0 + $1.count } == test.seeds.count, "\(count) shards of \(test.test) overlap")
                #expect(parts.reduce(Set<UInt64>()) { $0.union($1) } == Set(test.seeds))
            }
            let mergedPath = folder.appendingPathComponent("n\(count)-merged.json").path
            let merge = try HostHarness.run(["merge"] + files.reversed() + ["--output", mergedPath])
            #expect(merge.status == (plantedDefect ? 1 : 0), "\(merge.error)")
            expectSameRun(try load(mergedPath), single, "\(count) shards\(plantedDefect ? ", planted defect" : "")")
        }
    }

    /// The refusals: one line on standard error naming what is wrong, exit status 2.
    @Test func mergeRefusesReportsThatDoNotBelongTogether() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        func shard(_ index: Int, of count: Int, seeds: Int = 4) throws -> String {
            let path = folder.appendingPathComponent("smoke-\(seeds)-\(index)of\(count).json").path
            _ = try runReport(["smoke", "--seeds", "\(seeds)", "--shard", "\(index)/\(count)"], into: path, environment: [:])
            return path
        }
        let one = try shard(1, of: 3), two = try shard(2, of: 3), three = try shard(3, of: 3)
        let whole = try HostHarness.run(["merge", one, two, three, "--format", "junit"])
        #expect(whole.status == 0)
        #expect(whole.output.contains("<testsuites name=\"dst-host\""))

        let missing = try HostHarness.run(["merge", one, three])
        #expect(missing.status == 2)
        #expect(missing.error == "dst-host: missing shard 2/3 (2 of 3 shards given)\n")

        let duplicate = try HostHarness.run(["merge", one, two, two, three])
        #expect(duplicate.status == 2)
        #expect(duplicate.error == "dst-host: duplicate shard 2/3 in \(two) and \(two) (3 of 3 shards given)\n")

        let otherRun = try shard(2, of: 3, seeds: 5)
        let mismatched = try HostHarness.run(["merge", one, otherRun, three])
        #expect(mismatched.status == 2)
        #expect(mismatched.error.hasPrefix("dst-host: \(otherRun) is from another run: `dst-host smoke --seeds 5`, not `dst-host smoke --seeds 4`"))

        let notAReport = folder.appendingPathComponent("notes.txt").path
        try "not a report\n".write(toFile: notAReport, atomically: true, encoding: .utf8)
        let garbage = try HostHarness.run(["merge", one, notAReport])
        #expect(garbage.status == 2)
        #expect(garbage.error == "dst-host: \(notAReport) is not a dst-host JSON report (not JSON)\n")

        let someJSON = folder.appendingPathComponent("other.json").path
        try "{\"name\": \"x\"}\n".write(toFile: someJSON, atomically: true, encoding: .utf8)
        let wrongJSON = try HostHarness.run(["merge", someJSON])
        #expect(wrongJSON.status == 2)
        #expect(wrongJSON.error.hasPrefix("dst-host: \(someJSON) is not a dst-host JSON report (no "))
        #expect(wrongJSON.error.split(separator: "\n").count == 1)
    }
}
