import DSTPluginSDK

/// The faults, one test each. Every test draws its own swarm of choices from the seed (the
/// fault's trigger, the durability where the oracle allows both, the workload's mix), runs the
/// workload on the simulated disk against the model, and on a violation shrinks the recorded
/// decisions and reports the smallest failing trace.
enum Fault: String, CaseIterable {
    case diskFull = "disk_full"
    case corruptRead = "corrupt_read"
    case corruptWrite = "corrupt_write"
    case crashMidWrite = "crash_mid_write"
    case tornWrite = "torn_write"
    case lyingFsync = "lying_fsync"
    case slowWrite = "slow_write"
    case misdirectedWrite = "misdirected_write"

    var summary: String {
        switch self {
        case .diskFull: return "A quota fills mid-workload: the write that hits it errors, nothing else changes, writes work again once space returns"
        case .corruptRead: return "Bit flips on page reads are reported as errors, never returned as data"
        case .corruptWrite: return "Bit flips stored by writes are reported as errors on later reads, never returned as data"
        case .crashMidWrite: return "Power lost at a seeded xWrite: recovery keeps every acknowledged commit (FULL) or a prefix (NORMAL)"
        case .tornWrite: return "A write stores only some sectors and the power is lost: recovery as after a crash"
        case .lyingFsync: return "Syncs that lie, then a power loss: the loss is measured; no corruption, a prefix of the commits survives"
        case .slowWrite: return "Slow I/O: everything completes, nothing is lost, the virtual clock moves by the latency"
        case .misdirectedWrite: return "Writes landing at the wrong offset are reported as errors, never returned as data"
        }
    }

    /// Draws this seed's plan, oracle and workload. The order of draws is fixed, so a seed
    /// always makes the same choices.
    func draw(_ run: TestRun, operations count: Int, keys: Int, walRecovery: Bool,
              misdirectedDB: Bool) -> (scenario: Scenario, mix: Mix) {
        var oracle = Oracle(durability: run.random.bool() ? .full : .normal)
        var plan: [String] = []
        var clearAt: Int?
        // Half the seeds keep the fault to the database file: with restarts (see below) that
        // is where read faults meet the most pages.
        let file = [nil, "db", "db", "wal"][run.random.below(4)].map { " file=\($0)" } ?? ""
        // Swarm: a quarter of the seeds add slow I/O under the main fault.
        let slow = run.random.chance(1, in: 4) ? "slow_io latency_ms=\(1 + run.random.below(20)) p=0.1" : nil
        let reopens: Bool
        switch self {
        case .diskFull:
            oracle.errorsHaveNoEffect = true
            oracle.finalCrash = true
            plan.append("disk_full quota=\(4096 * (1 + run.random.below(96)))")
            clearAt = count * (55 + run.random.below(30)) / 100
            reopens = false
        case .corruptRead, .corruptWrite, .misdirectedWrite:
            if self != .corruptRead { oracle.damagesData = true }
            oracle.twoConnections = true
            // A misdirected write to the database file leaves the page it missed as it was:
            // an older page with a valid checksum, a lost write no page checksum can see
            // (README, "The simulated disk"). In the WAL, SQLite's salted, chained frame
            // checksums see both ends, so that is where "never returned as data" holds; the
            // parameter misdirected_db=true aims at the database file too, to show the limit.
            let scope = self == .misdirectedWrite && !misdirectedDB ? " file=wal" : file
            plan.append("\(rawValue) \(Fault.trigger(run, count: count * 2))\(scope)")
            clearAt = count * (60 + run.random.below(30)) / 100
            // Restarts empty SQLite's page cache, so reads go to the disk. But a restart also
            // runs WAL recovery, which reads whole frames and the WAL header: the disk does not
            // verify those reads, and SQLite takes a bad frame checksum for the end of the log,
            // so a flipped bit there silently drops acknowledged commits. Until the disk
            // reports those, restarts come only with faults kept to the database file
            // (parameter wal_recovery=true turns them on for every scope).
            reopens = scope == " file=db" || walRecovery
        case .crashMidWrite:
            oracle.mayLosePower = true
            oracle.finalCrash = true
            plan.append(run.random.chance(3, in: 4) ? "crash write=\(1 + run.random.below(max(1, count * 3)))\(file)"
                                                    : "crash p=\(Fault.rate(run, among: [0.001, 0.003, 0.01]))\(file)")
            reopens = false
        case .tornWrite:
            oracle.mayLosePower = true
            oracle.finalCrash = true
            plan.append(run.random.chance(3, in: 4) ? "torn_write nth=\(1 + run.random.below(max(1, count * 3)))\(file)"
                                                    : "torn_write p=\(Fault.rate(run, among: [0.001, 0.003, 0.01]))\(file)")
            reopens = false
        case .lyingFsync:
            // FULL, so that every commit has a sync to lie about.
            oracle.durability = .full
            oracle.lyingSync = true
            oracle.mayLosePower = true
            oracle.finalCrash = true
            plan.append(run.random.chance(1, in: 2) ? "lying_fsync nth=1 persistent"
                                                    : "lying_fsync p=\(Fault.rate(run, among: [0.2, 0.5, 0.9]))")
            reopens = false
        case .slowWrite:
            // FULL, so that "nothing is lost" can be checked by a power loss at the end.
            oracle.durability = .full
            oracle.errorsWhileFaulty = false
            oracle.finalCrash = true
            plan.append("slow_io latency_ms=\(1 + run.random.below(50)) p=\(Fault.rate(run, among: [0.05, 0.2, 0.5, 1]))")
            reopens = false
        }
        if let slow, self != .slowWrite { plan.append(slow) }
        let mix = Mix.draw(run, reopens: reopens)
        let operations = WorkloadGenerator(run: run, keys: keys, mix: mix).operations(count, clearAt: clearAt)
        var scenario = Scenario(operations: operations, plan: plan, oracle: oracle, keys: keys)
        scenario.thinkMilliseconds = [1, 10, 50, 100, 200][run.random.below(5)]
        return (scenario, mix)
    }

    /// `p=0.02`, or `nth=17` transient or persistent: a rate, or one call and maybe all after.
    private static func trigger(_ run: TestRun, count: Int) -> String {
        if run.random.chance(1, in: 2) { return "p=\(rate(run, among: [0.005, 0.02, 0.05, 0.1]))" }
        let nth = 1 + run.random.below(max(1, count))
        return "nth=\(nth) \(run.random.chance(1, in: 3) ? "persistent" : "transient")"
    }

    private static func rate(_ run: TestRun, among rates: [Double]) -> Double { rates[run.random.below(rates.count)] }
}

/// Runs a fault test on one seed: draw, execute, check the fault's own promises, and on a
/// violation shrink (the operations, then the plan's entries) and report.
enum FaultCheck {
    static func run(_ fault: Fault, _ run: TestRun) throws {
        let count = max(1, try run.parameter("ops", default: 200))
        let keys = min(64, max(Kind.allCases.count, try run.parameter("keys", default: 12)))
        // 0 reports the unshrunk failure at once (for tests that only need the verdict).
        let budget = max(0, try run.parameter("shrink_budget", default: 200))
        let walRecovery = try run.parameter("wal_recovery", default: false)
        let misdirectedDB = try run.parameter("misdirected_db", default: false)
        let (scenario, mix) = fault.draw(run, operations: count, keys: keys, walRecovery: walRecovery,
                                         misdirectedDB: misdirectedDB)
        run.log("chaos/\(fault.rawValue): plan \"\(scenario.planText)\", \(scenario.oracle.durability) durability, \(scenario.operations.count) operations on \(keys) keys; \(mix.summary)")

        var attempt = 0
        func execute(_ candidate: Scenario) throws -> (Violation?, Tally) {
            defer { attempt += 1 }
            let file = attempt == 0 ? "chaos.db" : "shrink-\(attempt).db"
            let execution = try Execution(run: run, scenario: candidate, file: file)
            defer { execution.close() }
            var violation = try execution.execute(stopOnCancel: attempt == 0)
            if violation == nil { violation = try promises(fault, candidate, execution.tally) }
            return (violation, execution.tally)
        }

        let (first, tally) = try execute(scenario)
        report(fault, tally, run: run)
        guard let violation = first else { return }
        run.log("chaos/\(fault.rawValue): op \(violation.index + 1) of \(scenario.operations.count) failed: \(violation.message); shrinking")

        // First the operations, with the plan as it was; then the plan's entries.
        var (minimal, shrunk) = try Scenario.shrinkOperations(scenario, violation, budget: budget, run: run, execute: execute)
        let byPlan = Shrinker<String, Violation>(budget: min(budget, 20), failingIndex: { _ in 1_000 }, shouldStop: { run.isCancelled })
        let plan = try byPlan.shrink(minimal.plan, failure: shrunk.failure) { entries in
            var candidate = minimal
            candidate.plan = entries
            return try execute(candidate).0
        }
        minimal.plan = plan.elements
        Report.failure(suiteTest: "chaos/\(fault.rawValue)", run: run, original: scenario, first: violation,
                       minimal: minimal, failure: plan.failure,
                       executions: shrunk.executions + plan.executions, isMinimal: shrunk.minimal && plan.minimal)
    }

    /// What a fault promises beyond the model, checked on the execution's tally.
    private static func promises(_ fault: Fault, _ scenario: Scenario, _ tally: Tally) throws -> Violation? {
        let end = scenario.operations.count
        switch fault {
        case .slowWrite:
            // The plan is "slow_io latency_ms=N ...": the only thing that moves the clock is that
            // latency, so the clock moved by a whole number of them, and by at least one when
            // a slowed call was counted.
            guard let entry = scenario.plan.first, let latency = Fault.number(after: "latency_ms=", in: entry), latency > 0 else { return nil }
            if tally.clockMilliseconds % Int64(latency) != 0 {
                return Violation(index: end, message: "the clock moved \(tally.clockMilliseconds) ms, not a multiple of the \(latency) ms latency")
            }
            if tally.faults > 0 && tally.clockMilliseconds == 0 {
                return Violation(index: end, message: "\(tally.faults) slow I/O calls counted, but the virtual clock did not move")
            }
        case .diskFull:
            // A refused write surfaces as an error reply of the command that made it.
            if tally.faults > 0 && tally.errorReplies == 0 {
                return Violation(index: end, message: "the disk refused \(tally.faults) writes for lack of space, but every command succeeded")
            }
        default:
            break
        }
        return nil
    }

    private static func report(_ fault: Fault, _ tally: Tally, run: TestRun) {
        run.metric("faults_injected", Double(tally.faults))
        run.metric("detections", Double(tally.storageErrors + tally.unreadableKeys))
        run.metric("error_replies", Double(tally.errorReplies))
        run.metric("in_doubt", Double(tally.inDoubt))
        run.metric("power_losses", Double(tally.powerLosses))
        run.metric("disk_writes", Double(tally.diskWrites))
        run.metric("disk_syncs", Double(tally.diskSyncs))
        var line = "chaos/\(fault.rawValue): \(tally.faults) faults injected, \(tally.errorReplies) error replies "
            + "(\(tally.storageErrors) storage errors), \(tally.unreadableKeys) keys unreadable at the end, "
            + "\(tally.inDoubt) commands in doubt, \(tally.powerLosses) power losses; disk: \(tally.diskReads) reads, "
            + "\(tally.diskWrites) writes, \(tally.diskSyncs) syncs, clock +\(tally.clockMilliseconds) ms of I/O and +\(tally.thinkMilliseconds) ms of client think time"
        switch fault {
        case .lyingFsync:
            run.metric("lost_commits", Double(tally.lostCommits))
            run.metric("corrupt_after_crash", Double(tally.corruptAfterLies))
            line += "; the lying disk lost \(tally.lostCommits) acknowledged commits (expected of a lying disk)"
            if tally.corruptAfterLies > 0 { line += " and left damage the checksums reported" }
        case .crashMidWrite, .tornWrite:
            run.metric("lost_commits", Double(tally.lostCommits))
            if tally.lostCommits > 0 { line += "; NORMAL durability rolled back \(tally.lostCommits) commits" }
        case .slowWrite:
            run.metric("clock_ms", Double(tally.clockMilliseconds), unit: "ms")
        default:
            break
        }
        if tally.faults == 0 && fault != .slowWrite { line += "; nothing was injected on this seed" }
        run.log(line)
    }
}

extension Fault {
    /// The integer after `label` in a plan entry: `number(after: "latency_ms=", in: "slow_io latency_ms=5")` is 5.
    static func number(after label: String, in entry: String) -> Int? {
        for word in entry.split(separator: " ") where word.hasPrefix(label) {
            return Int(word.dropFirst(label.count))
        }
        return nil
    }
}

/// The failure report: one failed check naming the shrunk trace, and the same as an artifact.
enum Report {
    static func failure(suiteTest: String, run: TestRun, original: Scenario, first: Violation, minimal: Scenario,
                        failure: Violation, executions: Int, isMinimal: Bool) {
        let names = (0..<minimal.keys).map { Kind(key: $0).letter + String($0) }
        let steps = minimal.operations.map { $0.describe(names) }
        let how = isMinimal ? "" : " (not minimal: \(run.isCancelled ? "cancelled" : "budget spent"))"
        run.fail("\(suiteTest) falsified at op \(first.index + 1) of \(original.operations.count) with plan \"\(original.planText)\"; "
                 + "shrunk to \(steps.count) ops with plan \"\(minimal.planText)\" in \(executions) executions\(how): "
                 + steps.joined(separator: "; ") + " => op \(failure.index + 1): \(failure.message)")
        var lines = [
            "# \(suiteTest), seed \(run.seed): \(minimal.oracle.durability) durability, \(minimal.keys) keys",
            "# fault plan: \"\(minimal.planText)\" (set after the engine opens; \"\" clears it)",
            "# minimized: \(steps.count) operations, shrunk in \(executions) executions from \(original.operations.count)\(how)",
            "# replay: dst-host replay --seed \(run.seed) --test \(suiteTest)",
        ]
        for (index, step) in steps.enumerated() { lines.append("\(index + 1). \(step)") }
        lines.append("# violation at operation \(failure.index + 1) (\(steps.count + 1) = the final checks): \(failure.message)")
        lines.append("# first failure, before shrinking, at operation \(first.index + 1): \(first.message)")
        let text = lines.joined(separator: "\n") + "\n"
        run.log("minimized trace:\n" + text)
        do {
            try run.artifact("minimized-trace.txt", text: text)
        } catch {
            run.log("could not save minimized-trace.txt: \(error)", level: .warning)
        }
    }
}

extension Scenario {
    /// Deletes operations while the scenario still fails (the SDK's shrinker), replaying each
    /// candidate with `execute`: the smallest failing scenario found, and how the shrink went.
    static func shrinkOperations(_ scenario: Scenario, _ violation: Violation, budget: Int, run: TestRun,
                                 execute: (Scenario) throws -> (Violation?, Tally)) throws
        -> (Scenario, Shrinker<Operation, Violation>.Outcome) {
        let shrinker = Shrinker<Operation, Violation>(budget: budget, failingIndex: { $0.index }, shouldStop: { run.isCancelled })
        let outcome = try shrinker.shrink(scenario.operations, failure: violation) { operations in
            var candidate = scenario
            candidate.operations = operations
            return try execute(candidate).0
        }
        var minimal = scenario
        minimal.operations = outcome.elements
        return (minimal, outcome)
    }
}
