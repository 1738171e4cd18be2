/// Every command the engine knows, by lowercase name.
enum CommandTable {
    static let all: [CommandSpec] =
        StringCommands.all + KeyCommands.all + ListCommands.all + HashCommands.all
        + SetCommands.all + SortedSetCommands.all + ServerCommands.all + TransactionCommands.all + ConnectionCommands.all

    static let byName: [[UInt8]: CommandSpec] = {
        var table: [[UInt8]: CommandSpec] = [:]
        for spec in all {
            precondition(table[Array(spec.name.utf8)] == nil, "command \(spec.name) registered twice")
            table[Array(spec.name.utf8)] = spec
        }
        return table
    }()

    /// The command called `name` (any case), or nil.
    static func lookup(_ name: [UInt8]) -> CommandSpec? {
        byName[Bytes.lowercased(name)]
    }
}
