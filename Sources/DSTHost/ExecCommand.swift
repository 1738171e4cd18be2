import ArgumentParser
import Foundation
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

/// redis-cli's human-readable reply format.
enum RedisCLIFormat {
    static func format(_ reply: Reply, indent: Int = 0) -> String {
        switch reply {
        case .simple(let text): return text
        case .error(let text): return "(error) \(text)"
        case .integer(let value): return "(integer) \(value)"
        case .bulk(let bytes): return quoted(bytes)
        case .verbatim(_, let bytes): return quoted(bytes)
        case .null, .nullArray: return "(nil)"
        case .double(let value): return "(double) \(String(decoding: ReplyEncoder.formatDouble(value), as: UTF8.self))"
        case .boolean(let value): return value ? "(true)" : "(false)"
        case .array(let items), .set(let items): return list(items, indent: indent)
        case .map(let pairs): return list(pairs.flatMap { [$0.key, $0.value] }, indent: indent)
        }
    }

    private static func list(_ items: [Reply], indent: Int) -> String {
        guard !items.isEmpty else { return "(empty array)" }
        let width = String(items.count).count
        return items.enumerated().map { index, item in
            let number = String(index + 1)
            let label = String(repeating: " ", count: width - number.count) + number + ") "
            let prefix = index == 0 ? "" : String(repeating: " ", count: indent)
            return prefix + label + format(item, indent: indent + label.count)
        }.joined(separator: "\n")
    }

    /// A bulk string in double quotes with redis-cli's escapes.
    static func quoted(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\""): text += "\\\""
            case 10: text += "\\n"
            case 13: text += "\\r"
            case 9: text += "\\t"
            case 7: text += "\\a"
            case 8: text += "\\b"
            case 32...126: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += String(format: "\\x%02x", byte)
            }
        }
        return text + "\""
    }
}
