import Testing
@testable import FuzzHarness

/// Commands that would legally build something huge are refused; the same commands with
/// ordinary numbers run.
struct CommandBudgetTests {
    private func words(_ items: String...) -> [[UInt8]] { items.map { Array($0.utf8) } }

    @Test func refusesHugeOffsetsAndRepeatedPicks() {
        #expect(CommandBudget.refuses(words("SETRANGE", "k", "536870000", "x")))
        #expect(CommandBudget.refuses(words("setrange", "k", "1048577", "x")))
        #expect(CommandBudget.refuses(words("SRANDMEMBER", "s", "-2000")))
        #expect(CommandBudget.refuses(words("hrandfield", "h", "-9223372036854775807", "WITHVALUES")))
        #expect(CommandBudget.refuses(words("ZRANDMEMBER", "z", "-1025")))
    }

    @Test func runsOrdinaryNumbersAndEverythingElse() {
        #expect(!CommandBudget.refuses(words("SETRANGE", "k", "1048576", "x")))
        #expect(!CommandBudget.refuses(words("SETRANGE", "k", "-1", "x")))
        #expect(!CommandBudget.refuses(words("SETRANGE", "k", "abc", "x")))
        #expect(!CommandBudget.refuses(words("SRANDMEMBER", "s", "-1024")))
        // A large positive count picks distinct members: bounded by the set.
        #expect(!CommandBudget.refuses(words("SRANDMEMBER", "s", "9223372036854775807")))
        #expect(!CommandBudget.refuses(words("GETRANGE", "k", "0", "536870000")))
        #expect(!CommandBudget.refuses(words("SETRANGE", "k")))
    }

    @Test func aRefusedCommandStillGetsOneReply() throws {
        let harness = try FrontEndHarness(trustsDeclaredLengths: false)
        let outcome = harness.run(Array("SETRANGE k 536870000 x\r\nSRANDMEMBER s -5000\r\nPING\r\n".utf8))
        #expect(outcome.violations.isEmpty, "\(outcome.violations)")
        #expect(outcome.replies == 3)
        #expect(String(decoding: outcome.output, as: UTF8.self).contains("command skipped"))
    }
}
