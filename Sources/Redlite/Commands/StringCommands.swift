import RESP
import SQLite

/// The strings commands: GET SET SETNX SETEX PSETEX MGET MSET MSETNX GETSET GETDEL GETEX INCR
/// INCRBY DECR DECRBY INCRBYFLOAT APPEND STRLEN GETRANGE SUBSTR SETRANGE.
///
/// A string's value lives in `strings.value` as a BLOB; integer results are stored as their
/// decimal digits, as Redis (and upstream Redlite) keep them.
enum StringCommands {
    static let all: [CommandSpec] = [
        CommandSpec("get", arity: 2, .read, get),
        CommandSpec("set", arity: -3, .write, set),
        CommandSpec("setnx", arity: 3, .write, setnx),
        CommandSpec("setex", arity: 4, .write, setex),
        CommandSpec("psetex", arity: 4, .write, psetex),
        CommandSpec("mget", arity: -2, .read, mget),
        CommandSpec("mset", arity: -3, .write, mset),
        CommandSpec("msetnx", arity: -3, .write, msetnx),
        CommandSpec("getset", arity: 3, .write, getset),
        CommandSpec("getdel", arity: 2, .write, getdel),
        CommandSpec("getex", arity: -2, .write, getex),
        CommandSpec("incr", arity: 2, .write, incr),
        CommandSpec("incrby", arity: 3, .write, incrby),
        CommandSpec("decr", arity: 2, .write, decr),
        CommandSpec("decrby", arity: 3, .write, decrby),
        CommandSpec("incrbyfloat", arity: 3, .write, incrbyfloat),
        CommandSpec("append", arity: 3, .write, append),
        CommandSpec("strlen", arity: 2, .read, strlen),
        CommandSpec("getrange", arity: 4, .read, getrange),
        CommandSpec("substr", arity: 4, .read, getrange),
        CommandSpec("setrange", arity: 4, .write, setrange),
    ]

    // MARK: Errors and limits

    /// Redis's `proto-max-bulk-len` default: no string may grow past 512 MB.
    private static let maximumStringLength: Int64 = 512 * 1024 * 1024
    private static let stringTooLong = CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
    private static let offsetOutOfRange = CommandError("ERR offset is out of range")
    /// DECRBY refuses to negate Int64.min with its own text, before looking at the key.
    private static let decrementOverflow = CommandError("ERR decrement would overflow")

    // MARK: Reading a string key in one statement

    /// A live key with its string value (empty for keys of other types, whose value is not read).
    private struct Entry {
        let record: KeyRecord
        let value: [UInt8]
    }

    /// The key row and its string value in one round trip: GET is the hottest read, and every
    /// read-modify-write command here needs both.
    private static let entrySQL = """
        SELECT k.id, k.type, k.expire_at, k.version, s.value
        FROM keys k LEFT JOIN strings s ON s.key_id = k.id
        WHERE k.db = ?1 AND k.key = ?2
        """

    /// The live key and its value, or nil when missing or expired. With `forWrite`, an expired
    /// row is deleted so the caller may create the key afresh (as `Store.lookupForWrite`).
    private static func entry(_ store: Store, _ key: [UInt8], forWrite: Bool = false) throws -> Entry? {
        let statement = try store.database.cached(entrySQL)
        try statement.bind(1, store.db)
        try store.bindName(statement, 2, key)
        guard try statement.step() else { return nil }
        guard let type = KeyType(rawValue: statement.int64(1)) else {
            throw CommandError("ERR corrupt keys row: unknown type \(statement.int64(1))")
        }
        let record = KeyRecord(
            id: statement.int64(0), type: type,
            expireAt: statement.optionalInt64(2), version: statement.int64(3))
        if store.isExpired(record.expireAt) {
            statement.reset()
            if forWrite { try store.delete(record) }
            return nil
        }
        let value = type == .string ? statement.bytes(4) : []
        statement.reset()
        return Entry(record: record, value: value)
    }

    /// The live string's value, nil when missing; WRONGTYPE for another type.
    private static func stringValue(_ store: Store, _ key: [UInt8]) throws -> [UInt8]? {
        guard let entry = try entry(store, key) else { return nil }
        guard entry.record.type == .string else { throw CommandError.wrongType }
        return entry.value
    }

    /// Replaces an existing string's value and records the write.
    private static func overwrite(_ store: Store, _ record: KeyRecord, _ value: [UInt8]) throws {
        try store.setStringValue(record, value)
        try store.touch(record)
    }

    /// Creates a string key that did not exist (no expiry).
    private static func createString(_ store: Store, _ key: [UInt8], _ value: [UInt8]) throws {
        let record = try store.create(key, type: .string)
        try store.setStringValue(record, value)
    }

    // MARK: Expiry options

    private enum ExpireUnit {
        case ex, px, exat, pxat

        var inSeconds: Bool { self == .ex || self == .exat }
        var isRelative: Bool { self == .ex || self == .px }
    }

    /// SET's and GETEX's options, as parsed before anything is looked up.
    private struct ExtendedOptions {
        var nx = false
        var xx = false
        var get = false
        var keepTTL = false
        var persist = false
        var expireUnit: ExpireUnit?
        /// The expire argument as given; only the last EX/PX/EXAT/PXAT counts (Redis lets the
        /// same one repeat, and parses only the last value).
        var expireArgument: [UInt8]?
    }

    /// Parses SET's (`forSet`) or GETEX's options from `argv[start...]` with Redis's conflict
    /// rules: NX/XX exclude each other, KEEPTTL/PERSIST exclude any expiry, and the four expiry
    /// forms exclude each other but each may repeat. Anything else is `ERR syntax error`.
    private static func parseOptions(_ argv: [[UInt8]], from start: Int, forSet: Bool) throws -> ExtendedOptions {
        var options = ExtendedOptions()
        var index = start
        while index < argv.count {
            let option = argv[index]
            let hasNext = index + 1 < argv.count
            if forSet && Bytes.equalsIgnoringCase(option, "nx") && !options.xx {
                options.nx = true
            } else if forSet && Bytes.equalsIgnoringCase(option, "xx") && !options.nx {
                options.xx = true
            } else if forSet && Bytes.equalsIgnoringCase(option, "get") {
                options.get = true
            } else if forSet && Bytes.equalsIgnoringCase(option, "keepttl")
                        && !options.persist && options.expireUnit == nil {
                options.keepTTL = true
            } else if !forSet && Bytes.equalsIgnoringCase(option, "persist")
                        && !options.keepTTL && options.expireUnit == nil {
                options.persist = true
            } else if let unit = expireUnit(option), hasNext, !options.keepTTL, !options.persist,
                      options.expireUnit == nil || options.expireUnit == unit {
                options.expireUnit = unit
                options.expireArgument = argv[index + 1]
                index += 1
            } else {
                throw CommandError.syntax
            }
            index += 1
        }
        return options
    }

    private static func expireUnit(_ option: [UInt8]) -> ExpireUnit? {
        if Bytes.equalsIgnoringCase(option, "ex") { return .ex }
        if Bytes.equalsIgnoringCase(option, "px") { return .px }
        if Bytes.equalsIgnoringCase(option, "exat") { return .exat }
        if Bytes.equalsIgnoringCase(option, "pxat") { return .pxat }
        return nil
    }

    /// The absolute expiry (Unix ms) an expire argument asks for. Non-integers give
    /// `ERR value is not an integer or out of range`; zero, negative, or anything whose
    /// milliseconds (after adding the current time for EX/PX) overflow give
    /// `ERR invalid expire time in '<command>' command`. A time already past is accepted.
    private static func absoluteExpiry(_ argument: [UInt8], _ unit: ExpireUnit, now: Int64,
                                       command: String) throws -> Int64 {
        guard var milliseconds = Numbers.parseInt64(argument) else { throw CommandError.notInteger }
        guard milliseconds > 0, !(unit.inSeconds && milliseconds > Int64.max / 1000) else {
            throw CommandError.invalidExpireTime(command)
        }
        if unit.inSeconds { milliseconds *= 1000 }
        if unit.isRelative {
            let (sum, overflow) = milliseconds.addingReportingOverflow(now)
            guard !overflow, sum > 0 else { throw CommandError.invalidExpireTime(command) }
            milliseconds = sum
        }
        return milliseconds
    }

    // MARK: GET / SET family

    /// `GET key`
    static func get(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        .bulkOrNull(try stringValue(connection.store, argv[1]))
    }

    /// `SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
    /// PXAT unix-time-milliseconds | KEEPTTL]`
    static func set(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let options = try parseOptions(argv, from: 3, forSet: true)
        var expireAt: Int64?
        if let unit = options.expireUnit, let argument = options.expireArgument {
            expireAt = try absoluteExpiry(argument, unit, now: store.now, command: "set")
        }
        let key = argv[1]
        if !options.nx && !options.xx && !options.get {
            // The benchmark's path: one lookup, then the keys row and the value.
            try store.writeString(key, argv[2], expireAt: expireAt, keepTTL: options.keepTTL)
            return .ok
        }
        // GET's WRONGTYPE comes before NX/XX are weighed, and then nothing is written.
        let existing = try entry(store, key)
        var old: [UInt8]?
        if options.get, let existing {
            guard existing.record.type == .string else { throw CommandError.wrongType }
            old = existing.value
        }
        let found = existing != nil
        if (options.nx && found) || (options.xx && !found) {
            return options.get ? .bulkOrNull(old) : .null
        }
        try store.writeString(key, argv[2], expireAt: expireAt, keepTTL: options.keepTTL)
        return options.get ? .bulkOrNull(old) : .ok
    }

    /// `SETNX key value`: 1 when set, 0 when the key exists (of any type).
    static func setnx(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        if try store.lookup(argv[1]) != nil { return .integer(0) }
        try store.writeString(argv[1], argv[2])
        return .integer(1)
    }

    /// `SETEX key seconds value`
    static func setex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try setWithExpiry(connection, argv, unit: .ex, command: "setex")
    }

    /// `PSETEX key milliseconds value`
    static func psetex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try setWithExpiry(connection, argv, unit: .px, command: "psetex")
    }

    private static func setWithExpiry(_ connection: RedliteConnection, _ argv: [[UInt8]],
                                      unit: ExpireUnit, command: String) throws -> Reply {
        let store = connection.store
        let expireAt = try absoluteExpiry(argv[2], unit, now: store.now, command: command)
        try store.writeString(argv[1], argv[3], expireAt: expireAt)
        return .ok
    }

    /// `MGET key [key ...]`: keys that are missing or hold another type answer nil.
    static func mget(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        var replies: [Reply] = []
        replies.reserveCapacity(argv.count - 1)
        for key in argv.dropFirst() {
            if let entry = try entry(store, key), entry.record.type == .string {
                replies.append(.bulk(entry.value))
            } else {
                replies.append(.null)
            }
        }
        return .array(replies)
    }

    /// `MSET key value [key value ...]`: the last value wins for a repeated key.
    static func mset(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count % 2 == 1 else { throw CommandError.arity("mset") }
        let store = connection.store
        for index in stride(from: 1, to: argv.count, by: 2) {
            try store.writeString(argv[index], argv[index + 1])
        }
        return .ok
    }

    /// `MSETNX key value [key value ...]`: sets all, or nothing when any key exists (any type).
    static func msetnx(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard argv.count % 2 == 1 else { throw CommandError.arity("msetnx") }
        let store = connection.store
        for index in stride(from: 1, to: argv.count, by: 2) where try store.lookup(argv[index]) != nil {
            return .integer(0)
        }
        for index in stride(from: 1, to: argv.count, by: 2) {
            try store.writeString(argv[index], argv[index + 1])
        }
        return .integer(1)
    }

    /// `GETSET key value`: the old value; the key loses its TTL, as with a plain SET.
    static func getset(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let old = try stringValue(store, argv[1])
        try store.writeString(argv[1], argv[2])
        return .bulkOrNull(old)
    }

    /// `GETDEL key`
    static func getdel(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let entry = try entry(store, argv[1]) else { return .null }
        guard entry.record.type == .string else { throw CommandError.wrongType }
        try store.delete(entry.record)
        return .bulk(entry.value)
    }

    /// `GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
    /// PXAT unix-time-milliseconds | PERSIST]`
    ///
    /// Order of checks as Redis: option syntax, then the key (missing answers nil even with a
    /// bad expiry), its type, then the expiry value. An EXAT/PXAT at or before now deletes
    /// the key (after answering its value).
    static func getex(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let options = try parseOptions(argv, from: 2, forSet: false)
        guard let entry = try entry(store, argv[1]) else { return .null }
        guard entry.record.type == .string else { throw CommandError.wrongType }
        if let unit = options.expireUnit, let argument = options.expireArgument {
            let expireAt = try absoluteExpiry(argument, unit, now: store.now, command: "getex")
            if !unit.isRelative && expireAt <= store.now {
                try store.delete(entry.record)
            } else {
                try store.setExpiry(entry.record, expireAt)
            }
        } else if options.persist && entry.record.expireAt != nil {
            // Only an actual change counts as a write (Redis signals nothing otherwise).
            try store.setExpiry(entry.record, nil)
        }
        return .bulk(entry.value)
    }

    // MARK: Counters

    /// `INCR key`
    static func incr(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try increment(connection.store, argv[1], by: 1)
    }

    /// `DECR key`
    static func decr(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        try increment(connection.store, argv[1], by: -1)
    }

    /// `INCRBY key increment`: the increment is parsed before the key is looked at.
    static func incrby(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let delta = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        return try increment(connection.store, argv[1], by: delta)
    }

    /// `DECRBY key decrement`
    static func decrby(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard let delta = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        guard delta != Int64.min else { throw decrementOverflow }
        return try increment(connection.store, argv[1], by: -delta)
    }

    /// Adds `delta` to the integer the key holds (0 when missing), keeping its TTL.
    private static func increment(_ store: Store, _ key: [UInt8], by delta: Int64) throws -> Reply {
        guard let entry = try entry(store, key, forWrite: true) else {
            try createString(store, key, Numbers.format(delta))
            return .integer(delta)
        }
        guard entry.record.type == .string else { throw CommandError.wrongType }
        guard let current = Numbers.parseInt64(entry.value) else { throw CommandError.notInteger }
        let (result, overflow) = current.addingReportingOverflow(delta)
        guard !overflow else { throw CommandError.overflow }
        try overwrite(store, entry.record, Numbers.format(result))
        return .integer(result)
    }

    /// `INCRBYFLOAT key increment`: long-double arithmetic, the result stored and answered as
    /// Redis formats it; the TTL stays.
    static func incrbyfloat(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let entry = try entry(store, argv[1], forWrite: true)
        if let entry, entry.record.type != .string { throw CommandError.wrongType }
        switch Numbers.incrementByFloat(current: entry?.value, increment: argv[2]) {
        case .failure(.notAFloat):
            throw CommandError.notFloat
        case .failure(.nanOrInfinity):
            throw CommandError.nanOrInfinity
        case .success(let result):
            if let entry {
                try overwrite(store, entry.record, result)
            } else {
                try createString(store, argv[1], result)
            }
            return .bulk(result)
        }
    }

    // MARK: Byte ranges

    /// `APPEND key value`: the new length. A missing key is created, even with an empty value.
    static func append(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let suffix = argv[2]
        guard let entry = try entry(store, argv[1], forWrite: true) else {
            try createString(store, argv[1], suffix)
            return .integer(Int64(suffix.count))
        }
        guard entry.record.type == .string else { throw CommandError.wrongType }
        let length = Int64(entry.value.count) + Int64(suffix.count)
        guard length <= maximumStringLength else { throw stringTooLong }
        try overwrite(store, entry.record, entry.value + suffix)
        return .integer(length)
    }

    /// `STRLEN key`: 0 for a missing key. Reads only the length, not the value.
    static func strlen(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        let statement = try store.database.cached("""
            SELECT k.type, k.expire_at, length(CAST(s.value AS BLOB))
            FROM keys k LEFT JOIN strings s ON s.key_id = k.id
            WHERE k.db = ?1 AND k.key = ?2
            """)
        try statement.bind(1, store.db)
        try store.bindName(statement, 2, argv[1])
        guard try statement.step(), !store.isExpired(statement.optionalInt64(1)) else { return .integer(0) }
        guard statement.int64(0) == KeyType.string.rawValue else { throw CommandError.wrongType }
        return .integer(statement.int64(2))
    }

    /// `GETRANGE key start end` (and the old `SUBSTR`): inclusive byte range; negative
    /// indices count from the end, and an empty range answers an empty string.
    static func getrange(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        guard var start = Numbers.parseInt64(argv[2]), var end = Numbers.parseInt64(argv[3]) else {
            throw CommandError.notInteger
        }
        guard let value = try stringValue(connection.store, argv[1]) else { return .bulk([]) }
        let length = Int64(value.count)
        if start < 0 && end < 0 && start > end { return .bulk([]) }
        // Adding a non-negative length to a negative index cannot overflow.
        if start < 0 { start += length }
        if end < 0 { end += length }
        start = max(start, 0)
        end = min(max(end, 0), length - 1)
        guard length > 0, start <= end else { return .bulk([]) }
        return .bulk(Array(value[Int(start)...Int(end)]))
    }

    /// `SETRANGE key offset value`: the new length. Zero bytes pad a gap; an empty value
    /// writes nothing (and creates no key).
    static func setrange(_ connection: RedliteConnection, _ argv: [[UInt8]]) throws -> Reply {
        let store = connection.store
        guard let offset = Numbers.parseInt64(argv[2]) else { throw CommandError.notInteger }
        guard offset >= 0 else { throw offsetOutOfRange }
        let patch = argv[3]
        let existing = try entry(store, argv[1], forWrite: true)
        if let existing, existing.record.type != .string { throw CommandError.wrongType }
        if patch.isEmpty { return .integer(Int64(existing?.value.count ?? 0)) }
        let (end, overflow) = offset.addingReportingOverflow(Int64(patch.count))
        guard !overflow, end <= maximumStringLength else { throw stringTooLong }
        var value = existing?.value ?? []
        if Int64(value.count) < end {
            value.append(contentsOf: repeatElement(0, count: Int(end) - value.count))
        }
        value.replaceSubrange(Int(offset)..<Int(end), with: patch)
        if let existing {
            try overwrite(store, existing.record, value)
        } else {
            try createString(store, argv[1], value)
        }
        return .integer(Int64(value.count))
    }
}
