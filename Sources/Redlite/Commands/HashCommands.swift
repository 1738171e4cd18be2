import RESP

/// The hashes commands.
enum HashCommands {
    static let all: [CommandSpec] = []
}
