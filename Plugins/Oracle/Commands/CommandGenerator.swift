/// Draws the command sequences the oracle runs on Redis and on Redlite.
///
/// Pure: no I/O, no clock. A sequence depends only on the group, the count and the random
/// stream, so a seed replays it. Every command is one the engine implements; never commands
/// that reach outside the sequence's database (SELECT, MOVE, SWAPDB, FLUSHALL, FLUSHDB, DEBUG,
/// CONFIG, SHUTDOWN), blocking forms, or replies that read a clock (TIME).
///
/// Rules that keep both sides comparable:
/// - Expiries never lapse during a sequence: Redis runs on the wall clock and Redlite on a
///   virtual one that stands still, so TTLs are ≥ 100 s or already past (see ``Draw``).
/// - Random commands appear only in forms whose *effect* is deterministic: SPOP only with a
///   count no set can exceed (it then empties the set); SRANDMEMBER, HRANDFIELD,
///   ZRANDMEMBER and RANDOMKEY change nothing and are compared by shape.
/// - SCAN-family calls start at cursor 0 with a COUNT no collection here reaches, so one page
///   holds everything (the cursors themselves are encoding details, see the README).
/// - A sequence never ends inside MULTI, so the next seed does not start queued.
public enum CommandGenerator {
    /// `count` commands of `group`, drawn from `random` (one 64-bit draw seeds the generator's
    /// own stream).
    public static func commands(for group: OracleGroup, count: Int,
                                using random: inout some RandomNumberGenerator) -> [OracleCommand] {
        var draw = Draw(seed: random.next())
        var sequence: [OracleCommand] = []
        sequence.reserveCapacity(count)
        var expiredKeyMayLinger = false
        while sequence.count < count {
            var block = nextBlock(group, &draw)
            if block.count > count - sequence.count {
                // Only a transaction block can be too long; one command always fits.
                block = singleCommand(group, &draw)
            }
            for var command in block {
                // Redis 7.0's SET with EXAT/PXAT in the past stores a key that is already
                // expired; it is deleted when touched, or whenever the active expire cycle
                // samples it. DBSIZE counts it until then, so after such a SET its answer
                // depends on Redis's timing: ask EXISTS instead, which expires it first.
                if expiredKeyMayLinger, command.name == "dbsize" {
                    command = OracleCommand(["EXISTS"] + draw.keys(1...3))
                }
                if setsPastExpiry(command) { expiredKeyMayLinger = true }
                sequence.append(command)
            }
        }
        return sequence
    }

    /// A SET whose EXAT/PXAT is not in the future (a negative offset, or a literal time such
    /// as 1, which is 1970).
    static func setsPastExpiry(_ command: OracleCommand) -> Bool {
        guard command.name == "set" else { return false }
        for (index, argument) in command.arguments.enumerated().dropFirst(3) {
            guard case .bytes(let option) = argument, index + 1 < command.arguments.count,
                  ["exat", "pxat"].contains(String(decoding: option.map { $0 | 0x20 }, as: UTF8.self)) else { continue }
            switch command.arguments[index + 1] {
            case .unixSeconds(let offset), .unixMilliseconds(let offset):
                if offset <= 0 { return true }
            case .bytes:
                return true
            }
        }
        return false
    }

    /// A block of commands: usually one, a whole MULTI ... EXEC for transactions.
    static func nextBlock(_ group: OracleGroup, _ draw: inout Draw) -> [OracleCommand] {
        switch group {
        case .transactions:
            return transactionBlock(&draw)
        case .mixed:
            if draw.chance(1, in: 12) { return transactionBlock(&draw) }
            return singleCommand(.mixed, &draw)
        default:
            return singleCommand(group, &draw)
        }
    }

    /// One command of `group` (for transactions and mixed: of any data family), perhaps
    /// mangled: a name in another case, or one argument too few or too many.
    static func singleCommand(_ group: OracleGroup, _ draw: inout Draw) -> [OracleCommand] {
        var command = dataCommand(group, &draw)
        mangle(&command, &draw)
        return [command]
    }

    static let dataGroups: [OracleGroup] = [.strings, .lists, .hashes, .sets, .sortedSets, .keys]

    static func dataCommand(_ group: OracleGroup, _ draw: inout Draw) -> OracleCommand {
        draw.edgy = draw.chance(1, in: 4)
        switch group {
        case .strings: return stringCommand(&draw)
        case .lists: return listCommand(&draw)
        case .hashes: return hashCommand(&draw)
        case .sets: return setCommand(&draw)
        case .sortedSets: return sortedSetCommand(&draw)
        case .keys: return keyCommand(&draw)
        case .transactions, .mixed:
            let picked = draw.pick(dataGroups)
            let index = dataGroups.firstIndex(of: picked) ?? 0
            draw.homeKey = index < Draw.keyNames.count ? Draw.keyNames[index] : nil
            defer { draw.homeKey = nil }
            return dataCommand(picked, &draw)
        }
    }

    /// Now and then, a command of another family on the same keys (the reason for WRONGTYPE
    /// and for cross-type commands such as ZUNIONSTORE over a set), or a DEL that frees a key
    /// for another type.
    static func otherType(_ draw: inout Draw) -> OracleCommand {
        let key = draw.key()
        switch draw.below(7) {
        case 5, 6: return OracleCommand([draw.bool() ? "DEL" : "UNLINK", key])
        case 0: return OracleCommand(["SET", key, draw.value()])
        case 1: return OracleCommand(["RPUSH", key] + draw.elements(1...3))
        case 2: return OracleCommand(["HSET", key, draw.element(), draw.value()])
        case 3: return OracleCommand(["SADD", key] + draw.elements(1...3))
        default: return OracleCommand(["ZADD", key, draw.float(), draw.element()])
        }
    }

    /// Commands whose reply or effect is random, or that steer MULTI, keep their exact form:
    /// a dropped count would turn SPOP into a random pop, a mangled EXEC would leave the
    /// transaction open.
    private static let unmangled: Set<String> = [
        "spop", "srandmember", "hrandfield", "zrandmember", "randomkey",
        "multi", "exec", "discard", "watch", "unwatch",
        "sscan", "hscan", "zscan", "scan",
    ]

    /// Rarely: the name in mixed case (Redis matches names without case, and quotes the
    /// lowercase name in arity errors), one argument dropped, or a stray one added.
    static func mangle(_ command: inout OracleCommand, _ draw: inout Draw) {
        guard !unmangled.contains(command.name) else { return }
        if draw.chance(1, in: 25), case .bytes(let name) = command.arguments[0] {
            command.arguments[0] = .bytes(name.map { byte in
                guard (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) else { return byte }
                return draw.bool() ? byte | 0x20 : byte & ~0x20
            })
        }
        switch draw.below(40) {
        case 0 where command.arguments.count > 1:
            command.arguments.removeLast()
        case 1:
            // The mode stays: an extra key to SUNION is still a valid, unordered SUNION.
            command.arguments.append(draw.bool() ? .bytes(Draw.strayArgument) : draw.element())
        default:
            break
        }
    }
}
