import ArgumentParser
import Foundation
import DSTHostCore
import Redlite

/// `dst-host exec [--db FILE] -- CMD ARG...`: one command on the engine, printed as redis-cli
/// prints replies (handy for looking into a database file).
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run one command on the engine and print the reply as redis-cli does.")

    @Option(help: "A database file (default: an empty in-memory database).")
    var db: String?

    @Option(help: "synchronous mode for --db: normal or full.")
    var durability: String = "normal"

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command after --, e.g. dst-host exec -- PING") }
        guard StorageOptions.Durability(rawValue: durability) != nil else {
            throw ValidationError("--durability must be 'normal' or 'full', not '\(durability)'")
        }
    }

    func run() throws {
        let options: StorageOptions = db.map {
            .file($0, durability: StorageOptions.Durability(rawValue: durability) ?? .normal)
        } ?? .memory
        let connection: RedliteConnection
        do {
            connection = try RedliteConnection(options)
        } catch {
            Console.error("dst-host: cannot open \(db ?? "the database"): \(error)")
            throw ExitCode(2)
        }
        let reply = connection.execute(command.map { Array($0.utf8) })
        Console.line(RedisCLIFormat.format(reply))
        if reply.isError { throw ExitCode(1) }
    }
}
