extension CommandGenerator {
    /// Sorted sets: every ZADD flag and their conflicts, equal and infinite scores, NaN
    /// results, every ZRANGE form (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES) and the older
    /// range commands, exclusive and infinite bounds, store commands over sets and zsets with
    /// WEIGHTS and AGGREGATE.
    static func sortedSetCommand(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        switch draw.below(40) {
        case 0, 1, 2, 3, 4: return zadd(key, &draw)
        case 5, 6: return OracleCommand(["ZINCRBY", key, draw.float(), draw.element()])
        case 7: return OracleCommand(["ZREM", key] + draw.elements(1...3))
        case 8: return OracleCommand(["ZSCORE", key, draw.element()])
        case 9: return OracleCommand(["ZMSCORE", key] + draw.elements(1...3))
        case 10: return OracleCommand(["ZCARD", key])
        case 11: return OracleCommand(["ZCOUNT", key, scoreBound(&draw), scoreBound(&draw)])
        case 12: return OracleCommand(["ZLEXCOUNT", key, lexBound(&draw), lexBound(&draw)])
        case 13: return OracleCommand([draw.bool() ? "ZRANK" : "ZREVRANK", key, draw.element()] + (draw.edgy && draw.bool() ? ["WITHSCORE"] : []))
        case 14, 15, 16, 17: return zrange(key, &draw)
        case 18: return OracleCommand(["ZREVRANGE", key, draw.index(), draw.index()] + (draw.bool() ? ["WITHSCORES"] : []))
        case 19, 20:
            let name: OracleArgument = draw.bool() ? "ZRANGEBYSCORE" : "ZREVRANGEBYSCORE"
            var arguments: [OracleArgument] = [name, key, scoreBound(&draw), scoreBound(&draw)]
            arguments += rangeTail(withScores: true, &draw)
            return OracleCommand(arguments)
        case 21, 22:
            let name: OracleArgument = draw.bool() ? "ZRANGEBYLEX" : "ZREVRANGEBYLEX"
            var arguments: [OracleArgument] = [name, key, lexBound(&draw), lexBound(&draw)]
            arguments += rangeTail(withScores: false, &draw)
            return OracleCommand(arguments)
        case 23, 24:
            let count: [OracleArgument] = draw.bool() ? [] : [draw.edgy ? draw.pick(["-1", "abc", "9223372036854775807"]) : draw.pick(["0", "1", "2", "5"])]
            return OracleCommand([draw.bool() ? "ZPOPMIN" : "ZPOPMAX", key] + count)
        case 25: return OracleCommand(["ZREMRANGEBYRANK", key, draw.index(), draw.index()])
        case 26: return OracleCommand(["ZREMRANGEBYSCORE", key, scoreBound(&draw), scoreBound(&draw)])
        case 27: return OracleCommand(["ZREMRANGEBYLEX", key, lexBound(&draw), lexBound(&draw)])
        case 28, 29, 30: return zstore(&draw)
        case 31, 32:
            if draw.chance(1, in: 4) { return OracleCommand(["ZRANDMEMBER", key], comparison: .shape(count: nil, withValues: false)) }
            let count = randomCount(&draw)
            let withScores = draw.bool()
            return OracleCommand(["ZRANDMEMBER", key, count.argument] + (withScores ? ["WITHSCORES"] : []),
                                 comparison: .shape(count: count.value, withValues: withScores))
        case 33: return scanCommand("ZSCAN", key, pairs: true, &draw)
        case 34: return OracleCommand(["ZRANGE", key, "0", "-1", "WITHSCORES"])
        default: return otherType(&draw)
        }
    }

    /// ZADD with flags: usually a valid combination, when edgy random ones (conflicts, INCR
    /// with several pairs, a dangling score); one to four score/member pairs.
    private static func zadd(_ key: OracleArgument, _ draw: inout Draw) -> OracleCommand {
        var arguments: [OracleArgument] = ["ZADD", key]
        var pairs = draw.int(in: 1...4)
        if draw.edgy {
            for _ in 0..<draw.int(in: 1...3) {
                arguments.append(draw.pick(["NX", "XX", "GT", "LT", "CH", "INCR", "incr", "gt"]))
            }
        } else if draw.chance(1, in: 2) {
            let flags: [[OracleArgument]] = [["NX"], ["XX"], ["GT"], ["LT"], ["CH"], ["XX", "CH"], ["GT", "CH"],
                                             ["LT", "CH"], ["NX", "CH"], ["XX", "GT"], ["XX", "LT", "CH"], ["INCR"],
                                             ["NX", "INCR"], ["XX", "INCR"], ["GT", "INCR"], ["LT", "INCR"]]
            var chosen = draw.pick(flags)
            if chosen.contains("INCR") { pairs = 1 }
            draw.shuffle(&chosen)
            arguments += chosen
        }
        for _ in 0..<pairs {
            // Equal scores are common on purpose: ties are ordered by member.
            arguments += [draw.chance(1, in: 2) ? draw.pick(["0", "1", "1", "2"]) : draw.float(), draw.element()]
        }
        if draw.edgy && draw.chance(1, in: 5) { arguments.removeLast() }
        return OracleCommand(arguments)
    }

    /// ZRANGE in every form: by rank, BYSCORE, BYLEX, REV, LIMIT (only legal with BYSCORE or
    /// BYLEX), WITHSCORES (illegal with BYLEX), options in random order; the illegal
    /// combinations only when edgy.
    private static func zrange(_ key: OracleArgument, _ draw: inout Draw) -> OracleCommand {
        let form = draw.below(3)
        var arguments: [OracleArgument] = ["ZRANGE", key]
        switch form {
        case 0: arguments += [draw.index(), draw.index()]
        case 1: arguments += [scoreBound(&draw), scoreBound(&draw), "BYSCORE"]
        default: arguments += [lexBound(&draw), lexBound(&draw), "BYLEX"]
        }
        var options: [[OracleArgument]] = []
        if draw.chance(1, in: 3) { options.append(["REV"]) }
        if draw.chance(form == 0 && !draw.edgy ? 0 : 1, in: 2) { options.append(["LIMIT", limitOffset(&draw), limitCount(&draw)]) }
        if draw.chance(form == 2 && !draw.edgy ? 0 : 1, in: 2) { options.append(["WITHSCORES"]) }
        if draw.edgy && draw.chance(1, in: 3) { options.append([draw.pick(["BYSCORE", "BYLEX", "bogus", "LIMIT"])]) }
        draw.shuffle(&options)
        return OracleCommand(arguments + options.flatMap { $0 })
    }

    /// `[WITHSCORES] [LIMIT offset count]` in either order, for the pre-6.2 range commands.
    private static func rangeTail(withScores: Bool, _ draw: inout Draw) -> [OracleArgument] {
        var options: [[OracleArgument]] = []
        if withScores && draw.bool() { options.append(["WITHSCORES"]) }
        if draw.bool() { options.append(["LIMIT", limitOffset(&draw), limitCount(&draw)]) }
        if draw.edgy && draw.chance(1, in: 4) { options.append(draw.pick([["LIMIT", "1"], ["WITHSCORES"], ["bogus"]])) }
        draw.shuffle(&options)
        return options.flatMap { $0 }
    }

    private static func limitOffset(_ draw: inout Draw) -> OracleArgument {
        draw.edgy ? draw.pick(["-1", "abc", "9223372036854775807", "-9223372036854775808"]) : draw.pick(["0", "0", "1", "2", "5"])
    }

    private static func limitCount(_ draw: inout Draw) -> OracleArgument {
        draw.edgy ? draw.pick(["abc", "9223372036854775807", "-9223372036854775808", ""]) : draw.pick(["1", "2", "3", "-1", "-5", "0", "100"])
    }

    /// A score-range bound: inclusive, exclusive `(`, infinities; when edgy, also invalid
    /// forms and extreme values.
    static func scoreBound(_ draw: inout Draw) -> OracleArgument {
        switch draw.below(draw.edgy ? 10 : 6) {
        case 0..<4: return draw.pick(["0", "1", "2", "3", "-1", "1.5", "10", "(1", "(2", "(0", "(-1", "(1.5"])
        case 4: return draw.pick(["-inf", "+inf", "inf", "(-inf", "(+inf", "(inf", "-INF"])
        case 5: return .bytes(Array(String(draw.int(in: -2...4)).utf8))
        case 6, 7: return draw.pick(["abc", "(", "[1", "((1", "", "nan", "(nan", " 1", "1 "])
        default: return draw.pick(["1e308", "(1e308", "1e400", "0x10", "-0", "(-0", "(5e-324"])
        }
    }

    /// A lexicographic-range bound: `-`, `+`, `[x`, `(x`; when edgy, also invalid forms (no
    /// prefix, empty).
    static func lexBound(_ draw: inout Draw) -> OracleArgument {
        switch draw.below(draw.edgy ? 10 : 8) {
        case 0, 1: return draw.pick(["-", "+"])
        case 2..<7:
            let member = Draw.elementNames[draw.below(Draw.elementNames.count)]
            return .bytes([draw.bool() ? UInt8(ascii: "[") : UInt8(ascii: "(")] + member)
        case 7: return draw.pick(["[", "(", "[aa", "(bb", "[z", "(0"])
        default: return draw.pick(["a", "", "-inf", "+a", "-a", "*"])
        }
    }

    /// ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE over zsets, sets, missing keys and other types
    /// (WRONGTYPE), with WEIGHTS (infinite ones too) and AGGREGATE; when edgy, a wrong
    /// numkeys, a wrong number of weights, invalid ones, unknown options.
    private static func zstore(_ draw: inout Draw) -> OracleCommand {
        let name: OracleArgument = draw.pick(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])
        let keys = draw.keys(1...3)
        var numkeys: OracleArgument = .bytes(Array(String(keys.count).utf8))
        if draw.edgy && draw.chance(1, in: 4) { numkeys = draw.pick(["0", "-1", "4", "abc"]) }
        var arguments: [OracleArgument] = [name, draw.key(), numkeys] + keys
        if name != "ZDIFFSTORE" || draw.edgy {
            var options: [[OracleArgument]] = []
            if draw.bool() {
                var weights = keys.map { _ in draw.pick(["1", "2", "0", "-1", "0.5", "inf", "-inf", "3"] as [OracleArgument]) }
                if draw.edgy {
                    switch draw.below(3) {
                    case 0: weights.append("1")
                    case 1: weights.removeLast()
                    default: weights[0] = draw.pick(["abc", "nan", ""])
                    }
                }
                options.append(["WEIGHTS"] + weights)
            }
            if draw.bool() {
                options.append(["AGGREGATE", draw.edgy ? draw.pick(["avg", ""]) : draw.pick(["SUM", "MIN", "MAX", "min"])])
            }
            if draw.edgy && draw.chance(1, in: 3) { options.append([draw.pick(["WITHSCORES", "AGGREGATE", "WEIGHTS"])]) }
            draw.shuffle(&options)
            arguments += options.flatMap { $0 }
        }
        return OracleCommand(arguments)
    }
}
