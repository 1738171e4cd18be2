/// The oracle for one feed's answer: what the engine's front end wrote back for one chunk of
/// an input, and whether it closed the connection.
///
/// - the output is a whole number of well-formed RESP2/RESP3 replies (``RESPValidator``):
///   replies are written whole, so even a feed that ends mid-request has no partial reply;
/// - every error reply, nested ones included, obeys ``ErrorReplyRule``;
/// - a protocol error (`-ERR Protocol error: ...`) is the last reply, and the connection is
///   closed after it;
/// - a closed connection's last reply is that protocol error or QUIT's `+OK`.
///
/// Public: the libFuzzer build judges the engine's front end with the same oracle.
public struct FeedCheck {
    static let protocolErrorPrefix = Array("ERR Protocol error".utf8)

    /// What one feed's output held.
    public struct Outcome {
        /// Complete top-level replies.
        public var replies = 0
        /// Error replies, nested ones included.
        public var errorReplies = 0
        /// One of the replies is a protocol error.
        public var protocolError = false
        /// What broke the rules, in words; empty when nothing did.
        public var violations: [String] = []
    }

    /// Judges `output`, the bytes one feed wrote back; `closed` is whether the connection
    /// was closed after it.
    public static func check(output: [UInt8], closed: Bool) -> Outcome {
        var outcome = Outcome()
        let report = RESPValidator().validate(output)
        outcome.replies = report.replies
        outcome.errorReplies = report.errors.count
        if let malformation = report.malformation {
            outcome.violations.append("malformed reply stream \(malformation)")
        }
        for range in report.errors {
            if let violation = ErrorReplyRule.violation(output[range]) {
                outcome.violations.append("\(violation) at byte \(range.lowerBound - 1)")
            }
        }
        // Top-level replies only: a protocol error cannot be nested in anything.
        var lastReply: Range<Int>?
        for (index, start) in report.replyStarts.enumerated() {
            let end = index + 1 < report.replyStarts.count ? report.replyStarts[index + 1]
                : (report.malformation?.offset ?? output.count)
            lastReply = start..<end
            let isProtocolError = output[start] == UInt8(ascii: "-")
                && output[(start + 1)...].starts(with: protocolErrorPrefix)
            if isProtocolError {
                outcome.protocolError = true
                if index + 1 < report.replyStarts.count {
                    outcome.violations.append("replies after the protocol error at byte \(start)")
                }
                if !closed {
                    outcome.violations.append("the connection stayed open after the protocol error at byte \(start)")
                }
            }
        }
        if closed {
            let last = lastReply.map { Array(output[$0]) }
            let isQuitOK = last == Array("+OK\r\n".utf8)
            if !outcome.protocolError && !isQuitOK {
                outcome.violations.append("the connection closed without a protocol error or QUIT's +OK as its last reply")
            }
        }
        return outcome
    }
}
