extension CommandGenerator {
    /// Hashes: multi-pair HSET (an odd argument count is an arity error), HINCRBY and
    /// HINCRBYFLOAT at the limits and on non-numeric values, HRANDFIELD with every count sign,
    /// HSCAN with MATCH.
    static func hashCommand(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        switch draw.below(30) {
        case 0, 1, 2, 3:
            var arguments: [OracleArgument] = ["HSET", key]
            for _ in 0..<draw.int(in: 1...3) { arguments += [draw.element(), draw.value()] }
            if draw.edgy && draw.chance(1, in: 4) { arguments.removeLast() }
            return OracleCommand(arguments)
        case 4:
            var arguments: [OracleArgument] = ["HMSET", key]
            for _ in 0..<draw.int(in: 1...2) { arguments += [draw.element(), draw.value()] }
            return OracleCommand(arguments)
        case 5: return OracleCommand(["HSETNX", key, draw.element(), draw.value()])
        case 6, 7: return OracleCommand(["HGET", key, draw.element()])
        case 8: return OracleCommand(["HMGET", key] + draw.elements(1...4))
        case 9, 10: return OracleCommand(["HGETALL", key], comparison: .unorderedPairs)
        case 11, 12: return OracleCommand(["HDEL", key] + draw.elements(1...3))
        case 13: return OracleCommand(["HEXISTS", key, draw.element()])
        case 14: return OracleCommand(["HLEN", key])
        case 15: return OracleCommand(["HKEYS", key], comparison: .unordered)
        case 16: return OracleCommand(["HVALS", key], comparison: .unordered)
        case 17, 18: return OracleCommand(["HINCRBY", key, draw.element(), draw.integer()])
        case 19, 20: return OracleCommand(["HINCRBYFLOAT", key, draw.element(), draw.float()])
        case 21: return OracleCommand(["HSTRLEN", key, draw.element()])
        case 22, 23: return randomFieldCommand(key, &draw)
        case 24: return scanCommand("HSCAN", key, pairs: true, &draw)
        default: return otherType(&draw)
        }
    }

    /// `HRANDFIELD key [count [WITHVALUES]]`, compared by shape.
    private static func randomFieldCommand(_ key: OracleArgument, _ draw: inout Draw) -> OracleCommand {
        if draw.chance(1, in: 4) { return OracleCommand(["HRANDFIELD", key], comparison: .shape(count: nil, withValues: false)) }
        let count = randomCount(&draw)
        let withValues = draw.bool()
        var arguments: [OracleArgument] = ["HRANDFIELD", key, count.argument]
        if withValues { arguments.append(draw.edgy && draw.bool() ? "WITHSCORES" : "WITHVALUES") }
        return OracleCommand(arguments, comparison: .shape(count: count.value, withValues: withValues))
    }

    /// A count for SRANDMEMBER, HRANDFIELD and ZRANDMEMBER: positive (some within, some past
    /// any collection), zero, negative (repeats allowed); when edgy, the limits or invalid.
    static func randomCount(_ draw: inout Draw) -> (argument: OracleArgument, value: Int64?) {
        if draw.edgy {
            switch draw.below(3) {
            case 0: return ("-9223372036854775808", Int64.min)
            case 1: return ("9223372036854775807", Int64.max)
            default: return (draw.pick(["abc", "", "1.5"]), nil)
            }
        }
        switch draw.below(6) {
        case 0, 1, 2:
            let value = Int64(draw.int(in: 1...12))
            return (.bytes(Array(String(value).utf8)), value)
        case 3: return ("0", 0)
        default:
            let value = -Int64(draw.int(in: 1...6))
            return (.bytes(Array(String(value).utf8)), value)
        }
    }

    /// A SCAN-family call that reads everything in one page: cursor 0 and a COUNT no
    /// collection or key space here reaches. (Redis stops a hashtable scan once it has COUNT
    /// elements, so a 10-member set under the default COUNT 10 answers a nonzero cursor even
    /// with every member returned, where Redlite says 0: cursors are encoding details.) When
    /// edgy, an invalid cursor or COUNT, or an unknown option, which both sides must refuse
    /// alike.
    static func scanCommand(_ name: OracleArgument, _ key: OracleArgument?, pairs: Bool, _ draw: inout Draw) -> OracleCommand {
        var arguments: [OracleArgument] = [name]
        if let key { arguments.append(key) }
        arguments.append(draw.edgy && draw.chance(1, in: 3) ? draw.pick(["abc", " 0", "1.5", ""]) : "0")
        var options: [[OracleArgument]] = [["COUNT", draw.pick(["100", "1000"] as [OracleArgument])]]
        if draw.bool() {
            options.append(["MATCH", draw.chance(1, in: 2) ? draw.pick(Draw.patterns) : draw.pick(["a*", "*1*", "[^a]*", "b", "[0-9]*", "-*"])])
        }
        if draw.edgy {
            switch draw.below(3) {
            case 0: options.append(["COUNT", draw.pick(["0", "-1", "abc"])])
            case 1: options.append([draw.pick(["COUNT", "bogus", "MATCH"])])
            default: options.append(["MATCH"])
            }
        }
        draw.shuffle(&options)
        return OracleCommand(arguments + options.flatMap { $0 }, comparison: .scan(pairs: pairs))
    }
}
