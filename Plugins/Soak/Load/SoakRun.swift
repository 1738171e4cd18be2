import DSTPluginSDK

/// The soak test's body: workers drive the load on their own threads while the test thread
/// samples every interval, then the samples are judged and charted.
///
/// A soak is a measurement, not a seeded simulation: threads run in real time and real order.
/// The seed still decides everything that is decided (each worker's command stream, keys,
/// values, TTLs, which oracle key is checked how); the wall clock only paces and times.
enum SoakRun {
    /// The database every worker opens, in the run's scratch folder.
    static let databaseFile = "soak.db"

    /// What the load left behind, for the verdicts.
    struct Outcome {
        var samples = SoakSamples()
        /// Every interval merged: the whole run's latencies, commands and errors.
        var whole = IntervalRecorder.Interval()
        var oracle = ExpiryOracle.Tally()
        /// Calls that failed on a worker's connection (not error replies).
        var failures: [String] = []
        /// Seconds from the start of the load to the start of the drain, if there was one.
        var drainStart: Double?
        /// Expired keys still stored at the end (VACUUM's count), when the drain makes that a
        /// fair question; nil otherwise, with the reason.
        var unpurged: Int?
        var unpurgedNotJudged: String?
        /// Keys alive at the end (DBSIZE).
        var liveKeys: Int64?
        var loadSeconds = 0.0
    }

    static func run(_ run: TestRun) throws {
        let parameters = try SoakParameters(run)
        let clock: WallClock
        do {
            clock = try run.wallClock()
        } catch let error as SDKError where error.isUnsupported {
            throw Skip("soak needs threaded engines and resource figures: \(error)")
        }
        let outcome = try load(run, parameters, clock)
        let verdicts = SoakVerdicts(outcome: outcome, parameters: parameters)
        verdicts.report(to: run)
        try SoakCharts(outcome: outcome, verdicts: verdicts, parameters: parameters).save(to: run)
    }

    /// Runs the load for the run's duration and samples it.
    static func load(_ run: TestRun, _ parameters: SoakParameters, _ clock: WallClock) throws -> Outcome {
        let engines = try (0..<parameters.connections).map { _ in
            try run.openEngine(.file(databaseFile).threaded())
        }
        defer { for engine in engines { engine.close() } }
        let oracle = ExpiryOracle()
        let control = LoadControl()
        let recorders = engines.map { _ in IntervalRecorder() }
        let seeds = engines.map { _ in run.random.next() }
        var filler = Workload(seed: run.random.next(), keys: parameters.keys)
        for command in filler.population() {
            let reply = try engines[0].execute(command)
            try run.require(!reply.isError, "filling the key space: \(String(decoding: command[0], as: UTF8.self)) answered \(reply)")
        }
        run.log("soak: \(parameters.connections) connections on \(databaseFile), \(DecimalText.format(parameters.rate, decimals: 0)) steps/s, "
                + "\(parameters.keys) keys per type, \(DecimalText.format(parameters.duration, decimals: 0)) s sampled every "
                + "\(DecimalText.format(parameters.interval, decimals: 1, trim: true)) s"
                + (parameters.hasDrain ? ", no new expiries in the last \(DecimalText.format(parameters.drainSeconds, decimals: 0)) s" : ""))

        let start = clock.nanoseconds()
        var threads: [WorkerThread] = []
        // Whatever happens on this thread, the workers are stopped and joined before the
        // engines close and the run ends.
        defer {
            control.stop.store(true, ordering: .relaxed)
            for thread in threads { thread.join() }
        }
        for index in engines.indices {
            let worker = LoadWorker(index: index, engine: engines[index], seed: seeds[index], keys: parameters.keys,
                                    period: Double(parameters.connections) / parameters.rate, clock: clock,
                                    recorder: recorders[index], oracle: oracle, control: control)
            threads.append(try WorkerThread { worker.run() })
        }

        var outcome = Outcome()
        let nanosecondsPerSecond = 1e9
        let end = start + UInt64(parameters.duration * nanosecondsPerSecond)
        let drainStart = parameters.hasDrain ? end - UInt64(parameters.drainSeconds * nanosecondsPerSecond) : nil
        var previous = start
        var sample = 1
        while previous < end {
            let due = min(start + UInt64(Double(sample) * parameters.interval * nanosecondsPerSecond), end)
            // Short sleeps: cancellation is noticed, and the drain starts on time.
            while clock.nanoseconds() < due && !run.isCancelled {
                if let drainStart, clock.nanoseconds() >= drainStart, control.expiries.load(ordering: .relaxed) {
                    control.expiries.store(false, ordering: .relaxed)
                    outcome.drainStart = Double(clock.nanoseconds() - start) / nanosecondsPerSecond
                }
                sleep(nanoseconds: min(Int64(due) - Int64(clock.nanoseconds()), 100_000_000))
            }
            try run.checkCancellation()
            let resources = try run.resources(file: databaseFile)
            let now = clock.nanoseconds()
            var interval = IntervalRecorder.Interval()
            for recorder in recorders { interval.merge(recorder.take()) }
            let time = Double(now - start) / nanosecondsPerSecond
            outcome.samples.append(time: time, elapsed: Double(now - previous) / nanosecondsPerSecond,
                                   resources: resources, interval: interval)
            outcome.whole.merge(interval)
            run.log(sampleLine(outcome.samples, time: time), level: .debug)
            previous = now
            sample += 1
            let failures = control.failures.withLock { $0 }
            if !failures.isEmpty { break }
        }
        let stoppedAt = clock.nanoseconds()
        control.stop.store(true, ordering: .relaxed)
        for thread in threads { thread.join() }
        outcome.loadSeconds = Double(stoppedAt - start) / nanosecondsPerSecond
        outcome.failures = control.failures.withLock { $0 }
        outcome.oracle = oracle.tally

        // The purge bound: every key that had an expiry lapsed at least the bound ago, while
        // writes (which run the active purge) went on, so none may still be stored.
        let lastExpiry = control.lastExpiryReturned.load(ordering: .relaxed)
        let quietMilliseconds = Double(stoppedAt - max(lastExpiry, start)) / 1e6
        let needed = Double(SoakParameters.longestTTLMilliseconds + parameters.purgeBoundMilliseconds)
        if outcome.failures.isEmpty && outcome.drainStart != nil && quietMilliseconds >= needed {
            let reply = try engines[0].execute("VACUUM")
            if let count = reply.integerValue {
                outcome.unpurged = Int(count)
            } else {
                outcome.unpurgedNotJudged = "VACUUM answered \(reply)"
            }
        } else if outcome.failures.isEmpty {
            outcome.unpurgedNotJudged = outcome.drainStart == nil
                ? "the run is too short for a drain of \(DecimalText.format(parameters.drainSeconds, decimals: 0)) s"
                : "the last expiry was set only \(DecimalText.format(quietMilliseconds, decimals: 0)) ms before the end"
        }
        outcome.liveKeys = try engines[0].execute("DBSIZE").integerValue
        return outcome
    }

    /// "t=10.0s rss=31.2 MiB fds=14 db=2.1 MiB wal=3.9 MiB 982.0 commands/s p99=412.0 µs".
    private static func sampleLine(_ samples: SoakSamples, time: Double) -> String {
        func last(_ series: Series) -> Double { series.points.last?.value ?? 0 }
        let p99 = samples.latencyP99.points.last.map { DecimalText.format($0.value, decimals: 1) + " µs" } ?? "n/a"
        return "t=\(DecimalText.format(time, decimals: 1))s rss=\(DecimalText.bytes(last(samples.rss))) "
            + "fds=\(DecimalText.format(last(samples.fds), decimals: 0)) db=\(DecimalText.bytes(last(samples.databaseSize))) "
            + "wal=\(DecimalText.bytes(last(samples.walSize))) \(DecimalText.format(last(samples.throughput), decimals: 1)) commands/s "
            + "p99=\(p99) errors=\(DecimalText.format(last(samples.errorReplies), decimals: 0))"
    }
}
