import DSTPluginSDK

/// What the expiry properties share: a model of string keys with deadlines on the virtual
/// clock, and the operations both draw from.
///
/// Deadlines are kept in milliseconds since the execution began (``Execution/now``), since
/// every execution, shrink candidates included, starts wherever the run's clock stands.
/// Redis's rule: a key with deadline d is visible while now <= d, gone once now > d; an
/// expiry time not after now deletes the key at once.
enum Expiry {
    enum Operation {
        /// SET key value, with PX ms or EX s, or neither (which clears any deadline).
        case set(key: Int, value: [UInt8], ttl: TTL?)
        case expire(key: Int, ttl: TTL)
        case persist(key: Int)
        case del(key: Int)
        /// Moves the virtual clock forward.
        case advance(milliseconds: Int64)
        case get(key: Int)
        case exists(key: Int)
        /// PTTL key, then TTL key at the same instant.
        case ttl(key: Int)
    }

    /// A relative expiry: PX/PEXPIRE milliseconds or EX/EXPIRE seconds.
    enum TTL {
        case milliseconds(Int64)
        case seconds(Int64)

        var milliseconds: Int64 {
            switch self {
            case .milliseconds(let value): return value
            case .seconds(let value): return value * 1000
            }
        }
    }

    /// One key of the model.
    struct Entry {
        var value: [UInt8]
        /// Milliseconds since the execution began; nil without expiry.
        var deadline: Int64?
        /// The time left at the last PTTL since the last write, as ``rank(_:)`` orders it.
        var observed: Int64?
    }

    static func emptyModel(sizes: Sizes) -> [Entry?] {
        [Entry?](repeating: nil, count: sizes.keys)
    }

    /// The key as the engine must see it now: nil once its deadline has passed (and the model
    /// forgets it then, as the engine does).
    static func visible(_ model: inout [Entry?], _ key: Int, now: Int64) -> Entry? {
        if let deadline = model[key]?.deadline, now > deadline { model[key] = nil }
        return model[key]
    }

    /// Runs a write on the engine and the model: the reply must be the model's. Returns
    /// false for operations that are not writes.
    /// Both expiry properties' step: run the operation, then check every key it can affect
    /// with the property's own `check` — the written key after a write (a write starts a new
    /// history for it), every key with a deadline after a clock step (whether that deadline
    /// has passed or not), the key a read names.
    static func apply(_ operation: Operation, to model: inout [Entry?], on execution: Execution,
                      check: (Int, inout [Entry?], Execution) throws -> Void) throws {
        if try applyWrite(operation, to: &model, on: execution) {
            try check(key(of: operation)!, &model, execution)
            return
        }
        switch operation {
        case .advance(let milliseconds):
            let timed = model.indices.filter { model[$0]?.deadline != nil }
            execution.advance(milliseconds)
            for key in timed { try check(key, &model, execution) }
        case .get(let key), .exists(let key), .ttl(let key):
            try check(key, &model, execution)
        default:
            break
        }
    }

    static func applyWrite(_ operation: Operation, to model: inout [Entry?], on execution: Execution) throws -> Bool {
        let now = execution.now
        switch operation {
        case .set(let key, let value, let ttl):
            try execution.expect(arguments(operation), .ok)
            model[key] = Entry(value: value, deadline: ttl.map { now + $0.milliseconds })
        case .expire(let key, let ttl):
            guard visible(&model, key, now: now) != nil else {
                try execution.expect(arguments(operation), .integer(0), "no such key")
                return true
            }
            try execution.expect(arguments(operation), .integer(1))
            let deadline = now + ttl.milliseconds
            // A deadline not after now deletes the key at once.
            if deadline <= now { model[key] = nil } else { model[key] = Entry(value: model[key]!.value, deadline: deadline) }
        case .persist(let key):
            let entry = visible(&model, key, now: now)
            try execution.expect(arguments(operation), .integer(entry?.deadline == nil ? 0 : 1))
            // Only removing a deadline is a write; PERSIST of a key without one changes nothing.
            if let entry, entry.deadline != nil { model[key] = Entry(value: entry.value, deadline: nil) }
        case .del(let key):
            try execution.expect(arguments(operation), .integer(visible(&model, key, now: now) == nil ? 0 : 1))
            model[key] = nil
        default:
            return false
        }
        return true
    }

    static func key(of operation: Operation) -> Int? {
        switch operation {
        case .set(let key, _, _), .expire(let key, _), .persist(let key), .del(let key),
             .get(let key), .exists(let key), .ttl(let key):
            return key
        case .advance:
            return nil
        }
    }

    static func describe(_ operation: Operation) -> String {
        switch operation {
        case .advance(let milliseconds): return "(clock +\(milliseconds) ms)"
        case .ttl(let key): return "PTTL \(keyName(key)) + TTL \(keyName(key))"
        default: return Text.command(arguments(operation))
        }
    }

    static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .set(let key, let value, nil): return ["SET", keyName(key), value]
        case .set(let key, let value, .milliseconds(let ms)?): return ["SET", keyName(key), value, "PX", ms]
        case .set(let key, let value, .seconds(let s)?): return ["SET", keyName(key), value, "EX", s]
        case .expire(let key, .milliseconds(let ms)): return ["PEXPIRE", keyName(key), ms]
        case .expire(let key, .seconds(let s)): return ["EXPIRE", keyName(key), s]
        case .persist(let key): return ["PERSIST", keyName(key)]
        case .del(let key): return ["DEL", keyName(key)]
        case .get(let key): return ["GET", keyName(key)]
        case .exists(let key): return ["EXISTS", keyName(key)]
        case .ttl(let key): return ["PTTL", keyName(key)]
        case .advance: return []
        }
    }

    static func keyName(_ key: Int) -> String { "k\(key)" }

    /// `v1`, `v2`, ...: numbered in drawing order, so a report tells the writes apart.
    static func value(_ number: inout Int) -> [UInt8] {
        number += 1
        return Text.bytes("v\(number)")
    }
}

/// `expire_removes_key`: on the virtual clock, a key given a deadline (SET PX, PEXPIRE) is
/// visible (GET answers its value, EXISTS 1) while now <= deadline, and gone (GET nil,
/// EXISTS 0) once now > deadline. TTLs are a few milliseconds and clock steps as small, so
/// runs land on deadlines exactly and one past them. The property is checked on the touched
/// key after every write and, after every clock step, on every key that had a deadline.
enum ExpireRemovesKey: Property {
    typealias Operation = Expiry.Operation

    static let name = "expire_removes_key"

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        var numbered = 0
        return (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(20) {
            case 0..<3:
                return .set(key: key, value: Expiry.value(&numbered), ttl: .milliseconds(Int64(run.random.int(in: 1...30))))
            case 3:
                return .set(key: key, value: Expiry.value(&numbered), ttl: nil)
            case 4..<7:
                // Now and then a time not after now, which deletes the key at once.
                let ms = run.random.chance(1, in: 8) ? run.random.int(in: -5...0) : run.random.int(in: 1...30)
                return .expire(key: key, ttl: .milliseconds(Int64(ms)))
            case 7:
                return .persist(key: key)
            case 8:
                return .del(key: key)
            case 9..<14:
                let ms = run.random.chance(1, in: 5) ? run.random.int(in: 6...40) : run.random.int(in: 1...5)
                return .advance(milliseconds: Int64(ms))
            case 14..<17:
                return .get(key: key)
            default:
                return .exists(key: key)
            }
        }
    }

    static func emptyModel(sizes: Sizes) -> [Expiry.Entry?] { Expiry.emptyModel(sizes: sizes) }

    static func apply(_ operation: Operation, to model: inout [Expiry.Entry?], on execution: Execution) throws {
        try Expiry.apply(operation, to: &model, on: execution, check: check)
    }

    /// The property on one key: GET and EXISTS agree with the model at this instant.
    private static func check(_ key: Int, _ model: inout [Expiry.Entry?], _ execution: Execution) throws {
        let now = execution.now
        let entry = Expiry.visible(&model, key, now: now)
        let when: String
        if let deadline = entry?.deadline {
            when = "now +\(now) ms <= deadline +\(deadline) ms"
        } else if entry != nil {
            when = "no deadline"
        } else {
            when = "gone at +\(now) ms"
        }
        try execution.expect(["EXISTS", Expiry.keyName(key)], .integer(entry == nil ? 0 : 1), when)
        try execution.expect(["GET", Expiry.keyName(key)], Reply.bulkOrNull(entry?.value), when)
    }

    static func describe(_ operation: Operation) -> String { Expiry.describe(operation) }
}

/// `ttl_monotonic_decrease`: as the clock advances with no write to a key, its PTTL never
/// grows (a key without expiry counts as infinite time left, a missing one as less than
/// zero), TTL is PTTL rounded to the nearest second, half up ((PTTL + 500) / 1000), and both
/// are the model's. TTLs (PX/EX, PEXPIRE/EXPIRE) reach a few seconds and clock steps are mixed,
/// so second boundaries and the half-second rounding point are crossed. Checked on the
/// touched key after every write and, after every clock step, on every key with a deadline.
enum TTLMonotonicDecrease: Property {
    typealias Operation = Expiry.Operation

    static let name = "ttl_monotonic_decrease"

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        var numbered = 0
        return (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(20) {
            case 0..<4:
                let ttl: Expiry.TTL? = switch run.random.below(4) {
                case 0: nil
                case 1: .seconds(Int64(run.random.int(in: 1...3)))
                default: .milliseconds(Int64(run.random.int(in: 1...3000)))
                }
                return .set(key: key, value: Expiry.value(&numbered), ttl: ttl)
            case 4..<6:
                return .expire(key: key, ttl: run.random.bool() ? .seconds(Int64(run.random.int(in: 1...3)))
                                                                : .milliseconds(Int64(run.random.int(in: 1...3000))))
            case 6:
                return .persist(key: key)
            case 7:
                return .del(key: key)
            case 8..<14:
                let ms: Int
                switch run.random.below(4) {
                case 0: ms = run.random.int(in: 1...10)
                case 1, 2: ms = run.random.int(in: 11...600)
                default: ms = run.random.int(in: 601...2500)
                }
                return .advance(milliseconds: Int64(ms))
            default:
                return .ttl(key: key)
            }
        }
    }

    static func emptyModel(sizes: Sizes) -> [Expiry.Entry?] { Expiry.emptyModel(sizes: sizes) }

    static func apply(_ operation: Operation, to model: inout [Expiry.Entry?], on execution: Execution) throws {
        try Expiry.apply(operation, to: &model, on: execution, check: check)
    }

    /// Time left as an order: a missing key below zero, no expiry above everything.
    private static func rank(_ pttl: Int64) -> Int64 {
        switch pttl {
        case -2: return -1
        case -1: return .max
        default: return pttl
        }
    }

    /// The property on one key at this instant: PTTL not above its last value since the key's
    /// last write, TTL its rounding, both the model's.
    private static func check(_ key: Int, _ model: inout [Expiry.Entry?], _ execution: Execution) throws {
        let now = execution.now
        let previous = model[key]?.observed
        let entry = Expiry.visible(&model, key, now: now)
        let name = Expiry.keyName(key)
        let pttlReply = try execution.call(["PTTL", name])
        let ttlReply = try execution.call(["TTL", name])
        guard let pttl = pttlReply.integerValue, !pttlReply.isError, let ttl = ttlReply.integerValue, !ttlReply.isError else {
            try execution.require(false, "PTTL \(name) + TTL \(name): expected integers, got \(pttlReply) and \(ttlReply)")
            return
        }
        let rounded = pttl >= 0 ? (pttl + 500) / 1000 : pttl
        try execution.require(ttl == rounded, "TTL \(name) = \(ttl) but PTTL \(name) = \(pttl): expected (PTTL+500)/1000 = \(rounded)")
        if let previous {
            try execution.require(rank(pttl) <= previous,
                                  "PTTL \(name) rose to \(pttl) from \(previous == .max ? -1 : previous) at +\(now) ms with no write in between")
        }
        let expected: Int64 = entry.map { $0.deadline.map { $0 - now } ?? -1 } ?? -2
        try execution.require(pttl == expected,
                              "PTTL \(name) at +\(now) ms: expected \(expected)"
                                  + (entry?.deadline.map { " (deadline +\($0) ms)" } ?? "") + ", got \(pttl)")
        if entry != nil { model[key]!.observed = rank(pttl) }
    }

    static func describe(_ operation: Operation) -> String { Expiry.describe(operation) }
}
