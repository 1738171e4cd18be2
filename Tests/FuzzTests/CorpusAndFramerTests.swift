import DSTPluginSDK
import Testing
@testable import Fuzz

/// The seed corpus is valid requests, by the framer's (Redis's) rules; the framer itself and
/// the encoders agree.
struct CorpusAndFramerTests {
    private func frame(_ text: String) -> RequestFramer.Result {
        RequestFramer.frame(Array(text.utf8))
    }

    private func words(_ items: String...) -> [[UInt8]] { items.map { Array($0.utf8) } }

    @Test func everyEntryIsValidRequests() {
        #expect(RequestCorpus.entries.count >= 40)
        for entry in RequestCorpus.entries {
            let result = RequestFramer.frame(entry.bytes)
            #expect(result.outcome == .complete, "\(entry.name)")
            #expect(result.commands == entry.commands, "\(entry.name)")
        }
    }

    @Test func coversEveryFamilyAndForm() {
        let names = RequestCorpus.entries.map(\.name)
        for family in ["strings", "lists", "hashes", "sets", "sorted_sets", "keys", "server", "transactions",
                       "resp3", "hello", "binary", "errors", "quit"] {
            for form in ["multibulk", "inline", "mixed", "single"] {
                #expect(names.contains("\(family)/\(form)"), "\(family)/\(form)")
            }
        }
        let commands = RequestCorpus.entries.flatMap(\.commands)
        #expect(commands.contains(words("HELLO", "3")))
        #expect(commands.contains(words("HELLO", "2")))
        #expect(RequestCorpus.entries.filter(\.endsWithQuit).count == 3)
        // No pipeline leaves a MULTI open (a clean input must get one reply per command).
        for entry in RequestCorpus.entries {
            var open = false
            for argv in entry.commands {
                let name = String(decoding: argv[0], as: UTF8.self).uppercased()
                if name == "MULTI" { open = true }
                if name == "EXEC" || name == "DISCARD" { open = false }
            }
            #expect(!open, "\(entry.name)")
        }
    }

    @Test func framesLikeRedis() {
        #expect(frame("*0\r\n*-1\r\n\r\n\n   \r\n").commands.isEmpty)
        #expect(frame("*0\r\n*-1\r\n\r\n").outcome == .complete)
        #expect(frame("PING\r\nECHO  a   b\n").commands == [words("PING"), words("ECHO", "a", "b")])
        #expect(frame(#"SET "a b" 'c\'d' "\x41\n\"" plain"#  + "\r\n").commands
                == [words("SET", "a b", "c'd", "A\n\"", "plain")])
        #expect(frame("*1\r\n$3\r\nGET\r\n").commands == [words("GET")])
        #expect(frame("*1\r\n$3\r\nGE").outcome == .incomplete(offset: 0))
        #expect(frame("PING\r\n*2\r\n$3\r\nGET\r\n").outcome == .incomplete(offset: 6))
        #expect(frame("PING").outcome == .incomplete(offset: 0))
        #expect(frame("*2147483648\r\n") .outcome == .invalid(offset: 0, reason: "invalid multibulk length"))
        #expect(frame("*2147483647\r\n").outcome == .incomplete(offset: 0))
        #expect(frame("*1\r\n:5\r\n").outcome == .invalid(offset: 4, reason: "expected '$'"))
        #expect(frame("*1\r\n$536870913\r\n").outcome == .invalid(offset: 4, reason: "invalid bulk length"))
        #expect(frame("*1\r\n$536870912\r\n").outcome == .incomplete(offset: 0))
        #expect(frame("*+1\r\n").outcome == .invalid(offset: 0, reason: "invalid multibulk length"))
        #expect(frame("*1\r\n$01\r\nx\r\n").outcome == .invalid(offset: 4, reason: "invalid bulk length"))
        #expect(frame("$5\r\n").commands == [words("$5")])
        #expect(frame("ECHO \"open\r\n").outcome == .invalid(offset: 0, reason: "unbalanced quotes in request"))
        #expect(frame("ECHO \"a\"b\r\n").outcome == .invalid(offset: 0, reason: "unbalanced quotes in request"))
        #expect(frame("ECHO 'a'b\r\n").outcome == .invalid(offset: 0, reason: "unbalanced quotes in request"))
        #expect(frame("ECHO a\u{0}b\r\n").outcome == .invalid(offset: 6, reason: "a NUL byte in an inline request"))
    }

    /// Any argv survives both encodings: binary bytes, quotes, backslashes, spaces, empty.
    @Test func encodersRoundTrip() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let argv = (0..<random.int(in: 1...5)).map { _ -> [UInt8] in
                random.chance(1, in: 5) ? [] : (0..<random.int(in: 1...12)).map { _ in
                    random.bool() ? random.pick(Array(" \"'\\\r\n\tab0x".utf8)) : random.byte()
                }
            }
            #expect(RequestFramer.frame(RequestEncoder.multibulk(argv)).commands == [argv])
            #expect(RequestFramer.frame(RequestEncoder.inline(argv)).commands == [argv])
            #expect(RequestFramer.frame(RequestEncoder.inline(argv, terminator: [0x0A])).commands == [argv])
        }
    }
}
