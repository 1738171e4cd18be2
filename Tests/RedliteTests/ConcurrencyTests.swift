import Foundation
import Testing
@testable import Redlite

/// Real threads, each with its own connection on one WAL file: writers wait for each other
/// through SQLite's busy handler, and no acknowledged write is lost.
@Suite struct ConcurrencyTests {
    @Test func concurrentIncrementsAreNeverLost() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("concurrent.db").path
        let threads = 4, increments = 300
        // Create the schema once, so the threads race on data, not on set-up.
        _ = try RedliteConnection(.file(path))
        let failures = Failures()
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let connection = try RedliteConnection(.file(path))
                    for _ in 0..<increments {
                        let shared = connection.execute("INCR", "shared")
                        let mine = connection.execute("RPUSH", "list:\(thread)", "x")
                        if shared.isError || mine.isError { failures.add("\(shared) \(mine)") }
                    }
                    // A transaction across keys, contended: its two writes land together.
                    for _ in 0..<50 {
                        connection.execute("MULTI")
                        connection.execute("INCR", "pair:a")
                        connection.execute("INCR", "pair:b")
                        if case .array(let replies) = connection.execute("EXEC"), replies.count == 2 {} else {
                            failures.add("EXEC failed")
                        }
                    }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        group.wait()
        let failed = failures.all
        #expect(failed.count == 0, "first failures: \(failed.prefix(3))")
        let check = TestDatabase(.file(path))
        #expect(check("GET", "shared") == .bulk(String(threads * increments)))
        for thread in 0..<threads { #expect(check("LLEN", "list:\(thread)") == .integer(Int64(increments))) }
        #expect(check("GET", "pair:a") == .bulk(String(threads * 50)))
        #expect(check("GET", "pair:b") == .bulk(String(threads * 50)))
        #expect(try check.integrityCheck() == ["ok"])
    }
}

/// A write that gave up waiting for the write lock leaves its connection as it found it.
/// (Found by the Stress suite: a BEGIN IMMEDIATE that timed out stayed "in progress", and every
/// later read on that connection failed to commit with "SQL statements in progress".)
@Suite struct BusyTimeoutTests {
    @Test func aWriteThatTimedOutLeavesTheConnectionUsable() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("busy.db").path
        var options = StorageOptions.file(path)
        options.busyTimeoutMilliseconds = 50
        let writer = try RedliteConnection(options)
        #expect(writer.execute("SET", "k", "1") == .ok)
        // Another connection holds the write lock past the busy timeout.
        let holder = try RedliteConnection(.file(path))
        try holder.database.execute("BEGIN IMMEDIATE")
        let refused = writer.execute("SET", "k", "2")
        #expect(refused.isError && "\(refused)".contains("locked"), "\(refused)")
        // Reads need no write lock: they answer while the lock is still held, and after.
        #expect(writer.execute("GET", "k") == .bulk("1"))
        try holder.database.execute("COMMIT")
        #expect(writer.execute("GET", "k") == .bulk("1"))
        #expect(writer.execute("SET", "k", "3") == .ok)
        #expect(writer.execute("GET", "k") == .bulk("3"))
    }
}

/// Failures collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
