import Testing
@testable import FuzzHarness

/// The harness's own `--` options, shared by libFuzzer's build and the replayer.
struct HarnessOptionsTests {
    @Test func readsItsOwnOptionsAndLeavesTheRest() throws {
        let options = try HarnessOptions(["--target=command_handler", "corpus", "-runs=10", "--write-corpus=out"])
        #expect(options.target == .commandHandler)
        #expect(options.writeCorpus == "out")
        #expect(options.rest == ["corpus", "-runs=10"])
    }

    @Test func requiresAKnownTarget() {
        #expect(throws: HarnessOptions.Invalid.self) { try HarnessOptions(["corpus"]) }
        let error = #expect(throws: HarnessOptions.Invalid.self) { try HarnessOptions(["--target=parser"]) }
        #expect(error?.description == "unknown target 'parser' (one of: resp_parser, command_handler)")
    }
}
