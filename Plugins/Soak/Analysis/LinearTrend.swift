/// The ordinary least-squares line through a series, with the uncertainty of its slope.
///
/// Soak samples are not independent: RSS or a WAL size wanders and stays where it wandered, so
/// neighbouring residuals are alike, and the textbook standard error (which assumes
/// independent residuals) is too small: a flat but wandering series would look like a
/// significant trend. The fit therefore corrects for lag-1 autocorrelation r1 of the residuals
/// with an effective sample size n_eff = n (1 - r1) / (1 + r1), as climate trend analysis does
/// (Santer et al. 2000, "Statistical significance of trends and trend differences in
/// layer-average atmospheric temperature time series", J. Geophys. Res. 105, eq. 6), and uses
/// n_eff both in the residual variance and in the t quantile's degrees of freedom.
public struct LinearTrend: Sendable, Equatable {
    /// Change per second, in the series' unit.
    public let slope: Double
    /// The fitted value at time 0.
    public let intercept: Double
    /// Samples fitted.
    public let sampleCount: Int
    /// The residuals' lag-1 autocorrelation (0 when they are all zero).
    public let lag1Autocorrelation: Double
    /// `sampleCount` discounted for autocorrelation (never more than `sampleCount`).
    public let effectiveSampleCount: Double
    /// The slope's standard error, corrected for autocorrelation; nil when fewer than three
    /// effective samples remain (the data cannot tell a trend from a wander).
    public let slopeStandardError: Double?

    /// Fits `series`; nil with fewer than two distinct times.
    public init?(_ series: Series) {
        self.init(times: series.points.map(\.time), values: series.values)
    }

    /// Fits `values` at `times` (the same length); nil with fewer than two distinct times.
    public init?(times: [Double], values: [Double]) {
        let n = times.count
        guard n >= 2, values.count == n else { return nil }
        let meanTime = times.reduce(0, +) / Double(n)
        let meanValue = values.reduce(0, +) / Double(n)
        var sxx = 0.0
        var sxy = 0.0
        for index in 0..<n {
            let dt = times[index] - meanTime
            sxx += dt * dt
            sxy += dt * (values[index] - meanValue)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let intercept = meanValue - slope * meanTime
        self.slope = slope
        self.intercept = intercept
        sampleCount = n

        let residuals = (0..<n).map { values[$0] - (intercept + slope * times[$0]) }
        let sumOfSquares = residuals.reduce(0) { $0 + $1 * $1 }
        var lagged = 0.0
        for index in 1..<n { lagged += residuals[index - 1] * residuals[index] }
        let r1 = sumOfSquares > 0 ? lagged / sumOfSquares : 0
        lag1Autocorrelation = r1
        // Only positive autocorrelation inflates the error; negative would shrink it, and
        // claiming more certainty than the textbook formula is not worth the risk.
        effectiveSampleCount = r1 > 0 ? Double(n) * (1 - r1) / (1 + r1) : Double(n)
        if effectiveSampleCount > 2 {
            let variance = sumOfSquares / (effectiveSampleCount - 2)
            slopeStandardError = (variance / sxx).squareRoot()
        } else {
            slopeStandardError = nil
        }
    }

    /// Degrees of freedom of the slope's t statistic: n_eff - 2.
    public var degreesOfFreedom: Double { effectiveSampleCount - 2 }

    /// The value of the line at `time`.
    public func value(at time: Double) -> Double { intercept + slope * time }

    /// The one-sided lower confidence bound of the slope: the true slope is above it with
    /// probability `confidence` (e.g. 0.99). Nil when the standard error is.
    public func lowerBound(confidence: Double) -> Double? {
        guard let slopeStandardError else { return nil }
        if slopeStandardError == 0 { return slope }
        return slope - StudentT.quantile(confidence, degreesOfFreedom: degreesOfFreedom) * slopeStandardError
    }

    /// The one-sided upper confidence bound of the slope.
    public func upperBound(confidence: Double) -> Double? {
        guard let slopeStandardError else { return nil }
        if slopeStandardError == 0 { return slope }
        return slope + StudentT.quantile(confidence, degreesOfFreedom: degreesOfFreedom) * slopeStandardError
    }
}
