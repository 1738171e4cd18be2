import Fuzz
import Testing
@testable import FuzzHarness

/// Both harness bodies over the seed corpus, in process: every entry runs clean, and an
/// input's result depends on that input alone.
struct HarnessCorpusTests {
    @Test func everyRequestEntryRunsCleanThroughTheFrontEnd() throws {
        let harness = try FrontEndHarness(trustsDeclaredLengths: false)
        #expect(RequestCorpus.entries.count == 52)
        for entry in RequestCorpus.entries {
            let outcome = harness.run(entry.bytes)
            #expect(outcome.violations.isEmpty, "\(entry.name): \(outcome.violations)")
            // A clean pipeline: one reply per command, QUIT's +OK included.
            #expect(outcome.replies == entry.commands.count, "\(entry.name)")
            #expect(outcome.closed == entry.endsWithQuit, "\(entry.name)")
        }
    }

    @Test func everyArgvEntryRunsCleanThroughTheHandler() throws {
        let harness = try CommandHandlerHarness()
        let files = try SeedCorpus.files(for: .commandHandler, stream: harness.stream)
        #expect(files.count == 26)
        for file in files {
            let outcome = harness.run(file.bytes)
            #expect(outcome.violations.isEmpty, "\(file.name): \(outcome.violations)")
            #expect(outcome.commands == harness.stream.decode(file.bytes).count, "\(file.name)")
        }
        // The errors family's commands are errors but LPUSH (its key does not exist, since
        // SET ... EX -1 failed), so the oracle saw seven error replies.
        let errors = try #require(files.first { $0.name == "errors-multibulk" })
        #expect(harness.run(errors.bytes).errorReplies == 7)
    }

    @Test func anInputsRepliesDependOnItAlone() throws {
        let harness = try FrontEndHarness(trustsDeclaredLengths: false)
        let sets = try #require(RequestCorpus.entries.first { $0.name == "sets/multibulk" })
        let first = harness.run(sets.bytes)
        // Everything else runs in between: data, SELECT, HELLO 3, MULTI, random picks.
        for entry in RequestCorpus.entries { _ = harness.run(entry.bytes) }
        _ = harness.run(Array("SELECT 5\r\nHELLO 3\r\nCONFIG SET hz 77\r\nMULTI\r\nSET a 1\r\n".utf8))
        let again = harness.run(sets.bytes)
        #expect(again.output == first.output)
        #expect(!first.output.isEmpty)
    }

    @Test func hostileInputsAreHandledWithoutBreakingARule() throws {
        let harness = try FrontEndHarness(trustsDeclaredLengths: false)
        let inputs: [(String, Bool)] = [
            // Beyond Redis's 512 MB bulk limit: a protocol error, never an allocation.
            ("*1\r\n$9000000000000\r\n", true),
            ("*2\r\n$3\r\nGET\r\n+x\r\n", true),
            ("SET \"unbalanced\r\n", true),
            ("*1\r\n$4\r\nPI", false),
            ("", false),
            ("\r\n\r\n\n", false),
        ]
        for (text, closes) in inputs {
            let outcome = harness.run(Array(text.utf8))
            #expect(outcome.violations.isEmpty, "\(text.debugDescription): \(outcome.violations)")
            #expect(outcome.closed == closes, "\(text.debugDescription)")
        }
    }

    @Test func theDefectSwitchReadsTheHostsVariable() {
        #expect(PlantedDefectSwitch.variable == "DST_PLANTED_DEFECT")
        #expect(PlantedDefectSwitch.trustWireLength == "trust_wire_length")
    }
}
