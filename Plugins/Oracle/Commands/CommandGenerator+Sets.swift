extension CommandGenerator {
    /// Sets: integer and text members (Redis's intset and hashtable encodings), algebra over
    /// missing keys, other types and the destination itself, SINTERCARD with bad numkeys and
    /// LIMIT, SMOVE onto itself.
    static func setCommand(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        switch draw.below(30) {
        case 0, 1, 2, 3: return OracleCommand(["SADD", key] + draw.elements(1...4))
        case 4, 5: return OracleCommand(["SREM", key] + draw.elements(1...3))
        case 6, 7: return OracleCommand(["SMEMBERS", key], comparison: .unordered)
        case 8: return OracleCommand(["SISMEMBER", key, draw.element()])
        case 9: return OracleCommand(["SMISMEMBER", key] + draw.elements(1...3))
        case 10: return OracleCommand(["SCARD", key])
        case 11:
            // Only counts no set can reach (or zero, negative, invalid ones): the pop then takes
            // the whole set, the same members on both sides. A smaller count would remove
            // different random members and the two states would drift apart legitimately.
            let count: OracleArgument = draw.edgy
                ? draw.pick(["0", "-1", "abc", "9223372036854775807", "-9223372036854775808"])
                : .bytes(Array(String(Draw.largestCollection + draw.below(3)).utf8))
            return OracleCommand(["SPOP", key, count], comparison: .unordered)
        case 12, 13:
            if draw.chance(1, in: 4) { return OracleCommand(["SRANDMEMBER", key], comparison: .shape(count: nil, withValues: false)) }
            let count = randomCount(&draw)
            return OracleCommand(["SRANDMEMBER", key, count.argument], comparison: .shape(count: count.value, withValues: false))
        case 14, 15: return OracleCommand(["SMOVE", key, draw.chance(1, in: 5) ? key : draw.key(), draw.element()])
        case 16, 17, 18:
            return OracleCommand([draw.pick(["SINTER", "SUNION", "SDIFF"]), key] + draw.keys(0...3), comparison: .unordered)
        case 19, 20, 21:
            let destination = draw.key()
            return OracleCommand([draw.pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]), destination, key] + draw.keys(0...3))
        case 22, 23:
            let keys = draw.keys(1...3)
            var numkeys: OracleArgument = .bytes(Array(String(keys.count).utf8))
            if draw.edgy && draw.bool() { numkeys = draw.pick(["0", "-1", "5", "abc"]) }
            var arguments: [OracleArgument] = ["SINTERCARD", numkeys] + keys
            if draw.bool() {
                arguments += ["LIMIT", draw.edgy ? draw.pick(["-1", "abc", "9223372036854775807"]) : draw.pick(["0", "1", "2", "5"])]
            }
            return OracleCommand(arguments)
        case 24: return scanCommand("SSCAN", key, pairs: false, &draw)
        default: return otherType(&draw)
        }
    }
}
