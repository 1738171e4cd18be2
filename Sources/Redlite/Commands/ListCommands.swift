import RESP

/// The lists commands.
enum ListCommands {
    static let all: [CommandSpec] = []
}
