extension CommandGenerator {
    /// Lists: pushes and pops with counts (0, past the length; negative and invalid when
    /// edgy), every index form, LPOS with RANK/COUNT/MAXLEN (RANK 0 and the limits are
    /// errors), LINSERT around missing pivots, LMOVE in all four directions including a list
    /// onto itself.
    static func listCommand(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        // Lists need no cap on distinct elements (nothing random reads them), so they also
        // take the string values: long ones, integers in and out of Redis's canonical form.
        if draw.chance(1, in: 8) {
            let values = (0..<draw.int(in: 1...3)).map { _ in draw.value() }
            switch draw.below(4) {
            case 0: return OracleCommand([draw.bool() ? "LPUSH" : "RPUSH", key] + values)
            case 1: return OracleCommand(["LPOS", key, values[0]])
            case 2: return OracleCommand(["LREM", key, "0", values[0]])
            default: return OracleCommand(["LINSERT", key, draw.bool() ? "BEFORE" : "AFTER", draw.element(), values[0]])
            }
        }
        switch draw.below(32) {
        case 0, 1, 2: return OracleCommand(["LPUSH", key] + draw.elements(1...(draw.chance(1, in: 5) ? 10 : 4)))
        case 3, 4, 5: return OracleCommand(["RPUSH", key] + draw.elements(1...(draw.chance(1, in: 5) ? 10 : 4)))
        case 6: return OracleCommand([draw.bool() ? "LPUSHX" : "RPUSHX", key] + draw.elements(1...3))
        case 7, 8:
            return OracleCommand([draw.bool() ? "LPOP" : "RPOP", key] + (draw.bool() ? [] : [popCount(&draw)]))
        case 9: return OracleCommand(["LLEN", key])
        case 10, 11, 12: return OracleCommand(["LRANGE", key, draw.index(), draw.index()])
        case 13: return OracleCommand(["LINDEX", key, draw.index()])
        case 14: return OracleCommand(["LSET", key, draw.index(), draw.element()])
        case 15: return OracleCommand(["LTRIM", key, draw.index(), draw.index()])
        case 16, 17:
            let count: OracleArgument = draw.edgy
                ? draw.pick(["100", "-100", "abc", "9223372036854775807", "-9223372036854775808"])
                : draw.pick(["0", "1", "2", "-1", "-2"])
            return OracleCommand(["LREM", key, count, draw.element()])
        case 18, 19:
            let side: OracleArgument = draw.edgy ? draw.pick(["before", "middle", "After"]) : draw.pick(["BEFORE", "AFTER"])
            return OracleCommand(["LINSERT", key, side, draw.element(), draw.element()])
        case 20, 21, 22: return OracleCommand(["LPOS", key, draw.element()] + lposOptions(&draw))
        case 23, 24:
            let ends: [OracleArgument] = draw.edgy ? ["LEFT", "RIGHT", "left", "UP"] : ["LEFT", "RIGHT"]
            let destination = draw.chance(1, in: 4) ? key : draw.key()
            return OracleCommand(["LMOVE", key, destination, draw.pick(ends), draw.pick(ends)])
        case 25: return OracleCommand(["RPOPLPUSH", key, draw.chance(1, in: 4) ? key : draw.key()])
        case 26, 27: return OracleCommand(["LRANGE", key, "0", "-1"])
        default: return otherType(&draw)
        }
    }

    private static func popCount(_ draw: inout Draw) -> OracleArgument {
        draw.edgy
            ? draw.pick(["-1", "abc", "9223372036854775807", "-9223372036854775808", ""])
            : draw.pick(["0", "1", "2", "3", "100"])
    }

    /// LPOS options in any order; when edgy, repeated, unknown or with bad values.
    private static func lposOptions(_ draw: inout Draw) -> [OracleArgument] {
        var options: [[OracleArgument]] = []
        guard draw.edgy else {
            if draw.bool() { options.append(["RANK", draw.pick(["1", "2", "-1", "-2", "3", "-3"])]) }
            if draw.bool() { options.append(["COUNT", draw.pick(["0", "1", "2", "5"])]) }
            if draw.chance(1, in: 3) { options.append(["MAXLEN", draw.pick(["0", "1", "2", "3"])]) }
            draw.shuffle(&options)
            return options.flatMap { $0 }
        }
        for _ in 0..<draw.int(in: 1...3) {
            switch draw.below(4) {
            case 0: options.append(["RANK", draw.pick(["0", "-9223372036854775808", "9223372036854775807", "abc", "1"])])
            case 1: options.append(["COUNT", draw.pick(["-1", "abc", "1", "9223372036854775807"])])
            case 2: options.append(["MAXLEN", draw.pick(["-1", "abc", "1"])])
            default: options.append([draw.pick(["RANK", "bogus", "count"])])
            }
        }
        return options.flatMap { $0 }
    }
}
