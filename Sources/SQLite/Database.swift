import CSQLite

/// One SQLite connection. The object owns the `sqlite3 *` handle: `init` opens it, `deinit`
/// closes it.
///
/// A `Database` is not thread-safe; use one per thread (SQLite's multi-thread mode).
public final class Database {
    /// The raw handle, for code in this module and for registering hooks.
    public let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]
    /// Cached statements handed out since the last transaction boundary. A statement left
    /// un-reset keeps its read transaction (its WAL snapshot) open past COMMIT, so the next
    /// command would read stale data; they are all reset before each COMMIT or ROLLBACK.
    private var outstanding: [Statement] = []

    /// How to open a database file.
    public struct OpenFlags: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        public static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
        public static let uri = OpenFlags(rawValue: SQLITE_OPEN_URI)
        public static let memory = OpenFlags(rawValue: SQLITE_OPEN_MEMORY)
        /// Multi-thread mode: the connection is used by one thread at a time, no mutex.
        public static let noMutex = OpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)
    }

    /// Opens `path` (a file name, `:memory:`, or a `file:` URI with `.uri`) through the VFS
    /// called `vfs`, or SQLite's default VFS when `vfs` is nil.
    public init(
        path: String,
        flags: OpenFlags = [.readWrite, .create, .noMutex],
        vfs: String? = nil
    ) throws(SQLiteError) {
        SQLiteLibrary.configure()
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags.rawValue, vfs)
        guard let db else {
            throw SQLiteError(extendedCode: rc, message: "cannot open \(path): out of memory")
        }
        guard rc == SQLITE_OK else {
            let error = SQLiteError(
                extendedCode: sqlite3_extended_errcode(db),
                message: String(cString: sqlite3_errmsg(db)))
            sqlite3_close_v2(db)
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
    }

    deinit {
        // Statements must be finalized before the connection can close.
        outstanding.removeAll()
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows (DDL, pragmas, BEGIN/COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), handle)
    }

    /// A prepared statement for `sql`, compiled once per connection and reused.
    ///
    /// The statement is reset and its bindings cleared before it is returned, so a caller
    /// never sees another caller's state. It stays active (holding its read snapshot) until
    /// ``commit()``, ``rollback()`` or ``resetStatements()``: call one of them after every
    /// unit of work.
    public func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            outstanding.append(statement)
            return statement
        }
        let statement = try Statement(database: self, sql: sql)
        statementCache[sql] = statement
        outstanding.append(statement)
        return statement
    }

    /// Resets every cached statement handed out since the last call, ending their reads.
    public func resetStatements() {
        for statement in outstanding { statement.reset() }
        outstanding.removeAll(keepingCapacity: true)
    }

    /// `BEGIN IMMEDIATE` (takes the write lock now) or `BEGIN` (deferred), prepared once.
    public func begin(immediate: Bool) throws(SQLiteError) {
        try runControl(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
    }

    /// Resets outstanding statements, then `COMMIT`.
    public func commit() throws(SQLiteError) {
        resetStatements()
        try runControl("COMMIT")
    }

    /// Resets outstanding statements, then `ROLLBACK` if a transaction is still open (SQLite
    /// rolls back by itself after some errors).
    public func rollback() {
        resetStatements()
        if !isAutocommit { try? runControl("ROLLBACK") }
    }

    /// Runs a transaction-control statement and resets it at once, also when it fails: a
    /// `BEGIN IMMEDIATE` that gave up on the busy timeout (SQLITE_BUSY) is otherwise left
    /// resumable, counted as a write in progress, and every later COMMIT on the connection
    /// fails with "cannot commit transaction - SQL statements in progress".
    private func runControl(_ sql: String) throws(SQLiteError) {
        let statement = try cachedControl(sql)
        defer { statement.reset() }
        try statement.run()
    }

    /// Transaction-control statements are cached but not tracked as outstanding.
    private func cachedControl(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            return statement
        }
        let statement = try Statement(database: self, sql: sql)
        statementCache[sql] = statement
        return statement
    }

    /// A new prepared statement that the caller owns.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// The value of the first column of the first row of `sql`, as an integer.
    public func scalarInt(_ sql: String) throws(SQLiteError) -> Int64? {
        let statement = try cached(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `false` while a transaction is open on this connection.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Sets how long SQLite retries a locked database before answering SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) throws(SQLiteError) {
        try check(sqlite3_busy_timeout(handle, milliseconds), handle)
    }

    /// The text of every row of a one-column query (e.g. `PRAGMA integrity_check`).
    public func strings(_ sql: String) throws(SQLiteError) -> [String] {
        let statement = try prepare(sql)
        var rows: [String] = []
        while try statement.step() { rows.append(statement.string(0)) }
        return rows
    }

    /// The `main` database as bytes (an in-memory database's whole image).
    public func serialize() -> [UInt8]? {
        var size: sqlite3_int64 = 0
        guard let data = sqlite3_serialize(handle, "main", &size, 0) else { return nil }
        defer { sqlite3_free(data) }
        return [UInt8](UnsafeBufferPointer(start: data, count: Int(size)))
    }

    /// Replaces the `main` database with a copy of `image` (from ``serialize()``), held in
    /// memory and growable.
    public func deserialize(_ image: [UInt8]) throws(SQLiteError) {
        guard let buffer = sqlite3_malloc64(sqlite3_uint64(image.count))?.assumingMemoryBound(to: UInt8.self) else {
            throw SQLiteError(extendedCode: SQLITE_NOMEM, message: "out of memory copying a database image")
        }
        image.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.initialize(from: base, count: image.count) }
        }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
        try check(sqlite3_deserialize(handle, "main", buffer, sqlite3_int64(image.count), sqlite3_int64(image.count), flags), handle)
    }

    /// Makes closing skip the WAL checkpoint: the next open recovers from the WAL instead, as
    /// after a crash (a simulated restart should not get a clean shutdown).
    public func disableCheckpointOnClose() throws(SQLiteError) {
        try check(redlite_sqlite_disable_checkpoint_on_close(handle), handle)
    }

    /// Reserves `count` bytes at the end of every page of a new database (for a VFS's
    /// checksums); SQLite ignores it once the file has pages.
    public func setReserveBytes(_ count: Int32) throws(SQLiteError) {
        var value = count
        try check(sqlite3_file_control(handle, "main", SQLITE_FCNTL_RESERVE_BYTES, &value), handle)
    }

    /// The SQLite library version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
