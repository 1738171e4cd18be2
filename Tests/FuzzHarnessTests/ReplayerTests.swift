import Foundation
import Testing

/// The normal build's `redlite-libfuzzer`: the corpus replayer, run as a user would.
@Suite struct ReplayerTests {
    /// Beside the test bundle in the build folder (the test target depends on it).
    private var replayer: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("redlite-libfuzzer")
    }

    /// The input the planted defect dies on: a 9 TB bulk string, claimed.
    private static let plantedCrashInput = Array("*1\r\n$9000000000000\r\n".utf8)

    @Test(arguments: [("resp_parser", 52), ("command_handler", 26)])
    func writesAndReplaysTheSeedCorpus(target: String, files: Int) throws {
        let folder = try temporaryFolder("replayer-\(target)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try runProcess(replayer, ["--target=\(target)", "--write-corpus=\(folder.path)"])
        #expect(written.status == 0, "\(written.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == files)
        // libFuzzer's flags are accepted and ignored, so one command line serves both builds.
        let replayed = try runProcess(replayer, ["--target=\(target)", folder.path, "-runs=5"])
        #expect(replayed.status == 0, "\(replayed.output)\(replayed.error)")
        #expect(replayed.output.contains("replayed \(files) \(target) inputs: 0 broke a rule"))
    }

    @Test func recognizesThePlantedCrashInput() throws {
        let folder = try temporaryFolder("replayer-planted")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("crash-planted")
        try Data(Self.plantedCrashInput).write(to: input)

        // The real front end answers a protocol error and carries on.
        let clean = try runProcess(replayer, ["--target=resp_parser", input.path])
        #expect(clean.status == 0, "\(clean.output)\(clean.error)")
        #expect(clean.output.contains("crash-planted (20 bytes): ok"))

        // With the defect planted, the same input kills the process, and the output names it.
        let planted = try runProcess(replayer, ["--target=resp_parser", input.path],
                                     environment: ["DST_PLANTED_DEFECT": "trust_wire_length", "SWIFT_BACKTRACE": "enable=no"])
        #expect(planted.signaled, "status \(planted.status): \(planted.output)\(planted.error)")
        #expect(planted.output.contains("PLANTED DEFECT trust_wire_length is on"))
        #expect(planted.output.hasSuffix("crash-planted (20 bytes): "))
        #expect(planted.error.contains("failed to allocate 9000000000"))
    }

    @Test func rejectsAMissingTargetWithUsage() throws {
        let result = try runProcess(replayer, ["somefile"])
        #expect(result.status == 2)
        #expect(result.error.contains("--target=NAME is required"))
        #expect(result.error.contains("usage: redlite-libfuzzer"))
    }
}
