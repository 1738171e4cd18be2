import DSTPluginSDK
@testable import Soak

/// Deterministic synthetic samples for the verdict tests: a shape plus seeded noise.
enum SyntheticSeries {
    /// Approximately normal noise (the sum of 12 uniforms, minus 6: Irwin-Hall), with standard
    /// deviation `sigma`.
    static func noise(_ generator: inout SplitMix64, sigma: Double) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += Double(generator.next() >> 11) / Double(1 << 53) }
        return (sum - 6) * sigma
    }

    /// `shape(t)` plus noise, sampled every `interval` seconds from `interval` to `duration`.
    static func make(duration: Double, interval: Double, sigma: Double, seed: UInt64 = 7,
                     name: String = "RSS", unit: String = "bytes",
                     _ shape: (Double) -> Double) -> Series {
        var generator = SplitMix64(seed: seed)
        var series = Series(name: name, unit: unit)
        var time = interval
        while time <= duration + 1e-9 {
            series.append(time: time, value: shape(time) + noise(&generator, sigma: sigma))
            time += interval
        }
        return series
    }
}
