/// One valid request stream the mutators start from (public: the libFuzzer build and the
/// parser benchmark start from the same corpus).
public struct CorpusEntry: Sendable {
    /// A short label for logs (`strings/multibulk`).
    public let name: String
    /// The commands, in order, as the engine should receive them.
    public let commands: [[[UInt8]]]
    /// The bytes sent.
    public let bytes: [UInt8]
    /// The last command is QUIT: the connection must close after its `+OK`.
    public var endsWithQuit: Bool {
        commands.last.map { $0.count == 1 && $0[0] == Array("QUIT".utf8) } ?? false
    }
}

/// The seed corpus: pipelines of every command family (strings, lists, hashes, sets, sorted
/// sets, keys and expiry, server, transactions), HELLO 2/3 with RESP3-shaped replies after
/// it, binary and long values, each written as multibulk, as inline and mixed. Fixed: the same
/// in every run, so an input is a function of its seed and index alone.
///
/// Every pipeline leaves the connection as it found it (no open MULTI), so an unmutated entry
/// must get exactly one reply per command.
public enum RequestCorpus {
    /// How a pipeline is written.
    enum Form: String, CaseIterable {
        case multibulk, inline, mixed
    }

    /// Every entry, in a fixed order: per family its multibulk, inline, mixed and single forms.
    public static let entries: [CorpusEntry] = {
        var entries: [CorpusEntry] = []
        for (family, commands) in pipelines {
            for form in Form.allCases {
                entries.append(CorpusEntry(name: "\(family)/\(form.rawValue)", commands: commands,
                                           bytes: encode(commands, form)))
            }
            // Its first command alone (but never a MULTI, which would stay open): short entries
            // make short, dense inputs.
            let first = [commands.first { $0[0] != Array("MULTI".utf8) } ?? commands[0]]
            entries.append(CorpusEntry(name: "\(family)/single", commands: first, bytes: encode(first, .multibulk)))
        }
        return entries
    }()

    static func encode(_ commands: [[[UInt8]]], _ form: Form) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, argv) in commands.enumerated() {
            switch form {
            case .multibulk: bytes += RequestEncoder.multibulk(argv)
            case .inline: bytes += RequestEncoder.inline(argv)
            case .mixed:
                // Alternating forms; every third inline line ends in a bare LF.
                bytes += index % 2 == 0 ? RequestEncoder.multibulk(argv)
                    : RequestEncoder.inline(argv, terminator: index % 3 == 1 ? [0x0A] : [0x0D, 0x0A])
            }
        }
        return bytes
    }

    private static func c(_ words: String...) -> [[UInt8]] { words.map { Array($0.utf8) } }

    static let binary: [UInt8] = [0x00, 0x0D, 0x0A, 0xFF, 0x22, 0x27, 0x5C, 0x20, 0x2A, 0x24]

    /// The pipelines, in a fixed order.
    static let pipelines: [(String, [[[UInt8]]])] = [
        ("strings", [
            c("SET", "k", "v"), c("SET", "k", "v2", "EX", "100", "NX"), c("GET", "k"), c("INCR", "n"),
            c("INCRBY", "n", "-9223372036854775807"), c("INCRBYFLOAT", "f", "1.5e3"), c("APPEND", "k", "tail"),
            c("GETRANGE", "k", "0", "-1"), c("SETRANGE", "k", "2", "xyz"), c("MSET", "a", "1", "b", "2"),
            c("MGET", "a", "b", "missing"), c("GETEX", "k", "PERSIST"), c("STRLEN", "k"), c("GETDEL", "a"),
        ]),
        ("lists", [
            c("RPUSH", "l", "a", "b", "c"), c("LRANGE", "l", "0", "-1"), c("LPOP", "l", "2"),
            c("LINSERT", "l", "BEFORE", "c", "x"), c("LPOS", "l", "c", "RANK", "1"),
            c("LMOVE", "l", "l2", "LEFT", "RIGHT"), c("LINDEX", "l", "-1"), c("LLEN", "l2"),
        ]),
        ("hashes", [
            c("HSET", "h", "f", "v", "f2", "v2"), c("HGETALL", "h"), c("HINCRBY", "h", "n", "5"),
            c("HINCRBYFLOAT", "h", "x", "0.1"), c("HRANDFIELD", "h", "-3", "WITHVALUES"),
            c("HSCAN", "h", "0", "MATCH", "f*", "COUNT", "10"), c("HMGET", "h", "f", "nope"), c("HDEL", "h", "f2"),
        ]),
        ("sets", [
            c("SADD", "s", "a", "b", "c", "1", "2"), c("SMEMBERS", "s"), c("SADD", "s2", "b", "z"),
            c("SINTERCARD", "2", "s", "s2", "LIMIT", "1"), c("SSCAN", "s", "0"), c("SMISMEMBER", "s", "a", "q"),
            c("SPOP", "s2"), c("SCARD", "s"),
        ]),
        ("sorted_sets", [
            c("ZADD", "z", "1", "a", "2", "b", "-inf", "c"), c("ZRANGE", "z", "0", "-1", "WITHSCORES"),
            c("ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "1"), c("ZSCORE", "z", "a"),
            c("ZUNIONSTORE", "d", "2", "z", "z2", "WEIGHTS", "1", "2", "AGGREGATE", "MAX"),
            c("ZRANGEBYLEX", "z", "-", "+"), c("ZPOPMIN", "z"), c("ZINCRBY", "z", "2.5", "b"),
        ]),
        ("keys", [
            c("SET", "k", "v"), c("EXPIRE", "k", "100", "NX"), c("TTL", "k"), c("TYPE", "k"),
            c("RENAME", "k", "k2"), c("COPY", "k2", "k3", "REPLACE"), c("SCAN", "0", "MATCH", "*", "COUNT", "100"),
            c("EXISTS", "k2", "k3", "k"), c("PERSIST", "k2"), c("DEL", "k2", "k3"),
        ]),
        ("server", [
            c("PING"), c("PING", "hello world"), c("ECHO", "with \"quotes\" and \\"), c("DBSIZE"),
            c("SELECT", "1"), c("INFO", "keyspace"), c("COMMAND", "COUNT"), c("CONFIG", "GET", "hz"),
            c("SELECT", "0"),
        ]),
        ("transactions", [
            c("MULTI"), c("SET", "t", "1"), c("INCR", "t"), c("LPUSH", "t", "x"), c("EXEC"),
            c("WATCH", "t"), c("MULTI"), c("GET", "t"), c("DISCARD"), c("UNWATCH"),
        ]),
        ("resp3", [
            c("HELLO", "3"), c("HSET", "h3", "a", "1"), c("HGETALL", "h3"), c("ZADD", "z3", "1.5", "m"),
            c("ZRANGE", "z3", "0", "-1", "WITHSCORES"), c("ZSCORE", "z3", "m"), c("SADD", "s3", "x"),
            c("SMEMBERS", "s3"), c("CONFIG", "GET", "*"), c("GET", "missing"), c("HELLO", "2"), c("HGETALL", "h3"),
        ]),
        ("hello", [c("HELLO"), c("HELLO", "2"), c("HELLO", "4"), c("HELLO", "3"), c("PING"), c("HELLO", "abc")]),
        ("binary", [
            [Array("SET".utf8), binary, binary], [Array("GET".utf8), binary], [Array("ECHO".utf8), []],
            [Array("SET".utf8), Array("big".utf8), Array(repeating: UInt8(ascii: "x"), count: 10_000)],
            c("STRLEN", "big"), [Array("HSET".utf8), binary, [], binary],
        ]),
        ("errors", [
            c("NOSUCHCOMMAND", "x"), c("GET"), c("SET", "k", "v", "EX", "-1"), c("LPUSH", "k", "x"),
            c("INCR", "k"), c("EXEC"), c("SELECT", "99"), c("ZADD", "z", "nan", "m"),
        ]),
        ("quit", [c("SET", "q", "1"), c("GET", "q"), c("QUIT")]),
    ]
}
