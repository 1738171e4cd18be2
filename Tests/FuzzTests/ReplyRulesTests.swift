import DSTPluginSDK
import Testing
@testable import Fuzz

/// The error-text rule and the per-feed oracle built on the validator.
struct ReplyRulesTests {
    @Test func errorCodesAreUppercaseWords() {
        for good in ["ERR unknown command", "WRONGTYPE Operation against a key", "NOPROTO sorry",
                     "EXECABORT Transaction discarded", "NOSCRIPT No matching script", "ERR Protocol error: invalid bulk length",
                     "MOVED2 x", "BUSY_KEY x"] {
            #expect(ErrorReplyRule.violation(Array(good.utf8)) == nil, "\(good)")
        }
        for bad in ["err lowercase", "", "ERR", "ERR ", "ERR a\r\nb", "ERR a\nb", "1ERR x", " ERR x", "Err x", "ERR-X y"] {
            #expect(ErrorReplyRule.violation(Array(bad.utf8)) != nil, "\(bad)")
        }
        // A raw byte quoted in a protocol error is fine: it is not CR or LF.
        #expect(ErrorReplyRule.violation(Array("ERR Protocol error: expected '$', got '".utf8) + [0xFF, 0x27]) == nil)
    }

    private func check(_ text: String, closed: Bool) -> FeedCheck.Outcome {
        FeedCheck.check(output: Array(text.utf8), closed: closed)
    }

    @Test func wholeRepliesOnAnOpenConnection() {
        let outcome = check("+OK\r\n:1\r\n-ERR x y\r\n", closed: false)
        #expect(outcome.violations.isEmpty)
        #expect(outcome.replies == 3)
        #expect(outcome.errorReplies == 1)
        #expect(!outcome.protocolError)
        #expect(check("", closed: false).violations.isEmpty)
    }

    @Test func protocolErrorsCloseAndComeLast() {
        let good = check("+OK\r\n-ERR Protocol error: invalid bulk length\r\n", closed: true)
        #expect(good.violations.isEmpty)
        #expect(good.protocolError)
        #expect(check("-ERR Protocol error: invalid bulk length\r\n", closed: false).violations.count == 1)
        #expect(check("-ERR Protocol error: x\r\n+OK\r\n", closed: true).violations.count == 1)
        #expect(check("+OK\r\n", closed: true).violations.isEmpty)
        #expect(check(":1\r\n", closed: true).violations.count == 1)
        #expect(check("", closed: true).violations.count == 1)
    }

    @Test func badRepliesAreViolations() {
        #expect(!check("$3\r\nab", closed: false).violations.isEmpty)
        #expect(!check("-wrongtype x\r\n", closed: false).violations.isEmpty)
        #expect(!check("*1\r\n-bad\r\n", closed: false).violations.isEmpty)
        #expect(!check("+a\rb\r\n", closed: false).violations.isEmpty)
    }
}
