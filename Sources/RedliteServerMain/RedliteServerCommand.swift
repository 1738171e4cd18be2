import ArgumentParser
import Dispatch
@preconcurrency import Glibc
import Logging
import NIOCore
import Redlite
import RedliteServer

/// `redlite-server`: the Redlite engine over RESP on TCP.
@main
struct RedliteServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redlite-server",
        abstract: "Serve a Redlite database (Redis 7.0 commands on SQLite) over the Redis protocol.",
        discussion: """
            Prints one line on standard output when it accepts clients; logs go to standard error. \
            SIGTERM or SIGINT stops it gracefully: every command that started completes and is \
            acknowledged, then the database is closed.
            """)

    enum StorageKind: String, ExpressibleByArgument, CaseIterable {
        case file, memory
    }

    @Option(help: "The database file, created if missing (with --storage file).")
    var db = "redlite.db"

    @Option(help: "The TCP port; 0 lets the system choose (the ready line says which).")
    var port = 6379

    @Option(help: "The address to listen on.")
    var bind = "127.0.0.1"

    @Option(help: "file: the database file in WAL mode; memory: one in-memory database shared by all clients, lost at exit.")
    var storage: StorageKind = .file

    @Option(help: "The password clients must give with AUTH or HELLO AUTH (Redis's requirepass).")
    var password: String?

    @Option(help: "normal: acknowledged writes survive a crash of this process; full: a power loss too (fsync per commit).")
    var sync: StorageOptions.Durability = .normal

    @Option(name: .customLong("event-loops"), help: "Threads running client commands; at most this many commands run at once.")
    var eventLoops = System.coreCount

    @Option(name: .customLong("max-clients"), help: "Clients connected at once; more are refused as Redis refuses them.")
    var maxClients = 10_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535, not \(port)") }
        guard eventLoops >= 1 else { throw ValidationError("--event-loops must be at least 1, not \(eventLoops)") }
        guard maxClients >= 1 else { throw ValidationError("--max-clients must be at least 1, not \(maxClients)") }
    }

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        // A client that resets while a reply is being written must not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let configuration = ServerConfiguration(
            host: bind, port: port, storage: storage == .file ? .file(path: db) : .memory,
            password: password, durability: sync, eventLoopCount: eventLoops, maxClients: maxClients)
        let server = RedliteServer(configuration: configuration)
        // Before listening, so a signal arriving right after the ready line is not lost.
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        let boundPort: Int
        do {
            boundPort = try server.start()
        } catch {
            FileHandleLine.standardError("redlite-server: \(error)")
            throw ExitCode.failure
        }
        let loops = eventLoops == 1 ? "1 event loop" : "\(eventLoops) event loops"
        print("redlite-server: listening on \(bind):\(boundPort) (\(configuration.storageDescription), \(loops))")
        fflush(stdout)
        stop.wait()
        server.shutdown()
        sources.forEach { $0.cancel() }
    }
}

extension StorageOptions.Durability: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

/// One line on standard error, unbuffered.
enum FileHandleLine {
    static func standardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
