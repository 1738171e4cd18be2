import CSQLite

// SQLite's extended I/O result codes are function-like macros Swift does not import; their
// values are fixed by SQLite's file format of result codes (sqlite3.h).
let SQLITE_IOERR_READ = SQLITE_IOERR | (1 << 8)
let SQLITE_IOERR_SHORT_READ = SQLITE_IOERR | (2 << 8)
let SQLITE_IOERR_WRITE = SQLITE_IOERR | (3 << 8)
let SQLITE_IOERR_FSYNC = SQLITE_IOERR | (4 << 8)
let SQLITE_IOERR_TRUNCATE = SQLITE_IOERR | (6 << 8)
let SQLITE_IOERR_LOCK = SQLITE_IOERR | (15 << 8)
let SQLITE_IOERR_SHMLOCK = SQLITE_IOERR | (20 << 8)
let SQLITE_IOERR_DATA = SQLITE_IOERR | (32 << 8)
