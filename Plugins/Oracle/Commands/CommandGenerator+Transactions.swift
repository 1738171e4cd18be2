extension CommandGenerator {
    /// A transaction block: sometimes WATCH first (and sometimes a write to a watched key
    /// before MULTI, which must abort EXEC; a no-op write must not), then MULTI, commands of
    /// every family (runtime errors such as WRONGTYPE land in EXEC's array; wrong arity and
    /// unknown commands abort it with EXECABORT), and EXEC or DISCARD. Also the misuses:
    /// EXEC or DISCARD without MULTI, MULTI nested, WATCH inside MULTI, UNWATCH.
    static func transactionBlock(_ draw: inout Draw) -> [OracleCommand] {
        var block: [OracleCommand] = []
        switch draw.below(12) {
        case 0: return [OracleCommand([draw.pick(["EXEC", "DISCARD"])])]
        case 1: return [OracleCommand(["UNWATCH"])]
        case 2: return [OracleCommand(["WATCH"] + draw.keys(1...2))]
        default: break
        }
        if draw.chance(1, in: 2) {
            block.append(OracleCommand(["WATCH"] + draw.keys(1...3)))
            // Writes (or no-op writes) between WATCH and MULTI decide whether EXEC runs.
            for _ in 0..<draw.int(in: 0...2) { block.append(dataCommand(.mixed, &draw)) }
            if draw.chance(1, in: 8) { block.append(OracleCommand(["UNWATCH"])) }
        }
        block.append(OracleCommand(["MULTI"]))
        for _ in 0..<draw.int(in: 0...5) {
            switch draw.below(30) {
            case 0: block.append(OracleCommand(["MULTI"]))
            case 1: block.append(OracleCommand(["WATCH", draw.key()]))
            case 2: block.append(OracleCommand(["GET"]))
            case 3: block.append(OracleCommand(["NOSUCHCOMMAND", draw.key()]))
            case 4: block.append(OracleCommand(["UNWATCH"]))
            default: block += singleCommand(.mixed, &draw)
            }
        }
        block.append(OracleCommand([draw.chance(1, in: 6) ? "DISCARD" : "EXEC"]))
        if draw.chance(1, in: 6) { block.append(dataCommand(.mixed, &draw)) }
        return block
    }
}
