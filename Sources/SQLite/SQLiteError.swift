import CSQLite

/// An error reported by SQLite: the primary and extended result codes and the message.
///
/// Every SQLite return code in this module goes through ``check(_:_:)``, so a failure is always
/// one of these and never an unchecked integer.
public struct SQLiteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The extended result code (e.g. `SQLITE_IOERR_DATA`); `code & 0xff` is the primary code.
    public let extendedCode: Int32
    /// SQLite's message for this error.
    public let message: String

    public init(extendedCode: Int32, message: String) {
        self.extendedCode = extendedCode
        self.message = message
    }

    /// The primary result code (e.g. `SQLITE_BUSY`, `SQLITE_FULL`).
    public var code: Int32 { extendedCode & 0xff }

    /// `true` for SQLITE_BUSY and SQLITE_LOCKED, which a caller may retry.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    public var description: String {
        "\(message) (\(String(cString: sqlite3_errstr(extendedCode))), code \(extendedCode))"
    }
}

/// Turns a SQLite return code into a thrown ``SQLiteError``, reading the message from `db`.
@inline(__always)
func check(_ resultCode: Int32, _ db: OpaquePointer?) throws(SQLiteError) {
    switch resultCode {
    case SQLITE_OK, SQLITE_ROW, SQLITE_DONE:
        return
    default:
        let message = db.map { String(cString: sqlite3_errmsg($0)) }
            ?? String(cString: sqlite3_errstr(resultCode))
        throw SQLiteError(extendedCode: resultCode, message: message)
    }
}
