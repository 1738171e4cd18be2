import DSTPluginSDK

/// Turns a ``LoadOutcome`` into figures (metrics named `<scenario>.<figure>`), a summary log
/// line, and failed checks.
enum LoadVerdict {
    /// The problems with `outcome`, one line each; empty when it passed.
    static func problems(_ outcome: LoadOutcome, bounds: LoadBounds) -> [String] {
        let name = outcome.scenario.name
        var problems: [String] = []
        if let deadlock = outcome.deadlock { problems.append("\(name): deadlock: \(deadlock)") }
        problems += outcome.hostErrors.map { "\(name): host error: \($0)" }
        if outcome.unexpectedErrors > 0 {
            problems.append("\(name): \(outcome.unexpectedErrors) unexpected error replies, the first: \(outcome.firstUnexpectedError ?? "?")")
        }
        problems += outcome.inconsistencies.map { "\(name): \($0)" }
        if outcome.scenario.readPercent < 100 && outcome.longestWriteGapMilliseconds > bounds.stallMilliseconds {
            problems.append("\(name): stall: no write succeeded for \(outcome.longestWriteGapMilliseconds) ms (bound \(bounds.stallMilliseconds) ms; "
                            + "\(outcome.busyErrors) commands gave up waiting for the write lock): a lock held too long")
        }
        let peakMegabytes = Double(outcome.peakRSSBytes) / 1_048_576
        if peakMegabytes > Double(bounds.maxRSSMegabytes) {
            problems.append("\(name): peak RSS \(Int(peakMegabytes)) MB over the bound \(bounds.maxRSSMegabytes) MB")
        }
        return problems
    }

    static func report(_ outcome: LoadOutcome, bounds: LoadBounds, to run: TestRun) {
        let name = outcome.scenario.name
        run.metric("\(name).ops_per_s", outcome.operationsPerSecond.rounded(), unit: "ops/s")
        run.metric("\(name).p50_us", outcome.microseconds(50).rounded(), unit: "us")
        run.metric("\(name).p99_us", outcome.microseconds(99).rounded(), unit: "us")
        run.metric("\(name).p999_us", outcome.microseconds(99.9).rounded(), unit: "us")
        run.metric("\(name).max_us", outcome.maxMicroseconds.rounded(), unit: "us")
        run.metric("\(name).busy_errors", Double(outcome.busyErrors))
        run.metric("\(name).longest_write_gap_ms", Double(outcome.longestWriteGapMilliseconds), unit: "ms")
        // On a RESP target the process measured is the client (the load generator), and the
        // database files are the server's: say so in the names, and leave the sizes out.
        let side = run.parameter("target") == nil ? "" : "client_"
        run.metric("\(name).\(side)rss_mb", (Double(outcome.rssBytes) / 1_048_576).rounded(), unit: "MB")
        run.metric("\(name).\(side)peak_rss_mb", (Double(outcome.peakRSSBytes) / 1_048_576).rounded(), unit: "MB")
        run.metric("\(name).\(side)open_fds", Double(outcome.openFileDescriptors))
        if side.isEmpty {
            run.metric("\(name).db_mb", (Double(outcome.databaseBytes) / 1_048_576 * 10).rounded() / 10, unit: "MB")
            run.metric("\(name).wal_mb", (Double(outcome.walBytes) / 1_048_576 * 10).rounded() / 10, unit: "MB")
        }
        let scenario = outcome.scenario
        run.log("\(name): \(scenario.connections) connections, \(scenario.keys) keys, \(scenario.valueBytes)-byte values, "
                + "\(scenario.readPercent)% reads: \(outcome.operations) commands in \((outcome.elapsedSeconds * 100).rounded() / 100) s")
        for problem in problems(outcome, bounds: bounds) { run.fail(problem) }
    }
}
