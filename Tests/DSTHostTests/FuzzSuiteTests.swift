import Foundation
import Testing

/// The Fuzz suite end to end: the real dst-host, libFuzz.so and the engine's RESP front end
/// (ABI 1.3). Clean on the engine, deterministic per seed, and it catches the planted parser
/// bug (a length trusted from the wire) as a crash the host isolates.
@Suite(.serialized) struct FuzzSuiteTests {
    @Test func bothTargetsAreCleanAndDeterministic() throws {
        let result = try HostHarness.run(["fuzz", "--seeds", "3", "--check-determinism"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ fuzz/resp_parser  3/3 seeds") && result.output.contains("✓ fuzz/command_handler  3/3 seeds"),
                "\(result.output)")
    }

    @Test func aLengthTrustedFromTheWireIsCaughtAsACrashWithItsInputSaved() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-host-fuzz-artifacts-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try HostHarness.run(["fuzz", "--target", "resp_parser", "--seeds", "10", "--artifacts", folder.path],
                                         environment: ["DST_PLANTED_DEFECT": "trust_wire_length"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("✗ fuzz/resp_parser"), "\(result.output)")
        #expect(result.output.contains("(crashed)") && result.output.contains("last log: debug: input "), "\(result.output)")
        #expect(result.output.contains("replay: dst-host replay --seed"), "\(result.output)")
        // The input that crashed the worker, sent by its crash handler, is on disk as it was fed.
        #expect(result.output.contains("artifact: crash-input.resp ("), "\(result.output)")
        let seeds = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("fuzz-resp_parser").path)) ?? []
        #expect(!seeds.isEmpty, "\(result.output)")
        for seed in seeds {
            let input = FileManager.default.contents(atPath: folder.appendingPathComponent("fuzz-resp_parser/\(seed)/crash-input.resp").path)
            #expect((input?.count ?? 0) > 0, "\(seed)")
        }
    }

    @Test func aTimedRunReportsItsFigures() throws {
        let result = try HostHarness.run(["fuzz", "--target", "resp_parser", "--duration", "2"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("seeds from 0 on for 2") && result.output.contains("figures: "), "\(result.output)")
    }
}
