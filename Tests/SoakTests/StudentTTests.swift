import Testing
@testable import Soak

/// The t quantile against published critical values: NIST/SEMATECH e-Handbook of Statistical
/// Methods, section 1.3.6.7.2 "Critical Values of the Student's t Distribution"
/// (https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm), three decimals.
struct StudentTTests {
    @Test(arguments: [
        (0.99, 1.0, 31.821), (0.99, 2.0, 6.965), (0.99, 5.0, 3.365), (0.99, 10.0, 2.764),
        (0.99, 30.0, 2.457), (0.99, 100.0, 2.364), (0.95, 5.0, 2.015), (0.95, 20.0, 1.725),
        (0.975, 1.0, 12.706), (0.975, 20.0, 2.086), (0.995, 3.0, 5.841), (0.90, 8.0, 1.397),
    ])
    func quantileMatchesTheTable(probability: Double, nu: Double, expected: Double) {
        let value = StudentT.quantile(probability, degreesOfFreedom: nu)
        #expect(abs(value - expected) < 0.0006, "t(\(probability), \(nu)) = \(value), table \(expected)")
    }

    @Test func largeDegreesOfFreedomApproachTheNormal() {
        // z(0.99) = 2.326348 (the same handbook's normal table, and the t table's ∞ row: 2.326).
        #expect(abs(StudentT.quantile(0.99, degreesOfFreedom: 1e7) - 2.326348) < 1e-5)
    }

    @Test func quantileInvertsTheDistributionFunction() {
        for nu in [0.7, 1.0, 2.5, 7.3, 41.0] {
            for p in [0.6, 0.9, 0.99, 0.999] {
                let t = StudentT.quantile(p, degreesOfFreedom: nu)
                #expect(abs(StudentT.cumulative(t, degreesOfFreedom: nu) - p) < 1e-12, "ν \(nu), p \(p)")
                #expect(StudentT.quantile(1 - p, degreesOfFreedom: nu) == -t)
            }
        }
    }

    @Test func fractionalDegreesOfFreedomFallBetweenTheirNeighbours() {
        let t = StudentT.quantile(0.99, degreesOfFreedom: 4.5)
        #expect(t < StudentT.quantile(0.99, degreesOfFreedom: 4) && t > StudentT.quantile(0.99, degreesOfFreedom: 5))
    }

    @Test func regularizedBetaKnownValues() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_0.5(a, a) = 1/2 by symmetry.
        #expect(abs(RegularizedBeta.value(x: 0.3, a: 1, b: 1) - 0.3) < 1e-14)
        #expect(abs(RegularizedBeta.value(x: 0.6, a: 3, b: 1) - 0.216) < 1e-14)
        #expect(abs(RegularizedBeta.value(x: 0.5, a: 7.5, b: 7.5) - 0.5) < 1e-14)
        #expect(RegularizedBeta.value(x: 1.5, a: 1, b: 1).isNaN)
    }
}
