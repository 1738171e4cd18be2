/// Throughput stability: the coefficient of variation (standard deviation over mean) of the
/// operations per second measured in each interval after the warm-up.
///
/// A warning, not a failure, as the seed document has it ("warns if CV > 30%"): on a shared
/// machine a neighbour's load moves throughput as much as the engine does, so a high CV is a
/// reason to look at the chart, not proof of a defect. The load is paced, which keeps the CV
/// of a healthy engine near zero: it only rises when the engine cannot keep the pace.
public struct ThroughputStability: Sendable, Equatable {
    /// Standard deviation over mean (sample standard deviation, n - 1); nil with fewer than two
    /// intervals or a zero mean.
    public let coefficientOfVariation: Double?
    /// Mean operations per second over the intervals judged.
    public let mean: Double
    /// Intervals judged.
    public let intervals: Int
    /// The CV above which the run warns.
    public let warningThreshold: Double

    /// Judges `throughput` (ops/s per interval), leaving out the same warm-up as
    /// ``LeakCriterion`` does (20% of the span, at least 10 s), for the same reasons.
    public init(_ throughput: Series, warmUpFraction: Double = 0.2, minimumWarmUpSeconds: Double = 10,
                warningThreshold: Double = 0.30) {
        self.warningThreshold = warningThreshold
        var window = throughput.values
        if let first = throughput.points.first?.time, let last = throughput.points.last?.time {
            window = throughput.from(time: first + max(warmUpFraction * (last - first), minimumWarmUpSeconds)).values
        }
        intervals = window.count
        let mean = window.isEmpty ? 0 : window.reduce(0, +) / Double(window.count)
        self.mean = mean
        guard window.count >= 2, mean > 0 else {
            coefficientOfVariation = nil
            return
        }
        let variance = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window.count - 1)
        coefficientOfVariation = variance.squareRoot() / mean
    }

    /// Whether the CV is above the threshold.
    public var warns: Bool { (coefficientOfVariation ?? 0) > warningThreshold }

    /// One line: "throughput: mean 812.3 ops/s, CV 4.1% over 19 intervals (warns above 30%)".
    public var summary: String {
        let cv = coefficientOfVariation.map { DecimalText.format($0 * 100, decimals: 1) + "%" } ?? "n/a"
        return "throughput: mean \(DecimalText.format(mean, decimals: 1)) ops/s, CV \(cv) over \(intervals) intervals"
            + " (warns above \(DecimalText.format(warningThreshold * 100, decimals: 0))%)" + (warns ? ": UNSTABLE" : ": stable")
    }
}
