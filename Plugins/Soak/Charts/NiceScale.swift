import Glibc

/// An axis range and its tick values, rounded to 1, 2 or 5 times a power of ten so the labels
/// read as people write numbers (0, 20, 40 rather than 0, 17.3, 34.6).
///
/// The method follows Heckbert's "nice numbers for graph labels" (Graphics Gems, 1990): a nice
/// step near span / (ticks - 1), and the range widened outward to whole steps. Unlike
/// Heckbert, the step comes from the data's own span rather than from a span first rounded
/// up to a nice number, which for 0...120 s would give steps of 50 and an axis to 150.
struct NiceScale: Equatable {
    /// The axis' first value (a multiple of `step`).
    let lower: Double
    /// The axis' last value (a multiple of `step`).
    let upper: Double
    /// The distance between ticks.
    let step: Double

    /// A scale covering `minimum...maximum` with about `ticks` ticks (at least 2).
    init(minimum: Double, maximum: Double, ticks: Int = 6) {
        var low = min(minimum, maximum)
        var high = max(minimum, maximum)
        if !low.isFinite || !high.isFinite {
            low = 0
            high = 1
        }
        if high - low <= abs(high) * 1e-12 {
            // One value: a span around it, so the line sits mid-chart instead of on an edge.
            let pad = high == 0 ? 1 : abs(high) * 0.1
            low -= pad
            high += pad
        }
        let step = NiceScale.nice((high - low) / Double(max(ticks, 2) - 1), rounding: true)
        self.step = step
        // A value a hair past a tick (a sample at 120.001 s) does not earn a whole extra step
        // of empty axis: within 1% of a step it is drawn on the tick.
        let slack = 0.01
        self.lower = (low / step + slack).rounded(.down) * step
        self.upper = (high / step - slack).rounded(.up) * step
    }

    /// The tick values from `lower` to `upper`. Computed as multiples of the step rather than
    /// by repeated addition, so 0.1 + 0.1 + 0.1 does not become 0.30000000000000004.
    var ticks: [Double] {
        let first = (lower / step).rounded()
        let last = (upper / step).rounded()
        guard last >= first, last - first < 1000 else { return [lower, upper] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// Decimals a tick label needs: none for a step of 1 or more, one for 0.5, two for 0.05...
    var decimals: Int { max(0, Int(-log10(step).rounded(.down))) }

    /// A nice number near `value` (> 0): 1, 2, 5 or 10 times a power of ten, the nearest when
    /// `rounding`, otherwise the smallest not below it.
    static func nice(_ value: Double, rounding: Bool = true) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let exponent = log10(value).rounded(.down)
        let power = pow(10, exponent)
        let fraction = value / power
        let niceFraction: Double
        if rounding {
            niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return niceFraction * power
    }
}
