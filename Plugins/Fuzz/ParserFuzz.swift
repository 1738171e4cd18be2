import DSTPluginSDK

/// The `resp_parser` test: mutated request streams fed in random chunks to the engine's RESP
/// front end (`Engine.feed`, ABI 1.3), every answer checked by ``FeedCheck``.
///
/// Input `n` of a seed is a function of `(seed, n)` alone (``SplitMix64/forInput(base:index:)``),
/// and its index and summary are logged at debug level before it is fed: when the process
/// dies, the run's last log line names the input, and `dst-host replay` regenerates it.
///
/// Every input starts on a fresh connection: after an input that left the connection open,
/// `\r\nQUIT\r\n` is fed (its answer is checked as part of the input); if even that does not
/// close it (the parser is inside a long bulk string), the engine is replaced. Clean inputs
/// (unmutated corpus entries) must get exactly one reply per command, no protocol error, and
/// be closed exactly when they end with QUIT. Every `ping_every` inputs and at the end the
/// engine must still answer PING, and DBSIZE at the very end.
///
/// Parameters: `inputs` (per seed, default 200), `ping_every` (default 25).
enum ParserFuzz {
    static let probe = Array("\r\nQUIT\r\n".utf8)

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

            var violations: [String] = []
            var replies = 0
            var closed = false
            var sawProtocolError = false
            var offset = 0
            for size in chunks {
                let result: FeedResult
                do {
                    result = try engine.feed(Array(input.bytes[offset..<offset + size]))
                } catch let error as SDKError where error.status == DST_ERR_UNSUPPORTED && totals.feeds == 0 {
                    throw Skip("resp_parser needs engine_feed (ABI 1.3): \(error)")
                } catch let error as SDKError where error.isCancellation {
                    throw error
                } catch {
                    violations.append("feed of bytes \(offset)..<\(offset + size) threw: \(error)")
                    report(violations, input: input, index: index, chunks: chunks, mutator: mutator, run: run)
                    return
                }
                totals.feeds += 1
                offset += size
                let outcome = FeedCheck.check(output: result.output, closed: result.closed)
                violations += outcome.violations.map { "feed ending at byte \(offset): \($0)" }
                replies += outcome.replies
                totals.errorReplies += outcome.errorReplies
                if outcome.protocolError { sawProtocolError = true; totals.protocolErrors += 1 }
                if result.closed { closed = true; totals.closes += 1; break }
            }

            if input.isClean {
                let expected = RequestFramer.frame(input.bytes).commands.count
                if replies != expected { violations.append("a clean input got \(replies) replies for \(expected) commands") }
                if sawProtocolError { violations.append("a clean input got a protocol error") }
                let endsWithQuit = input.entries.last.map { mutator.corpus[$0].endsWithQuit } ?? false
                if closed != endsWithQuit {
                    violations.append(closed ? "a clean input without QUIT closed the connection" : "QUIT did not close the connection")
                }
            }

            // The next input starts on a fresh connection.
            if !closed {
                totals.probes += 1
                let result = try feedProbe(engine, run: run, violations: &violations)
                if let result, result.closed { closed = true; totals.closes += 1 }
            }
            totals.replies += replies
            if !violations.isEmpty {
                report(violations, input: input, index: index, chunks: chunks, mutator: mutator, run: run)
                break
            }
            if !closed {
                engine.close()
                engine = try run.openEngine()
                totals.engineReplacements += 1
            }
            if (index + 1) % pingEvery == 0 { checkPing(engine, run: run, after: "input \(index)") }
        }
        checkPing(engine, run: run, after: "the last input")
        do {
            let size = try engine.execute("DBSIZE")
            run.check(size.integerValue.map { $0 >= 0 } ?? false, "seed \(run.seed): DBSIZE answered \(size)")
        } catch let error as SDKError where error.isCancellation {
            throw error
        } catch {
            run.fail("seed \(run.seed): DBSIZE threw \(error)")
        }
    }

    /// Feeds `\r\nQUIT\r\n` and checks its answer; nil when the feed itself failed (recorded).
    private static func feedProbe(_ engine: Engine, run: TestRun, violations: inout [String]) throws -> FeedResult? {
        do {
            let result = try engine.feed(probe)
            violations += FeedCheck.check(output: result.output, closed: result.closed).violations
                .map { "the QUIT probe after the input: \($0)" }
            return result
        } catch let error as SDKError where error.isCancellation {
            throw error
        } catch {
            violations.append("the QUIT probe after the input threw: \(error)")
            return nil
        }
    }

    private static func checkPing(_ engine: Engine, run: TestRun, after: String) {
        do {
            let reply = try engine.execute("PING")
            run.check(reply == .status("PONG"), "seed \(run.seed): PING after \(after) answered \(reply)")
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
