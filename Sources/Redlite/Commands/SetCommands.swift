import RESP

/// The sets commands.
enum SetCommands {
    static let all: [CommandSpec] = []
}
