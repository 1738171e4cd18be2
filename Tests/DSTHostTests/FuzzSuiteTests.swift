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

    @Test func aLengthTrustedFromTheWireIsCaughtAsACrash() throws {
        let result = try HostHarness.run(["fuzz", "--target", "resp_parser", "--seeds", "10"],
                                         environment: ["DST_PLANTED_DEFECT": "trust_wire_length"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("✗ fuzz/resp_parser"), "\(result.output)")
        #expect(result.output.contains("(crashed)") && result.output.contains("last log: debug: input "), "\(result.output)")
        #expect(result.output.contains("replay: dst-host replay --seed"), "\(result.output)")
    }

    @Test func aTimedRunReportsItsFigures() throws {
        let result = try HostHarness.run(["fuzz", "--target", "resp_parser", "--duration", "2"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("seeds from 0 on for 2") && result.output.contains("figures: "), "\(result.output)")
    }
}
