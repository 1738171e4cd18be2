import Foundation
import Testing

/// The simulate suite end to end: the real binary, libSimulate.so, the simulated disk and the
/// host's deterministic scheduler.
@Suite(.serialized) struct SimulateTests {
    /// The checker accepts and rejects hand-built histories as it must (a stale read after a
    /// completed write, half of one RPUSH seen, a value never written, ...), and checks a
    /// 10,000-operation history of 10 connections.
    @Test func checkerSelfTestPasses() throws {
        let result = try HostHarness.run(["simulate", "--filter", "checker_self_test", "--seeds", "2"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ simulate/checker_self_test  2/2 seeds"), "\(result.output)")
    }

    @Test func cleanEngineIsLinearizable() throws {
        let result = try HostHarness.run(["simulate", "--seeds", "10", "--param", "ops=300"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("50 passed, 0 failed"), "\(result.output)")
    }

    /// A multi-element write run as two transactions: a reader in between sees half of it,
    /// which no order of the commands explains. Seeds 0-2 of write_contention at 300 ops all
    /// catch it (runs are deterministic, so this does not flake); each failure is shrunk by
    /// replaying smaller programs and saved as an artifact.
    @Test func splitTransactionsAreNotLinearizable() throws {
        let environment = ["DST_PLANTED_DEFECT": "split_transaction"]
        let result = try HostHarness.run(["simulate", "--filter", "write_contention", "--seeds", "3", "--param", "ops=300"],
                                         environment: environment)
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(result.error.contains("planted defect 'split_transaction' is active"))
        #expect(result.output.contains("✗ simulate/write_contention  0/3 seeds passed"), "\(result.output)")
        #expect(result.output.contains("not linearizable: key"), "\(result.output)")
        let replay = try HostHarness.run(["replay", "--seed", "0", "--test", "simulate/write_contention",
                                          "--param", "ops=300", "--quiet"], environment: environment)
        #expect(replay.output.contains("artifact: minimized-history.txt"), "\(replay.output)")
        #expect(replay.output.contains("no linearization exists"), "\(replay.output)")
    }

    @Test func sameSeedSameTrace() throws {
        let result = try HostHarness.run(["simulate", "--seeds", "3", "--param", "ops=200", "--check-determinism"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("each run twice"), "\(result.output)")
    }
}
