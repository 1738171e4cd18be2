import Glibc

/// Student's t distribution with ν degrees of freedom (ν > 0, not necessarily whole: the
/// trend fit's effective sample size is a real number).
///
/// Computed, not tabulated: the distribution function through the regularized incomplete beta
/// function (Abramowitz and Stegun 26.7.1 / DLMF 8.17: for t ≥ 0,
/// F(t) = 1 - I_{ν/(ν+t²)}(ν/2, 1/2) / 2) and the quantile by bisection on it. The tests compare
/// both with published critical values.
enum StudentT {
    /// P(T ≤ t).
    static func cumulative(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, !t.isNaN else { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = RegularizedBeta.value(x: nu / (nu + t * t), a: nu / 2, b: 0.5) / 2
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = `probability`, for `probability` in (0, 1).
    ///
    /// Bisection rather than Newton's method: slower, but it cannot diverge in the heavy tails
    /// of ν near 1, and 200 halvings of a bracket reach the limit of a Double anyway. The
    /// answer is the same bits on every run and machine with the same libm.
    static func quantile(_ probability: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, probability > 0, probability < 1 else { return .nan }
        if probability == 0.5 { return 0 }
        if probability < 0.5 { return -quantile(1 - probability, degreesOfFreedom: nu) }
        var low = 0.0
        var high = 1.0
        while cumulative(high, degreesOfFreedom: nu) < probability {
            low = high
            high *= 2
            if high > 1e300 { return .infinity }
        }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if cumulative(middle, degreesOfFreedom: nu) < probability { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
