import RESP

/// The sorted-sets commands.
enum SortedSetCommands {
    static let all: [CommandSpec] = []
}
