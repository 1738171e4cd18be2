import Foundation

/// What seeds cost on rented machines, from a measured speed and a price per core-hour.
///
/// The speed is seeds per busy core-second (``SimulationFigures/seedsPerSecondPerCore``: seeds
/// divided by the sum of their own run times), which does not depend on how many workers or
/// machines shared the run. Then
///
///     core-seconds per 100K seeds = 100,000 / (seeds per core-second)
///     price per 100K seeds        = core-seconds per 100K seeds / 3,600 × price per core-hour
///
/// It counts the seeds' own run time only: no machine start-up, image pull, plugin loading or
/// idle cores waiting for the slowest shard, and providers bill whole minutes (GitHub Actions)
/// or seconds (Fly, Kubernetes nodes); so it is a floor, honest about what it leaves out.
public struct CostEstimate: Sendable, Equatable {
    /// USD per core-hour: a GitHub Actions standard Linux 2-core runner bills $0.008 a minute,
    /// $0.48 an hour for its 2 cores, so $0.008 × 60 / 2 = $0.24 per core-hour. See
    /// https://docs.github.com/en/billing/reference/actions-runner-pricing (larger and arm64
    /// runners cost less per core; pass your own with `--price-per-core-hour`).
    public static let defaultPricePerCoreHour = 0.24
    /// Where ``defaultPricePerCoreHour`` comes from.
    public static let defaultPriceSource = "GitHub Actions standard Linux 2-core runner, $0.008/min = $0.24 per core-hour "
        + "(https://docs.github.com/en/billing/reference/actions-runner-pricing)"

    /// Seeds per busy core-second.
    public var seedsPerCoreSecond: Double
    /// USD per core-hour.
    public var pricePerCoreHour: Double

    public init(seedsPerCoreSecond: Double, pricePerCoreHour: Double = CostEstimate.defaultPricePerCoreHour) {
        self.seedsPerCoreSecond = seedsPerCoreSecond
        self.pricePerCoreHour = pricePerCoreHour
    }

    /// From a run's figures (nil when it has none, or ran no seed).
    public init?(figures: SimulationFigures?, pricePerCoreHour: Double = CostEstimate.defaultPricePerCoreHour) {
        guard let figures, figures.seeds > 0, figures.seedsPerSecondPerCore > 0 else { return nil }
        self.init(seedsPerCoreSecond: figures.seedsPerSecondPerCore, pricePerCoreHour: pricePerCoreHour)
    }

    /// Core-seconds that `seeds` seeds take.
    public func coreSeconds(seeds: Int) -> Double { Double(seeds) / seedsPerCoreSecond }

    /// USD that `seeds` seeds cost.
    public func price(seeds: Int) -> Double { coreSeconds(seeds: seeds) / 3600 * pricePerCoreHour }

    /// Core-seconds per 100,000 seeds.
    public var coreSecondsPer100K: Double { coreSeconds(seeds: 100_000) }

    /// USD per 100,000 seeds.
    public var pricePer100K: Double { price(seeds: 100_000) }

    /// The estimate as console lines; with `seeds` and `machines`, also for that plan (each
    /// machine running its share on `coresPerMachine` cores).
    public func lines(seeds: Int? = nil, machines: Int? = nil, coresPerMachine: Int = 1) -> [String] {
        var lines = ["cost: \(Self.decimal(seedsPerCoreSecond)) seeds per core-second: \(Self.decimal(coreSecondsPer100K)) core-seconds "
                     + "per 100K seeds, \(Self.dollars(pricePer100K)) per 100K seeds at \(Self.dollars(pricePerCoreHour)) per core-hour"]
        if let seeds {
            var plan = "cost of this plan: \(seeds) seeds, \(Self.decimal(coreSeconds(seeds: seeds) / 3600)) core-hours, \(Self.dollars(price(seeds: seeds)))"
            if let machines, machines > 0 {
                let wall = coreSeconds(seeds: seeds) / Double(machines * max(coresPerMachine, 1))
                plan += "; about \(Self.duration(wall)) on \(machines) machine\(machines == 1 ? "" : "s") of \(coresPerMachine) core\(coresPerMachine == 1 ? "" : "s")"
            }
            lines.append(plan)
        }
        return lines
    }

    /// 3 significant digits, plain (no exponent).
    static func decimal(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        if value >= 10 { return String(format: "%.1f", value) }
        if value >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3g", value)
    }

    /// `$0.0312`: four decimals under a dollar, cents above.
    static func dollars(_ value: Double) -> String {
        value >= 1 ? String(format: "$%.2f", value) : String(format: "$%.4f", value)
    }

    /// `42 s`, `12.5 min`, `3.2 h`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 120 { return "\(decimal(seconds)) s" }
        if seconds < 7200 { return "\(decimal(seconds / 60)) min" }
        return "\(decimal(seconds / 3600)) h"
    }
}
