import DSTPluginSDK
import Testing
@testable import Soak

/// The leak verdict on synthetic series shaped like what a soak samples: 30 MiB of RSS with
/// 200 KiB of noise, 2 minutes at 5-second intervals (the acceptance run's shape).
struct LeakCheckTests {
    static let rss = LeakCriterion(resource: "RSS", unit: "bytes/s", tolerance: 1024)
    static let fds = LeakCriterion(resource: "open fds", unit: "fds/min", secondsPerTimeUnit: 60, tolerance: 0.05)
    static let base = 30.0 * 1024 * 1024
    static let sigma = 200.0 * 1024

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func aFlatNoisySeriesPasses(seed: UInt64) {
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: Self.sigma, seed: seed) { _ in Self.base }
        let assessment = LeakCheck.assess(series, Self.rss)
        #expect(assessment.verdict == .noLeak, "\(assessment.summary)")
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func aSlowLeakFails(seed: UInt64) throws {
        // 20 KiB/s: 2.3 MiB over the run, about ten times the noise; the first-vs-last
        // difference of a single run could still hide it.
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: Self.sigma, seed: seed) { Self.base + 20 * 1024 * $0 }
        let assessment = LeakCheck.assess(series, Self.rss)
        #expect(assessment.verdict == .leak, "\(assessment.summary)")
        let slope = try #require(assessment.slope)
        #expect(abs(slope - 20 * 1024) < 5 * 1024, "\(assessment.summary)")
        #expect(try #require(assessment.lowerBound) < slope)
        #expect(assessment.summary.hasSuffix("LEAK"))
    }

    @Test func aStepDuringTheWarmUpDoesNotFail() {
        // The page cache filling in the first 25 s: +20 MiB, then flat.
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: Self.sigma) { Self.base + 20 * 1024 * 1024 * min($0, 25) / 25 }
        let assessment = LeakCheck.assess(series, Self.rss)
        #expect(assessment.verdict == .noLeak, "\(assessment.summary)")
        #expect(assessment.samplesSkipped == 5 && assessment.windowStart == 30, "\(assessment.summary)")
        #expect(abs(assessment.slope ?? .infinity) < 5 * 1024, "\(assessment.summary)")
        // Fitted from the first sample, the ramp drags the slope to +70 KiB/s: the figure
        // would report growth that stopped long ago. (The verdict itself survives even then:
        // the residuals around a line through a ramp and a plateau are so autocorrelated that
        // the effective sample count, and with it the confidence, collapses.)
        var noWarmUp = Self.rss
        noWarmUp.warmUpFraction = 0
        noWarmUp.minimumWarmUpSeconds = 0
        let unskipped = LeakCheck.assess(series, noWarmUp)
        #expect((unskipped.slope ?? 0) > 50 * 1024, "\(unskipped.summary)")
        #expect(unskipped.verdict == .noLeak, "\(unskipped.summary)")
    }

    @Test func aSingleStepMidRunIsNotCalledALeak() {
        // A cache that grows once, half-way: the residuals around a line through a step are
        // strongly autocorrelated, so the effective sample count collapses and no trend can
        // be shown. A leak keeps growing; this does not.
        let series = SyntheticSeries.make(duration: 600, interval: 5, sigma: Self.sigma) { $0 < 300 ? Self.base : Self.base + 8 * 1024 * 1024 }
        let assessment = LeakCheck.assess(series, Self.rss)
        #expect(assessment.verdict != .leak, "\(assessment.summary)")
    }

    @Test func aLeakingSeriesThatAlsoWandersIsStillCaught() {
        // 10 minutes, a random walk of 100 KiB per step on top of a 50 KiB/s leak.
        var generator = SplitMix64(seed: 11)
        var wander = 0.0
        var series = Series(name: "RSS", unit: "bytes")
        for index in 1...120 {
            wander += SyntheticSeries.noise(&generator, sigma: 100 * 1024)
            let time = Double(index) * 5
            series.append(time: time, value: Self.base + 50 * 1024 * time + wander)
        }
        #expect(LeakCheck.assess(series, Self.rss).verdict == .leak)
    }

    @Test func constantDescriptorsPassAndAStaircaseLeakFails() {
        let flat = SyntheticSeries.make(duration: 600, interval: 5, sigma: 0, unit: "fds") { _ in 14 }
        let flatAssessment = LeakCheck.assess(flat, Self.fds)
        #expect(flatAssessment.verdict == .noLeak && flatAssessment.slope == 0, "\(flatAssessment.summary)")
        // One descriptor kept open every 30 s: 2 fds/min.
        let staircase = SyntheticSeries.make(duration: 600, interval: 5, sigma: 0, unit: "fds") { 14 + ($0 / 30).rounded(.down) }
        let assessment = LeakCheck.assess(staircase, Self.fds)
        #expect(assessment.verdict == .leak, "\(assessment.summary)")
        #expect(abs((assessment.slope ?? 0) - 2) < 0.1, "\(assessment.summary)")
    }

    @Test func aShortRunKeepsTheAbsoluteWarmUp() {
        // 12 s at 1-s intervals: 20% would leave out 2.2 s, while caches still fill; at least
        // 10 s go, which leaves 2 samples: inconclusive, not a leak.
        let series = SyntheticSeries.make(duration: 12, interval: 1, sigma: Self.sigma) { Self.base + 80 * 1024 * $0 }
        let assessment = LeakCheck.assess(series, Self.rss)
        #expect(assessment.windowStart == 11 && assessment.samplesUsed == 2, "\(assessment.summary)")
        guard case .inconclusive = assessment.verdict else {
            Issue.record("judged: \(assessment.summary)")
            return
        }
    }

    @Test func tooFewSamplesAreInconclusive() {
        let series = SyntheticSeries.make(duration: 20, interval: 5, sigma: Self.sigma) { Self.base + 1e6 * $0 }
        guard case .inconclusive = LeakCheck.assess(series, Self.rss).verdict else {
            Issue.record("4 samples judged: \(LeakCheck.assess(series, Self.rss).summary)")
            return
        }
        guard case .inconclusive = LeakCheck.assess(Series(name: "RSS", unit: "bytes"), Self.rss).verdict else {
            Issue.record("an empty series judged")
            return
        }
    }

    @Test func growthPercentReadsTheFittedLine() throws {
        // Samples from 5 s to 120 s; the warm-up cut is at 5 + 0.2 × 115 = 28 s, so the window
        // opens at 30 s, where the line is at 10 MiB, and it gains 1 MiB per 10 s to 19 MiB.
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: 0) { 10 * 1024 * 1024 + 1024 * 1024 * ($0 - 30) / 10 }
        let assessment = LeakCheck.assess(series, Self.rss)
        #expect(abs(try #require(assessment.growthPercent) - 90) < 1e-9, "\(assessment.summary)")
    }
}
