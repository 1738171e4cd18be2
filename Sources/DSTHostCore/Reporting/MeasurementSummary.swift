import Foundation

/// One figure of a load test (a test tagged `measurement`, e.g. stress or soak) over its
/// seeds: what the console and the reports show for it.
public struct MeasurementSummary: Codable, Sendable, Equatable {
    public var name: String
    public var unit: String
    /// Seeds that reported it.
    public var seeds: Int
    public var mean: Double
    public var minimum: Double
    public var maximum: Double

    /// Every metric the results report, in order of first appearance.
    public static func summarize(_ results: [TestResult]) -> [MeasurementSummary] {
        var order: [String] = []
        var values: [String: (unit: String, values: [Double])] = [:]
        for metric in results.flatMap(\.metrics) {
            if values[metric.name] == nil { order.append(metric.name) }
            values[metric.name, default: (metric.unit, [])].values.append(metric.value)
        }
        return order.map { name in
            let (unit, all) = values[name]!
            return MeasurementSummary(name: name, unit: unit, seeds: all.count, mean: all.reduce(0, +) / Double(all.count),
                                      minimum: all.min()!, maximum: all.max()!)
        }
    }

    /// `p99_us = 412 us`, or with several seeds `p99_us = 412 us (mean of 3; 380..450)`.
    public var text: String {
        let unitText = unit.isEmpty ? "" : " \(unit)"
        guard seeds > 1 else { return "\(name) = \(Self.format(mean))\(unitText)" }
        return "\(name) = \(Self.format(mean))\(unitText) (mean of \(seeds); \(Self.format(minimum))..\(Self.format(maximum)))"
    }

    /// Whole numbers without a fraction, others to 4 significant digits.
    static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }
}
