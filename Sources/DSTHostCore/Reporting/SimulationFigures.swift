/// The speed of a run, from its results: seeds per second, simulated operations per second,
/// and how much faster than real time the simulated clock ran.
///
/// "Per core" figures divide by the time the seeds themselves took (the sum of their run
/// times), so they do not depend on how many workers shared the machine.
public struct SimulationFigures: Codable, Sendable, Equatable {
    public var seeds: Int
    /// Wall time of the whole run.
    public var wallSeconds: Double
    /// The sum of the seeds' own run times (core-seconds).
    public var busySeconds: Double
    public var seedsPerSecond: Double
    public var seedsPerSecondPerCore: Double
    /// Engine commands executed.
    public var simulatedOperations: Int64
    public var simulatedOperationsPerSecond: Double
    /// Virtual time the runs' clocks advanced, summed over seeds.
    public var simulatedSeconds: Double
    /// Simulated seconds per busy second: the time acceleration of one core.
    public var timeAcceleration: Double

    public init(results: [TestResult], wallMicroseconds: Int64) {
        seeds = results.count
        wallSeconds = Double(max(wallMicroseconds, 1)) / 1e6
        busySeconds = Double(max(results.reduce(0) { $0 + $1.durationMicroseconds }, 1)) / 1e6
        seedsPerSecond = Double(seeds) / wallSeconds
        seedsPerSecondPerCore = Double(seeds) / busySeconds
        simulatedOperations = results.reduce(0) { $0 + ($1.simulatedOperations ?? 0) }
        simulatedOperationsPerSecond = Double(simulatedOperations) / wallSeconds
        simulatedSeconds = Double(results.reduce(0) { $0 + ($1.simulatedMicroseconds ?? 0) }) / 1e6
        timeAcceleration = simulatedSeconds / busySeconds
    }

    /// One line for the console.
    public var summary: String {
        let speed = "figures: \(seeds) seeds, \(Self.format(seedsPerSecond)) seeds/s (\(Self.format(seedsPerSecondPerCore)) per core); "
            + "\(simulatedOperations) simulated ops, \(Self.format(simulatedOperationsPerSecond)) ops/s"
        // Runs whose clock never moved (the Oracle's) have no time acceleration to speak of.
        guard simulatedSeconds > 0 else { return speed + "; no virtual time elapsed" }
        return speed + "; \(Self.format(simulatedSeconds)) s simulated in \(Self.format(busySeconds)) s of run time (\(Self.format(timeAcceleration))x)"
    }

    /// One line for the console when the commands went to a RESP target: nothing was simulated.
    public var targetSummary: String {
        "figures: \(seeds) seeds, \(Self.format(seedsPerSecond)) seeds/s; \(simulatedOperations) commands to the target, "
            + "\(Self.format(simulatedOperationsPerSecond)) commands/s"
    }

    private static func format(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        let tenths = (value * 10).rounded() / 10
        return String(tenths)
    }
}
