import Foundation
import RESP
import Testing
@testable import Redlite

/// A Redlite connection for tests: in-memory by default, on virtual time (a ``ManualClock``)
/// with seeded randomness, so every test is reproducible.
final class TestDatabase {
    let clock: ManualClock
    let connection: RedliteConnection

    init(_ options: StorageOptions = .memory, seed: UInt64 = 1, clock: ManualClock = ManualClock()) {
        self.clock = clock
        do {
            connection = try RedliteConnection(options, clock: clock, random: SeededRandom(seed: seed))
        } catch {
            fatalError("cannot open test database: \(error)")
        }
    }

    /// Runs a command given as words: `db("SET", "k", "v")`.
    @discardableResult
    func callAsFunction(_ words: String...) -> Reply {
        connection.execute(words.map { Array($0.utf8) })
    }

    /// Runs a command given as byte strings (binary keys and values).
    @discardableResult
    func run(_ argv: [[UInt8]]) -> Reply {
        connection.execute(argv)
    }

    /// Moves virtual time forward.
    func advance(milliseconds: Int64) { clock.advance(milliseconds: milliseconds) }

    /// `PRAGMA integrity_check`'s rows (["ok"] for a sound file).
    func integrityCheck() throws -> [String] {
        try connection.database.strings("PRAGMA integrity_check")
    }

    /// Rows of a SQL query against the underlying file, each row's columns as text.
    func sql(_ query: String) throws -> [[String]] {
        let statement = try connection.database.prepare(query)
        var rows: [[String]] = []
        while try statement.step() {
            let count = sqlite3ColumnCount(statement)
            rows.append((0..<count).map { statement.isNull($0) ? "NULL" : statement.string($0) })
        }
        return rows
    }
}

import CSQLite
import SQLite
private func sqlite3ColumnCount(_ statement: Statement) -> Int32 { sqlite3_column_count(statement.handle) }

/// Test shorthands for replies.
extension Reply {
    static func err(_ text: String) -> Reply { .error(text) }
    static func bulks(_ items: String...) -> Reply { .array(items.map { .bulk($0) }) }
    static let wrongType = Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value")
    static let notInteger = Reply.error("ERR value is not an integer or out of range")
    static let syntaxError = Reply.error("ERR syntax error")
    static func arity(_ name: String) -> Reply { .error("ERR wrong number of arguments for '\(name)' command") }
}

/// Bytes of UTF-8 text.
func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Stores the string "x" at `key` (a key of the wrong type for the other families' tests).
func makeString(_ db: TestDatabase, _ key: String) throws {
    #expect(db("SET", key, "x") == .ok)
}

/// Gives `key` an expiry `milliseconds` after the clock's current time.
func expire(_ db: TestDatabase, _ key: String, in milliseconds: Int64) throws {
    #expect(db("PEXPIRE", key, String(milliseconds)) == .integer(1))
}

/// A fresh temporary directory for file-backed tests, removed by the caller.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("redlite-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
