/// What a command touches, which decides the SQLite transaction the dispatcher opens for it.
enum CommandAccess: Sendable {
    /// `BEGIN DEFERRED`: reads see one snapshot; never writes.
    case read
    /// `BEGIN IMMEDIATE`: takes the write lock up front, so the command cannot fail half-way on
    /// a lock upgrade.
    case write
    /// No transaction: the command manages its own (EXEC, VACUUM) or touches no data.
    case none
}

/// A command's handler: gets the connection and the full argv (argv[0] is the name as sent).
typealias CommandHandler = @Sendable (RedliteConnection, [[UInt8]]) throws -> Reply

/// One entry of the command table.
struct CommandSpec: Sendable {
    /// Lowercase name, as error messages quote it.
    let name: String
    /// Redis's arity: N means exactly N arguments including the name, -N means at least N.
    let arity: Int
    let access: CommandAccess
    /// Runs even inside MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH).
    let controlsTransaction: Bool
    /// Redis's `no-auth` flag: a client that has not authenticated may run it (AUTH, HELLO).
    let allowedBeforeAuthentication: Bool
    /// For a container command (CLIENT, CONFIG): its subcommands. The dispatcher checks that
    /// the subcommand exists and its arity before authentication and queuing, as Redis does.
    let subcommands: [SubcommandSpec]?
    let handler: CommandHandler

    init(_ name: String, arity: Int, _ access: CommandAccess,
         controlsTransaction: Bool = false, allowedBeforeAuthentication: Bool = false,
         subcommands: [SubcommandSpec]? = nil, _ handler: @escaping CommandHandler) {
        self.name = name
        self.arity = arity
        self.access = access
        self.controlsTransaction = controlsTransaction
        self.allowedBeforeAuthentication = allowedBeforeAuthentication
        self.subcommands = subcommands
        self.handler = handler
    }

    /// `true` when `count` arguments (name included) satisfy the arity.
    func accepts(argumentCount count: Int) -> Bool {
        arity >= 0 ? count == arity : count >= -arity
    }
}

import RESP

/// A subcommand of a container command, for the dispatcher's checks; the container's handler
/// runs it.
struct SubcommandSpec: Sendable {
    /// Redis's full name, as arity errors and CLIENT LIST quote it: `client|setname`.
    let fullName: String
    /// The lowercase subcommand alone: `setname`.
    let name: String
    /// Counts the container's name and the subcommand, as Redis's subcommand arities do.
    let arity: Int

    init(_ container: String, _ name: String, arity: Int) {
        self.fullName = container + "|" + name
        self.name = name
        self.arity = arity
    }

    func accepts(argumentCount count: Int) -> Bool {
        arity >= 0 ? count == arity : count >= -arity
    }

    /// The subcommand of `specs` called `name` (any case), or nil.
    static func lookup(_ name: [UInt8], in specs: [SubcommandSpec]) -> SubcommandSpec? {
        let lowercased = Bytes.lowercased(name)
        return specs.first { $0.name.utf8.elementsEqual(lowercased) }
    }
}
