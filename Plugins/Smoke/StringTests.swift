import DSTPluginSDK

/// Strings and counters.
enum StringTests {
    /// SET random binary values (empty, NUL, CR/LF included) and GET them back; a final sweep
    /// reads every key and DBSIZE counts them.
    @Sendable
    static func basicSetGet(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 100))
        let operations = max(0, try run.parameter("ops", default: 1000))
        let db = try run.openEngine()
        let keys = (0..<keyCount).map { "key:\($0)" }
        var model = [[UInt8]?](repeating: nil, count: keyCount)

        for operation in 0..<operations {
            let index = run.random.below(keyCount)
            if run.random.bool() {
                let value = run.random.bytes(count: run.random.below(33))
                try run.requireEqual(try db.execute("SET", keys[index], value), .ok,
                                     "op \(operation): SET \(keys[index]) \(Reply.quoted(value))")
                model[index] = value
            } else {
                try run.requireEqual(try db.execute("GET", keys[index]), Reply.bulkOrNull(model[index]),
                                     "op \(operation): GET \(keys[index])")
            }
        }
        for index in 0..<keyCount {
            run.checkEqual(try db.execute("GET", keys[index]), Reply.bulkOrNull(model[index]),
                           "final GET \(keys[index])")
        }
        let present = model.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        run.checkEqual(try db.execute("DBSIZE"), .integer(Int64(present)), "final DBSIZE")
        run.log("\(operations) SET/GET operations on \(keyCount) keys; \(present) keys at the end")
    }

    /// INCR, DECR, INCRBY and DECRBY against an Int64 model: small, large and extreme deltas,
    /// and values SET next to the limits so overflow happens (an error, value unchanged).
    @Sendable
    static func incrDecr(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 50))
        let operations = max(0, try run.parameter("ops", default: 500))
        let db = try run.openEngine()
        let keys = (0..<keyCount).map { "counter:\($0)" }
        var model = [Int64?](repeating: nil, count: keyCount)
        let overflow = Reply.error("ERR increment or decrement would overflow")
        var overflows = 0

        for operation in 0..<operations {
            let index = run.random.below(keyCount)
            let key = keys[index]
            let current = model[index] ?? 0
            let command: [any CommandArgument]
            let result: (partialValue: Int64, overflow: Bool)
            var overflowReply = overflow
            switch run.random.below(7) {
            case 0:
                command = ["INCR", key]
                result = current.addingReportingOverflow(1)
            case 1:
                command = ["DECR", key]
                result = current.subtractingReportingOverflow(1)
            case 2:
                let delta = randomDelta(run)
                command = ["INCRBY", key, delta]
                result = current.addingReportingOverflow(delta)
            case 3:
                let delta = randomDelta(run)
                command = ["DECRBY", key, delta]
                // Redis refuses to negate Int64.min before looking at the value.
                if delta == .min {
                    result = (current, true)
                    overflowReply = .error("ERR decrement would overflow")
                } else {
                    result = current.subtractingReportingOverflow(delta)
                }
            case 4:
                let value = limitValue(run)
                try run.requireEqual(try db.execute("SET", key, value), .ok, "op \(operation): SET \(key) \(value)")
                model[index] = value
                continue
            default:
                let expected = Reply.bulkOrNull(model[index].map { Support.bytes(String($0)) })
                try run.requireEqual(try db.execute("GET", key), expected, "op \(operation): GET \(key)")
                continue
            }
            let reply = try db.execute(command)
            let text = command.map { String(decoding: $0.commandBytes, as: UTF8.self) }.joined(separator: " ")
            if result.overflow {
                overflows += 1
                try run.requireEqual(reply, overflowReply, "op \(operation): \(text) on \(current)")
            } else {
                try run.requireEqual(reply, .integer(result.partialValue), "op \(operation): \(text) on \(current)")
                model[index] = result.partialValue
            }
        }
        for index in 0..<keyCount {
            let expected = Reply.bulkOrNull(model[index].map { Support.bytes(String($0)) })
            run.checkEqual(try db.execute("GET", keys[index]), expected, "final GET \(keys[index])")
        }
        run.log("\(operations) counter operations on \(keyCount) keys, \(overflows) refused as overflows")
    }

    /// Mostly small steps, some large ones, now and then any 64-bit value or a limit itself.
    private static func randomDelta(_ run: TestRun) -> Int64 {
        switch run.random.below(10) {
        case 0..<6: return Int64(run.random.int(in: -1000...1000))
        case 6, 7: return Int64(run.random.int(in: -1_000_000_000_000_000...1_000_000_000_000_000))
        case 8: return Int64(bitPattern: run.random.next())
        default: return [Int64.min, .max, 0][run.random.below(3)]
        }
    }

    /// A value near a limit (so the next step may overflow), or any value, or a small one.
    private static func limitValue(_ run: TestRun) -> Int64 {
        switch run.random.below(4) {
        case 0: return .max - Int64(run.random.below(3))
        case 1: return .min + Int64(run.random.below(3))
        case 2: return Int64(bitPattern: run.random.next())
        default: return Int64(run.random.int(in: -100...100))
        }
    }
}
