import RESP

/// The keys commands.
enum KeyCommands {
    static let all: [CommandSpec] = []
}
