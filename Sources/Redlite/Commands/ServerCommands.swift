import RESP
import SQLite

/// Connection, database and server commands: PING ECHO HELLO TIME SELECT SWAPDB DBSIZE
/// FLUSHDB FLUSHALL CONFIG INFO COMMAND, and Redlite's own VACUUM and KEYINFO.
enum ServerCommands {
    static let all: [CommandSpec] = [
        CommandSpec("ping", arity: -1, .none, ping),
        CommandSpec("echo", arity: 2, .none, echo),
        CommandSpec("hello", arity: -1, .none, allowedBeforeAuthentication: true, hello),
        CommandSpec("time", arity: 1, .none, time),
        CommandSpec("select", arity: 2, .none, select),
        CommandSpec("swapdb", arity: 3, .write, swapdb),
        CommandSpec("dbsize", arity: 1, .read, dbsize),
        CommandSpec("flushdb", arity: -1, .write, flushdb),
        CommandSpec("flushall", arity: -1, .write, flushall),
        CommandSpec("config", arity: -2, .none, subcommands: configSubcommands, config),
        CommandSpec("info", arity: -1, .read, info),
        CommandSpec("command", arity: -1, .none, command),
        CommandSpec("vacuum", arity: 1, .none, vacuum),
        CommandSpec("keyinfo", arity: 2, .read, keyinfo),
    ]

    /// The Redis version this engine answers as (Debian 12's redis-server).
    static let redisVersion = "7.0.15"

    static func ping(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count <= 2 else { throw CommandError.arity("ping") }
        return argv.count == 2 ? .bulk(argv[1]) : .simple("PONG")
    }

    static func echo(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        .bulk(argv[1])
    }

    static func hello(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        var version = connection.protocolVersion
        var index = 1
        if argv.count > 1 {
            guard let requested = Numbers.parseInt64(argv[1]) else {
                throw CommandError("ERR Protocol version is not an integer or out of range")
            }
            guard let supported = ProtocolVersion(rawValue: Int(requested)) else {
                throw CommandError("NOPROTO unsupported protocol version")
            }
            version = supported
            index = 2
        }
        // As Redis: every option is parsed (a name checked as soon as it is met) before the
        // credentials are; the last AUTH and SETNAME win.
        var clientName: [UInt8]?
        var credentials: (user: [UInt8], password: [UInt8])?
        while index < argv.count {
            let more = argv.count - index - 1
            if Bytes.equalsIgnoringCase(argv[index], "auth"), more >= 2 {
                credentials = (argv[index + 1], argv[index + 2])
                index += 3
            } else if Bytes.equalsIgnoringCase(argv[index], "setname"), more >= 1 {
                try ConnectionCommands.checkClientName(argv[index + 1])
                clientName = argv[index + 1]
                index += 2
            } else {
                throw CommandError("ERR Syntax error in HELLO option '\(Bytes.lossyText(argv[index], limit: 128))'")
            }
        }
        if let credentials {
            try ConnectionCommands.authenticate(connection, user: credentials.user, password: credentials.password)
        }
        guard connection.isAuthenticated else {
            throw CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
        }
        if let clientName { connection.clientName = clientName }
        connection.protocolVersion = version
        return .map([
            ReplyPair(.bulk("server"), .bulk("redis")),
            ReplyPair(.bulk("version"), .bulk(redisVersion)),
            ReplyPair(.bulk("proto"), .integer(Int64(version.rawValue))),
            ReplyPair(.bulk("id"), .integer(connection.clientID)),
            ReplyPair(.bulk("mode"), .bulk("standalone")),
            ReplyPair(.bulk("role"), .bulk("master")),
            ReplyPair(.bulk("modules"), .array([])),
        ])
    }

    static func time(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let micros = connection.clock.nowMicroseconds()
        return .array([.bulk(String(micros / 1_000_000)), .bulk(String(micros % 1_000_000))])
    }

    static func select(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        connection.selectedDatabase = try databaseIndex(argv[1], notInteger: .notInteger)
        return .ok
    }

    /// Parses a database number: `notInteger` when it is not one, out of range past 0-15.
    static func databaseIndex(_ argument: [UInt8], notInteger: CommandError) throws -> Int64 {
        guard let index = Numbers.parseInt64(argument), index >= Int64(Int32.min), index <= Int64(Int32.max) else {
            throw notInteger
        }
        guard index >= 0, index < RedliteConnection.databaseCount else { throw CommandError.dbIndexOutOfRange }
        return index
    }

    static func swapdb(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let first = try databaseIndex(argv[1], notInteger: CommandError("ERR invalid first DB index"))
        let second = try databaseIndex(argv[2], notInteger: CommandError("ERR invalid second DB index"))
        guard first != second else { return .ok }
        // Three moves through a scratch number, because UNIQUE(db, key) is checked row by row.
        let database = connection.store.database
        for (from, to) in [(first, -1), (second, first), (-1, second)] {
            let statement = try database.cached("UPDATE keys SET db = ?2 WHERE db = ?1")
            try statement.bind(1, from)
            try statement.bind(2, to)
            try statement.run()
        }
        return .ok
    }

    static func dbsize(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let statement = try connection.store.database.cached(
            "SELECT COUNT(*) FROM keys WHERE db = ?1 AND (expire_at IS NULL OR expire_at >= ?2)")
        try statement.bind(1, connection.store.db)
        try statement.bind(2, connection.store.now)
        _ = try statement.step()
        return .integer(statement.int64(0))
    }

    /// FLUSHDB / FLUSHALL take an optional ASYNC or SYNC (both flush at once here).
    private static func checkFlushMode(_ argv: [[UInt8]]) throws {
        guard argv.count <= 2 else { throw CommandError.syntax }
        if argv.count == 2 && !Bytes.equalsIgnoringCase(argv[1], "async") && !Bytes.equalsIgnoringCase(argv[1], "sync") {
            throw CommandError.syntax
        }
    }

    static func flushdb(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try checkFlushMode(argv)
        let statement = try connection.store.database.cached("DELETE FROM keys WHERE db = ?1")
        try statement.bind(1, connection.store.db)
        try statement.run()
        return .ok
    }

    static func flushall(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try checkFlushMode(argv)
        try connection.store.database.cached("DELETE FROM keys").run()
        return .ok
    }

    // MARK: CONFIG

    /// The CONFIG subcommands Redlite implements, with Redis 7.0's arities.
    static let configSubcommands: [SubcommandSpec] = [
        SubcommandSpec("config", "get", arity: -3),
        SubcommandSpec("config", "set", arity: -4),
        SubcommandSpec("config", "resetstat", arity: 2),
        SubcommandSpec("config", "help", arity: 2),
    ]

    /// The settings CONFIG knows, in the order CONFIG GET * lists them.
    /// `save` and `appendonly` say that Redis's own persistence is off (the data is in SQLite);
    /// redis-benchmark asks for them before it starts.
    private static let configNames = ["databases", "hz", "save", "appendonly", "redlite-active-expire-batch",
                                      "redlite-synchronous", "redlite-busy-timeout"]

    static func config(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let sub = argv[1]
        if Bytes.equalsIgnoringCase(sub, "get") {
            guard argv.count >= 3 else { throw CommandError.arity("config|get") }
            var pairs: [ReplyPair] = []
            for name in configNames {
                let matched = argv.dropFirst(2).contains { GlobPattern(Bytes.lowercased($0)).matches(Array(name.utf8)) }
                if matched { pairs.append(ReplyPair(.bulk(name), .bulk(configValue(connection, name)))) }
            }
            return .map(pairs)
        }
        if Bytes.equalsIgnoringCase(sub, "set") {
            guard argv.count >= 4, argv.count % 2 == 0 else { throw CommandError.arity("config|set") }
            var updated = connection.settings
            for index in stride(from: 2, to: argv.count, by: 2) {
                let name = Bytes.lossyText(Bytes.lowercased(argv[index]))
                let value = argv[index + 1]
                func invalid(_ reason: String) -> CommandError {
                    CommandError("ERR CONFIG SET failed (possibly related to argument '\(name)') - \(reason)")
                }
                switch name {
                case "hz":
                    guard let hz = Numbers.parseInt64(value) else { throw invalid("argument couldn't be parsed into an integer") }
                    // Redis clamps hz to 1-500.
                    updated.hz = Int(min(max(hz, 1), 500))
                case "redlite-active-expire-batch":
                    guard let batch = Numbers.parseInt64(value), batch > 0 else { throw invalid("argument must be a positive integer") }
                    updated.activeExpireBatch = batch
                case "databases", "save", "appendonly", "redlite-synchronous", "redlite-busy-timeout":
                    throw invalid("can't set immutable config")
                default:
                    throw CommandError("ERR Unknown option or number of arguments for CONFIG SET - '\(Bytes.lossyText(argv[index]))'")
                }
            }
            connection.settings = updated
            return .ok
        }
        if Bytes.equalsIgnoringCase(sub, "resetstat") {
            guard argv.count == 2 else { throw CommandError.arity("config|resetstat") }
            return .ok
        }
        if Bytes.equalsIgnoringCase(sub, "help") {
            return .array([
                "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                "RESETSTAT", "    Reset statistics reported by the INFO command.",
                "HELP", "    Print this help.",
            ].map { .simple($0) })
        }
        throw CommandError.unknownSubcommand(sub, of: "config")
    }

    private static func configValue(_ connection: RedliteConnection, _ name: String) -> String {
        switch name {
        case "databases": String(RedliteConnection.databaseCount)
        case "hz": String(connection.settings.hz)
        case "save": ""
        case "appendonly": "no"
        case "redlite-active-expire-batch": String(connection.settings.activeExpireBatch)
        case "redlite-synchronous":
            if case .file = connection.options.location, !connection.options.isSharedMemory {
                connection.options.durability.rawValue
            } else {
                "memory"
            }
        case "redlite-busy-timeout": String(connection.options.busyTimeoutMilliseconds)
        default: ""
        }
    }

    // MARK: INFO

    static func info(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let requested = Set(argv.dropFirst().map { Bytes.lossyText(Bytes.lowercased($0)) })
        let everything = requested.isEmpty || !requested.isDisjoint(with: ["all", "default", "everything"])
        var sections: [String] = []
        if everything || requested.contains("server") {
            var lines = ["# Server", "redis_version:\(redisVersion)", "redis_mode:standalone",
                         "redlite_engine:swift", "sqlite_version:\(Database.libraryVersion)"]
            switch connection.options.location {
            case .memory: lines.append("redlite_storage:memory")
            case .file(let path) where connection.options.isSharedMemory:
                lines.append("redlite_storage:memory")
                lines.append("redlite_path:\(connection.options.reportedPath ?? path)")
            case .file(let path):
                lines.append("redlite_storage:file")
                lines.append("redlite_path:\(connection.options.reportedPath ?? path)")
                lines.append("redlite_synchronous:\(connection.options.durability.rawValue)")
            }
            lines.append("redlite_vfs:\(connection.options.reportedVFS ?? connection.options.vfs ?? "default")")
            lines.append("hz:\(connection.settings.hz)")
            sections.append(lines.joined(separator: "\r\n") + "\r\n")
        }
        if everything || requested.contains("keyspace") {
            var lines = ["# Keyspace"]
            let statement = try connection.store.database.cached("""
                SELECT db, COUNT(*), COUNT(expire_at) FROM keys
                WHERE expire_at IS NULL OR expire_at >= ?1 GROUP BY db ORDER BY db
                """)
            try statement.bind(1, connection.store.now)
            while try statement.step() {
                lines.append("db\(statement.int64(0)):keys=\(statement.int64(1)),expires=\(statement.int64(2)),avg_ttl=0")
            }
            sections.append(lines.joined(separator: "\r\n") + "\r\n")
        }
        let text = Array(sections.joined(separator: "\r\n").utf8)
        return connection.protocolVersion == .resp3 ? .verbatim(format: "txt", text: text) : .bulk(text)
    }

    // MARK: COMMAND

    static func command(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count > 1 else {
            return .array(CommandTable.all.map { .array([.bulk($0.name), .integer(Int64($0.arity))]) })
        }
        if Bytes.equalsIgnoringCase(argv[1], "count") {
            guard argv.count == 2 else { throw CommandError.arity("command|count") }
            return .integer(Int64(CommandTable.all.count))
        }
        if Bytes.equalsIgnoringCase(argv[1], "list") {
            return .array(CommandTable.all.map { .bulk($0.name) })
        }
        throw CommandError.unknownSubcommand(argv[1], of: "command")
    }

    // MARK: Redlite's own

    /// VACUUM: deletes every expired key in every database, then compacts the file with
    /// SQLite's VACUUM. Answers the number of keys deleted (as upstream does).
    static func vacuum(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let purged = try connection.purgeExpiredKeys()
        try connection.store.database.execute("VACUUM")
        return .integer(Int64(purged))
    }

    /// KEYINFO key: `type`, `ttl` (seconds, -1 when none), `created_at`, `updated_at` (ms), as
    /// upstream answers; null for a missing key.
    static func keyinfo(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let record = try connection.store.lookup(argv[1]) else { return .null }
        let statement = try connection.store.database.cached("SELECT created_at, updated_at FROM keys WHERE id = ?1")
        try statement.bind(1, record.id)
        _ = try statement.step()
        let ttl = record.expireAt.map { max(($0 - connection.store.now) / 1000, 0) } ?? -1
        return .array([
            .bulk("type"), .bulk(record.type.name),
            .bulk("ttl"), .integer(ttl),
            .bulk("created_at"), .integer(statement.int64(0)),
            .bulk("updated_at"), .integer(statement.int64(1)),
        ])
    }
}
