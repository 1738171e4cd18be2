import DSTPluginSDK

/// Lists, hashes, sets and sorted sets, each against an array model.
enum CollectionTests {
    // MARK: Lists

    /// LPUSH/RPUSH/LPOP/RPOP/LLEN/LRANGE against an array per key. Values are numbered in
    /// push order, so an order bug shows in the message.
    @Sendable
    static func listOperations(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 20))
        let operations = max(0, try run.parameter("ops", default: 500))
        let db = try run.openEngine()
        let keys = (0..<keyCount).map { "list:\($0)" }
        var model = [[[UInt8]]](repeating: [], count: keyCount)
        var nextValue = 0

        for operation in 0..<operations {
            let index = run.random.below(keyCount)
            let key = keys[index]
            switch run.random.below(8) {
            case 0, 1:
                let values = (0...run.random.below(3)).map { _ -> [UInt8] in
                    nextValue += 1
                    return Support.bytes("v\(nextValue)")
                }
                let left = run.random.bool()
                let reply = try db.execute([left ? "LPUSH" : "RPUSH", key] + values.map(\.commandBytes))
                if left {
                    // Each value goes to the head in turn, so the last one ends up first.
                    model[index].insert(contentsOf: values.reversed(), at: 0)
                } else {
                    model[index].append(contentsOf: values)
                }
                try run.requireEqual(reply, .integer(Int64(model[index].count)),
                                     "op \(operation): \(left ? "LPUSH" : "RPUSH") \(key) \(Reply.quotedList(values))")
            case 2, 3:
                let left = run.random.bool()
                let expected: [UInt8]? = left ? model[index].first : model[index].last
                try run.requireEqual(try db.execute(left ? "LPOP" : "RPOP", key), Reply.bulkOrNull(expected),
                                     "op \(operation): \(left ? "LPOP" : "RPOP") \(key) of \(Reply.quotedList(model[index]))")
                if expected != nil {
                    if left { model[index].removeFirst() } else { model[index].removeLast() }
                }
            case 4:
                try run.requireEqual(try db.execute("LLEN", key), .integer(Int64(model[index].count)),
                                     "op \(operation): LLEN \(key)")
            default:
                // Bounds reach past both ends and go negative, to cover LRANGE's clamping.
                let count = model[index].count
                let start = run.random.int(in: -count - 2...count + 2)
                let stop = run.random.int(in: -count - 2...count + 2)
                let selected = RedisModel.rangeIndices(count: count, start: start, stop: stop)
                let expected = Reply.array(model[index][selected].map { .bulk($0) })
                try run.requireEqual(try db.execute("LRANGE", key, start, stop), expected,
                                     "op \(operation): LRANGE \(key) \(start) \(stop) of \(Reply.quotedList(model[index]))")
            }
        }
        for index in 0..<keyCount {
            run.checkEqual(try db.execute("LRANGE", keys[index], 0, -1), .array(model[index].map { .bulk($0) }),
                           "final LRANGE \(keys[index]) 0 -1")
        }
        run.log("\(operations) list operations on \(keyCount) keys, \(nextValue) values pushed")
    }

    // MARK: Hashes

    private struct Field {
        var name: String
        var value: [UInt8]
    }

    /// HSET/HGET/HDEL/HLEN/HGETALL against an array of fields per key. Field names come from a
    /// small pool, so overwrites and deletes of present fields are common.
    @Sendable
    static func hashOperations(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 20))
        let operations = max(0, try run.parameter("ops", default: 500))
        let db = try run.openEngine()
        let keys = (0..<keyCount).map { "hash:\($0)" }
        let fieldPool = (0..<10).map { "f\($0)" }
        var model = [[Field]](repeating: [], count: keyCount)

        for operation in 0..<operations {
            let index = run.random.below(keyCount)
            let key = keys[index]
            switch run.random.below(6) {
            case 0, 1:
                let names = Support.picks(run, from: fieldPool, maximum: 3)
                var arguments: [any CommandArgument] = ["HSET", key]
                var created = 0
                for name in names {
                    let value = run.random.bytes(count: run.random.below(9))
                    arguments += [name, value]
                    // Applied in order, as Redis does: a repeated field is an update.
                    if let position = model[index].firstIndex(where: { $0.name == name }) {
                        model[index][position].value = value
                    } else {
                        model[index].append(Field(name: name, value: value))
                        created += 1
                    }
                }
                try run.requireEqual(try db.execute(arguments), .integer(Int64(created)),
                                     "op \(operation): HSET \(key) fields \(names) (new fields)")
            case 2:
                let name = fieldPool[run.random.below(fieldPool.count)]
                let expected = model[index].first(where: { $0.name == name })?.value
                try run.requireEqual(try db.execute("HGET", key, name), Reply.bulkOrNull(expected),
                                     "op \(operation): HGET \(key) \(name)")
            case 3:
                let names = Support.picks(run, from: fieldPool, maximum: 3)
                var removed = 0
                for name in names {
                    if let position = model[index].firstIndex(where: { $0.name == name }) {
                        model[index].remove(at: position)
                        removed += 1
                    }
                }
                try run.requireEqual(try db.execute(["HDEL", key] + names), .integer(Int64(removed)),
                                     "op \(operation): HDEL \(key) \(names) (removed)")
            case 4:
                try run.requireEqual(try db.execute("HLEN", key), .integer(Int64(model[index].count)),
                                     "op \(operation): HLEN \(key)")
            default:
                try checkHash(run, db, key: key, model: model[index], what: "op \(operation): HGETALL \(key)",
                              stop: true)
            }
        }
        for index in 0..<keyCount {
            try checkHash(run, db, key: keys[index], model: model[index], what: "final HGETALL \(keys[index])",
                          stop: false)
        }
        run.log("\(operations) hash operations on \(keyCount) keys")
    }

    /// HGETALL as a set of (field, value) pairs: a map or a flat array, in any order, but with
    /// each field once.
    private static func checkHash(_ run: TestRun, _ db: Engine, key: String, model: [Field], what: String,
                                  stop: Bool) throws {
        let reply = try db.execute("HGETALL", key)
        let expected = model.map { Reply.Pair(.bulk($0.name), .bulk($0.value)) }.sorted(by: pairPrecedes)
        guard let pairs = reply.pairs else {
            let message = "\(what): expected field/value pairs, got \(reply)"
            if stop { try run.require(false, message) } else { run.fail(message) }
            return
        }
        let actual = pairs.sorted(by: pairPrecedes)
        if stop {
            try run.requireEqual(Reply.map(actual), .map(expected), what)
        } else {
            run.checkEqual(Reply.map(actual), .map(expected), what)
        }
    }

    private static func pairPrecedes(_ left: Reply.Pair, _ right: Reply.Pair) -> Bool {
        RedisModel.precedes(left.key.bytes ?? [], right.key.bytes ?? [])
    }

    // MARK: Sets

    /// SADD/SREM/SISMEMBER/SCARD/SMEMBERS against an array of distinct members per key;
    /// SMEMBERS is compared as a set.
    @Sendable
    static func setOperations(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 20))
        let operations = max(0, try run.parameter("ops", default: 500))
        let db = try run.openEngine()
        let keys = (0..<keyCount).map { "set:\($0)" }
        let memberPool = (0..<30).map { "m\($0)" }
        var model = [[String]](repeating: [], count: keyCount)

        for operation in 0..<operations {
            let index = run.random.below(keyCount)
            let key = keys[index]
            switch run.random.below(6) {
            case 0, 1:
                let members = Support.picks(run, from: memberPool, maximum: 3)
                var added = 0
                for member in members where !model[index].contains(member) {
                    model[index].append(member)
                    added += 1
                }
                try run.requireEqual(try db.execute(["SADD", key] + members), .integer(Int64(added)),
                                     "op \(operation): SADD \(key) \(members) (added)")
            case 2:
                let members = Support.picks(run, from: memberPool, maximum: 3)
                var removed = 0
                for member in members {
                    if let position = model[index].firstIndex(of: member) {
                        model[index].remove(at: position)
                        removed += 1
                    }
                }
                try run.requireEqual(try db.execute(["SREM", key] + members), .integer(Int64(removed)),
                                     "op \(operation): SREM \(key) \(members) (removed)")
            case 3:
                let member = memberPool[run.random.below(memberPool.count)]
                let reply = try db.execute("SISMEMBER", key, member)
                try run.requireEqual(reply.integerValue, model[index].contains(member) ? 1 : 0,
                                     "op \(operation): SISMEMBER \(key) \(member) (reply \(reply))")
            case 4:
                try run.requireEqual(try db.execute("SCARD", key), .integer(Int64(model[index].count)),
                                     "op \(operation): SCARD \(key)")
            default:
                try checkSet(run, db, key: key, model: model[index], what: "op \(operation): SMEMBERS \(key)",
                             stop: true)
            }
        }
        for index in 0..<keyCount {
            try checkSet(run, db, key: keys[index], model: model[index], what: "final SMEMBERS \(keys[index])",
                         stop: false)
        }
        run.log("\(operations) set operations on \(keyCount) keys")
    }

    private static func checkSet(_ run: TestRun, _ db: Engine, key: String, model: [String], what: String,
                                 stop: Bool) throws {
        let reply = try db.execute("SMEMBERS", key)
        let expected = model.map(Support.bytes).sorted(by: RedisModel.precedes)
        // Sorting keeps duplicates, so a member listed twice still fails the comparison.
        let condition = Support.sortedStrings(reply) == expected
        let message = "\(what): expected members \(Reply.quotedList(expected)), got \(reply)"
        if stop { try run.require(condition, message) } else { run.check(condition, message) }
    }

    // MARK: Sorted sets

    private struct Scored {
        var member: String
        var score: Double
    }

    /// ZADD with scores from a coarse grid (quarters in [-10, 10], so ties are common), ZREM
    /// and ZSCORE; ZRANGE 0 -1 WITHSCORES must list members by (score, member) with their
    /// scores.
    @Sendable
    static func sortedSetOrdering(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 20))
        let operations = max(0, try run.parameter("ops", default: 500))
        let db = try run.openEngine()
        let keys = (0..<keyCount).map { "zset:\($0)" }
        let memberPool = (0..<20).map { "z\($0)" }
        var model = [[Scored]](repeating: [], count: keyCount)

        for operation in 0..<operations {
            let index = run.random.below(keyCount)
            let key = keys[index]
            switch run.random.below(6) {
            case 0, 1, 2:
                let members = Support.picks(run, from: memberPool, maximum: 3)
                var arguments: [any CommandArgument] = ["ZADD", key]
                var added = 0
                for member in members {
                    // Quarters are exact in binary and in Redis's text, so no rounding muddles
                    // the comparison.
                    let score = Double(run.random.int(in: -40...40)) / 4
                    arguments += [score, member]
                    if let position = model[index].firstIndex(where: { $0.member == member }) {
                        model[index][position].score = score
                    } else {
                        model[index].append(Scored(member: member, score: score))
                        added += 1
                    }
                }
                try run.requireEqual(try db.execute(arguments), .integer(Int64(added)),
                                     "op \(operation): ZADD \(key) \(members) (added)")
            case 3:
                let members = Support.picks(run, from: memberPool, maximum: 2)
                var removed = 0
                for member in members {
                    if let position = model[index].firstIndex(where: { $0.member == member }) {
                        model[index].remove(at: position)
                        removed += 1
                    }
                }
                try run.requireEqual(try db.execute(["ZREM", key] + members), .integer(Int64(removed)),
                                     "op \(operation): ZREM \(key) \(members) (removed)")
            case 4:
                let member = memberPool[run.random.below(memberPool.count)]
                let expected = model[index].first(where: { $0.member == member })?.score
                let reply = try db.execute("ZSCORE", key, member)
                let actual: Double? = reply == .null ? nil : reply.doubleValue
                try run.require(actual == expected && (reply == .null) == (expected == nil),
                                "op \(operation): ZSCORE \(key) \(member): expected \(expected.map { "\($0)" } ?? "(nil)"), got \(reply)")
            default:
                try checkOrder(run, db, key: key, model: model[index], what: "op \(operation)", stop: true)
            }
        }
        for index in 0..<keyCount {
            try checkOrder(run, db, key: keys[index], model: model[index], what: "final", stop: false)
        }
        run.log("\(operations) sorted-set operations on \(keyCount) keys")
    }

    /// ZRANGE key 0 -1 WITHSCORES against the model sorted by (score, member bytes). Reads
    /// RESP2's flat [member, score-text, ...] and RESP3's [[member, double], ...] alike.
    private static func checkOrder(_ run: TestRun, _ db: Engine, key: String, model: [Scored], what: String,
                                   stop: Bool) throws {
        let reply = try db.execute("ZRANGE", key, 0, -1, "WITHSCORES")
        let expected = model.sorted { left, right in
            left.score != right.score ? left.score < right.score
                : RedisModel.precedes(Support.bytes(left.member), Support.bytes(right.member))
        }
        let actual = reply.pairs?.map { pair -> Scored? in
            guard let member = pair.key.text, let score = pair.value.doubleValue else { return nil }
            return Scored(member: member, score: score)
        }
        let same = actual.map { list in
            list.count == expected.count && zip(list, expected).allSatisfy { actual, expected in
                actual?.member == expected.member && actual?.score == expected.score
            }
        } ?? false
        let message = "\(what): ZRANGE \(key) 0 -1 WITHSCORES: expected \(render(expected)), got \(reply)"
        if stop { try run.require(same, message) } else { run.check(same, message) }
    }

    private static func render(_ list: [Scored]) -> String {
        "[" + list.map { "\($0.member) \($0.score)" }.joined(separator: ", ") + "]"
    }
}

