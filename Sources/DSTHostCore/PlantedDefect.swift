import CSQLite
import Foundation
import Redlite
import SQLite
import Synchronization

/// Test-only defects the host can plant in the engine or the simulated disk, to prove a suite
/// catches real bugs: `DST_PLANTED_DEFECT=<name>`. The host announces an active defect on
/// every run, so no one mistakes such a run for a real one.
public enum PlantedDefect: String, CaseIterable, Sendable {
    /// RPUSH with two or more values silently drops the last one.
    case dropLastRPush = "drop_last_rpush"
    /// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT and SET's EX/PX are ignored (the replies still
    /// claim success).
    case ignoreExpire = "ignore_expire"
    /// A write of several elements (RPUSH/LPUSH/SADD/SREM/HSET/HDEL/ZADD/MSET with two or
    /// more) runs as two commands: two transactions, so a crash or another connection can
    /// see half of it.
    case splitTransaction = "split_transaction"
    /// A durability-FULL engine on the simulated disk runs synchronous=NORMAL: commits are
    /// acknowledged without a sync.
    case skipSync = "skip_sync"
    /// The simulated disk writes page checksums but never verifies them.
    case skipChecksum = "skip_checksum"
    /// TTL truncates the remaining milliseconds to whole seconds instead of rounding them
    /// (Redis answers `(ms + 500) / 1000`).
    case ttlTruncates = "ttl_truncates"
    /// The WRONGTYPE error says it in other words than Redis's exact text.
    case wrongErrorText = "wrong_error_text"
    /// The RESP front end (`engine_feed`) trusts a declared bulk length and allocates it
    /// before the bytes arrive.
    case trustWireLength = "trust_wire_length"
    /// Every write command also prepares a statement that is never finalized: SQLite's memory
    /// for it is never freed (a leak that grows with the load).
    case leakStatement = "leak_statement"
    /// Every 100th write command (counted per process) takes the write lock again after it
    /// committed and holds it for 6 s doing nothing: longer than the 5 s busy timeout, so the
    /// writers queued behind it stall and then fail.
    case lockHeldTooLong = "lock_held_too_long"
    /// A client whose connection drops inside MULTI has its queued commands run (an EXEC on
    /// its behalf) instead of discarded, so a transaction the client never committed happens.
    case execOnDisconnect = "exec_on_disconnect"

    /// The defect named by `DST_PLANTED_DEFECT`, if any.
    public static let active: PlantedDefect? =
        ProcessInfo.processInfo.environment["DST_PLANTED_DEFECT"].flatMap(PlantedDefect.init(rawValue:))

    /// Runs `argv` on `connection`: the defective way when a defect is planted.
    static func execute(_ argv: [[UInt8]], on connection: RedliteConnection) -> Reply {
        active.map { $0.execute(argv, on: connection) } ?? connection.execute(argv)
    }

    /// Runs `argv` on `connection` the defective way (or the normal way, where this defect
    /// does not apply).
    func execute(_ argv: [[UInt8]], on connection: RedliteConnection) -> Reply {
        guard let name = argv.first.map({ String(decoding: $0, as: UTF8.self).lowercased() }) else {
            return connection.execute(argv)
        }
        switch self {
        case .leakStatement, .lockHeldTooLong:
            let reply = connection.execute(argv)
            guard Self.writeCommands.contains(name) else { return reply }
            if self == .leakStatement {
                Self.leakStatement(on: connection)
            } else if Self.writes.withLock({ $0 += 1; return $0 }) % 100 == 0 {
                Self.holdWriteLock(on: connection, seconds: 6)
            }
            return reply
        case .dropLastRPush where name == "rpush" && argv.count >= 4:
            return connection.execute(Array(argv.dropLast()))
        case .ignoreExpire where ["expire", "pexpire", "expireat", "pexpireat"].contains(name):
            return .integer(1)
        case .ignoreExpire where name == "set":
            return connection.execute(Self.withoutExpiry(argv))
        case .ttlTruncates where name == "ttl" && argv.count == 2:
            let reply = connection.execute([Array("PTTL".utf8), argv[1]])
            guard case .integer(let milliseconds) = reply, milliseconds >= 0 else { return reply }
            return .integer(milliseconds / 1000)
        case .wrongErrorText:
            let reply = connection.execute(argv)
            guard case .error(let text) = reply, text.hasPrefix("WRONGTYPE ") else { return reply }
            return .error("WRONGTYPE Operation against a key of another type")
        case .splitTransaction:
            guard let (first, second) = Self.split(name, argv) else { return connection.execute(argv) }
            let head = connection.execute(first)
            if case .error = head { return head }
            let tail = connection.execute(second)
            switch (head, tail) {
            case (.integer(let a), .integer(let b)):
                // Pushes answer the final length; the others count what they changed.
                return ["rpush", "lpush"].contains(name) ? tail : .integer(a + b)
            default:
                return tail
            }
        default:
            return connection.execute(argv)
        }
    }

    /// The write commands the load defects act on (the load suites' workloads use these).
    private static let writeCommands: Set<String> = [
        "set", "setex", "psetex", "incr", "incrby", "decr", "append", "del", "expire", "pexpire", "mset",
        "hset", "hincrby", "hdel", "lpush", "rpush", "lpop", "rpop", "sadd", "srem", "zadd", "zincrby", "zrem",
    ]

    private static let writes = Mutex<Int>(0)

    /// Prepares a statement and drops the only pointer to it.
    private static func leakStatement(on connection: RedliteConnection) {
        var statement: OpaquePointer?
        _ = sqlite3_prepare_v2(connection.database.handle, "SELECT count(*) FROM keys WHERE db = ?1 AND key = ?2", -1, &statement, nil)
    }

    /// BEGIN IMMEDIATE takes the WAL write lock; nothing happens until COMMIT releases it. On
    /// a connection of its own to the engine's file, so the engine's statements are untouched.
    private static func holdWriteLock(on connection: RedliteConnection, seconds: UInt32) {
        guard case .file(let path) = connection.options.location, connection.options.vfs == nil,
              let holder = try? Database(path: path),
              (try? holder.execute("BEGIN IMMEDIATE")) != nil else { return }
        sleep(seconds)
        try? holder.execute("COMMIT")
    }

    /// SET without its EX/PX/EXAT/PXAT options.
    private static func withoutExpiry(_ argv: [[UInt8]]) -> [[UInt8]] {
        var kept: [[UInt8]] = []
        var index = 0
        while index < argv.count {
            let word = String(decoding: argv[index], as: UTF8.self).lowercased()
            if index >= 3 && ["ex", "px", "exat", "pxat"].contains(word) {
                index += 2
                continue
            }
            kept.append(argv[index])
            index += 1
        }
        return kept
    }

    /// A multi-element write cut after its first element (or pair), or nil.
    private static func split(_ name: String, _ argv: [[UInt8]]) -> ([[UInt8]], [[UInt8]])? {
        switch name {
        case "rpush", "lpush", "sadd", "srem", "hdel":
            guard argv.count >= 4 else { return nil }
            return (Array(argv[0..<3]), [argv[0], argv[1]] + argv[3...])
        case "hset", "zadd":
            guard argv.count >= 6, argv.count % 2 == 0 else { return nil }
            // ZADD with options (NX, GT, ...) is left alone: its first word is not a score.
            if name == "zadd" && Double(String(decoding: argv[2], as: UTF8.self)) == nil { return nil }
            return (Array(argv[0..<4]), [argv[0], argv[1]] + argv[4...])
        case "mset":
            guard argv.count >= 5, argv.count % 2 == 1 else { return nil }
            return (Array(argv[0..<3]), [argv[0]] + argv[3...])
        default:
            return nil
        }
    }
}
