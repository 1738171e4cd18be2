import RESP

/// AUTH and CLIENT: who the client is, as far as a server hosting connections tells the engine
/// (``ClientDirectory``). Texts are Redis 7.0.15's (checked against redis-server 7.0.15 with
/// and without `--requirepass`).
enum ConnectionCommands {
    static let all: [CommandSpec] = [
        CommandSpec("auth", arity: -2, .none, allowedBeforeAuthentication: true, auth),
        CommandSpec("client", arity: -2, .none, subcommands: clientSubcommands, client),
    ]

    /// The CLIENT subcommands Redlite implements, with Redis 7.0's arities. Others (KILL,
    /// PAUSE, TRACKING, ...) answer Redis's unknown-subcommand error.
    static let clientSubcommands: [SubcommandSpec] = [
        SubcommandSpec("client", "id", arity: 2),
        SubcommandSpec("client", "getname", arity: 2),
        SubcommandSpec("client", "setname", arity: 3),
        SubcommandSpec("client", "list", arity: -2),
        SubcommandSpec("client", "info", arity: 2),
        SubcommandSpec("client", "help", arity: 2),
    ]

    // MARK: AUTH

    /// `AUTH password` or `AUTH user password`; the only user is `default`.
    static func auth(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count <= 3 else { throw CommandError.syntax }
        if argv.count == 2 && !(connection.clientDirectory?.requiresPassword ?? false) {
            // Redis keeps the one-argument form's old error when no password is configured.
            throw CommandError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
        }
        try authenticate(connection, user: argv.count == 3 ? argv[1] : defaultUser, password: argv[argv.count - 1])
        return .ok
    }

    private static let defaultUser = Array("default".utf8)

    /// Authenticates the client as `user` (AUTH, HELLO AUTH). With no password configured the
    /// `default` user takes any password (Redis's `nopass`); user names are case-sensitive. A
    /// failure leaves an already authenticated client authenticated, as in Redis.
    static func authenticate(_ connection: RedliteConnection, user: [UInt8], password: [UInt8]) throws {
        guard user == defaultUser else { throw CommandError.wrongPassword }
        if let directory = connection.clientDirectory, directory.requiresPassword {
            guard directory.passwordMatches(password) else { throw CommandError.wrongPassword }
        }
        connection.isAuthenticated = true
    }

    // MARK: CLIENT

    /// Redis's rule for client names: printable ASCII, no spaces.
    static func checkClientName(_ name: [UInt8]) throws {
        guard !name.contains(where: { $0 < 33 || $0 > 126 }) else {
            throw CommandError("ERR Client names cannot contain spaces, newlines or special characters.")
        }
    }

    /// The dispatcher has checked that the subcommand exists and its arity.
    static func client(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let sub = argv[1]
        if Bytes.equalsIgnoringCase(sub, "id") {
            return .integer(connection.clientID)
        }
        if Bytes.equalsIgnoringCase(sub, "getname") {
            return .bulkOrNull(connection.clientName)
        }
        if Bytes.equalsIgnoringCase(sub, "setname") {
            try checkClientName(argv[2])
            // An empty name removes the name.
            connection.clientName = argv[2].isEmpty ? nil : argv[2]
            return .ok
        }
        if Bytes.equalsIgnoringCase(sub, "list") {
            return text(try clientList(connection, argv))
        }
        if Bytes.equalsIgnoringCase(sub, "info") {
            let own = clients(connection).first { $0.id == connection.clientID } ?? ownInfo(connection)
            return text([own])
        }
        return .array(help.map { .simple($0) })
    }

    /// CLIENT LIST's lines, one per client, each ending in a newline: a bulk string, or RESP3
    /// verbatim text, as Redis answers.
    private static func text(_ clients: [ClientInfo]) -> Reply {
        var text: [UInt8] = []
        for client in clients {
            text += client.line.utf8
            text.append(UInt8(ascii: "\n"))
        }
        return .verbatim(format: "txt", text: text)
    }

    /// `CLIENT LIST`, `CLIENT LIST TYPE type` or `CLIENT LIST ID id [id ...]`, parsed as Redis
    /// 7.0 does: TYPE only with exactly one value, ID with at least one, anything else a syntax
    /// error.
    private static func clientList(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> [ClientInfo] {
        if argv.count == 4 && Bytes.equalsIgnoringCase(argv[2], "type") {
            let type = argv[3]
            if Bytes.equalsIgnoringCase(type, "normal") { return clients(connection) }
            // Every client here is a normal one: no replicas, masters or subscribers.
            for other in ["master", "slave", "replica", "pubsub"] as [StaticString] where Bytes.equalsIgnoringCase(type, other) {
                return []
            }
            throw CommandError("ERR Unknown client type '\(Bytes.lossyText(type))'")
        }
        if argv.count > 3 && Bytes.equalsIgnoringCase(argv[2], "id") {
            let all = clients(connection)
            var listed: [ClientInfo] = []
            for argument in argv.dropFirst(3) {
                guard let id = Numbers.parseInt64(argument) else { throw CommandError("ERR Invalid client ID") }
                if let client = all.first(where: { $0.id == id }) { listed.append(client) }
            }
            return listed
        }
        guard argv.count == 2 else { throw CommandError.syntax }
        return clients(connection)
    }

    /// Every connected client, with the asking one's session as it is now (the directory holds
    /// what the server saw before this command). Without a directory: this client alone.
    private static func clients(_ connection: RedliteConnection) -> [ClientInfo] {
        guard let directory = connection.clientDirectory else { return [ownInfo(connection)] }
        var clients = directory.connectedClients()
        if let index = clients.firstIndex(where: { $0.id == connection.clientID }) {
            clients[index].session = connection.session
            clients[index].idleSeconds = 0
        }
        return clients
    }

    /// The asking client as the engine alone knows it: no socket.
    private static func ownInfo(_ connection: RedliteConnection) -> ClientInfo {
        let age = max(0, connection.clock.nowMilliseconds() - connection.openedAtMilliseconds) / 1000
        return ClientInfo(id: connection.clientID, ageSeconds: age, session: connection.session)
    }

    /// Redis 7.0's CLIENT HELP, cut to the subcommands Redlite implements.
    private static let help = [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "HELP",
        "    Prints this help.",
    ]
}
