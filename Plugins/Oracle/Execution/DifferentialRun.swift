import DSTPluginSDK

/// One seed of one group: draw the sequence, run it on both sides, count, and on the first
/// divergence shrink it and report the minimal sequence.
enum DifferentialRun {
    static func run(_ group: OracleGroup, _ run: TestRun) throws {
        let count = try run.parameter("ops", default: 100)
        let budget = try run.parameter("shrink_budget", default: 300)
        var random = run.random
        let commands = CommandGenerator.commands(for: group, count: count, using: &random)
        let execution: Execution
        do {
            execution = try Execution.run(commands, run)
        } catch let unavailable as ReferenceUnavailable {
            throw Skip(unavailable.reason)
        }
        Tally.report(execution, in: run)
        guard let divergence = execution.divergence else { return }

        // Shrink: every candidate runs on fresh, empty databases on both sides.
        let shrinker = Shrinker<OracleCommand, Divergence>(budget: budget, failingIndex: { $0.index },
                                                           shouldStop: { run.isCancelled })
        let outcome = try shrinker.shrink(Array(commands.prefix(divergence.index + 1)), failure: divergence) { candidate in
            try Execution.run(candidate, run).divergence
        }
        // The minimal sequence once more, to show every reply of it side by side.
        let minimal = try Execution.run(outcome.elements, run)
        let report = DivergenceReport(group: group, seed: run.seed, original: divergence, originalCount: commands.count,
                                      minimal: minimal, executions: outcome.executions, isMinimal: outcome.minimal)
        try run.artifact("divergence.txt", text: report.text)
        run.fail(report.text)
    }
}

/// The reference server could not be opened: the run is skipped, never passed.
struct ReferenceUnavailable: Error {
    let reason: String
}
