import RESP
import SQLite
import Synchronization

/// One client's connection to a Redlite database: its own SQLite connection, selected
/// database, MULTI/WATCH state and protocol version. This is the engine's universal entry:
/// ``execute(_:)`` takes an argv of byte strings and answers with Redis 7.0's reply.
///
/// A connection is used by one thread at a time. Open one per client (or thread); they share
/// data through the database file.
public final class RedliteConnection {
    public let options: StorageOptions
    let store: Store
    let random: RedliteRandom
    let clock: RedliteClock

    /// The selected database, 0-15.
    public var selectedDatabase: Int64 {
        get { store.db }
        set { store.db = newValue }
    }

    /// RESP2 until the client says `HELLO 3`.
    public internal(set) var protocolVersion: ProtocolVersion = .resp2

    /// Commands queued since MULTI, or nil outside a transaction.
    var queuedCommands: [[[UInt8]]]?
    /// A command was refused while queuing: EXEC must answer EXECABORT.
    var transactionFailed = false
    /// WATCHed keys and what they looked like when watched.
    var watchedKeys: [WatchedKey] = []
    deinit {
        releaseWatchRowsBestEffort()
    }

    /// Argument bytes of `queuedCommands` (CLIENT LIST's `multi-mem`).
    var queuedArgumentBytes = 0

    /// The server hosting this connection, which answers for its clients (passwords, CLIENT
    /// LIST); nil for an engine used on its own, which acts as a Redis with no password and
    /// this one client. Setting it starts the client over as unauthenticated when the
    /// directory requires a password.
    public var clientDirectory: (any ClientDirectory)? {
        didSet { isAuthenticated = !(clientDirectory?.requiresPassword ?? false) }
    }

    /// False until the client authenticates, when its ``clientDirectory`` requires a password.
    public internal(set) var isAuthenticated = true

    /// The last command looked up, as Redis names it for CLIENT LIST (`get`, `client|list`);
    /// nil before the first, and after an unknown command (Redis shows `NULL` then too).
    public internal(set) var lastCommand: String?

    /// When the connection opened, in clock milliseconds (CLIENT LIST's `age` without a server).
    let openedAtMilliseconds: Int64

    /// The client's state as CLIENT LIST shows it.
    public var session: ClientSession {
        ClientSession(name: clientName, database: selectedDatabase, queuedCommandCount: queuedCommands?.count,
                      queuedBytes: queuedArgumentBytes, protocolVersion: protocolVersion, lastCommand: lastCommand)
    }

    /// Forgets what belonged to the client that went away, as Redis frees a disconnected
    /// client: its transaction and watches, its selected database, protocol, name and
    /// authentication.
    func endClient() {
        releaseWatchRowsBestEffort()
        endTransaction()
        selectedDatabase = 0
        protocolVersion = .resp2
        clientName = nil
        lastCommand = nil
        isAuthenticated = !(clientDirectory?.requiresPassword ?? false)
    }

    /// Releases this connection's rows in `redlite_watches`, in a transaction of its own. Best
    /// effort: a leftover row only costs writers of that key name an index probe.
    func releaseWatchRowsBestEffort() {
        guard watchedKeys.contains(where: { $0.watchRow != nil }) else { return }
        do {
            try store.database.begin(immediate: true)
            try releaseWatchRows()
            try store.database.commit()
        } catch {
            store.database.rollback()
        }
    }

    /// When the active purge last ran, in clock milliseconds.
    var lastPurgeMilliseconds: Int64?
    /// CLIENT SETNAME / HELLO SETNAME.
    public internal(set) var clientName: [UInt8]?
    /// A number unique among connections of this process (CLIENT ID, HELLO's `id`), unless
    /// the caller chose it (a simulation numbers connections per run, for determinism).
    public let clientID: Int64
    /// Engine settings visible through CONFIG GET/SET.
    var settings = EngineSettings()
    /// Number of databases (SELECT 0-15), as upstream.
    public static let databaseCount: Int64 = 16

    /// Opens a connection.
    /// - Parameters:
    ///   - options: in-memory or a file, its durability, and the VFS to use.
    ///   - clock: the time TTLs are measured against (inject a ``ManualClock`` for virtual time).
    ///   - random: the source for SPOP, SRANDMEMBER, RANDOMKEY, HRANDFIELD, ZRANDMEMBER.
    ///   - clientID: the id HELLO reports; nil takes the next process-wide number.
    public init(_ options: StorageOptions = .memory, clock: RedliteClock = SystemClock(),
                random: RedliteRandom = SystemRandom(), clientID: Int64? = nil) throws(SQLiteError) {
        self.clientID = clientID ?? ConnectionIDs.next()
        self.options = options
        self.clock = clock
        self.random = random
        self.openedAtMilliseconds = clock.nowMilliseconds()
        let database: Database
        switch options.location {
        case .memory where options.vfs == nil:
            // The empty schema, built once per process: parsing ~30 DDL statements would
            // dominate the cost of the many short-lived engines a simulation opens.
            database = try Database(path: ":memory:")
            if let image = Self.emptyMemoryImage { try database.deserialize(image) }
        case .memory:
            database = try Database(path: ":memory:", vfs: options.vfs)
        case .file(let path):
            database = try Database(path: path, vfs: options.vfs)
        }
        try database.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
        if options.pageChecksums { try database.setReserveBytes(8) }
        // Upstream's pragmas, except synchronous (the caller's choice), and mmap and helper
        // threads (off under a custom VFS, so every read goes through it and one thread does
        // all of a connection's work).
        var pragmas = """
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -64000;
            PRAGMA temp_store = MEMORY;
            """
        if case .file = options.location {
            pragmas += """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = \(options.durability == .full ? "FULL" : "NORMAL");
                PRAGMA mmap_size = \(options.vfs == nil ? 268_435_456 : 0);
                """
            if options.vfs != nil { pragmas += " PRAGMA threads = 0;" }
        }
        try database.execute(pragmas)
        // Creating the schema takes the write lock: several connections opening one new file
        // at once serialize here through the busy timeout. A file that has it already (the
        // engine's own last table is there) skips the DDL, which makes reopening cheap.
        if try database.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE name = '\(Schema.lastEngineTable)'") != 1 {
            try database.execute("BEGIN IMMEDIATE; \(Schema.tables) \(Schema.engineTables) COMMIT;")
        }
        database.resetStatements()
        self.store = Store(database: database, clock: clock)
    }

    /// An in-memory database holding just the schema, serialized (nil if SQLite cannot).
    private static let emptyMemoryImage: [UInt8]? = {
        guard let database = try? Database(path: ":memory:"),
              (try? database.execute("\(Schema.tables) \(Schema.engineTables)")) != nil else { return nil }
        return database.serialize()
    }()

    /// The underlying SQLite connection, for checks such as `PRAGMA integrity_check`.
    public var database: Database { store.database }

    // MARK: Executing commands

    /// Runs one command and returns its reply, exactly as Redis 7.0 would answer it. Never
    /// throws: every failure is an error reply. Inside MULTI, commands are queued.
    ///
    /// The checks come in Redis's order: the command (and a container's subcommand) must
    /// exist, then its arity must fit, then the client must be authenticated (unless the
    /// command is AUTH, HELLO or QUIT); only then is it queued or run.
    public func execute(_ argv: [[UInt8]]) -> Reply {
        guard let name = argv.first else { return .error("ERR empty command") }
        guard let spec = CommandTable.lookup(name) else {
            lastCommand = nil
            return reject(CommandError(Self.unknownCommandMessage(argv)), of: nil)
        }
        if let subcommands = spec.subcommands, argv.count >= 2 {
            guard let subcommand = SubcommandSpec.lookup(argv[1], in: subcommands) else {
                lastCommand = nil
                return reject(.unknownSubcommand(argv[1], of: spec.name), of: spec)
            }
            lastCommand = subcommand.fullName
            guard subcommand.accepts(argumentCount: argv.count) else {
                return reject(.arity(subcommand.fullName), of: spec)
            }
        } else {
            lastCommand = spec.name
            guard spec.accepts(argumentCount: argv.count) else {
                return reject(.arity(spec.name), of: spec)
            }
        }
        guard isAuthenticated || spec.allowedBeforeAuthentication else {
            return reject(.authenticationRequired, of: spec)
        }
        if queuedCommands != nil && !spec.controlsTransaction {
            queuedCommands!.append(argv)
            queuedArgumentBytes += argv.reduce(0) { $0 + $1.count }
            return .simple("QUEUED")
        }
        return run(spec, argv)
    }

    /// Refuses a command before it runs, as Redis's `rejectCommand`: inside MULTI the refusal
    /// dooms the transaction (EXEC answers EXECABORT); a refused EXEC ends the transaction at
    /// once and says why, without the reason's `ERR ` prefix (Redis formats it from the bare
    /// text): `EXECABORT Transaction discarded because of: NOAUTH Authentication required.`
    private func reject(_ error: CommandError, of spec: CommandSpec?) -> Reply {
        if spec?.name == "exec" {
            releaseWatchRowsBestEffort()
            endTransaction()
            let reason = error.message.hasPrefix("ERR ") ? String(error.message.dropFirst(4)) : error.message
            return .error("EXECABORT Transaction discarded because of: \(reason)")
        }
        if queuedCommands != nil { transactionFailed = true }
        return .error(error.message)
    }

    /// Runs one command given as text words (a convenience for tests and tools).
    @discardableResult
    public func execute(_ words: String...) -> Reply {
        execute(words.map { Array($0.utf8) })
    }

    /// Runs `spec` in its own SQLite transaction: committed when it succeeds, rolled back when
    /// it answers an error, so a command is all-or-nothing even across a crash.
    func run(_ spec: CommandSpec, _ argv: [[UInt8]]) -> Reply {
        switch spec.access {
        case .none:
            store.beginCommand()
            defer { store.database.resetStatements() }
            return invoke(spec, argv)
        case .read, .write:
            do {
                try store.database.begin(immediate: spec.access == .write)
            } catch {
                return Self.reply(for: error)
            }
            store.beginCommand()
            do {
                if spec.access == .write { try purgeExpiredIfDue() }
                let reply = try spec.handler(self, argv)
                try store.database.commit()
                return reply
            } catch {
                rollback()
                return Self.reply(for: error)
            }
        }
    }

    /// Calls a handler inside a transaction someone else opened (EXEC, or `.none` commands).
    func invoke(_ spec: CommandSpec, _ argv: [[UInt8]]) -> Reply {
        do {
            return try spec.handler(self, argv)
        } catch {
            return Self.reply(for: error)
        }
    }

    /// Rolls back the open transaction, if SQLite has not already done so.
    func rollback() {
        store.database.rollback()
    }

    /// The active purge: every `1000 / hz` clock milliseconds, a write command first deletes a
    /// batch of expired keys, so expired data does not pile up in keys nobody reads.
    private func purgeExpiredIfDue() throws {
        let interval = Int64(1000 / max(settings.hz, 1))
        if let last = lastPurgeMilliseconds, store.now - last < interval, store.now >= last { return }
        lastPurgeMilliseconds = store.now
        try store.purgeExpired(limit: settings.activeExpireBatch)
    }

    /// Deletes every expired key now. Returns how many were deleted.
    @discardableResult
    public func purgeExpiredKeys() throws -> Int {
        try store.database.begin(immediate: true)
        store.beginCommand()
        do {
            let count = try store.purgeExpired()
            try store.database.commit()
            return count
        } catch {
            rollback()
            throw error
        }
    }

    // MARK: Errors

    static func reply(for error: any Error) -> Reply {
        switch error {
        case let error as CommandError:
            return .error(error.message)
        case let error as SQLiteError:
            return .error(CommandError("ERR storage error: \(error.message) (SQLite code \(error.extendedCode))").message)
        default:
            return .error(CommandError("ERR \(error)").message)
        }
    }

    /// Redis's text: `ERR unknown command 'foo', with args beginning with: 'a' 'b' `.
    ///
    /// Redis builds it with printf: `'%.*s' ` per argument while the list is under 128 bytes
    /// (the precision being the room left), and `%.128s` for the name. `%s` stops at a NUL
    /// byte, and the limits count bytes, so the text is assembled as bytes and decoded last.
    static func unknownCommandMessage(_ argv: [[UInt8]]) -> String {
        func printed(_ bytes: [UInt8], limit: Int) -> ArraySlice<UInt8> {
            bytes.prefix { $0 != 0 }.prefix(limit)
        }
        var arguments: [UInt8] = []
        for argument in argv.dropFirst() {
            guard arguments.count < 128 else { break }
            let room = 128 - arguments.count
            arguments += [UInt8(ascii: "'")] + printed(argument, limit: room) + [UInt8(ascii: "'"), UInt8(ascii: " ")]
        }
        let name = printed(argv[0], limit: 128)
        return "ERR unknown command '\(Bytes.lossyText(Array(name)))', with args beginning with: \(Bytes.lossyText(arguments))"
    }
}

/// A key as WATCH saw it: EXEC aborts if it no longer looks the same.
struct WatchedKey: Equatable {
    let db: Int64
    let key: [UInt8]
    /// `(id, version)` of the live key, or nil when it did not exist (or had expired).
    let state: KeyState?
    /// For an absent key: the rowid of its `redlite_watches` row, which writers mark.
    let watchRow: Int64?

    struct KeyState: Equatable {
        let id: Int64
        let version: Int64
    }
}

/// Settings a connection exposes through CONFIG GET / CONFIG SET.
struct EngineSettings {
    /// Active-purge frequency, as Redis's `hz`: a purge runs at most every 1000/hz ms.
    var hz = 10
    /// How many expired keys one active purge deletes at most.
    var activeExpireBatch: Int64 = 200
}

/// Hands out client ids. The only process-wide state in the engine; it decides nothing a seed
/// should control (ids appear only in HELLO and CLIENT replies).
enum ConnectionIDs {
    private static let counter = Mutex<Int64>(0)
    static func next() -> Int64 { counter.withLock { $0 += 1; return $0 } }
}
