import Testing
@testable import Soak

struct ThroughputAndWALTests {
    @Test func aSteadyPaceIsStable() throws {
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: 20, name: "throughput", unit: "ops/s") { _ in 1000 }
        let stability = ThroughputStability(series)
        #expect(!stability.warns, "\(stability.summary)")
        #expect(try #require(stability.coefficientOfVariation) < 0.05)
        #expect(abs(stability.mean - 1000) < 20)
    }

    @Test func stallsEveryOtherIntervalWarn() throws {
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: 0, name: "throughput", unit: "ops/s") {
            Int($0 / 5) % 2 == 0 ? 1000 : 300
        }
        let stability = ThroughputStability(series)
        #expect(stability.warns && stability.summary.hasSuffix("UNSTABLE"), "\(stability.summary)")
        // The window (from 30 s, after the warm-up cut at 28 s) holds ten intervals at 1000 and
        // nine at 300: mean 12700 / 19, sum of squares 10 · 9 · 700² / 19 over 18 degrees of freedom.
        let sumOfSquares: Double = 10 * 9 * 700 * 700 / 19
        let mean: Double = 12700 / 19
        let expected = (sumOfSquares / 18).squareRoot() / mean
        #expect(abs(try #require(stability.coefficientOfVariation) - expected) < 1e-12)
        #expect(stability.intervals == 19)
    }

    @Test func theWarmUpIsLeftOut() {
        // A slow start (a cold cache) is not instability.
        let series = SyntheticSeries.make(duration: 120, interval: 5, sigma: 0, name: "throughput", unit: "ops/s") { $0 <= 15 ? 100 : 1000 }
        #expect(ThroughputStability(series).coefficientOfVariation == 0)
    }

    @Test func tooFewIntervalsHaveNoCV() {
        #expect(ThroughputStability(Series(name: "t", unit: "ops/s", points: [.init(time: 5, value: 10)])).coefficientOfVariation == nil)
    }

    @Test func theWALBoundFollowsSQLiteDefaults() {
        let bound = WALBound()
        // 32-byte header, then (1000 + 3000) frames of 24 + 4096 bytes.
        #expect(bound.limitBytes == 32 + 4000 * 4120)
        let small = Series(name: "WAL", unit: "bytes", points: [.init(time: 5, value: 4_000_000), .init(time: 10, value: 8_816_832)])
        #expect(bound.judge(small) == (8_816_832, true))
        #expect(bound.frames(inBytes: 8_816_832) == 2140 && bound.fellBehind(8_816_832))
        #expect(!bound.fellBehind(32 + 2000 * 4120))
        let grown = Series(name: "WAL", unit: "bytes", points: [.init(time: 5, value: 4_000_000), .init(time: 10, value: 17_000_000)])
        #expect(bound.judge(grown) == (17_000_000, false))
        #expect(bound.derivation.contains("= 16480032 bytes"))
        #expect(WALBound(slackPages: 1000).limitBytes == 32 + 2000 * 4120)
    }
}
