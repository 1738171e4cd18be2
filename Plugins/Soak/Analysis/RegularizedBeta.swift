import Glibc

/// The regularized incomplete beta function I_x(a, b), which the Student t distribution
/// function is built on.
///
/// Evaluated from its continued fraction (DLMF 8.17.22, https://dlmf.nist.gov/8.17.E22) with
/// the modified Lentz method (Lentz 1976; Thompson and Barnett 1986). The fraction converges
/// fast for x < (a + 1) / (a + b + 2); on the other side the symmetry
/// I_x(a, b) = 1 - I_{1-x}(b, a) (DLMF 8.17.4) moves the argument there.
enum RegularizedBeta {
    /// I_x(a, b) for a, b > 0 and x in [0, 1]; NaN outside that domain.
    static func value(x: Double, a: Double, b: Double) -> Double {
        guard a > 0, b > 0, x >= 0, x <= 1 else { return .nan }
        if x == 0 { return 0 }
        if x == 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - value(x: 1 - x, a: b, b: a) }
        // The prefactor x^a (1-x)^b / (a B(a, b)) in logarithms: the powers under- or overflow
        // on their own for large a or b.
        let logPrefactor = a * log(x) + b * log1p(-x) + lgamma(a + b) - lgamma(a) - lgamma(b) - log(a)
        return exp(logPrefactor) * continuedFraction(x: x, a: a, b: b)
    }

    /// 1 / (1 + d1 / (1 + d2 / (1 + ...))) with DLMF 8.17.22's coefficients: d_{2m+1} and d_{2m}
    /// alternate, so each loop turn applies one of each.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        // Lentz's method replaces an exact zero by a tiny value so no division blows up.
        let tiny = 1e-300
        let epsilon = 1e-15
        func nonzero(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }

        var c = 1.0
        var d = 1 / nonzero(1 - (a + b) * x / (a + 1))
        var result = d
        for m in 1...10_000 {
            let m = Double(m)
            // d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 / nonzero(1 + even * d)
            c = nonzero(1 + even / c)
            result *= d * c
            // d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 / nonzero(1 + odd * d)
            c = nonzero(1 + odd / c)
            let step = d * c
            result *= step
            if abs(step - 1) < epsilon { break }
        }
        return result
    }
}
