import DSTPluginSDK

/// Runs a program (``Step``s) on virtual connections to one file of the simulated disk,
/// records the concurrent history, checks it for linearizability, and on a violation shrinks
/// the program by replaying candidates and reports the smallest one that still fails.
struct Simulation {
    /// What one execution of a program gave.
    struct Execution {
        var history: [HistoryOperation] = []
        var batches = 0
        var busyErrors = 0
        var crashes = 0
        var reconnects = 0
        /// Set when a batch deadlocked: the run fails with it, there is nothing to check.
        var deadlock: String?
    }

    /// A key whose history is not linearizable.
    struct Violation {
        var key: [UInt8]
        /// The earliest failing cut of the key's history (a witness on its own).
        var witness: [HistoryOperation]
        /// The last step of the program the witness needs.
        var failingStep: Int
    }

    let run: TestRun
    let connections: Int
    let durability: EngineOptions.Durability
    /// The disk's fault plan while no crash is planned, e.g. slow I/O that makes writers wait
    /// past the busy timeout.
    var basePlan = ""
    /// Virtual time between batches: the clients' think time, drawn per seed (a swarm knob:
    /// from a busy server to a quiet one). Expiring nothing, it only spreads the work over time.
    var thinkTimeMilliseconds: Int64 = 0

    /// Runs `steps` on the file `fileName`; every engine it opened is closed when it returns,
    /// so the next candidate of a shrink starts alone on the disk.
    func execute(_ steps: [Step], fileName: String) throws -> Execution {
        var execution = Execution()
        let options = EngineOptions.simulated(fileName, durability: durability)
        // A shrink's earlier candidate may have left a crash planned, or fired and not
        // recovered: each execution starts with the power on and no plan.
        // (Setting the plan first also creates the disk, which stats needs.)
        try run.disk.setPlan(basePlan)
        if try run.disk.stats().powerLost { try run.disk.crash() }
        var engines = try (0..<connections).map { _ in try run.openEngine(options) }
        defer { for engine in engines { engine.close() } }
        var pending: [(step: Int, connection: Int, argv: [[UInt8]])] = []
        // Positions of the batches' own event orders, laid end to end.
        var base: UInt64 = 0
        var crashPlanned = false

        func flush() throws {
            guard !pending.isEmpty else { return }
            defer { pending.removeAll() }
            let commands = pending.map { ConcurrentCommand(engines[$0.connection], argv: $0.argv) }
            let results: [ConcurrentResult]
            do {
                results = try run.executeConcurrently(commands)
            } catch let deadlock as DeadlockError {
                let completed = deadlock.results.filter { $0.returnedAt != nil }.count
                execution.deadlock = "\(deadlock) in batch \(execution.batches + 1) after \(completed) of \(commands.count) commands: "
                    + pending.map { "[c\($0.connection)] \(Workload.render($0.argv))" }.joined(separator: "; ")
                return
            }
            execution.batches += 1
            run.clock.advance(thinkTimeMilliseconds)
            let span = results.reduce(UInt64(0)) { max($0, $1.invokedAt, $1.returnedAt ?? 0) } + 2
            for (item, result) in zip(pending, results) {
                // Never ran: the power was already off, so it had no effect at all.
                guard let reply = result.reply else { continue }
                guard let command = KeyCommand(item.argv) else {
                    preconditionFailure("the workload drew a command the model does not know: \(Workload.render(item.argv))")
                }
                let outcome = result.returnedAt == nil ? Outcome.indeterminate : Outcome(reply, for: command)
                if case .error(let text) = reply, text.contains("locked") || text.contains("busy") {
                    execution.busyErrors += 1
                }
                if outcome == .indeterminate && command.isReadOnly {
                    // A read that failed tells nothing and changed nothing.
                    continue
                }
                execution.history.append(HistoryOperation(
                    index: item.step, connection: item.connection, key: item.argv[1], command: command,
                    text: Workload.render(item.argv), invokedAt: base + result.invokedAt,
                    returnedAt: base + (result.returnedAt ?? span - 1), outcome: outcome,
                    cutOff: result.returnedAt == nil))
            }
            base += span
            if crashPlanned, try run.disk.stats().powerLost {
                try recover()
            }
        }

        func recover() throws {
            try run.disk.crash()
            try run.disk.setPlan(basePlan)
            crashPlanned = false
            execution.crashes += 1
            // Nothing of before the crash may take effect after it.
            base += 2
        }

        for (index, step) in steps.enumerated() {
            switch step {
            case .command(let connection, let argv):
                pending.append((index, connection, argv))
            case .batchEnd:
                try flush()
            case .reconnect(let connection):
                try flush()
                engines[connection].close()
                engines[connection] = try run.openEngine(options)
                execution.reconnects += 1
            case .plantCrash(let write):
                try flush()
                try run.disk.setPlan(basePlan.isEmpty ? "crash write=\(write)" : "\(basePlan); crash write=\(write)")
                crashPlanned = true
            case .powerLoss:
                try flush()
                try recover()
            }
            if execution.deadlock != nil { return execution }
        }
        try flush()
        return execution
    }

    /// The first key (in byte order) whose history is not linearizable, or nil.
    static func check(_ history: [HistoryOperation]) -> Violation? {
        for (key, operations) in Linearizability.partition(history)
        where !Linearizability.check(operations).linearizable {
            let witness = Linearizability.earliestFailingCut(operations)
            return Violation(key: key, witness: witness, failingStep: witness.map(\.index).max() ?? 0)
        }
        return nil
    }

    /// Runs the program, checks it, and on a violation shrinks and reports it. `label` names
    /// the scenario in messages.
    func runAndCheck(_ steps: [Step], label: String) throws {
        var simulation = self
        simulation.thinkTimeMilliseconds = Int64(run.random.int(in: 10...1000))
        try simulation.check(steps, label: label)
    }

    private func check(_ steps: [Step], label: String) throws {
        let execution = try execute(steps, fileName: "data.db")
        run.metric("ops", Double(steps.filter { if case .command = $0 { return true } else { return false } }.count))
        run.metric("connections", Double(connections))
        run.metric("batches", Double(execution.batches))
        run.metric("busy_errors", Double(execution.busyErrors))
        if execution.crashes > 0 { run.metric("crashes", Double(execution.crashes)) }
        if execution.reconnects > 0 { run.metric("reconnects", Double(execution.reconnects)) }
        run.metric("busy_waits", Double(try run.disk.stats().sleeps))
        if let deadlock = execution.deadlock {
            run.fail("deadlock: \(deadlock)")
            return
        }
        let started = ContinuousClock.now
        let violation = Simulation.check(execution.history)
        let elapsed = ContinuousClock.now - started
        run.metric("linearizability_check_ms", Double(elapsed.components.seconds) * 1000
                   + Double(elapsed.components.attoseconds) / 1e15, unit: "ms")
        run.log("\(label): \(execution.history.count) operations on \(connections) connections in \(execution.batches) batches, "
                + "\(execution.busyErrors) busy errors, \(execution.crashes) crashes, \(execution.reconnects) reconnects")
        guard let violation else {
            run.trace("linearizable")
            return
        }
        run.trace("not linearizable")
        run.log("\(label): key \(Reply.quoted(violation.key)) is not linearizable (witness of \(violation.witness.count) operations); shrinking")
        try report(shrink(steps, violation), original: steps.count, label: label)
    }

    /// Deletes steps while a replay (each on a fresh file of the same disk) still fails.
    private func shrink(_ steps: [Step], _ violation: Violation) throws -> Shrinker<Step, Violation>.Outcome {
        var attempt = 0
        // Replays cost what they run: besides the count of replays, stop once they have run
        // twenty times the commands of the original program (counted, not timed, so a shrink
        // ends at the same place on every run of the seed).
        var replayed = 0
        let allowance = 20 * max(steps.count, 50)
        let shrinker = Shrinker<Step, Violation>(budget: 150, failingIndex: { $0.failingStep },
                                                 shouldStop: { run.isCancelled || replayed > allowance })
        return try shrinker.shrink(steps, failure: violation) { candidate in
            attempt += 1
            replayed += candidate.count
            let execution: Execution
            do {
                execution = try execute(candidate, fileName: "try-\(attempt).db")
            } catch let error as SDKError where !error.isCancellation {
                // A candidate the host could not run says nothing about the violation.
                run.log("shrink: candidate \(attempt) not run: \(error)", level: .debug)
                return nil
            }
            if execution.deadlock != nil { return nil }
            return Simulation.check(execution.history)
        }
    }

    /// The witness with every read left out that is not needed for it to fail. Leaving out a
    /// read only removes constraints, so what remains is still a true witness (leaving out a
    /// write would not be: a read of its value would then fail on its own).
    static func minimizeReads(_ witness: [HistoryOperation]) -> [HistoryOperation] {
        let reads = witness.filter { $0.command.isReadOnly && !$0.isOptional }
        let others = witness.filter { !($0.command.isReadOnly && !$0.isOptional) }
        guard !reads.isEmpty else { return witness }
        let shrinker = Shrinker<HistoryOperation, Int>(budget: 2000, failingIndex: { $0 })
        let outcome = shrinker.shrink(reads, failure: reads.count - 1) { candidate in
            Linearizability.check(others + candidate).linearizable ? nil : candidate.count - 1
        }
        return (others + outcome.elements).sorted { $0.invokedAt < $1.invokedAt }
    }

    private func report(_ outcome: Shrinker<Step, Violation>.Outcome, original: Int, label: String) throws {
        let violation = outcome.failure
        let witness = Simulation.minimizeReads(violation.witness)
        let key = Reply.quoted(violation.key)
        let how = outcome.minimal ? "" : " (not minimal: \(run.isCancelled ? "cancelled" : "replay budget spent"))"
        var lines = [
            "# simulate/\(label), seed \(run.seed): key \(key) is not linearizable",
            "# program shrunk from \(original) to \(outcome.elements.count) steps in \(outcome.executions) replays\(how)",
            "# replay: dst-host replay --seed \(run.seed) --test simulate/\(label)"
                + (run.parameter("ops").map { " --param ops=\($0)" } ?? ""),
        ]
        lines += outcome.elements.enumerated().map { "\($0.offset + 1). \($0.element.text)" }
        lines.append("# its history of key \(key), no linearization exists (\(witness.count) operations; [invoked, returned] in event order):")
        lines += witness.map(Simulation.describe)
        run.fail("not linearizable: key \(key), minimal history of \(witness.count) operations: "
                 + witness.map(Simulation.describe).joined(separator: "; "))
        for line in lines { run.log(line) }
        try run.artifact("minimized-history.txt", text: lines.joined(separator: "\n") + "\n")
    }

    /// `[c3] [12, 15] RPUSH list0 "v1" "v2" -> (integer) 2`.
    static func describe(_ operation: HistoryOperation) -> String {
        if let answer = operation.answeredAfterCut {
            return "[c\(operation.connection)] [\(operation.invokedAt), running] \(operation.text) -> (pending at the cut; later \(answer))"
        }
        let end = operation.cutOff ? "cut off" : String(operation.returnedAt)
        return "[c\(operation.connection)] [\(operation.invokedAt), \(end)] \(operation.text) -> \(operation.outcome)"
    }
}
