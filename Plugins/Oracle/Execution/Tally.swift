import DSTPluginSDK

/// Per-command counts of one seed, reported as metrics the host sums across seeds into the
/// compatibility table: `compat.<COMMAND>.compared` and `compat.<COMMAND>.diverged`.
///
/// Only the commands up to the first divergence count: after it the two databases differ, and
/// what follows compares nothing.
enum Tally {
    static func report(_ execution: Execution, in run: TestRun) {
        var compared: [String: Int] = [:]
        for step in execution.steps { compared[step.command.name.uppercased(), default: 0] += 1 }
        // Sorted: the order metrics are reported in is part of the run's output.
        for (name, count) in compared.sorted(by: { $0.key < $1.key }) {
            run.metric("compat.\(name).compared", Double(count), unit: "count")
        }
        if let divergence = execution.divergence {
            run.metric("compat.\(divergence.command.name.uppercased()).diverged", 1, unit: "count")
        }
    }
}
