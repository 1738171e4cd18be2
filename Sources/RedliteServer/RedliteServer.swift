@preconcurrency import Glibc
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import Redlite
import Synchronization

/// The Redlite engine served over TCP, speaking RESP2 and RESP3 (after `HELLO 3`) as Redis
/// 7.0 does. ``start()`` binds and returns the port; ``shutdown()`` stops gracefully. A test
/// can run several in one process.
///
/// ## Execution model
///
/// Each client gets its own ``RedliteConnection`` (one SQLite connection) on the shared
/// database, opened when it connects. Its commands run on its channel's event loop, in order,
/// inline as its bytes are read, like Redis's single thread but one per loop: at most
/// ``ServerConfiguration/eventLoopCount`` commands run at once. SQLite's locking orders them
/// (WAL for a file: readers never wait; one writer at a time) and the busy timeout bounds a
/// wait. No SQLite transaction spans two commands (each command is its own; EXEC runs its
/// queue in one), so a loop that waits for a lock never waits for a client of its own loop.
///
/// A command whose bytes were all received runs to completion and commits, even if its client
/// hangs up meanwhile; a client's partial request is never run. A reply is sent only after its
/// command committed: acknowledged means committed.
///
/// With ``ServerConfiguration/Storage/memory``, every client's connection opens the same
/// in-memory database (SQLite's memdb VFS, shared by name within the process). Its locking is
/// a rollback journal's: a writer's commit waits for running readers, within the busy timeout.
///
/// ## Shutdown
///
/// ``shutdown()`` stops accepting, lets every client finish the read it is in (so every
/// command that started completes and its reply is flushed), closes the clients and their
/// engine connections, then the server's own connection, opened first and closed last, whose
/// close checkpoints the WAL into the database file.
public final class RedliteServer: Sendable {
    public let configuration: ServerConfiguration
    private let logger: Logger
    private let registry: ClientRegistry
    private let state = Mutex(State.idle)

    private enum State {
        case idle
        case running(Running)
        case stopped
    }

    private struct Running {
        let group: MultiThreadedEventLoopGroup
        let channel: any Channel
        let quiescing: ServerQuiescingHelper
        /// Holds the database open for the server's life: for memory storage, the database
        /// exists only while a connection has it open.
        let keeper: RedliteConnection
    }

    /// A server that will listen as `configuration` says; nothing happens until ``start()``.
    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "redlite-server")) {
        self.configuration = configuration
        self.logger = logger
        self.registry = ClientRegistry(password: configuration.password, maxClients: configuration.maxClients)
    }

    deinit {
        shutdown()
    }

    /// Clients connected now.
    public var connectedClientCount: Int { registry.count }

    /// Opens (or creates) the database, binds, and starts accepting clients. Returns the bound
    /// port (the kernel's choice when the configuration's port is 0).
    public func start() throws(RedliteServerError) -> Int {
        try state.withLock { state throws(RedliteServerError) -> Int in
            guard case .idle = state else { throw .alreadyStarted }
            let storage = configuration.storageOptions(memoryName: Self.newMemoryName())
            let keeper: RedliteConnection
            do {
                keeper = try RedliteConnection(storage)
            } catch {
                throw .cannotOpenDatabase(path: Self.path(of: configuration.storage), reason: "\(error)")
            }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopCount))
            let quiescing = ServerQuiescingHelper(group: group)
            let registry = self.registry
            let logger = self.logger
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 511)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            BackPressureHandler(),
                            ClientHandler(storage: storage, registry: registry, logger: logger),
                        ])
                    }
                }
            let channel: any Channel
            do {
                channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
            } catch {
                try? group.syncShutdownGracefully()
                throw .cannotBind(host: configuration.host, port: configuration.port, reason: Self.describe(error))
            }
            let port = channel.localAddress?.port ?? configuration.port
            state = .running(Running(group: group, channel: channel, quiescing: quiescing, keeper: keeper))
            logger.info("listening on \(configuration.host):\(port) (\(configuration.storageDescription))")
            return port
        }
    }

    /// Stops gracefully and waits until it has: see the type's documentation. Calling it again,
    /// or on a server that never started, does nothing. Must not be called from an event loop
    /// of this server (it waits for them).
    public func shutdown() {
        var running: Running? = state.withLock { state in
            guard case .running(let running) = state else {
                state = .stopped
                return nil
            }
            state = .stopped
            return running
        }
        guard let group = running?.group, let quiescing = running?.quiescing else { return }
        logger.info("shutting down", metadata: ["clients": "\(registry.count)"])
        let closed = group.next().makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: closed)
        do {
            try closed.futureResult.wait()
        } catch {
            logger.error("closing the clients failed: \(error)")
        }
        do {
            try group.syncShutdownGracefully()
        } catch {
            logger.error("stopping the event loops failed: \(error)")
        }
        // Last: every client's connection is closed by now, so closing this one checkpoints
        // the WAL into the database file.
        running = nil
        logger.info("stopped")
    }

    /// The server's bound port, or nil when it is not running.
    public var port: Int? {
        state.withLock { state in
            guard case .running(let running) = state else { return nil }
            return running.channel.localAddress?.port
        }
    }

    private static let memoryDatabases = Atomic<Int>(0)

    /// A name no other server of this process uses: each server has its own memory database.
    private static func newMemoryName() -> String {
        "redlite-\(getpid())-\(memoryDatabases.add(1, ordering: .relaxed).newValue)"
    }

    private static func path(of storage: ServerConfiguration.Storage) -> String {
        switch storage {
        case .file(let path): path
        case .memory: ":memory:"
        }
    }

    /// `Address already in use (errno: 98)` from NIO's `bind(descriptor:...) failed: ...`.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        return "\(error)"
    }
}
