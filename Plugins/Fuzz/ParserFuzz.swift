import DSTPluginSDK

/// The `resp_parser` test: mutated request streams fed in random chunks to the engine's RESP
/// front end (`Engine.feed`, ABI 1.3), each input fed and judged by ``InputFeeder``.
///
/// Input `n` of a seed is a function of `(seed, n)` alone (``SplitMix64/forInput(base:index:)``),
/// and its index and summary are logged at debug level before it is fed: when the process
/// dies, the run's last log line names the input, and `dst-host replay` regenerates it.
///
/// Every input starts on a fresh connection: the feeder closes it with a QUIT probe, and
/// when even that leaves it open (inside a long bulk string) the engine is replaced. Every
/// `ping_every` inputs and at the end the engine must still answer PING (`execute`, while no
/// feed connection is open), and DBSIZE at the very end. The first violating input is
/// reported (seed, index, mutations, chunk sizes, the bytes quoted) and saved as the artifact
/// `input-<index>.bin`, and the seed stops there.
///
/// Parameters: `inputs` (per seed, default 200), `ping_every` (default 25).
enum ParserFuzz {
    struct Totals {
        var inputs = 0, cleanInputs = 0, bytes = 0, feeds = 0, replies = 0, errorReplies = 0
        var protocolErrors = 0, closes = 0, probes = 0, engineReplacements = 0
        var mutations: [MutationKind: Int] = [:]

        func report(to run: TestRun) {
            run.metric("inputs", Double(inputs), unit: "count")
            run.metric("clean_inputs", Double(cleanInputs), unit: "count")
            run.metric("bytes", Double(bytes), unit: "bytes")
            run.metric("feeds", Double(feeds), unit: "count")
            run.metric("replies", Double(replies), unit: "count")
            run.metric("error_replies", Double(errorReplies), unit: "count")
            run.metric("protocol_errors", Double(protocolErrors), unit: "count")
            run.metric("closed_connections", Double(closes), unit: "count")
            run.metric("quit_probes", Double(probes), unit: "count")
            run.metric("engine_replacements", Double(engineReplacements), unit: "count")
            // Sorted: the order of metrics is part of the run's output.
            for kind in MutationKind.allCases {
                run.metric("mutations.\(kind.rawValue)", Double(mutations[kind, default: 0]), unit: "count")
            }
        }
    }

    static func run(_ run: TestRun) throws {
        let inputCount = try run.parameter("inputs", default: 200)
        let pingEvery = max(1, try run.parameter("ping_every", default: 25))
        let base = run.random.next()
        run.log("resp_parser: seed \(run.seed), \(inputCount) inputs, input stream 0x\(String(base, radix: 16))")
        let mutator = RequestMutator()
        let feeder = InputFeeder(corpus: mutator.corpus)
        var engine = try run.openEngine()
        var totals = Totals()
        defer { totals.report(to: run) }

        for index in 0..<inputCount {
            try run.checkCancellation()
            var random = SplitMix64.forInput(base: base, index: index)
            let input = mutator.input(using: &random)
            let chunks = ChunkPlan.sizes(total: input.bytes.count, using: &random)
            run.log("input \(index): \(input.summary(mutator.corpus)) in \(chunks.count) feeds", level: .debug)
            totals.inputs += 1
            totals.bytes += input.bytes.count
            if input.isClean { totals.cleanInputs += 1 }
            for kind in input.mutations { totals.mutations[kind, default: 0] += 1 }

            // Should this input bring the worker down, the host saves it (crash-input.resp):
            // `redis-cli` or `nc` can send it to a server as it is.
            run.keepIfCrashing("crash-input.resp", input.bytes)
            let outcome: InputFeeder.Outcome
            do {
                outcome = try feeder.run(input, chunks: chunks) { try engine.feed($0) }
            } catch {
                if error.error.isCancellation { throw error.error }
                guard totals.feeds + error.feeds > 0 else {
                    throw Skip("resp_parser needs engine_feed (ABI 1.3): \(error.error)")
                }
                report(["feed threw: \(error.error)"], input: input, index: index, chunks: chunks, mutator: mutator, run: run)
                break
            }
            totals.feeds += outcome.feeds
            totals.replies += outcome.replies
            totals.errorReplies += outcome.errorReplies
            totals.protocolErrors += outcome.protocolErrors
            if outcome.closed { totals.closes += 1 }
            if outcome.probed { totals.probes += 1 }
            if !outcome.violations.isEmpty {
                report(outcome.violations, input: input, index: index, chunks: chunks, mutator: mutator, run: run)
                break
            }
            // The next input starts on a fresh connection.
            if !outcome.closed {
                engine.close()
                engine = try run.openEngine()
                totals.engineReplacements += 1
            }
            if (index + 1) % pingEvery == 0 { try checkPing(engine, run: run, after: "input \(index)") }
        }
        try checkPing(engine, run: run, after: "the last input")
        do {
            let size = try engine.execute("DBSIZE")
            run.check(size.integerValue.map { $0 >= 0 } ?? false, "seed \(run.seed): DBSIZE answered \(size)")
        } catch let error as SDKError where error.isCancellation {
            throw error
        } catch {
            run.fail("seed \(run.seed): DBSIZE threw \(error)")
        }
    }

    private static func checkPing(_ engine: Engine, run: TestRun, after: String) throws {
        do {
            let reply = try engine.execute("PING")
            run.check(reply == .status("PONG"), "seed \(run.seed): PING after \(after) answered \(reply)")
        } catch let error as SDKError where error.isCancellation {
            throw error
        } catch {
            run.fail("seed \(run.seed): PING after \(after) threw \(error)")
        }
    }

    private static func report(_ violations: [String], input: FuzzInput, index: Int, chunks: [Int],
                               mutator: RequestMutator, run: TestRun) {
        let shownChunks = chunks.prefix(20).map(String.init).joined(separator: ",") + (chunks.count > 20 ? ",..." : "")
        run.fail("""
            resp_parser seed \(run.seed) input \(index) (\(input.summary(mutator.corpus))): \
            \(violations.prefix(5).joined(separator: "; "))\(violations.count > 5 ? " (\(violations.count) in all)" : ""); \
            fed in chunks [\(shownChunks)]; input \(Reply.quoted(input.bytes, limit: 400))
            """)
        try? run.artifact("input-\(index).bin", input.bytes)
    }
}
