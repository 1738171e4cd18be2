import CSQLite

/// A prepared statement. The object owns the `sqlite3_stmt *`: `init` prepares it, `deinit`
/// finalizes it. Parameter and column indexes follow SQLite: parameters from 1, columns from 0.
public final class Statement {
    public let handle: OpaquePointer
    private unowned let database: Database

    init(database: Database, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        try check(
            sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil),
            database.handle)
        guard let statement else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "empty SQL statement: \(sql)")
        }
        self.handle = statement
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement to run again and clears every binding.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding

    public func bind(_ index: Int32, _ value: Int64) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value), database.handle)
    }

    public func bind(_ index: Int32, _ value: Int) throws(SQLiteError) {
        try bind(index, Int64(value))
    }

    public func bind(_ index: Int32, _ value: Double) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, index, value), database.handle)
    }

    public func bindNull(_ index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index), database.handle)
    }

    public func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    /// Binds bytes as a BLOB (SQLite copies them).
    public func bindBlob(_ index: Int32, _ bytes: [UInt8]) throws(SQLiteError) {
        let rc = bytes.withUnsafeBytes { buffer in
            // A zero-length blob needs a non-NULL pointer, or SQLite binds NULL.
            sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                              Int32(buffer.count), sqliteTransient)
        }
        try check(rc, database.handle)
    }

    /// Binds bytes as TEXT (SQLite copies them). The caller guarantees valid UTF-8.
    public func bindText(_ index: Int32, _ bytes: [UInt8]) throws(SQLiteError) {
        // A zero-length text needs a non-NULL pointer, or SQLite binds NULL.
        let rc = bytes.withUnsafeBytes { buffer in
            sqlite3_bind_text(handle, index,
                              (buffer.baseAddress ?? UnsafeRawPointer(emptyText)).assumingMemoryBound(to: CChar.self),
                              Int32(buffer.count), sqliteTransient)
        }
        try check(rc, database.handle)
    }

    public func bind(_ index: Int32, _ text: String) throws(SQLiteError) {
        try check(sqlite3_bind_text(handle, index, text, -1, sqliteTransient), database.handle)
    }

    // MARK: Stepping

    /// Advances to the next row: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        try check(rc, database.handle)
        return false
    }

    /// Runs the statement to completion, discarding rows.
    public func run() throws(SQLiteError) {
        while try step() {}
    }

    // MARK: Columns

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    public func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    /// The column's bytes, whether SQLite stores it as TEXT or BLOB.
    public func bytes(_ column: Int32) -> [UInt8] {
        // For TEXT, ask for the text pointer so SQLite does not convert encodings.
        let pointer: UnsafeRawPointer?
        if sqlite3_column_type(handle, column) == SQLITE_TEXT {
            pointer = UnsafeRawPointer(sqlite3_column_text(handle, column))
        } else {
            pointer = sqlite3_column_blob(handle, column)
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer, count > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func string(_ column: Int32) -> String {
        String(decoding: bytes(column), as: UTF8.self)
    }
}

/// `SQLITE_TRANSIENT` (the macro does not import): SQLite copies bound data before returning.
/// A static empty C string, the pointer bound for zero-length text.
nonisolated(unsafe) private let emptyText: UnsafeMutablePointer<CChar> = {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    pointer.pointee = 0
    return pointer
}()

private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
