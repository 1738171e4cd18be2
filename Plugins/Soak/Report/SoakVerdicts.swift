import DSTPluginSDK

/// The soak's verdicts from its samples, and every figure behind them.
///
/// Fails (a check): a leak of memory or descriptors (trend with a confidence bound), a WAL
/// beyond its bound, an expired key seen after its expiry or still stored past the purge
/// bound, a key gone before its expiry, an error reply, a failed call. Warns (a log line and
/// a metric): throughput CV above 30% and RSS growth above 50%, the seed document's two
/// monitors, which on a shared machine say as much about the neighbours as about the engine.
struct SoakVerdicts {
    let rss: LeakAssessment
    let fds: LeakAssessment
    let throughput: ThroughputStability
    let walBound: WALBound
    let walMaximum: Double
    let walWithin: Bool
    let outcome: SoakRun.Outcome
    let parameters: SoakParameters

    /// RSS growth of the fitted line over the window, in percent, above which the run warns.
    static let growthWarning = 50.0
    /// Runs shorter than this give provisional slope figures (the issue's closing figures
    /// need at least ten minutes).
    static let closingFigureSeconds = 600.0

    init(outcome: SoakRun.Outcome, parameters: SoakParameters) {
        self.outcome = outcome
        self.parameters = parameters
        rss = LeakCheck.assess(outcome.samples.rss,
                               LeakCriterion(resource: "RSS", unit: "bytes/s", tolerance: parameters.rssTolerance))
        fds = LeakCheck.assess(outcome.samples.fds,
                               LeakCriterion(resource: "open fds", unit: "fds/min", secondsPerTimeUnit: 60,
                                             tolerance: parameters.fdTolerance))
        throughput = ThroughputStability(outcome.samples.throughput)
        walBound = WALBound(slackPages: parameters.walSlackPages)
        (walMaximum, walWithin) = walBound.judge(outcome.samples.walSize)
    }

    /// Logs every verdict, records every figure as a metric, and fails the run's checks.
    func report(to run: TestRun) {
        let whole = outcome.whole
        let samples = outcome.samples
        run.metric("load_seconds", outcome.loadSeconds, unit: "s")
        run.metric("samples", Double(samples.rss.points.count))
        run.metric("commands", Double(whole.commands))
        run.metric("throughput_mean", throughput.mean, unit: "commands/s")
        run.metric("throughput_cv", (throughput.coefficientOfVariation ?? 0) * 100, unit: "%")
        if whole.commands > 0 {
            run.metric("latency_p50", Double(whole.latencies.valueAtPercentile(50)) / 1000, unit: "µs")
            run.metric("latency_p99", Double(whole.latencies.valueAtPercentile(99)) / 1000, unit: "µs")
            run.metric("latency_p999", Double(whole.latencies.valueAtPercentile(99.9)) / 1000, unit: "µs")
            run.metric("latency_max", Double(whole.latencies.max) / 1000, unit: "µs")
        }
        metrics(of: rss, named: "rss", to: run)
        run.metric("rss_peak", samples.rss.values.max() ?? 0, unit: "bytes")
        if let growth = rss.growthPercent { run.metric("rss_growth", growth, unit: "%") }
        metrics(of: fds, named: "fds", to: run)
        run.metric("fds_max", samples.fds.values.max() ?? 0, unit: "fds")
        run.metric("db_size_final", samples.databaseSize.values.last ?? 0, unit: "bytes")
        run.metric("wal_max", walMaximum, unit: "bytes")
        run.metric("wal_bound", Double(walBound.limitBytes), unit: "bytes")
        if let liveKeys = outcome.liveKeys { run.metric("live_keys_final", Double(liveKeys), unit: "keys") }
        let oracle = outcome.oracle
        run.metric("expiry_oracle_writes", Double(oracle.writes), unit: "keys")
        run.metric("expiry_checks_after", Double(oracle.checksAfterExpiry), unit: "reads")
        run.metric("expiry_checks_before", Double(oracle.checksBeforeExpiry), unit: "reads")
        run.metric("stale_reads", Double(oracle.staleReads), unit: "reads")
        run.metric("lost_keys", Double(oracle.lostKeys), unit: "keys")
        if let unpurged = outcome.unpurged { run.metric("expired_unpurged", Double(unpurged), unit: "keys") }
        run.metric("error_replies", Double(whole.errorReplies), unit: "replies")

        for failure in outcome.failures { run.fail("the load stopped: \(failure)") }
        judge(rss, to: run)
        judge(fds, to: run)

        run.log(throughput.summary)
        if throughput.warns {
            run.log("warning: throughput CV above \(DecimalText.format(throughput.warningThreshold * 100, decimals: 0))%: look at throughput.svg", level: .warning)
        }
        run.metric("throughput_unstable", throughput.warns ? 1 : 0)
        if let growth = rss.growthPercent, growth > Self.growthWarning {
            run.log("warning: the RSS trend grew \(DecimalText.format(growth, decimals: 1))% over the judged window (warns above 50%)", level: .warning)
        }
        if outcome.loadSeconds < Self.closingFigureSeconds {
            run.log("note: slopes from \(DecimalText.format(outcome.loadSeconds, decimals: 0)) s of load are provisional; closing figures need at least 10 minutes")
        }

        let walFrames = walBound.frames(inBytes: walMaximum)
        let walText = "WAL: max \(DecimalText.bytes(walMaximum)) (\(walFrames) frames), bound \(walBound.derivation)"
        run.log(walText)
        run.metric("wal_max_frames", Double(walFrames), unit: "frames")
        if walBound.fellBehind(walMaximum) {
            run.log("warning: the WAL reached \(walFrames) frames, over twice the checkpoint threshold: checkpoints fell "
                    + "behind for a while (look at wal.svg beside latency_p99.svg)", level: .warning)
        }
        run.check(walWithin, "WAL unbounded: \(walText)")

        run.log("expiry oracle: \(oracle.writes) keys written with PX, \(oracle.checksAfterExpiry) reads after their expiry, "
                + "\(oracle.checksBeforeExpiry) before, \(oracle.checksUndecided) undecided; \(oracle.staleReads) stale, \(oracle.lostKeys) lost")
        run.check(oracle.violations == 0, "expiry oracle: \(oracle.staleReads) expired keys visible after their expiry, "
                  + "\(oracle.lostKeys) keys gone or changed before it, \(oracle.wrongExpiries) wrong PEXPIRETIME; first: "
                  + oracle.problems.prefix(3).joined(separator: "; "))
        run.check(oracle.writes > 0 && oracle.checksAfterExpiry > 0,
                  "expiry oracle: \(oracle.writes) keys written, \(oracle.checksAfterExpiry) read after their expiry: nothing was checked")
        if let unpurged = outcome.unpurged {
            run.log("purge: \(unpurged) expired keys stored at the end, when every expiry had lapsed at least "
                    + "\(parameters.purgeBoundMilliseconds) ms before (VACUUM's count; must be 0)")
            run.check(unpurged == 0, "purge: \(unpurged) expired keys still stored at least \(parameters.purgeBoundMilliseconds) ms after their expiry, "
                      + "under continuous writes (the active purge runs every 100 ms per connection, 200 keys at a time)")
        } else if let reason = outcome.unpurgedNotJudged {
            run.log("purge: not judged: \(reason)", level: .warning)
        }
        run.check(whole.errorReplies == 0, "\(whole.errorReplies) error replies; first: \(whole.errors.joined(separator: "; "))")
    }

    private func metrics(of assessment: LeakAssessment, named name: String, to run: TestRun) {
        let unit = assessment.criterion.unit
        if let slope = assessment.slope { run.metric("\(name)_slope", slope, unit: unit) }
        if let lower = assessment.lowerBound { run.metric("\(name)_slope_lower_bound", lower, unit: unit) }
        if let upper = assessment.upperBound { run.metric("\(name)_slope_upper_bound", upper, unit: unit) }
        run.metric("\(name)_tolerance", assessment.criterion.tolerance, unit: unit)
    }

    private func judge(_ assessment: LeakAssessment, to run: TestRun) {
        run.log(assessment.summary)
        switch assessment.verdict {
        case .leak: run.fail("\(assessment.criterion.resource) leak: \(assessment.summary)")
        case .noLeak: break
        case .inconclusive: run.log("warning: \(assessment.summary)", level: .warning)
        }
    }
}
