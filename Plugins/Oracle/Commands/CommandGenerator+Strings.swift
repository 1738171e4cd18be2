extension CommandGenerator {
    /// Strings: every SET and GETEX option (and their conflicts), counters at the Int64
    /// limits, INCRBYFLOAT's long-double formatting, ranges with negative and far indices,
    /// SETRANGE padding, binary values.
    static func stringCommand(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        switch draw.below(30) {
        case 0, 1: return OracleCommand(["GET", key])
        case 2, 3, 4: return OracleCommand(["SET", key, draw.value()] + setOptions(&draw))
        case 5: return OracleCommand(["SETNX", key, draw.value()])
        case 6: return OracleCommand(["SETEX", key, draw.relativeTTL(milliseconds: false), draw.value()])
        case 7: return OracleCommand(["PSETEX", key, draw.relativeTTL(milliseconds: true), draw.value()])
        case 8: return OracleCommand(["MGET"] + draw.keys(1...4))
        case 9, 10:
            var arguments: [OracleArgument] = [draw.chance(1, in: 3) ? "MSETNX" : "MSET"]
            for _ in 0..<draw.int(in: 1...3) { arguments += [draw.key(), draw.value()] }
            if draw.edgy && draw.chance(1, in: 4) { arguments.removeLast() }
            return OracleCommand(arguments)
        case 11: return OracleCommand(["GETSET", key, draw.value()])
        case 12: return OracleCommand(["GETDEL", key])
        case 13: return OracleCommand(["GETEX", key] + getexOptions(&draw))
        case 14, 15: return OracleCommand(["INCR", key])
        case 16: return OracleCommand(["DECR", key])
        case 17: return OracleCommand(["INCRBY", key, draw.integer()])
        case 18: return OracleCommand(["DECRBY", key, draw.integer()])
        case 19, 20: return OracleCommand(["INCRBYFLOAT", key, draw.float()])
        case 21, 22: return OracleCommand(["APPEND", key, draw.value()])
        case 23: return OracleCommand(["STRLEN", key])
        case 24: return OracleCommand([draw.bool() ? "GETRANGE" : "SUBSTR", key, draw.index(), draw.index()])
        case 25:
            // Offsets stay small so Redis never allocates much; 536870912 with a value is
            // past proto-max-bulk-len and refused before allocating.
            let offset: OracleArgument = draw.edgy && draw.chance(1, in: 3)
                ? draw.pick(["536870912", "-1", "abc", "9223372036854775807"])
                : .bytes(Array(String(draw.int(in: 0...12)).utf8))
            return OracleCommand(["SETRANGE", key, offset, draw.value()])
        case 26: return OracleCommand(["TTL", key], comparison: .ttlSeconds)
        case 27: return OracleCommand(["PTTL", key], comparison: .ttlMilliseconds)
        default: return otherType(&draw)
        }
    }

    /// SET's options. Usually a valid combination (NX or XX, GET, one expiry or KEEPTTL, in
    /// random order); for an edgy command, random options that may conflict (NX with XX,
    /// KEEPTTL with EX, two expiry forms), repeat, or lack their value.
    static func setOptions(_ draw: inout Draw) -> [OracleArgument] {
        var options: [[OracleArgument]] = []
        guard draw.edgy else {
            if draw.chance(1, in: 3) { options.append([draw.pick(["NX", "XX", "nx"])]) }
            if draw.chance(1, in: 3) { options.append(["GET"]) }
            if draw.chance(1, in: 2) { options.append(expiryOption(&draw, keepTTL: "KEEPTTL")) }
            draw.shuffle(&options)
            return options.flatMap { $0 }
        }
        for _ in 0..<draw.int(in: 1...3) {
            switch draw.below(8) {
            case 0: options.append([draw.pick(["NX", "nx"])])
            case 1: options.append(["XX"])
            case 2: options.append(["GET"])
            case 3: options.append(["KEEPTTL"])
            case 4, 5, 6: options.append(expiryOption(&draw, keepTTL: "KEEPTTL"))
            default: options.append([draw.pick(["EX", "PERSIST", "bogus"])])
            }
        }
        return options.flatMap { $0 }
    }

    /// One of EX, PX, EXAT, PXAT with a time, or the bare `keepTTL` word (KEEPTTL for SET,
    /// PERSIST for GETEX).
    static func expiryOption(_ draw: inout Draw, keepTTL: OracleArgument) -> [OracleArgument] {
        switch draw.below(5) {
        case 0: return ["EX", draw.relativeTTL(milliseconds: false)]
        case 1: return ["PX", draw.relativeTTL(milliseconds: true)]
        case 2: return ["EXAT", draw.absoluteTime(milliseconds: false)]
        case 3: return ["PXAT", draw.absoluteTime(milliseconds: true)]
        default: return [keepTTL]
        }
    }

    /// GETEX's options: none or one (an expiry form or PERSIST); for an edgy command, two, or
    /// ones only SET takes.
    static func getexOptions(_ draw: inout Draw) -> [OracleArgument] {
        guard draw.edgy else {
            return draw.chance(1, in: 4) ? [] : expiryOption(&draw, keepTTL: draw.pick(["PERSIST", "persist"]))
        }
        var options: [OracleArgument] = []
        for _ in 0..<draw.int(in: 1...2) {
            if draw.chance(1, in: 4) {
                options.append(draw.pick(["KEEPTTL", "NX", "EX", "GET"]))
            } else {
                options += expiryOption(&draw, keepTTL: "PERSIST")
            }
        }
        return options
    }
}
