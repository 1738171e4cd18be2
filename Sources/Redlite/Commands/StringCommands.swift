import RESP

/// The strings commands.
enum StringCommands {
    static let all: [CommandSpec] = []
}
