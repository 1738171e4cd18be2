import DSTPluginSDK

/// The four simulations: each draws its connections, keys and program from the seed, then
/// hands them to ``Simulation``. Sizes come from the "ops" parameter (default 1000).
enum Scenarios {
    static func operations(_ run: TestRun) throws -> Int {
        max(1, try run.parameter("ops", default: 1000))
    }

    /// Keys `str0`, `list1`, `hash2`, `set3`, `zset4`, `str5`, ...: families in turn.
    static func keys(_ count: Int) -> [(name: String, family: KeyFamily)] {
        (0..<count).map { number in
            let family = KeyFamily.allCases[number % KeyFamily.allCases.count]
            return (family.keyName(number), family)
        }
    }

    /// Batches in which each connection (or each one `takesPart` picks) issues 1 to
    /// `perConnection` commands on random keys, until `operations` are drawn. `between` may add
    /// steps after each batch.
    static func batches(_ run: TestRun, workload: inout Workload, operations: Int, connections: Int,
                        keys: [(name: String, family: KeyFamily)], perConnection: ClosedRange<Int>,
                        takesPart: () -> Bool = { true }, between: () -> [Step] = { [] }) -> [Step] {
        var steps: [Step] = []
        var drawn = 0
        while drawn < operations {
            for connection in 0..<connections where drawn < operations && takesPart() {
                for _ in 0..<run.random.int(in: perConnection) where drawn < operations {
                    let key = keys[run.random.below(keys.count)]
                    steps.append(.command(connection: connection, argv: workload.command(key: key.name, family: key.family)))
                    drawn += 1
                }
            }
            steps.append(.batchEnd)
            steps += between()
        }
        return steps
    }

    /// One read of each key's whole value, one after the other on connection 0: the final
    /// state goes into the history too.
    static func finalReads(_ keys: [(name: String, family: KeyFamily)]) -> [Step] {
        keys.map { key -> Step in
            let words: [String]
            switch key.family {
            case .string: words = ["GET", key.name]
            case .list: words = ["LRANGE", key.name, "0", "-1"]
            case .hash: words = ["HGETALL", key.name]
            case .set: words = ["SMEMBERS", key.name]
            case .zset: words = ["ZRANGE", key.name, "0", "-1", "WITHSCORES"]
            }
            return .command(connection: 0, argv: words.map { Array($0.utf8) })
        } + [.batchEnd]
    }

    /// `concurrent_operations`: 2–10 connections, 4–8 keys of every family, each batch giving
    /// every connection 1–4 commands.
    static func concurrentOperations(_ run: TestRun) throws {
        let connections = run.random.int(in: 2...10)
        let keys = keys(run.random.int(in: 4...8))
        var workload = Workload(run: run)
        let steps = batches(run, workload: &workload, operations: try operations(run), connections: connections,
                            keys: keys, perConnection: 1...4) + finalReads(keys)
        try Simulation(run: run, connections: connections, durability: .normal)
            .runAndCheck(steps, label: "concurrent_operations")
    }

    /// `crash_recovery`: FULL durability; one or two phases that each plant a power loss at a
    /// seeded write (and pull the plug at their end if it never fired), then a phase without
    /// faults and the final reads. Every acknowledged write must survive; a cut-off one may
    /// or may not have happened.
    static func crashRecovery(_ run: TestRun) throws {
        let connections = run.random.int(in: 2...6)
        let keys = keys(run.random.int(in: 3...6))
        let total = try operations(run)
        let crashes = run.random.int(in: 1...2)
        var workload = Workload(run: run)
        var steps: [Step] = []
        let perPhase = max(1, total / (crashes + 1))
        for _ in 0..<crashes {
            // About two writes per command (WAL frames and syncs), so the crash mostly lands
            // inside the phase.
            steps.append(.plantCrash(write: run.random.int(in: 1...max(1, 2 * perPhase))))
            steps += batches(run, workload: &workload, operations: perPhase, connections: connections,
                             keys: keys, perConnection: 1...3)
            steps.append(.powerLoss)
        }
        steps += batches(run, workload: &workload, operations: max(1, total - crashes * perPhase),
                         connections: connections, keys: keys, perConnection: 1...3)
        steps += finalReads(keys)
        try Simulation(run: run, connections: connections, durability: .full)
            .runAndCheck(steps, label: "crash_recovery")
    }

    /// `connection_storm`: 3–8 connections, of which 1–3 are closed and reopened (new engines
    /// on the same file) after a share of the batches; some connections sit batches out.
    ///
    /// The share is drawn per seed (swarm testing): 1 in 8, 1 in 4, 1 in 2 or 3 in 4 batches.
    /// A reopen costs what SQLite's schema load and the first statements' preparation cost, so
    /// a storm at full density throughout would spend most of its time there, while seeds that
    /// reconnect less often run longer stretches in which the reopened connections matter.
    static func connectionStorm(_ run: TestRun) throws {
        let connections = run.random.int(in: 3...8)
        let keys = keys(run.random.int(in: 3...6))
        let reconnectEighths = [1, 2, 4, 6][run.random.below(4)]
        var workload = Workload(run: run)
        let steps = batches(run, workload: &workload, operations: try operations(run), connections: connections,
                            keys: keys, perConnection: 1...2,
                            takesPart: { run.random.chance(3, in: 4) },
                            between: {
                                guard run.random.chance(reconnectEighths, in: 8) else { return [] }
                                return (0..<run.random.int(in: 1...3)).map { _ in .reconnect(connection: run.random.below(connections)) }
                            }) + finalReads(keys)
        try Simulation(run: run, connections: connections, durability: .normal)
            .runAndCheck(steps, label: "connection_storm")
    }

    /// `write_contention`: 10 connections on 2–3 hot keys (a counter string, a list, and a
    /// hash or a set), each batch giving every connection 1–4 commands, mostly writes: busy
    /// waits everywhere, and on two seeds in three slow I/O, so some waits time out.
    static func writeContention(_ run: TestRun) throws {
        let connections = 10
        var keys: [(name: String, family: KeyFamily)] = [("str0", .string), ("list1", .list)]
        if run.random.bool() { keys.append(run.random.bool() ? ("hash2", .hash) : ("set2", .set)) }
        var workload = Workload(run: run)
        workload.crossFamilyOneIn = 25
        let steps = batches(run, workload: &workload, operations: try operations(run), connections: connections,
                            keys: keys, perConnection: 1...4) + finalReads(keys)
        var simulation = Simulation(run: run, connections: connections, durability: .full)
        // Slow I/O (in virtual time) holds the write lock longer, so queued writers wait past
        // the 5 s busy timeout and get "database is locked": commands that had no effect.
        let latency = [0, 50, 300][run.random.below(3)]
        if latency > 0 { simulation.basePlan = "slow_io latency_ms=\(latency)" }
        try simulation.runAndCheck(steps, label: "write_contention")
    }
}
