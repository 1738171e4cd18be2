import Foundation
import Testing

/// scripts/libfuzzer.sh end to end: it builds the libFuzzer binary (`--sanitize fuzzer`, in
/// .build/libfuzzer: about 40 s the first time, seconds after), runs a short fixed-seed
/// campaign and reports its figures, and turns the planted crash into a saved input that
/// the normal build's replayer reproduces.
///
/// Nothing here waits for libFuzzer to *find* the planted defect (that takes from under a
/// second to minutes, depending on the seed: README, Fuzz): it is handed the input, so the
/// test is as deterministic as the rest of the suite.
@Suite(.timeLimit(.minutes(10)))
struct LibFuzzerEndToEndTests {
    private var figures: Regex<(Substring, Substring, Substring, Substring, Substring, Substring)> { #/libfuzzer (\w+): (\d+) execs in [\d.]+ s = (\d+) exec\/s, coverage (\d+), crashes (\d+)/# }

    @Test func buildsFuzzesAndSavesThePlantedCrash() throws {
        let root = try packageRoot()
        let work = try temporaryFolder("libfuzzer-e2e")
        defer { try? FileManager.default.removeItem(at: work) }
        let script = root.appendingPathComponent("scripts/libfuzzer.sh").path
        let bash = URL(fileURLWithPath: "/bin/bash")
        let environment = ["LIBFUZZER_WORK": work.path]

        // A short campaign: 2,000 executions from a fixed seed.
        let run = try runProcess(bash, [script, "command_handler", "120", "-seed=1", "-runs=2000"],
                                 environment: environment, directory: root)
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let line = try #require(run.output.firstMatch(of: figures), "\(run.output)\(run.error)")
        #expect(line.output.1 == "command_handler")
        #expect(Int(line.output.2)! >= 2000)
        #expect(Int(line.output.4)! > 1000, "coverage")
        #expect(line.output.5 == "0")

        // The planted defect: libFuzzer is given the input it dies on as an extra corpus.
        let planted = work.appendingPathComponent("planted")
        try FileManager.default.createDirectory(at: planted, withIntermediateDirectories: true)
        try Data("*1\r\n$9000000000000\r\n".utf8).write(to: planted.appendingPathComponent("claim"))
        let crashed = try runProcess(bash, [script, "resp_parser", "120", "-seed=1", planted.path],
                                     environment: environment.merging(["DST_PLANTED_DEFECT": "trust_wire_length",
                                                                       "LIBFUZZER_NO_BUILD": "1"]) { $1 },
                                     directory: root)
        #expect(crashed.status == 1, "\(crashed.output)\(crashed.error)")
        let crashLine = try #require(crashed.output.firstMatch(of: figures), "\(crashed.output)")
        #expect(crashLine.output.5 == "1")
        #expect(crashed.output.contains("failed to allocate 9000000000"))
        let artifacts = work.appendingPathComponent("artifacts/resp_parser")
        let saved = try #require(try FileManager.default.contentsOfDirectory(atPath: artifacts.path).first)
        #expect(saved.hasPrefix("crash-"))
        #expect(crashed.output.contains("--target=resp_parser \(artifacts.path)/\(saved)"))

        // The saved input reproduces without the fuzzer, and only with the defect planted.
        let replayer = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("redlite-libfuzzer")
        let input = artifacts.appendingPathComponent(saved).path
        let reproduced = try runProcess(replayer, ["--target=resp_parser", input],
                                        environment: ["DST_PLANTED_DEFECT": "trust_wire_length", "SWIFT_BACKTRACE": "enable=no"])
        #expect(reproduced.signaled, "\(reproduced.output)\(reproduced.error)")
        let clean = try runProcess(replayer, ["--target=resp_parser", input])
        #expect(clean.status == 0, "\(clean.output)\(clean.error)")
    }
}
