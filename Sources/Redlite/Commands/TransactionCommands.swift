import RESP

/// MULTI, EXEC, DISCARD, WATCH, UNWATCH.
///
/// EXEC runs the whole queue in one SQLite write transaction: other connections see all of it
/// or none of it, and a crash cannot leave half of it behind. A queued command that fails at
/// run time answers its error inside EXEC's reply and its own effects are undone (a savepoint
/// per command), while the others still apply, as in Redis.
enum TransactionCommands {
    static let all: [CommandSpec] = [
        CommandSpec("multi", arity: 1, .none, controlsTransaction: true, multi),
        CommandSpec("exec", arity: 1, .none, controlsTransaction: true, exec),
        CommandSpec("discard", arity: 1, .none, controlsTransaction: true, discard),
        CommandSpec("watch", arity: -2, .read, controlsTransaction: true, watch),
        CommandSpec("unwatch", arity: 1, .none, unwatch),
    ]

    static func multi(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard connection.queuedCommands == nil else { throw CommandError("ERR MULTI calls can not be nested") }
        connection.queuedCommands = []
        connection.transactionFailed = false
        return .ok
    }

    static func discard(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard connection.queuedCommands != nil else { throw CommandError("ERR DISCARD without MULTI") }
        connection.endTransaction()
        return .ok
    }

    static func watch(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard connection.queuedCommands == nil else { throw CommandError("ERR WATCH inside MULTI is not allowed") }
        let db = connection.store.db
        for key in argv.dropFirst() {
            if connection.watchedKeys.contains(where: { $0.db == db && $0.key == key }) { continue }
            connection.watchedKeys.append(WatchedKey(db: db, key: key, state: try connection.watchState(key, db: db)))
        }
        return .ok
    }

    static func unwatch(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        connection.watchedKeys = []
        return .ok
    }

    static func exec(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let queue = connection.queuedCommands else { throw CommandError("ERR EXEC without MULTI") }
        defer { connection.endTransaction() }
        if connection.transactionFailed {
            throw CommandError("EXECABORT Transaction discarded because of previous errors.")
        }
        let database = connection.store.database
        try database.begin(immediate: true)
        connection.store.beginCommand()
        do {
            for watched in connection.watchedKeys
            where try connection.watchState(watched.key, db: watched.db) != watched.state {
                connection.rollback()
                return .nullArray
            }
            var replies: [Reply] = []
            replies.reserveCapacity(queue.count)
            for queued in queue {
                // Every queued name was resolved when it was queued.
                guard let spec = CommandTable.lookup(queued[0]) else { continue }
                try database.execute("SAVEPOINT queued_command")
                do {
                    replies.append(try spec.handler(connection, queued))
                    try database.execute("RELEASE queued_command")
                } catch {
                    database.resetStatements()
                    try database.execute("ROLLBACK TO queued_command; RELEASE queued_command")
                    replies.append(RedliteConnection.reply(for: error))
                }
            }
            try database.commit()
            return .array(replies)
        } catch {
            connection.rollback()
            throw error
        }
    }
}

extension RedliteConnection {
    /// What WATCH records for a key: its `(id, version)` when live, nil when absent or expired.
    func watchState(_ key: [UInt8], db: Int64) throws -> WatchedKey.KeyState? {
        try store.lookup(key, db: db).map { WatchedKey.KeyState(id: $0.id, version: $0.version) }
    }

    /// Leaves MULTI and forgets every WATCH, as EXEC and DISCARD do.
    func endTransaction() {
        queuedCommands = nil
        transactionFailed = false
        watchedKeys = []
    }
}
