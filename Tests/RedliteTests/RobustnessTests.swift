import RESP
import Testing
@testable import Redlite

/// Hostile input: every command name with argument lists drawn by a seed from values chosen to
/// hit parsers' edges. The engine must answer every one (a crash kills the test run), every
/// reply must be well-formed RESP in both protocols, and the file must stay sound.
@Suite struct RobustnessTests {
    /// Arguments that have broken parsers before: empty, binary, signs, overflow, special
    /// floats, range markers, option words, and the key names the run uses.
    static let tricky: [[UInt8]] = {
        let words = [
            "", "0", "1", "-1", "2", "10", "-10", "100", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "18446744073709551616", "1.5", "-0", "+1", " 1", "1 ", "01", "inf", "-inf",
            "+inf", "nan", "1e400", "0x10", "(1", "(", "[a", "(a", "[", "-", "+", "*", "?", "[^a]", "\\",
            "NX", "XX", "GT", "LT", "CH", "INCR", "EX", "PX", "EXAT", "PXAT", "KEEPTTL", "GET", "PERSIST",
            "WITHSCORES", "LIMIT", "BYSCORE", "BYLEX", "REV", "COUNT", "MATCH", "TYPE", "WEIGHTS", "AGGREGATE",
            "SUM", "MIN", "MAX", "LEFT", "RIGHT", "BEFORE", "AFTER", "RANK", "MAXLEN", "DB", "REPLACE",
            "WITHVALUES", "ASYNC", "string", "list", "k1", "k2", "k3", "h", "l", "s", "z", "str",
        ]
        return words.map { Array($0.utf8) } + [[0], [0xff, 0xfe], [0x0d, 0x0a], Array(repeating: 0x61, count: 300)]
    }()

    /// Commands per seed.
    static let steps = 20_000

    /// Commands that would end the experiment rather than test it.
    static let skipped: Set<String> = ["flushall", "flushdb", "swapdb", "vacuum", "multi"]

    @Test(arguments: [UInt64(1), 2, 3])
    func randomCommandsNeverBreakTheEngine(seed: UInt64) throws {
        let db = TestDatabase(seed: seed)
        let random = SeededRandom(seed: seed &* 7919)
        let names = CommandTable.all.map(\.name).filter { !Self.skipped.contains($0) }
        // Seed some data of every type so commands meet real values, not only missing keys.
        for key in ["k1", "k2", "k3"] {
            db("SET", "str", "12")
            db("RPUSH", "l", key, "x")
            db("HSET", "h", key, "1")
            db("SADD", "s", key, "x")
            db("ZADD", "z", "1", key)
        }
        var errors = 0
        for step in 0..<Self.steps {
            let name = names[random.uniform(below: names.count)]
            var argv = [Array(name.utf8)]
            for _ in 0..<random.uniform(below: 7) {
                argv.append(Self.tricky[random.uniform(below: Self.tricky.count)])
            }
            let reply = db.run(argv)
            if reply.isError { errors += 1 }
            try Self.expectWellFormed(reply, command: argv, step: step)
            if step % 500 == 499 { #expect(try db.integrityCheck() == ["ok"]) }
            // Keep virtual time moving so expiries fire mid-run.
            db.advance(milliseconds: Int64(random.uniform(below: 50)))
        }
        // Some commands must have succeeded and some failed, or the generator is broken.
        #expect(errors > Self.steps / 10 && errors < Self.steps * 9 / 10)
        #expect(try db.integrityCheck() == ["ok"])
    }

    /// Encodes in RESP2 and RESP3 and decodes the bytes back.
    static func expectWellFormed(_ reply: Reply, command: [[UInt8]], step: Int) throws {
        for version in [ProtocolVersion.resp2, .resp3] {
            var decoder = ReplyDecoder()
            decoder.append(ReplyEncoder.encode(reply, protocol: version))
            let decoded = try decoder.next()
            #expect(decoded != nil, "step \(step): \(command.map { String(decoding: $0, as: UTF8.self) }) gave a truncated reply")
            #expect(decoder.bufferedByteCount == 0, "step \(step): trailing bytes after the reply")
        }
        if case .error(let message) = reply {
            #expect(!message.contains("\r") && !message.contains("\n"), "error text must be one line: \(message)")
            let code = message.prefix(while: { $0 != " " })
            #expect(code == code.uppercased() && !code.isEmpty, "error must start with an upper-case code: \(message)")
        }
    }
}
