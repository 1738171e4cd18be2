import DSTPluginSDK
import Testing
@testable import Soak

struct LinearTrendTests {
    @Test func slopeInterceptAndStandardErrorByHand() throws {
        // t = 0...3, y = 0, 1, 1, 2: mean t 1.5, mean y 1, Sxx = 5, Sxy = 3, so slope 0.6 and
        // intercept 0.1; residuals -0.1, 0.3, -0.3, 0.1 (sum of squares 0.2, lag-1 products
        // negative, so no correction); s² = 0.2 / 2, SE = sqrt(0.1 / 5).
        let fit = try #require(LinearTrend(times: [0, 1, 2, 3], values: [0, 1, 1, 2]))
        #expect(abs(fit.slope - 0.6) < 1e-12)
        #expect(abs(fit.intercept - 0.1) < 1e-12)
        #expect(fit.effectiveSampleCount == 4)
        #expect(abs(try #require(fit.slopeStandardError) - 0.02.squareRoot()) < 1e-12)
        // One-sided 95% with 2 degrees of freedom: t = 2.920 (NIST table).
        #expect(abs(try #require(fit.lowerBound(confidence: 0.95)) - (0.6 - 2.920 * 0.02.squareRoot())) < 1e-3)
    }

    @Test func anExactLineHasNoUncertainty() throws {
        let fit = try #require(LinearTrend(times: [1, 2, 3, 4, 5], values: [10, 12, 14, 16, 18]))
        #expect(fit.slope == 2 && fit.lowerBound(confidence: 0.99) == 2)
    }

    @Test func degenerateInputsHaveNoFit() {
        #expect(LinearTrend(times: [1], values: [1]) == nil)
        #expect(LinearTrend(times: [2, 2, 2], values: [1, 2, 3]) == nil)
        #expect(LinearTrend(times: [1, 2], values: [1]) == nil)
    }

    @Test func aWanderingSeriesCountsFewerEffectiveSamples() throws {
        // A random walk: each sample keeps the last one's error, so neighbours are alike.
        var generator = SplitMix64(seed: 3)
        var level = 0.0
        var values: [Double] = []
        for _ in 0..<100 {
            level += SyntheticSeries.noise(&generator, sigma: 1)
            values.append(level)
        }
        let fit = try #require(LinearTrend(times: (0..<100).map(Double.init), values: values))
        #expect(fit.lag1Autocorrelation > 0.5)
        #expect(fit.effectiveSampleCount < 40)
    }
}
