import DSTPluginSDK

/// Feeds one input to a RESP front end chunk by chunk and judges every answer: the per-input
/// half of the `resp_parser` test, written against a `feed` function so it runs in process
/// against a model front end too.
///
/// Each feed's answer goes through ``FeedCheck``. Feeding stops when the connection closes
/// (a server discards what follows). A connection still open at the end gets
/// ``InputFeeder/probe`` (`\r\nQUIT\r\n`), whose answer is checked as part of the input, so
/// the next input starts on a fresh connection; if even that does not close it (the parser is
/// inside a long bulk string), ``Outcome/closed`` stays false and the caller replaces the
/// engine. A clean input (unmutated corpus entries) must get exactly one reply per command
/// (``RequestFramer``), no protocol error, and be closed exactly when it ends with QUIT.
struct InputFeeder {
    static let probe = Array("\r\nQUIT\r\n".utf8)

    /// What feeding one input came to.
    struct Outcome {
        var violations: [String] = []
        var feeds = 0
        var replies = 0
        var errorReplies = 0
        var protocolErrors = 0
        /// The connection was closed, by the input or by the probe.
        var closed = false
        var probed = false
    }

    /// An error `feed` threw that the caller must handle itself (cancellation, or a host
    /// without `engine_feed`), after `feeds` successful feeds of this input.
    struct Stopped: Error {
        let error: SDKError
        let feeds: Int
    }

    let corpus: [CorpusEntry]

    func run(_ input: FuzzInput, chunks: [Int], feed: ([UInt8]) throws -> FeedResult) throws(Stopped) -> Outcome {
        var outcome = Outcome()
        var inputReplies = 0
        var inputProtocolError = false
        var offset = 0
        for size in chunks {
            guard let result = try send(Array(input.bytes[offset..<offset + size]), what: "bytes \(offset)..<\(offset + size)",
                                        feed: feed, into: &outcome) else { return outcome }
            offset += size
            let check = FeedCheck.check(output: result.output, closed: result.closed)
            outcome.violations += check.violations.map { "feed ending at byte \(offset): \($0)" }
            inputReplies += check.replies
            if check.protocolError { inputProtocolError = true }
            if result.closed { outcome.closed = true; break }
        }

        if input.isClean {
            let expected = RequestFramer.frame(input.bytes).commands.count
            if inputReplies != expected {
                outcome.violations.append("a clean input got \(inputReplies) replies for \(expected) commands")
            }
            if inputProtocolError { outcome.violations.append("a clean input got a protocol error") }
            let endsWithQuit = input.entries.last.map { corpus[$0].endsWithQuit } ?? false
            if outcome.closed != endsWithQuit {
                outcome.violations.append(outcome.closed ? "a clean input without QUIT closed the connection"
                                          : "QUIT did not close the connection")
            }
        }

        if !outcome.closed {
            outcome.probed = true
            guard let result = try send(Self.probe, what: "the QUIT probe", feed: feed, into: &outcome) else { return outcome }
            outcome.violations += FeedCheck.check(output: result.output, closed: result.closed).violations
                .map { "the QUIT probe after the input: \($0)" }
            outcome.closed = result.closed
        }
        return outcome
    }

    /// One feed, counted and checked; nil when it threw (recorded as a violation).
    private func send(_ bytes: [UInt8], what: String, feed: ([UInt8]) throws -> FeedResult,
                      into outcome: inout Outcome) throws(Stopped) -> FeedResult? {
        do {
            let result = try feed(bytes)
            outcome.feeds += 1
            let check = FeedCheck.check(output: result.output, closed: result.closed)
            outcome.replies += check.replies
            outcome.errorReplies += check.errorReplies
            if check.protocolError { outcome.protocolErrors += 1 }
            return result
        } catch let error as SDKError where error.isCancellation || error.isUnsupported {
            throw Stopped(error: error, feeds: outcome.feeds)
        } catch {
            outcome.violations.append("feeding \(what) threw: \(error)")
            return nil
        }
    }
}
