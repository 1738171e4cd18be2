import ArgumentParser
import Foundation

/// `dst-host-bench`: figures, side by side in one run, printed (never asserted).
/// - `host` (the default): the plugin ABI's cost, isolation's cost, property runs per second;
/// - `fuzz-parsers`: executions per second of the request parsers on the fuzz corpus, next to
///   hiredis's reply parser.
@main
struct HostBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dst-host-bench", abstract: "Measure what the host's machinery and the fuzz targets cost.",
        subcommands: [HostCost.self, FuzzParsersBenchmark.self], defaultSubcommand: HostCost.self)
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

func format(_ value: Double, _ decimals: Int = 0) -> String { String(format: "%.\(decimals)f", value) }
