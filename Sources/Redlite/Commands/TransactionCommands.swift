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
        // WATCH, UNWATCH and DISCARD write: they add or remove rows of redlite_watches.
        CommandSpec("discard", arity: 1, .write, controlsTransaction: true, discard),
        CommandSpec("watch", arity: -2, .write, controlsTransaction: true, watch),
        CommandSpec("unwatch", arity: 1, .write, unwatch),
    ]

    static func multi(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard connection.queuedCommands == nil else { throw CommandError("ERR MULTI calls can not be nested") }
        connection.queuedCommands = []
        connection.queuedArgumentBytes = 0
        connection.transactionFailed = false
        return .ok
    }

    static func discard(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard connection.queuedCommands != nil else { throw CommandError("ERR DISCARD without MULTI") }
        try connection.releaseWatchRows()
        connection.endTransaction()
        return .ok
    }

    static func watch(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard connection.queuedCommands == nil else { throw CommandError("ERR WATCH inside MULTI is not allowed") }
        let store = connection.store
        let db = store.db
        for key in argv.dropFirst() {
            if connection.watchedKeys.contains(where: { $0.db == db && $0.key == key }) { continue }
            let row = try store.row(key)
            if let row, !store.isExpired(row.expireAt) {
                let state = WatchedKey.KeyState(id: row.id, version: row.version)
                connection.watchedKeys.append(WatchedKey(db: db, key: key, state: state, watchRow: nil))
                continue
            }
            // Absent: register, so that writers creating (and deleting) it mark the row.
            let insert = try store.database.cached(
                "INSERT INTO redlite_watches (db, key, expired_id) VALUES (?1, ?2, ?3)")
            try insert.bind(1, db)
            try store.bindName(insert, 2, key)
            try insert.bind(3, row?.id)
            try insert.run()
            let watchRow = store.database.lastInsertRowID
            connection.watchedKeys.append(WatchedKey(db: db, key: key, state: nil, watchRow: watchRow))
        }
        return .ok
    }

    static func unwatch(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try connection.releaseWatchRows()
        connection.watchedKeys = []
        return .ok
    }

    static func exec(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let queue = connection.queuedCommands else { throw CommandError("ERR EXEC without MULTI") }
        defer { connection.endTransaction() }
        let database = connection.store.database
        try database.begin(immediate: true)
        connection.store.beginCommand()
        do {
            // Aborting still commits: the watch registrations are removed either way.
            let unchanged = connection.transactionFailed ? false : try connection.watchedKeysUnchanged()
            if !unchanged {
                try connection.releaseWatchRows()
                try database.commit()
                if connection.transactionFailed {
                    throw CommandError("EXECABORT Transaction discarded because of previous errors.")
                }
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
            try connection.releaseWatchRows()
            try database.commit()
            return .array(replies)
        } catch let error as CommandError {
            throw error
        } catch {
            connection.rollback()
            throw error
        }
    }
}

extension RedliteConnection {
    /// `true` when no watched key changed: a live key still has its `(id, version)`, and an
    /// absent one is still absent and its `redlite_watches` row was not marked by a writer.
    func watchedKeysUnchanged() throws -> Bool {
        for watched in watchedKeys {
            let now = try store.lookup(watched.key, db: watched.db)
                .map { WatchedKey.KeyState(id: $0.id, version: $0.version) }
            guard now == watched.state else { return false }
            if let watchRow = watched.watchRow {
                let statement = try store.database.cached("SELECT touched FROM redlite_watches WHERE rowid = ?1")
                try statement.bind(1, watchRow)
                guard try statement.step(), statement.int64(0) == 0 else { return false }
            }
        }
        return true
    }

    /// Deletes this connection's `redlite_watches` rows, inside the current transaction.
    func releaseWatchRows() throws {
        for watchRow in watchedKeys.compactMap(\.watchRow) {
            let statement = try store.database.cached("DELETE FROM redlite_watches WHERE rowid = ?1")
            try statement.bind(1, watchRow)
            try statement.run()
        }
    }

    /// Leaves MULTI and forgets every WATCH, as EXEC and DISCARD do.
    func endTransaction() {
        queuedCommands = nil
        queuedArgumentBytes = 0
        transactionFailed = false
        watchedKeys = []
    }
}
