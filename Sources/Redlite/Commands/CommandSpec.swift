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
    let handler: CommandHandler

    init(_ name: String, arity: Int, _ access: CommandAccess,
         controlsTransaction: Bool = false, _ handler: @escaping CommandHandler) {
        self.name = name
        self.arity = arity
        self.access = access
        self.controlsTransaction = controlsTransaction
        self.handler = handler
    }

    /// `true` when `count` arguments (name included) satisfy the arity.
    func accepts(argumentCount count: Int) -> Bool {
        arity >= 0 ? count == arity : count >= -arity
    }
}

import RESP
