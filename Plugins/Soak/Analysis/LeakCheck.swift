/// How a leak is judged for one resource (RSS, open file descriptors).
///
/// A leak is a trend, not a difference: the slope of the least-squares line through the
/// samples after the warm-up, and only when its one-sided lower confidence bound is above the
/// tolerance. Comparing the first sample with the last would call every cache that fills a
/// leak and miss a leak hidden by one lucky last sample.
public struct LeakCriterion: Sendable, Equatable {
    /// What is judged, e.g. "RSS".
    public var resource: String
    /// The unit the slope and tolerance are stated in, e.g. "bytes/s", "fds/min".
    public var unit: String
    /// Seconds in the unit's time base: 1 for a rate per second, 60 per minute.
    public var secondsPerTimeUnit: Double
    /// The growth allowed, in `unit`: a slope whose lower bound stays at or below it passes.
    public var tolerance: Double
    /// Confidence of the lower bound, e.g. 0.99: a clean engine is called leaking at most
    /// once in a hundred runs (fewer in practice: the tolerance is above zero).
    public var confidence: Double
    /// The fraction of the run's span left out at the start. 20%: the page cache, malloc's
    /// arenas and the key population (keys accumulate until the first TTLs lapse and the
    /// bounded key space is covered) fill during the first seconds, which is growth but no
    /// leak. A fraction rather than a count of samples, so the same share of a 40-second
    /// test and of a 24-hour soak is discarded whatever the interval.
    public var warmUpFraction: Double
    /// The least time left out, in seconds, however short the run: caches take seconds to
    /// fill whatever the run's length, and 20% of a 12-second run (2.4 s) judged that filling
    /// as a leak. 10 s is above the settling seen here (RSS flat after 5-8 s at the default
    /// pace); a run too short to keep enough samples after it is inconclusive, not judged.
    public var minimumWarmUpSeconds: Double
    /// Fewer samples after the warm-up than this, and the verdict is inconclusive.
    public var minimumSamples: Int

    /// A criterion for `resource` with its tolerance in `unit`.
    public init(resource: String, unit: String, secondsPerTimeUnit: Double = 1, tolerance: Double,
                confidence: Double = 0.99, warmUpFraction: Double = 0.2, minimumWarmUpSeconds: Double = 10,
                minimumSamples: Int = 8) {
        self.resource = resource
        self.unit = unit
        self.secondsPerTimeUnit = secondsPerTimeUnit
        self.tolerance = tolerance
        self.confidence = confidence
        self.warmUpFraction = warmUpFraction
        self.minimumWarmUpSeconds = minimumWarmUpSeconds
        self.minimumSamples = minimumSamples
    }
}

extension LeakCriterion {
    /// Seconds left out at the start of a run whose samples span `span` seconds.
    public func warmUpSeconds(span: Double) -> Double { max(warmUpFraction * span, minimumWarmUpSeconds) }
}

/// The verdict on one resource, with the figures behind it.
public struct LeakAssessment: Sendable, Equatable {
    /// What the data says.
    public enum Verdict: Sendable, Equatable {
        /// The slope's lower bound is above the tolerance.
        case leak
        /// It is not: no growth beyond the tolerance can be shown.
        case noLeak
        /// Too few (effective) samples to say either; the reason.
        case inconclusive(String)
    }

    /// The criterion applied.
    public let criterion: LeakCriterion
    /// The verdict.
    public let verdict: Verdict
    /// The fit over the samples after the warm-up, if there were enough to fit.
    public let trend: LinearTrend?
    /// The first time (seconds) the fit includes.
    public let windowStart: Double
    /// The last time (seconds) the fit includes.
    public let windowEnd: Double
    /// Samples fitted, and samples skipped as warm-up.
    public let samplesUsed: Int
    public let samplesSkipped: Int

    /// The slope in the criterion's unit, or nil.
    public var slope: Double? { trend.map { $0.slope * criterion.secondsPerTimeUnit } }

    /// The slope's lower confidence bound in the criterion's unit, or nil.
    public var lowerBound: Double? {
        trend?.lowerBound(confidence: criterion.confidence).map { $0 * criterion.secondsPerTimeUnit }
    }

    /// The slope's upper confidence bound in the criterion's unit, or nil.
    public var upperBound: Double? {
        trend?.upperBound(confidence: criterion.confidence).map { $0 * criterion.secondsPerTimeUnit }
    }

    /// The fitted line's growth across the window, in percent of its value at the window's
    /// start: the seed document's "warn above 50%" reads this (the line, not two samples).
    public var growthPercent: Double? {
        guard let trend else { return nil }
        let start = trend.value(at: windowStart)
        guard start > 0 else { return nil }
        return 100 * (trend.value(at: windowEnd) - start) / start
    }

    /// One line: "RSS: slope +1.2 bytes/s, 99% lower bound -3.4 bytes/s (tolerance 1024
    /// bytes/s) over 40 samples from 24 s to 120 s (6 skipped as warm-up): no leak".
    public var summary: String {
        let percent = DecimalText.format(criterion.confidence * 100, decimals: 1, trim: true)
        var text = "\(criterion.resource): "
        if let slope {
            text += "slope \(DecimalText.signed(slope, decimals: 3)) \(criterion.unit)"
            if let lowerBound {
                text += ", \(percent)% lower bound \(DecimalText.signed(lowerBound, decimals: 3)) \(criterion.unit)"
            }
            text += " (tolerance \(DecimalText.format(criterion.tolerance, decimals: 3, trim: true)) \(criterion.unit))"
            if let trend {
                text += ", n_eff \(DecimalText.format(trend.effectiveSampleCount, decimals: 1)) of \(samplesUsed)"
            }
        } else {
            text += "no fit"
        }
        text += " over samples from \(DecimalText.format(windowStart, decimals: 1, trim: true)) s"
            + " to \(DecimalText.format(windowEnd, decimals: 1, trim: true)) s"
            + " (\(samplesSkipped) skipped as warm-up): "
        switch verdict {
        case .leak: text += "LEAK"
        case .noLeak: text += "no leak"
        case .inconclusive(let reason): text += "inconclusive, \(reason)"
        }
        return text
    }
}

/// Applies a ``LeakCriterion`` to a series.
public enum LeakCheck {
    /// The verdict on `series` (values in the criterion's base unit per second of time).
    public static func assess(_ series: Series, _ criterion: LeakCriterion) -> LeakAssessment {
        guard let first = series.points.first, let last = series.points.last else {
            return LeakAssessment(criterion: criterion, verdict: .inconclusive("no samples"), trend: nil,
                                  windowStart: 0, windowEnd: 0, samplesUsed: 0, samplesSkipped: 0)
        }
        let cut = first.time + criterion.warmUpSeconds(span: last.time - first.time)
        let window = series.from(time: cut)
        let skipped = series.points.count - window.points.count
        let start = window.points.first?.time ?? cut
        func result(_ verdict: LeakAssessment.Verdict, _ trend: LinearTrend?) -> LeakAssessment {
            LeakAssessment(criterion: criterion, verdict: verdict, trend: trend, windowStart: start,
                           windowEnd: last.time, samplesUsed: window.points.count, samplesSkipped: skipped)
        }
        guard window.points.count >= criterion.minimumSamples else {
            return result(.inconclusive("\(window.points.count) samples after the warm-up, fewer than \(criterion.minimumSamples)"),
                          LinearTrend(window))
        }
        guard let trend = LinearTrend(window) else {
            return result(.inconclusive("the samples share one time"), nil)
        }
        guard let lower = trend.lowerBound(confidence: criterion.confidence) else {
            let neff = DecimalText.format(trend.effectiveSampleCount, decimals: 1)
            return result(.inconclusive("the samples wander too much to tell a trend (effective sample count \(neff))"), trend)
        }
        return result(lower * criterion.secondsPerTimeUnit > criterion.tolerance ? .leak : .noLeak, trend)
    }
}
