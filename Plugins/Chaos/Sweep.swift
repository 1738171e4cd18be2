import DSTPluginSDK

/// `sweep`: SQLite's faultsim method on a small reference workload. A clean run counts the
/// xWrite, xSync and xRead calls the workload makes; then one trial per index crashes at that
/// xWrite and at that xSync, and fails that xWrite and that xRead once (transient) and for
/// good (persistent). After each trial: the plan is cleared, the state is read back and must
/// be one the model allows, then a power loss at rest and the crash oracle again.
enum Sweep {
    static func run(_ run: TestRun) throws {
        let count = max(1, try run.parameter("sweep_ops", default: 10 + run.random.below(11)))
        let keys = min(64, max(Kind.allCases.count, try run.parameter("keys", default: 12)))
        var oracle = Oracle(durability: run.random.bool() ? .full : .normal)
        oracle.mayLosePower = true
        oracle.finalCrash = true
        let mix = Mix.draw(run, reopens: false)
        let operations = WorkloadGenerator(run: run, keys: keys, mix: mix).operations(count)
        let reference = Scenario(operations: operations, plan: [], oracle: oracle, keys: keys)
        run.log("chaos/sweep: \(operations.count) operations on \(keys) keys, \(oracle.durability) durability; \(mix.summary)")

        var attempt = 0
        func execute(_ scenario: Scenario) throws -> (Violation?, Tally) {
            defer { attempt += 1 }
            let execution = try Execution(run: run, scenario: scenario, file: "sweep-\(attempt).db")
            // Closed before the next trial opens its file: a crash reopens every open engine.
            defer { execution.close() }
            return (try execution.execute(stopOnCancel: false), execution.tally)
        }

        let (clean, counts) = try execute(reference)
        if let clean {
            try shrinkAndReport(reference, clean, run: run, execute: execute)
            return
        }
        var plans: [String] = []
        for index in stride(from: 1, through: Int(counts.diskWrites), by: 1) { plans.append("crash write=\(index)") }
        for index in stride(from: 1, through: Int(counts.diskSyncs), by: 1) { plans.append("crash sync=\(index)") }
        for kind in ["write_eio", "read_eio"] {
            let calls = Int(kind == "write_eio" ? counts.diskWrites : counts.diskReads)
            for index in stride(from: 1, through: calls, by: 1) {
                plans.append("\(kind) nth=\(index) transient")
                plans.append("\(kind) nth=\(index) persistent")
            }
        }
        run.log("chaos/sweep: the clean run made \(counts.diskWrites) writes, \(counts.diskSyncs) syncs, \(counts.diskReads) reads: \(plans.count) trials")

        var trials = 0, injected: UInt64 = 0, lost = 0
        for plan in plans {
            try run.checkCancellation()
            var scenario = reference
            scenario.plan = [plan]
            let (violation, tally) = try execute(scenario)
            trials += 1
            injected += tally.faults
            lost += tally.lostCommits
            if let violation {
                run.log("chaos/sweep: trial \(trials) (\(plan)) failed at op \(violation.index + 1): \(violation.message); shrinking")
                try shrinkAndReport(scenario, violation, run: run, execute: execute)
                break
            }
        }
        run.metric("trials", Double(trials))
        run.metric("faults_injected", Double(injected))
        run.metric("lost_commits", Double(lost))
        run.log("chaos/sweep: \(trials) of \(plans.count) trials run, \(injected) faults injected, \(lost) commits rolled back by NORMAL durability")
    }

    private static func shrinkAndReport(_ scenario: Scenario, _ violation: Violation, run: TestRun,
                                        execute: (Scenario) throws -> (Violation?, Tally)) throws {
        let (minimal, outcome) = try Scenario.shrinkOperations(scenario, violation, budget: 200, run: run, execute: execute)
        Report.failure(suiteTest: "chaos/sweep", run: run, original: scenario, first: violation, minimal: minimal,
                       failure: outcome.failure, executions: outcome.executions, isMinimal: outcome.minimal)
    }
}
