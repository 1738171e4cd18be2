import Foundation
import Testing

/// The chaos suite end to end: the real dst-host, libChaos.so and the simulated disk. It must
/// pass on the real engine, and fail within a few seeds on each planted defect it exists to
/// catch (the host's test-only `DST_PLANTED_DEFECT`).
@Suite(.serialized) struct ChaosTests {
    @Test func connectionDropsLoseNothingAcknowledged() throws {
        let result = try HostHarness.run(["chaos", "--faults", "connection_drop", "--seeds", "20"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ chaos/connection_drop  20/20 seeds"), "\(result.output)")
        // Both kinds of drop happen, and mid-reply ones ran (the embedded front end had read them).
        var totals: [String: Double] = [:]
        for seed in 0..<4 {
            let replay = try HostHarness.run(["replay", "--seed", String(seed), "--test", "chaos/connection_drop", "--quiet"])
            for line in replay.output.split(separator: "\n") where line.contains("metric: ") {
                let words = line.split(separator: " ")
                if let name = words.dropFirst().first, words.count >= 4, let value = Double(words[3]) { totals[String(name), default: 0] += value }
            }
        }
        for metric in ["drops_mid_command", "drops_mid_reply", "mid_reply_applied", "acknowledged_writes"] {
            #expect(totals[metric, default: 0] > 0, "\(metric): \(totals)")
        }
    }

    @Test func faultTestsPassOnTheRealEngine() throws {
        let result = try HostHarness.run(["chaos", "--faults", "disk_full,corrupt_read,crash_mid_write,slow_write", "--seeds", "10"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("40 passed, 0 failed"), "\(result.output)")
    }

    /// Each defect and the test that must catch it within 30 seeds. Shrinking is off
    /// (`shrink_budget=0`) so that a caught seed costs one execution; the replay below checks
    /// the shrunk trace once.
    @Test(arguments: [
        ("split_transaction", "crash_mid_write"),
        ("skip_sync", "crash_mid_write"),
        ("skip_checksum", "corrupt_read"),
        ("exec_on_disconnect", "connection_drop"),
    ])
    func plantedDefectsAreCaught(defect: String, test: String) throws {
        let planted = try HostHarness.run(["chaos", "--faults", test, "--seeds", "30", "--param", "shrink_budget=0"],
                                          environment: ["DST_PLANTED_DEFECT": defect])
        #expect(planted.status == 1, "\(planted.output)\(planted.error)")
        #expect(planted.output.contains("✗ chaos/\(test)"), "\(planted.output)")
        #expect(planted.error.contains("planted defect '\(defect)' is active"))
    }

    /// A caught defect is shrunk to a short trace, saved as an artifact that replay shows.
    @Test func aFailureIsShrunkAndReplayable() throws {
        let planted = try HostHarness.run(["chaos", "--faults", "crash_mid_write", "--seeds", "30", "--param", "shrink_budget=0"],
                                          environment: ["DST_PLANTED_DEFECT": "skip_sync"])
        let seed = try #require(Self.firstFailingSeed(planted.output), "\(planted.output)")
        let replay = try HostHarness.run(["replay", "--seed", seed, "--test", "chaos/crash_mid_write"],
                                         environment: ["DST_PLANTED_DEFECT": "skip_sync"])
        #expect(replay.output.contains("artifact: minimized-trace.txt"), "\(replay.output)")
        #expect(replay.output.contains("minimized: "), "\(replay.output)")
    }

    @Test func theSameSeedGivesTheSameTrace() throws {
        let result = try HostHarness.run(["chaos", "--faults", "crash_mid_write,corrupt_write,lying_fsync,torn_write,connection_drop", "--seeds", "3",
                                          "--check-determinism"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(!result.output.contains("nondeterministic"))
    }

    /// "FAIL [seed=7] chaos/..." gives "7".
    private static func firstFailingSeed(_ output: String) -> String? {
        guard let range = output.range(of: "FAIL [seed=") else { return nil }
        return String(output[range.upperBound...].prefix { $0.isNumber })
    }
}
