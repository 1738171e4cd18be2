import DSTPluginSDK

/// `set_get_roundtrip`: SET k v; GET k => v, for binary values (empty ones included), with
/// overwrites and DELs interleaved on a small key space. Every SET and DEL is read back at
/// once, and every GET must answer the model's value.
enum SetGetRoundtrip: Property {
    enum Operation {
        case set(key: Int, value: [UInt8])
        case get(key: Int)
        case del(key: Int)
    }

    static let name = "set_get_roundtrip"

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(8) {
            case 0..<4: return .set(key: key, value: Values.randomBytes(run, maximum: 24))
            case 4..<7: return .get(key: key)
            default: return .del(key: key)
            }
        }
    }

    static func emptyModel(sizes: Sizes) -> [[UInt8]?] {
        [[UInt8]?](repeating: nil, count: sizes.keys)
    }

    static func apply(_ operation: Operation, to model: inout [[UInt8]?], on execution: Execution) throws {
        switch operation {
        case .set(let key, let value):
            try execution.expect(arguments(operation), .ok)
            model[key] = value
            try execution.expect(["GET", keyName(key)], .bulk(value), "read back after SET")
        case .get(let key):
            try execution.expect(arguments(operation), Reply.bulkOrNull(model[key]))
        case .del(let key):
            try execution.expect(arguments(operation), .integer(model[key] == nil ? 0 : 1))
            model[key] = nil
            try execution.expect(["GET", keyName(key)], .null, "read back after DEL")
        }
    }

    static func describe(_ operation: Operation) -> String { Text.command(arguments(operation)) }

    private static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .set(let key, let value): return ["SET", keyName(key), value]
        case .get(let key): return ["GET", keyName(key)]
        case .del(let key): return ["DEL", keyName(key)]
        }
    }

    private static func keyName(_ key: Int) -> String { "k\(key)" }
}

/// `incr_monotonic`: INCR and INCRBY with non-negative increments raise a counter by exactly
/// the increment; near Int64.max they answer the overflow error and leave the value as it
/// was. SETs (small values, or values just below Int64.max so overflows happen), GETs and DELs
/// are interleaved; every counter step is read back with GET.
enum IncrMonotonic: Property {
    enum Operation {
        case incr(key: Int)
        case incrBy(key: Int, increment: Int64)
        case set(key: Int, value: Int64)
        case get(key: Int)
        case del(key: Int)
    }

    static let name = "incr_monotonic"
    static let overflow = Reply.error("ERR increment or decrement would overflow")

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(12) {
            case 0..<3: return .incr(key: key)
            case 3..<7: return .incrBy(key: key, increment: increment(run))
            case 7, 8: return .set(key: key, value: startValue(run))
            case 9, 10: return .get(key: key)
            default: return .del(key: key)
            }
        }
    }

    /// Mostly small, sometimes large, now and then 0 or big enough to overflow anything.
    private static func increment(_ run: TestRun) -> Int64 {
        switch run.random.below(10) {
        case 0..<6: return Int64(run.random.int(in: 1...100))
        case 6: return 0
        case 7, 8: return Int64(run.random.int(in: 0...1_000_000_000_000_000))
        default: return .max - Int64(run.random.int(in: 0...1000))
        }
    }

    /// Just below the limit (so the next steps may overflow), or small, possibly negative.
    private static func startValue(_ run: TestRun) -> Int64 {
        switch run.random.below(3) {
        case 0: return .max - Int64(run.random.int(in: 0...200))
        default: return Int64(run.random.int(in: -1000...1000))
        }
    }

    static func emptyModel(sizes: Sizes) -> [Int64?] {
        [Int64?](repeating: nil, count: sizes.keys)
    }

    static func apply(_ operation: Operation, to model: inout [Int64?], on execution: Execution) throws {
        switch operation {
        case .incr(let key):
            try step(operation, key: key, by: 1, model: &model, execution)
        case .incrBy(let key, let increment):
            try step(operation, key: key, by: increment, model: &model, execution)
        case .set(let key, let value):
            try execution.expect(arguments(operation), .ok)
            model[key] = value
        case .get(let key):
            try execution.expect(arguments(operation), counterReply(model[key]))
        case .del(let key):
            try execution.expect(arguments(operation), .integer(model[key] == nil ? 0 : 1))
            model[key] = nil
        }
    }

    /// One increment: the reply is the old value plus exactly `increment`, or the overflow
    /// error; either way GET then shows the value the model holds.
    private static func step(_ operation: Operation, key: Int, by increment: Int64, model: inout [Int64?],
                             _ execution: Execution) throws {
        let before = model[key] ?? 0
        let (sum, overflows) = before.addingReportingOverflow(increment)
        if overflows {
            try execution.expect(arguments(operation), overflow, "\(before) + \(increment) is past Int64.max")
            try execution.expect(["GET", keyName(key)], counterReply(model[key]), "unchanged after the overflow error")
        } else {
            try execution.expect(arguments(operation), .integer(sum), "\(before) must rise by exactly \(increment)")
            model[key] = sum
            try execution.expect(["GET", keyName(key)], counterReply(sum), "read back after the increment")
        }
    }

    private static func counterReply(_ value: Int64?) -> Reply {
        Reply.bulkOrNull(value.map { Text.bytes(String($0)) })
    }

    static func describe(_ operation: Operation) -> String { Text.command(arguments(operation)) }

    private static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .incr(let key): return ["INCR", keyName(key)]
        case .incrBy(let key, let increment): return ["INCRBY", keyName(key), increment]
        case .set(let key, let value): return ["SET", keyName(key), value]
        case .get(let key): return ["GET", keyName(key)]
        case .del(let key): return ["DEL", keyName(key)]
        }
    }

    private static func keyName(_ key: Int) -> String { "counter\(key)" }
}
