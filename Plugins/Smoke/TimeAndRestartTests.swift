import DSTPluginSDK

/// Expiry on the virtual clock, and durability across a restart.
enum TimeAndRestartTests {
    /// Keys set with EX (seconds) or PX (milliseconds) at one instant. The clock then walks to
    /// each deadline in turn: at the deadline the key is still there (PTTL 0, since Redis
    /// expires a key only when now > deadline); one millisecond later it is gone, while later
    /// keys and a key without TTL remain.
    @Sendable
    static func expireOnVirtualClock(_ run: TestRun) throws {
        let keyCount = max(1, min(try run.parameter("keys", default: 8), 1000))
        let db = try run.openEngine()
        let start = run.clock.nowMilliseconds

        var keys: [String] = []
        var values: [[UInt8]] = []
        var deadlines: [Int64] = []
        for index in 0..<keyCount {
            let key = "ttl:\(index)"
            let value = Support.bytes("value-\(index)")
            let seconds = run.random.bool()
            let ttl = seconds ? Int64(run.random.int(in: 1...100)) * 1000 : Int64(run.random.int(in: 1...100_000))
            let command: [any CommandArgument] = seconds ? ["SET", key, value, "EX", ttl / 1000]
                                                         : ["SET", key, value, "PX", ttl]
            try run.requireEqual(try db.execute(command), .ok, "SET \(key) with a TTL of \(ttl) ms")
            try run.requireEqual(try db.execute("PTTL", key), .integer(ttl), "PTTL \(key) right after SET")
            keys.append(key)
            values.append(value)
            deadlines.append(start + ttl)
        }
        try run.requireEqual(try db.execute("SET", "forever", "x"), .ok, "SET forever")
        try run.requireEqual(try db.execute("TTL", "forever"), .integer(-1), "TTL forever")

        // Deadlines in order; keys sharing one are checked together.
        let order = (0..<keyCount).sorted { (deadlines[$0], $0) < (deadlines[$1], $1) }
        var position = 0
        while position < order.count {
            let deadline = deadlines[order[position]]
            var group: [Int] = []
            while position < order.count, deadlines[order[position]] == deadline {
                group.append(order[position])
                position += 1
            }
            run.clock.advance(deadline - run.clock.nowMilliseconds)
            try run.requireEqual(run.clock.nowMilliseconds, deadline, "virtual clock after advancing to a deadline")
            for index in group {
                let at = "\(keys[index]) at +\(deadline - start) ms (its TTL)"
                try run.requireEqual(try db.execute("GET", keys[index]), .bulk(values[index]), "GET \(at)")
                try run.requireEqual(try db.execute("PTTL", keys[index]), .integer(0), "PTTL \(at)")
            }
            run.clock.advance(1)
            for index in group {
                let after = "\(keys[index]) at +\(deadline - start + 1) ms (TTL + 1)"
                try run.requireEqual(try db.execute("GET", keys[index]), .null, "GET \(after)")
                try run.requireEqual(try db.execute("EXISTS", keys[index]), .integer(0), "EXISTS \(after)")
                try run.requireEqual(try db.execute("PTTL", keys[index]), .integer(-2), "PTTL \(after)")
            }
            // The next deadline's key must not have gone early.
            if position < order.count {
                let next = order[position]
                let now = run.clock.nowMilliseconds
                try run.requireEqual(try db.execute("PTTL", keys[next]), .integer(deadlines[next] - now),
                                     "PTTL \(keys[next]) at +\(now - start) ms")
            }
        }
        try run.requireEqual(try db.execute("GET", "forever"), .bulk("x"), "GET forever after all deadlines")
        try run.requireEqual(try db.execute("DBSIZE"), .integer(1), "DBSIZE after all deadlines")
        run.log("\(keyCount) keys expired on time over \(run.clock.nowMilliseconds - start) virtual ms")
    }

    /// A FULL-durability file database: MSET every key in one command, then rounds of single
    /// SET/DEL writes, reopening after each stage; every acknowledged write must be there
    /// after every reopen, and nothing else.
    @Sendable
    static func persistenceAcrossReopen(_ run: TestRun) throws {
        let keyCount = max(1, try run.parameter("keys", default: 100))
        let operations = max(0, try run.parameter("ops", default: 100))
        let rounds = 3
        let db = try run.openEngine(.file("data.db", durability: .full))
        try run.requireEqual(try db.execute("DBSIZE"), .integer(0), "DBSIZE of a new run's data.db")

        let keys = (0..<keyCount).map { "durable:\($0)" }
        var model = keys.map { _ in Optional(run.random.bytes(count: run.random.below(17))) }
        var mset: [[UInt8]] = [Support.bytes("MSET")]
        for index in 0..<keyCount { mset += [Support.bytes(keys[index]), model[index] ?? []] }
        try run.requireEqual(try db.execute(mset), .ok, "MSET of \(keyCount) keys")
        try db.reopen()
        try verify(run, db, keys: keys, model: model, stage: "after MSET and reopen")

        for round in 1...rounds {
            let share = operations / rounds + (round <= operations % rounds ? 1 : 0)
            for operation in 0..<share {
                let index = run.random.below(keyCount)
                if run.random.chance(1, in: 4) {
                    let existed: Int64 = model[index] == nil ? 0 : 1
                    try run.requireEqual(try db.execute("DEL", keys[index]), .integer(existed),
                                         "round \(round) op \(operation): DEL \(keys[index])")
                    model[index] = nil
                } else {
                    let value = run.random.bytes(count: run.random.below(17))
                    try run.requireEqual(try db.execute("SET", keys[index], value), .ok,
                                         "round \(round) op \(operation): SET \(keys[index])")
                    model[index] = value
                }
            }
            try db.reopen()
            try verify(run, db, keys: keys, model: model, stage: "after round \(round) and reopen")
        }
        run.log("\(keyCount) keys, \(operations) writes, \(rounds + 1) reopens of a FULL-durability file")
    }

    /// Every key as the model says, and DBSIZE to catch keys that should not be there.
    private static func verify(_ run: TestRun, _ db: Engine, keys: [String], model: [[UInt8]?],
                               stage: String) throws {
        var mismatches = 0
        for index in keys.indices {
            if !run.checkEqual(try db.execute("GET", keys[index]), Reply.bulkOrNull(model[index]),
                               "GET \(keys[index]) \(stage)") {
                mismatches += 1
            }
        }
        let present = model.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        run.checkEqual(try db.execute("DBSIZE"), .integer(Int64(present)), "DBSIZE \(stage)")
        try run.require(mismatches == 0, "\(mismatches) of \(keys.count) keys wrong \(stage)")
    }
}
