import NIOCore
import Redlite

/// How a ``RedliteServer`` listens, stores and admits clients. The defaults are the
/// `redlite-server` command's.
public struct ServerConfiguration: Sendable, Equatable {
    /// Where the data lives.
    public enum Storage: Sendable, Equatable {
        /// A database file (created if missing) in WAL mode, shared by every client's connection
        /// and by any other process that opens it.
        case file(path: String)
        /// An in-memory database shared by every client of this server (SQLite's memdb VFS),
        /// gone when the server stops.
        case memory
    }

    /// The address to listen on (`--bind`).
    public var host: String
    /// The TCP port (`--port`); 0 lets the kernel choose (``RedliteServer/start()`` returns it).
    public var port: Int
    public var storage: Storage
    /// The `default` user's password (Redis's `requirepass`); nil or empty: no password.
    public var password: String?
    /// What an acknowledged write survives (`--sync`): ``StorageOptions/Durability/normal``
    /// survives a process crash, ``StorageOptions/Durability/full`` a power loss too.
    public var durability: StorageOptions.Durability
    /// Event loops, each a thread running its clients' commands one at a time.
    public var eventLoopCount: Int
    /// Clients connected at once; past it a new client is told so and closed (Redis's
    /// `maxclients`, 10000 by default there too).
    public var maxClients: Int
    /// How long a command waits for another client's write lock before failing.
    public var busyTimeoutMilliseconds: Int32

    public init(host: String = "127.0.0.1", port: Int = 6379, storage: Storage = .file(path: "redlite.db"),
                password: String? = nil, durability: StorageOptions.Durability = .normal,
                eventLoopCount: Int = System.coreCount, maxClients: Int = 10_000,
                busyTimeoutMilliseconds: Int32 = 5000) {
        self.host = host
        self.port = port
        self.storage = storage
        self.password = password
        self.durability = durability
        self.eventLoopCount = eventLoopCount
        self.maxClients = maxClients
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// The engine's options for one client's connection; `memoryName` names the shared
    /// in-memory database for ``Storage/memory``.
    func storageOptions(memoryName: String) -> StorageOptions {
        var options: StorageOptions
        switch storage {
        case .file(let path): options = .file(path, durability: durability)
        case .memory: options = .sharedMemory(name: memoryName)
        }
        options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        return options
    }

    /// `storage file redlite.db, sync normal` or `storage memory`, for the ready line and logs.
    public var storageDescription: String {
        switch storage {
        case .file(let path): "storage file \(path), sync \(durability.rawValue)"
        case .memory: "storage memory"
        }
    }
}
