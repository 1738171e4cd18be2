import DSTPluginSDK

/// `checker_self_test`: the checker on histories whose verdict is known. Hand-built ones,
/// each accepted or rejected as it must be, and a synthetic 10,000-operation history of 10
/// connections that is linearizable by construction (each operation takes effect at a seeded
/// moment between its call and its return), whose check time is the suite's speed figure.
enum CheckerSelfTest {
    /// A hand-built case: operations on key `k`, and the verdict the checker owes.
    private struct Case {
        var name: String
        var linearizable: Bool
        var operations: [HistoryOperation]
    }

    /// `SET k a` invoked at `call`, returned at `end` (nil: cut off, returning at 100).
    private static func operation(_ words: [String], _ call: UInt64, _ end: UInt64?, _ outcome: Outcome,
                                  connection: Int = 0) -> HistoryOperation {
        let argv = words.map { Array($0.utf8) }
        return HistoryOperation(index: Int(call), connection: connection, key: argv[1], command: KeyCommand(argv)!,
                                text: words.joined(separator: " "), invokedAt: call, returnedAt: end ?? 100,
                                outcome: end == nil ? .indeterminate : outcome, cutOff: end == nil)
    }

    private static func bulk(_ text: String) -> Outcome { .bulk(Array(text.utf8)) }

    private static var cases: [Case] {
        let setA = operation(["SET", "k", "a"], 0, 1, .ok)
        return [
            Case(name: "a read overlapping a write sees the old value", linearizable: true, operations: [
                setA, operation(["SET", "k", "b"], 2, 5, .ok, connection: 1), operation(["GET", "k"], 3, 4, bulk("a"), connection: 2)]),
            Case(name: "a read after a completed write sees the value it overwrote", linearizable: false, operations: [
                setA, operation(["SET", "k", "b"], 2, 3, .ok, connection: 1), operation(["GET", "k"], 4, 5, bulk("a"), connection: 2)]),
            Case(name: "a cut-off write may not have happened", linearizable: true, operations: [
                setA, operation(["SET", "k", "b"], 2, nil, .ok, connection: 1), operation(["GET", "k"], 3, 4, bulk("a"), connection: 2)]),
            Case(name: "a cut-off write may have happened", linearizable: true, operations: [
                setA, operation(["SET", "k", "b"], 2, nil, .ok, connection: 1), operation(["GET", "k"], 3, 4, bulk("b"), connection: 2)]),
            Case(name: "a read sees a value never written", linearizable: false, operations: [
                setA, operation(["SET", "k", "b"], 2, nil, .ok, connection: 1), operation(["GET", "k"], 3, 4, bulk("c"), connection: 2)]),
            Case(name: "a reader sees half of one RPUSH", linearizable: false, operations: [
                operation(["RPUSH", "k", "a", "b"], 0, 3, .integer(2)),
                operation(["LRANGE", "k", "0", "-1"], 1, 2, .list([Array("a".utf8)]), connection: 1)]),
            Case(name: "a reader sees all of one RPUSH", linearizable: true, operations: [
                operation(["RPUSH", "k", "a", "b"], 0, 3, .integer(2)),
                operation(["LRANGE", "k", "0", "-1"], 1, 2, .list([Array("a".utf8), Array("b".utf8)]), connection: 1)]),
            Case(name: "a failed INCR left no trace", linearizable: true, operations: [
                operation(["INCR", "k"], 0, nil, .ok), operation(["GET", "k"], 101, 102, .null, connection: 1)]),
            Case(name: "a failed INCR took effect once, not twice", linearizable: false, operations: [
                operation(["INCR", "k"], 0, nil, .ok), operation(["GET", "k"], 101, 102, bulk("2"), connection: 1)]),
            Case(name: "LPUSH on a string is WRONGTYPE", linearizable: true, operations: [
                setA, operation(["LPUSH", "k", "x"], 2, 3, .error(.wrongType))]),
            Case(name: "LPUSH on a string cannot succeed", linearizable: false, operations: [
                setA, operation(["LPUSH", "k", "x"], 2, 3, .integer(1))]),
            Case(name: "concurrent counters in either order", linearizable: true, operations: [
                operation(["INCR", "k"], 0, 5, .integer(6)), operation(["INCRBY", "k", "5"], 1, 4, .integer(5), connection: 1),
                operation(["HINCRBY", "h", "f", "1"], 6, 7, .integer(1))]),
            Case(name: "an SADD is counted once", linearizable: false, operations: [
                operation(["SADD", "k", "a", "b"], 0, 1, .integer(2)), operation(["SADD", "k", "b", "c"], 2, 3, .integer(2))]),
        ]
    }

    static func run(_ run: TestRun) throws {
        for item in cases {
            let verdict = Simulation.check(item.operations)
            run.check((verdict == nil) == item.linearizable,
                      "\(item.name): the checker said \(verdict == nil ? "linearizable" : "not linearizable")")
            if let verdict {
                let witness = Simulation.minimizeReads(verdict.witness)
                run.check(!Linearizability.check(witness).linearizable && witness.count <= item.operations.count,
                          "\(item.name): the minimized witness must still fail")
            }
        }

        let history = synthetic(run, operations: 10_000, connections: 10, keys: 8)
        let started = ContinuousClock.now
        let violation = Simulation.check(history)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        run.metric("linearizability_check_ms", milliseconds, unit: "ms")
        run.log("synthetic history of \(history.count) operations on 10 connections checked in \(Int(milliseconds)) ms")
        run.check(violation == nil, "a history linearizable by construction was rejected: key "
                  + (violation.map { Reply.quoted($0.key) } ?? ""))
    }

    /// Connections take turns at random: an idle one invokes a command, a running one takes
    /// effect on the model (its linearization point, answering what the model says), a done
    /// one returns. Some commands never return (cut off).
    static func synthetic(_ run: TestRun, operations: Int, connections: Int, keys: Int) -> [HistoryOperation] {
        let keyList = Scenarios.keys(keys)
        var workload = Workload(run: run)
        var values = [KeyValue](repeating: .none, count: keys)
        enum Phase { case idle, invoked, applied }
        var phase = [Phase](repeating: .idle, count: connections)
        var current = [Int](repeating: -1, count: connections)
        var keyOf = [Int](repeating: 0, count: connections)
        var history: [HistoryOperation] = []
        var time: UInt64 = 0
        var issued = 0
        while issued < operations || phase.contains(where: { $0 != .idle }) {
            let connection = run.random.below(connections)
            time += 1
            switch phase[connection] {
            case .idle:
                guard issued < operations else { continue }
                let key = run.random.below(keys)
                let argv = workload.command(key: keyList[key].name, family: keyList[key].family)
                history.append(HistoryOperation(index: history.count, connection: connection, key: argv[1],
                                                command: KeyCommand(argv)!, text: Workload.render(argv),
                                                invokedAt: time, returnedAt: 0, outcome: .indeterminate))
                current[connection] = history.count - 1
                keyOf[connection] = key
                phase[connection] = .invoked
                issued += 1
            case .invoked:
                let index = current[connection]
                let (answer, after) = KeyModel.apply(history[index].command, to: values[keyOf[connection]])
                values[keyOf[connection]] = after
                history[index].outcome = answer
                phase[connection] = .applied
            case .applied:
                let index = current[connection]
                history[index].returnedAt = time
                if run.random.chance(1, in: 200) {
                    history[index].outcome = .indeterminate
                    history[index].cutOff = true
                }
                phase[connection] = .idle
            }
        }
        return history
    }
}
