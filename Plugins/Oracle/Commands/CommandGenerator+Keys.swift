extension CommandGenerator {
    /// Keys and expiration: EXPIRE's NX/XX/GT/LT against keys with and without a TTL, times in
    /// the past (the key goes at once), overflowing times, TTL/PTTL/EXPIRETIME/PEXPIRETIME
    /// within the stated tolerance, RENAME/RENAMENX/COPY (onto itself, over other types, into
    /// database 1, with REPLACE), KEYS and SCAN patterns, TYPE.
    static func keyCommand(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        switch draw.below(36) {
        case 0, 1: return OracleCommand([draw.bool() ? "DEL" : "UNLINK"] + draw.keys(1...3))
        case 2: return OracleCommand(["EXISTS"] + draw.keys(1...4))
        case 3, 4: return OracleCommand(["TYPE", key])
        case 5, 6: return OracleCommand(["EXPIRE", key, draw.relativeTTL(milliseconds: false)] + expireFlags(&draw, absolute: false))
        case 7: return OracleCommand(["PEXPIRE", key, draw.relativeTTL(milliseconds: true)] + expireFlags(&draw, absolute: false))
        case 8, 9: return OracleCommand(["EXPIREAT", key, draw.absoluteTime(milliseconds: false)] + expireFlags(&draw, absolute: true))
        case 10: return OracleCommand(["PEXPIREAT", key, draw.absoluteTime(milliseconds: true)] + expireFlags(&draw, absolute: true))
        case 11, 12: return OracleCommand(["TTL", key], comparison: .ttlSeconds)
        case 13: return OracleCommand(["PTTL", key], comparison: .ttlMilliseconds)
        case 14: return OracleCommand(["EXPIRETIME", key], comparison: .expireTimeSeconds)
        case 15: return OracleCommand(["PEXPIRETIME", key], comparison: .expireTimeMilliseconds)
        case 16: return OracleCommand(["PERSIST", key])
        case 17, 18: return OracleCommand(["RENAME", key, draw.chance(1, in: 5) ? key : draw.key()])
        case 19: return OracleCommand(["RENAMENX", key, draw.chance(1, in: 5) ? key : draw.key()])
        case 20, 21:
            var arguments: [OracleArgument] = ["COPY", key, draw.chance(1, in: 6) ? key : draw.key()]
            var options: [[OracleArgument]] = []
            if draw.chance(1, in: 3) { options.append(["REPLACE"]) }
            if draw.chance(1, in: 4) { options.append(["DB", draw.edgy ? draw.pick(["16", "-1", "abc"]) : draw.pick(["0", "1"])]) }
            if draw.edgy && draw.chance(1, in: 4) { options.append([draw.pick(["bogus", "DB"])]) }
            draw.shuffle(&options)
            arguments += options.flatMap { $0 }
            return OracleCommand(arguments)
        case 22:
            return OracleCommand(["KEYS", draw.pick(Draw.patterns)], comparison: .unordered)
        case 23: return scanCommand("SCAN", nil, pairs: false, &draw).withScanType(&draw)
        case 24: return OracleCommand(["RANDOMKEY"], comparison: .shape(count: nil, withValues: false))
        case 25:
            switch draw.below(4) {
            case 0: return OracleCommand(["PING"] + (draw.bool() ? [draw.value()] : []))
            case 1: return OracleCommand(["ECHO", draw.value()])
            default: return OracleCommand(["DBSIZE"])
            }
        case 26, 27, 28:
            // Keys that carry an expiry, of every type.
            switch draw.below(3) {
            case 0:
                let time: [OracleArgument]
                switch draw.below(4) {
                case 0: time = ["EX", draw.relativeTTL(milliseconds: false)]
                case 1: time = ["PX", draw.relativeTTL(milliseconds: true)]
                case 2: time = ["EXAT", draw.absoluteTime(milliseconds: false)]
                default: time = ["PXAT", draw.absoluteTime(milliseconds: true)]
                }
                return OracleCommand(["SET", key, draw.value()] + time)
            case 1: return OracleCommand(["SETEX", key, draw.relativeTTL(milliseconds: false), draw.value()])
            default: return OracleCommand(["GETEX", key] + getexOptions(&draw))
            }
        default: return otherType(&draw)
        }
    }

    /// EXPIRE's Redis 7.0 flags: none or one; when edgy, a pair (conflicting or not) or an
    /// unknown one.
    ///
    /// GT and LT compare the new expiry with the old one, and two relative TTLs of the same
    /// nominal length are not equal on Redis (its clock moved between the two commands) while
    /// they are on Redlite's standing virtual clock. So GT and LT go only with absolute times
    /// (`absolute`), whose values never come within seconds of a relative TTL's (see ``Draw``);
    /// relative TTLs get NX and XX, or pairs that are refused whatever the times.
    private static func expireFlags(_ draw: inout Draw, absolute: Bool) -> [OracleArgument] {
        if !draw.edgy {
            if draw.chance(1, in: 2) { return [] }
            return absolute ? [draw.pick(["NX", "XX", "GT", "LT", "gt"])] : [draw.pick(["NX", "XX", "xx"])]
        }
        if draw.chance(1, in: 4) { return [draw.pick(["bogus", "NXX"])] }
        if absolute { return [draw.pick(["NX", "GT", "XX", "LT"]), draw.pick(["XX", "LT", "GT", "NX"])] }
        return draw.pick([["NX", "XX"], ["NX", "GT"], ["GT", "LT"], ["LT", "NX"], ["XX", "NX"]])
    }
}

extension OracleCommand {
    /// Sometimes adds SCAN's TYPE filter.
    fileprivate func withScanType(_ draw: inout Draw) -> OracleCommand {
        guard draw.chance(1, in: 3) else { return self }
        var copy = self
        copy.arguments += ["TYPE", draw.pick(["string", "list", "hash", "set", "zset", "STRING", "stream", "bogus"])]
        return copy
    }
}
