/// The arguments SCAN, HSCAN, SSCAN and ZSCAN share: `cursor [MATCH pattern] [COUNT n]`,
/// plus `[TYPE type]` for SCAN.
///
/// Cursors here are row ids: an iteration returns rows with an id above the cursor in id
/// order, and the next cursor is the last id returned (0 when done). Every element present for
/// the whole iteration is returned exactly once, Redis's guarantee (and a stronger one: no
/// element is ever returned twice).
struct ScanOptions {
    var cursor: Int64
    var pattern: GlobPattern?
    var count: Int64 = 10
    var type: [UInt8]?

    /// Parses `argv[cursorIndex...]`. Errors are Redis's: `ERR invalid cursor`, `ERR syntax
    /// error`, `ERR value is not an integer or out of range`.
    init(_ argv: [[UInt8]], cursorIndex: Int, allowsType: Bool) throws {
        guard let cursor = Self.parseCursor(argv[cursorIndex]) else { throw CommandError("ERR invalid cursor") }
        self.cursor = cursor
        var index = cursorIndex + 1
        while index < argv.count {
            let remaining = argv.count - index
            if Bytes.equalsIgnoringCase(argv[index], "count"), remaining >= 2 {
                guard let count = Numbers.parseInt64(argv[index + 1]) else { throw CommandError.notInteger }
                guard count >= 1 else { throw CommandError.syntax }
                self.count = count
            } else if Bytes.equalsIgnoringCase(argv[index], "match"), remaining >= 2 {
                let pattern = GlobPattern(argv[index + 1])
                self.pattern = pattern.matchesEverything ? nil : pattern
            } else if allowsType, Bytes.equalsIgnoringCase(argv[index], "type"), remaining >= 2 {
                self.type = argv[index + 1]
            } else {
                throw CommandError.syntax
            }
            index += 2
        }
    }

    /// Redis reads a cursor with strtoul: a leading '+' or '-' is allowed ("-1" wraps to
    /// 2^64-1), "" is 0, and leading space, trailing bytes or overflow are errors.
    static func parseCursor(_ bytes: [UInt8]) -> Int64? {
        guard bytes.first.map({ !isspace(Int32($0)).isTrue }) ?? true else { return nil }
        var text = bytes.map { CChar(bitPattern: $0) }
        text.append(0)
        errno = 0
        return text.withUnsafeMutableBufferPointer { buffer -> Int64? in
            guard let start = buffer.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>?
            let value = strtoul(start, &end, 10)
            guard errno != ERANGE, let end, end.pointee == 0 else { return nil }
            // Row ids are signed; a cursor past them simply ends the iteration.
            return Int64(clamping: UInt64(value))
        }
    }

    /// The LIMIT to bind: one row past COUNT tells whether the walk is over (cursor 0) without
    /// another call.
    var fetchLimit: Int64 { count == .max ? .max : count + 1 }

    /// Steps `statement`, whose rows are `(row id, name, ...)` in row-id order after the cursor
    /// and limited to ``fetchLimit``, and builds the SCAN reply: `elements` turns each row whose
    /// name passes MATCH into its replies (the name alone, or a field and its value).
    func collectPage(_ statement: Statement, _ elements: (Statement, [UInt8]) -> [Reply]) throws -> Reply {
        var replies: [Reply] = []
        var visited: Int64 = 0
        var lastID: Int64 = 0
        while try statement.step() {
            if visited == count { return Self.reply(nextCursor: lastID, replies) }
            visited += 1
            lastID = statement.int64(0)
            let name = statement.bytes(1)
            if matches(name) { replies.append(contentsOf: elements(statement, name)) }
        }
        return Self.reply(nextCursor: 0, replies)
    }

    /// HSCAN, SSCAN and ZSCAN: Redis checks the cursor, then the key, and only then the options,
    /// so a missing key answers an empty scan whatever options follow. `sql` selects
    /// `(row id, name, ...)` of key `?1` after row id `?2` in row-id order, `LIMIT ?3`.
    static func scanContainer(_ connection: RedliteConnection, _ argv: [[UInt8]], type: KeyType, sql: String,
                              _ elements: (Statement, [UInt8]) -> [Reply]) throws -> Reply {
        _ = try ScanOptions(Array(argv[0...2]), cursorIndex: 2, allowsType: false)
        guard let record = try connection.store.lookup(argv[1], as: type) else { return reply(nextCursor: 0, []) }
        let options = try ScanOptions(argv, cursorIndex: 2, allowsType: false)
        let statement = try connection.store.database.cached(sql)
        try statement.bind(1, record.id)
        try statement.bind(2, options.cursor)
        try statement.bind(3, options.fetchLimit)
        return try options.collectPage(statement, elements)
    }

    /// `true` when `name` passes MATCH.
    func matches(_ name: [UInt8]) -> Bool { pattern?.matches(name) ?? true }

    /// The SCAN reply: `[next cursor, [elements...]]`.
    static func reply(nextCursor: Int64, _ elements: [Reply]) -> Reply {
        .array([.bulk(String(nextCursor)), .array(elements)])
    }
}

import Glibc
import RESP
import SQLite

private extension Int32 {
    var isTrue: Bool { self != 0 }
}
