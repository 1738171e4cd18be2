import DSTPluginSDK

/// Compares the replies of one sequence, command by command, keeping track of MULTI.
///
/// Inside MULTI every queued command answers `QUEUED` on both sides, and its real reply is one
/// element of EXEC's array. The comparator remembers each queued command's mode and applies it
/// to that element. Whether a command was queued is read from the Redis reply (the reference),
/// not predicted by the generator, so a shrunk sequence with commands removed still pairs each
/// EXEC element with the right mode.
public struct ReplyComparator: Sendable {
    /// Each side's clock base, for EXPIRETIME replies.
    public var bases: ReplyComparison.Bases
    /// The modes of the commands queued since MULTI, in order; nil outside a transaction.
    public private(set) var queuedModes: [ReplyComparison.Mode]?

    /// A comparator at the start of a sequence (outside MULTI).
    public init(bases: ReplyComparison.Bases = .zero) {
        self.bases = bases
    }

    /// Nil when the two replies to `command` agree; otherwise why they do not. Call it for
    /// every command of the sequence, in order.
    public mutating func difference(for command: OracleCommand, redis: Reply, redlite: Reply) -> String? {
        let name = command.name
        guard var queued = queuedModes else {
            // Outside MULTI: a successful MULTI opens a transaction.
            if name == "multi", redis == .ok { queuedModes = [] }
            return ReplyComparison.difference(redis: redis, redlite: redlite, mode: command.comparison, bases: bases)
        }
        switch name {
        case "exec":
            // A wrong-arity EXEC is refused like any command and the transaction stays open;
            // every other EXEC reply (the array, nil after WATCH, EXECABORT) closes it.
            if !Self.isArityError(redis) { queuedModes = nil }
            return execDifference(redis: redis, redlite: redlite, modes: queued)
        case "discard":
            if !Self.isArityError(redis) { queuedModes = nil }
            return ReplyComparison.difference(redis: redis, redlite: redlite, mode: .exact)
        default:
            if redis == .status("QUEUED") {
                queued.append(command.comparison)
                queuedModes = queued
            }
            // QUEUED against QUEUED, or the same refusal (MULTI nested, WATCH inside MULTI,
            // wrong arity, unknown command), exactly.
            return ReplyComparison.difference(redis: redis, redlite: redlite, mode: .exact)
        }
    }

    private func execDifference(redis: Reply, redlite: Reply, modes: [ReplyComparison.Mode]) -> String? {
        guard case .array(let left) = redis, case .array(let right) = redlite,
              left.count == modes.count, right.count == modes.count else {
            return ReplyComparison.difference(redis: redis, redlite: redlite, mode: .exact)
        }
        for index in modes.indices {
            if let why = ReplyComparison.difference(redis: left[index], redlite: right[index],
                                                    mode: modes[index], bases: bases) {
                return "EXEC element \(index + 1): \(why)"
            }
        }
        return nil
    }

    private static func isArityError(_ reply: Reply) -> Bool {
        guard case .error(let text) = reply else { return false }
        return text.hasPrefix("ERR wrong number of arguments")
    }
}
