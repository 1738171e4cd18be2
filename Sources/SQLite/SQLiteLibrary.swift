import CSQLite

/// Process-wide settings of the SQLite library, applied once, before SQLite initializes.
public enum SQLiteLibrary {
    /// Applies the settings; call before the process's first SQLite call that initializes the
    /// library (opening a database, registering a VFS). Later calls do nothing.
    public static func configure() {
        _ = configured
    }

    private static let configured: Void = {
        // SQLITE_MISUSE means SQLite was initialized already (by a caller that skipped
        // this): the settings are an optimization, so the library works on without them.
        _ = redlite_sqlite_disable_memory_statistics()
    }()
}
