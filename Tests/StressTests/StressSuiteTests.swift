import Histogram
import Testing
@testable import Stress

/// The verdicts on a load's outcome, on hand-built outcomes: each check can fail.
struct LoadVerdictTests {
    static let bounds = LoadBounds(watchdogMilliseconds: 10_000, stallMilliseconds: 2_000, maxRSSMegabytes: 1_024)

    static func outcome(_ change: (inout LoadOutcome) -> Void = { _ in }) -> LoadOutcome {
        var latencies = Histogram<UInt64>(highestTrackableValue: 120_000_000_000, numberOfSignificantValueDigits: .three)
        _ = latencies.record(10_000)
        var outcome = LoadOutcome(
            scenario: Scenario(name: "s", connections: 10, keys: 100, valueBytes: 10, readPercent: 80, seconds: 1),
            latencies: latencies, operations: 1000, elapsedSeconds: 1, busyErrors: 0, unexpectedErrors: 0,
            firstUnexpectedError: nil, rssBytes: 90 << 20, peakRSSBytes: 100 << 20, openFileDescriptors: 20, databaseBytes: 1 << 20,
            walBytes: 1 << 20, longestWriteGapMilliseconds: 30, deadlock: nil, inconsistencies: [], hostErrors: [])
        change(&outcome)
        return outcome
    }

    @Test func aCleanLoadHasNoProblems() {
        #expect(LoadVerdict.problems(Self.outcome(), bounds: Self.bounds).isEmpty)
        #expect(Self.outcome().operationsPerSecond == 1000)
    }

    @Test func eachCheckFails() {
        let cases: [(String, (inout LoadOutcome) -> Void)] = [
            ("deadlock", { $0.deadlock = "no command completed for 10000 ms" }),
            ("stall: no write succeeded for 2500 ms", { $0.longestWriteGapMilliseconds = 2_500 }),
            ("unexpected error replies", { $0.unexpectedErrors = 2; $0.firstUnexpectedError = "SET -> ERR oops" }),
            ("ctr:3 is 4", { $0.inconsistencies = ["ctr:3 is 4 after 5 acknowledged INCRs"] }),
            ("peak RSS 2048 MB", { $0.peakRSSBytes = 2_048 << 20 }),
            ("host error", { $0.hostErrors = ["connection 1: engine closed"] }),
        ]
        for (expected, change) in cases {
            let problems = LoadVerdict.problems(Self.outcome(change), bounds: Self.bounds)
            #expect(problems.count == 1 && problems[0].contains(expected), "\(expected): \(problems)")
        }
    }

    @Test func readOnlyLoadsHaveNoWriteGapToJudge() {
        let readOnly = Self.outcome {
            $0.scenario.readPercent = 100
            $0.longestWriteGapMilliseconds = 60_000
        }
        #expect(LoadVerdict.problems(readOnly, bounds: Self.bounds).isEmpty)
    }

    @Test func percentilesComeFromTheHistogram() {
        var outcome = Self.outcome()
        for value in 1...1000 { _ = outcome.latencies.record(UInt64(value) * 1000) }
        #expect(abs(outcome.microseconds(50) - 500) < 5)
        #expect(outcome.maxMicroseconds >= 1000)
    }
}
