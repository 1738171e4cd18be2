/// Where and how a ``RedliteConnection`` stores its data.
public struct StorageOptions: Sendable, Equatable {
    /// Where the database lives.
    public enum Location: Sendable, Equatable {
        /// A private in-memory database, gone when the connection closes. Not shareable:
        /// several connections need a file.
        case memory
        /// A database file (created if missing), in WAL mode. Any number of connections, in
        /// this process or others, may open the same file.
        case file(String)
    }

    /// SQLite's `synchronous` setting for a file in WAL mode: what survives a power loss.
    public enum Durability: String, Sendable, Equatable {
        /// `synchronous=FULL`: the WAL is fsynced at every commit. Every acknowledged command
        /// survives a power loss or OS crash.
        case full
        /// `synchronous=NORMAL` (upstream Redlite's setting): the WAL is fsynced only at
        /// checkpoints. Every acknowledged command survives a process crash; after a power
        /// loss the database is intact but the last acknowledged commands may be rolled back.
        case normal
    }

    public var location: Location
    public var durability: Durability
    /// The SQLite VFS to open the file through (e.g. a simulated disk), or nil for SQLite's
    /// default. With a VFS set, memory-mapped I/O is off so every read goes through it.
    public var vfs: String?
    /// How long a command waits for another connection's write lock before failing.
    public var busyTimeoutMilliseconds: Int32
    /// A new database file reserves 8 bytes at the end of every page for a checksum its VFS
    /// writes and verifies (as SQLite's cksumvfs); an existing file keeps its layout.
    public var pageChecksums: Bool
    /// What INFO reports as `redlite_path` and `redlite_vfs` instead of the real path and VFS
    /// name, when set. A host that opens files in a temporary folder, or through a VFS registered
    /// under a per-process name, sets names that are the same on every run, so a reply to INFO
    /// does not make a seed's trace differ between runs.
    public var reportedPath: String?
    public var reportedVFS: String?

    public init(location: Location, durability: Durability = .normal, vfs: String? = nil,
                busyTimeoutMilliseconds: Int32 = 5000, pageChecksums: Bool = false) {
        self.location = location
        self.durability = durability
        self.vfs = vfs
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.pageChecksums = pageChecksums
    }

    /// A private in-memory database.
    public static let memory = StorageOptions(location: .memory)

    /// An in-memory database shared by every connection of this process that opens the same
    /// `name`, through SQLite's `memdb` VFS (SQLite 3.36+): a file name starting with "/"
    /// names a shared database. It lives while at least one connection to it is open, uses a
    /// rollback journal in memory (the WAL pragma has no effect; writers wait on readers
    /// through the busy timeout) and survives nothing.
    public static func sharedMemory(name: String) -> StorageOptions {
        StorageOptions(location: .file("/" + name), vfs: memdbVFS)
    }

    /// SQLite's built-in VFS for in-memory databases.
    public static let memdbVFS = "memdb"

    /// True for ``sharedMemory(name:)``.
    public var isSharedMemory: Bool { vfs == Self.memdbVFS }

    /// A database file in WAL mode with the given durability.
    public static func file(_ path: String, durability: Durability = .normal, vfs: String? = nil) -> StorageOptions {
        StorageOptions(location: .file(path), durability: durability, vfs: vfs)
    }
}
