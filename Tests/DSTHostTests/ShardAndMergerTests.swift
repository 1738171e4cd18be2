import DSTHostCore
import Foundation
import Testing

/// Shard slicing and the report merger in process: coverage, disjointness, and every reason
/// reports do not merge.
struct ShardAndMergerTests {
    @Test(arguments: [1, 2, 3, 5, 7])
    func shardsCoverEveryPairExactlyOnce(count: Int) throws {
        let lists: [(test: String, seeds: [UInt64])] = [("a/x", Array(0..<13)), ("a/y", []), ("b/z", Array(100..<141)), ("b/w", [7])]
        var seen: [String: [UInt64]] = [:]
        var sizes: [Int] = []
        for index in 1...count {
            let slice = try #require(Shard(index: index, count: count)).slice(lists)
            #expect(slice.map(\.test) == lists.map(\.test), "every shard lists every test, in order")
            for (test, seeds) in slice {
                #expect(seeds == seeds.sorted())
                seen[test, default: []] += seeds
            }
            sizes.append(slice.reduce(0) { $0 + $1.seeds.count })
        }
        for (test, seeds) in lists {
            let got = seen[test] ?? []
            #expect(got.count == Set(got).count, "no pair in two shards")
            #expect(got.sorted() == seeds, "every pair in some shard")
        }
        // Dealt in turn: shard sizes differ by one at most.
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
    }

    @Test func timedRunsShardSeedsByValue() throws {
        let shards = (1...4).map { Shard(index: $0, count: 4)! }
        for seed in UInt64(0)..<200 { #expect(shards.filter { $0.includes(seed: seed) }.count == 1) }
        #expect(Shard(parsing: "0/3") == nil)
        #expect(Shard(parsing: "4/3") == nil)
        #expect(Shard(parsing: "3/3")?.description == "3/3")
    }

    // MARK: The merger on made-up reports

    /// A shard's JSON report: `tests` maps names to seeds, `failing` names failing seeds.
    private func report(shard: String?, command: String = "dst-host properties --seeds 6", schema: Int = 1,
                        tests: [(String, [UInt64])], failing: Set<UInt64> = []) throws -> RunReport {
        let summaries: [[String: Any]] = tests.map { name, seeds in
            let failed = seeds.filter(failing.contains)
            return ["test": name, "seeds": seeds, "passed": seeds.count - failed.count, "failed": failed.count, "skipped": 0,
                    "durationMilliseconds": 10,
                    "failures": failed.map { ["seed": $0, "outcome": "failed", "messages": ["bad \($0)"], "logTail": [], "artifacts": [],
                                              "replay": "dst-host replay --seed \($0) --test \(name)"] as [String: Any] },
                    "traceHashes": seeds.map { "h\($0)" }]
        }
        let runs = tests.reduce(0) { $0 + $1.1.count }
        let failed = tests.reduce(0) { $0 + $1.1.filter(failing.contains).count }
        var object: [String: Any] = [
            "schemaVersion": schema, "tool": "dst-host",
            "command": command + (shard.map { " --shard \($0)" } ?? ""),
            "totals": ["runs": runs, "passed": runs - failed, "failed": failed, "skipped": 0, "durationMilliseconds": 100,
                       "figures": ["seeds": runs, "wallSeconds": 0.1, "busySeconds": Double(runs) / 100, "seedsPerSecond": 0, "seedsPerSecondPerCore": 100,
                                   "simulatedOperations": runs * 10, "simulatedOperationsPerSecond": 0, "simulatedSeconds": 1.0, "timeAcceleration": 0]],
            "tests": summaries,
        ]
        if let shard { object["shard"] = shard }
        return try JSONDecoder().decode(RunReport.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func mergesSeedsFailuresAndHashesInSeedOrder() throws {
        let one = try report(shard: "1/2", tests: [("p/a", [0, 2, 4]), ("p/b", [1, 3, 5])], failing: [4, 1])
        let two = try report(shard: "2/2", tests: [("p/a", [1, 3, 5]), ("p/b", [0, 2, 4])], failing: [3])
        // Given in any order.
        let merged = try ReportMerger.merge([("two.json", two), ("one.json", one)])
        #expect(merged.command == "dst-host properties --seeds 6")
        #expect(merged.shard == nil)
        #expect(merged.tests.map(\.test) == ["p/a", "p/b"])
        let a = merged.tests[0]
        #expect(a.seeds == [0, 1, 2, 3, 4, 5])
        #expect(a.traceHashes == ["h0", "h1", "h2", "h3", "h4", "h5"])
        #expect(a.failures.map(\.seed) == [3, 4])
        #expect(a.passed == 4 && a.failed == 2)
        #expect(a.durationMilliseconds == 20)
        #expect(merged.totals.runs == 12 && merged.totals.failed == 3 && merged.totals.passed == 9)
        // Wall time: the longest shard's; per-core speed from the summed busy time.
        #expect(merged.totals.durationMilliseconds == 100)
        let figures = try #require(merged.totals.figures)
        #expect(figures.seeds == 12)
        #expect(abs(figures.busySeconds - 0.12) < 1e-9)
        #expect(abs(figures.seedsPerSecondPerCore - 100) < 1e-6)
        #expect(abs(figures.seedsPerSecond - 120) < 1e-6)
        #expect(figures.simulatedOperations == 120)
    }

    @Test func anUnshardedReportIsItsOwnOnlyShard() throws {
        let whole = try report(shard: nil, tests: [("p/a", [0, 1])])
        #expect(try ReportMerger.merge([("r.json", whole)]).tests[0].seeds == [0, 1])
    }

    @Test func namesMissingAndDuplicateShards() throws {
        let one = try report(shard: "1/3", tests: [("p/a", [0, 3])])
        let three = try report(shard: "3/3", tests: [("p/a", [2, 5])])
        #expect(throws: ReportMergeError.incompleteShards(duplicates: [], missing: [2], count: 3)) {
            try ReportMerger.merge([("one.json", one), ("three.json", three)])
        }
        #expect(throws: ReportMergeError.incompleteShards(duplicates: [(shard: 1, files: ["a.json", "b.json"])], missing: [2], count: 3)) {
            try ReportMerger.merge([("a.json", one), ("b.json", one), ("three.json", three)])
        }
        let message = ReportMergeError.incompleteShards(duplicates: [(shard: 1, files: ["a.json", "b.json"])], missing: [2, 3], count: 3).description
        #expect(message == "duplicate shard 1/3 in a.json and b.json; missing shards 2/3, 3/3 (1 of 3 shards given)")
    }

    @Test func refusesReportsOfAnotherRun() throws {
        let one = try report(shard: "1/2", tests: [("p/a", [0])])
        let other = try report(shard: "2/2", command: "dst-host properties --seeds 7", tests: [("p/a", [1])])
        #expect(throws: ReportMergeError.commandMismatch(file: "b.json", command: "dst-host properties --seeds 7",
                                                         expected: "dst-host properties --seeds 6", firstFile: "a.json")) {
            try ReportMerger.merge([("a.json", one), ("b.json", other)])
        }
        let threeWay = try report(shard: "2/3", tests: [("p/a", [1])])
        #expect(throws: ReportMergeError.shardCountMismatch(file: "b.json", count: 3, expected: 2, firstFile: "a.json")) {
            try ReportMerger.merge([("a.json", one), ("b.json", threeWay)])
        }
        let future = try report(shard: "2/2", schema: 2, tests: [("p/a", [1])])
        #expect(throws: ReportMergeError.schemaMismatch(file: "b.json", version: 2, expected: 1, firstFile: "a.json")) {
            try ReportMerger.merge([("a.json", one), ("b.json", future)])
        }
        let overlapping = try report(shard: "2/2", tests: [("p/a", [0])])
        #expect(throws: ReportMergeError.overlappingSeed(test: "p/a", seed: 0, files: ["a.json", "b.json"])) {
            try ReportMerger.merge([("a.json", one), ("b.json", overlapping)])
        }
        #expect(throws: ReportMergeError.noReports) { try ReportMerger.merge([]) }
    }

    @Test func theCommandLosesOnlyItsShard() {
        #expect(ReportMerger.unshardedCommand("dst-host properties --seeds 6 --shard 2/3") == "dst-host properties --seeds 6")
        #expect(ReportMerger.unshardedCommand("dst-host smoke --shard 1/2 --tags quick") == "dst-host smoke --tags quick")
        #expect(ReportMerger.unshardedCommand("dst-host smoke") == "dst-host smoke")
    }

    @Test func costPer100KSeedsFollowsItsFormula() {
        // 100 seeds per core-second: 1,000 core-seconds per 100K seeds; at $0.24 per core-hour, $0.0667.
        let estimate = CostEstimate(seedsPerCoreSecond: 100, pricePerCoreHour: 0.24)
        #expect(estimate.coreSecondsPer100K == 1000)
        #expect(abs(estimate.pricePer100K - 1000.0 / 3600 * 0.24) < 1e-12)
        #expect(estimate.lines()[0].contains("$0.0667 per 100K seeds"))
        #expect(CostEstimate.defaultPricePerCoreHour == 0.008 * 60 / 2)
    }
}
