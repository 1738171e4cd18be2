import DSTPluginSDK
import Testing
@testable import Fuzz

/// The resp_parser test's per-input half against a model front end (framing by
/// ``RequestFramer``, `+OK` for every command, QUIT and protocol errors closing): a correct
/// front end passes every generated input, and planted front-end bugs are caught.
struct InputFeederTests {
    /// A connection-level model of the engine's RESP front end.
    final class ModelFrontEnd {
        enum Bug { case none, truncatedReply, openAfterProtocolError, lowercaseError, lostReply }
        var buffer: [UInt8] = []
        let bug: Bug
        init(bug: Bug = .none) { self.bug = bug }

        func feed(_ bytes: [UInt8]) -> FeedResult {
            buffer += bytes
            let framed = RequestFramer.frame(buffer)
            var output: [UInt8] = []
            for argv in framed.commands {
                if argv[0].map({ $0 & ~0x20 }) == Array("QUIT".utf8) {
                    buffer = []
                    return FeedResult(output: output + Array("+OK\r\n".utf8), closed: true)
                }
                switch bug {
                case .truncatedReply where argv.count > 2: output += Array("$5\r\nab".utf8)
                case .lowercaseError where argv.count > 2: output += Array("-err oops\r\n".utf8)
                case .lostReply where argv.count > 2: break
                default: output += Array("+OK\r\n".utf8)
                }
            }
            switch framed.outcome {
            case .complete: buffer = []
            case .incomplete(let offset): buffer = Array(buffer[offset...])
            case .invalid(_, let reason):
                buffer = []
                return FeedResult(output: output + Array("-ERR Protocol error: \(reason)\r\n".utf8),
                                  closed: bug != .openAfterProtocolError)
            }
            return FeedResult(output: output, closed: false)
        }
    }

    /// Without 64 KiB lines, which the model (re-framing its whole buffer on every feed) would
    /// take seconds over; ``longLinesToo`` feeds a few.
    var mutator: RequestMutator = {
        var mutator = RequestMutator()
        mutator.kinds = MutationKind.allCases.filter { $0 != .longLine }
        return mutator
    }()

    /// Inputs as the test draws them, each fed to a fresh model connection.
    private func outcomes(bug: ModelFrontEnd.Bug, count: Int) -> [(FuzzInput, InputFeeder.Outcome)] {
        let feeder = InputFeeder(corpus: mutator.corpus)
        return (0..<count).map { index in
            var random = SplitMix64.forInput(base: 2024, index: index)
            let input = mutator.input(using: &random)
            let chunks = ChunkPlan.sizes(total: input.bytes.count, using: &random)
            let model = ModelFrontEnd(bug: bug)
            let outcome = try! feeder.run(input, chunks: chunks) { model.feed($0) }
            return (input, outcome)
        }
    }

    @Test func aCorrectFrontEndPassesEveryInput() {
        let all = outcomes(bug: .none, count: 300)
        for (input, outcome) in all {
            #expect(outcome.violations.isEmpty, "\(input.summary(mutator.corpus)): \(outcome.violations)")
        }
        #expect(all.contains { $0.1.protocolErrors > 0 })
        #expect(all.contains { $0.1.probed && $0.1.closed })
        #expect(all.contains { !$0.1.closed })
        #expect(all.contains { $0.0.isClean })
    }

    @Test mutating func longLinesToo() {
        mutator.kinds = [.longLine]
        for (input, outcome) in outcomes(bug: .none, count: 6) {
            #expect(input.mutations.allSatisfy { $0 == .longLine })
            #expect(outcome.violations.isEmpty, "\(input.summary(mutator.corpus)): \(outcome.violations)")
        }
    }

    @Test func plantedFrontEndBugsAreCaught() {
        // A lost reply shows only on clean inputs (about one in ten), where the count is known.
        for (bug, least) in [(ModelFrontEnd.Bug.truncatedReply, 30), (.openAfterProtocolError, 10), (.lowercaseError, 30), (.lostReply, 3)] {
            let caught = outcomes(bug: bug, count: 100).filter { !$0.1.violations.isEmpty }
            #expect(caught.count >= least, "\(bug): \(caught.count)")
            if bug == .lostReply { #expect(caught.allSatisfy { $0.0.isClean }) }
        }
    }

    @Test func feedErrorsAreViolationsButUnsupportedStops() throws {
        let feeder = InputFeeder(corpus: mutator.corpus)
        let input = FuzzInput(entries: [0], bytes: mutator.corpus[0].bytes, mutations: [.bitFlip])
        let outcome = try feeder.run(input, chunks: [input.bytes.count]) { _ in throw SDKError(DST_ERR_ENGINE, "boom") }
        #expect(outcome.violations.count == 1)
        #expect(outcome.feeds == 0)
        #expect(throws: InputFeeder.Stopped.self) {
            _ = try feeder.run(input, chunks: [input.bytes.count]) { _ in throw SDKError(DST_ERR_UNSUPPORTED, "no feed") }
        }
    }
}
