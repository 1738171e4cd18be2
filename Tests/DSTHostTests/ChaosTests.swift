import Foundation
import Testing

/// The chaos suite end to end: the real dst-host, libChaos.so and the simulated disk. It must
/// pass on the real engine, and fail within a few seeds on each planted defect it exists to
/// catch (the host's test-only `DST_PLANTED_DEFECT`).
@Suite(.serialized) struct ChaosTests {
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
        let result = try HostHarness.run(["chaos", "--faults", "crash_mid_write,corrupt_write,lying_fsync,torn_write", "--seeds", "3",
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
