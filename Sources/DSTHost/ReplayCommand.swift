import ArgumentParser
import DSTHostCore
import Foundation

/// `dst-host replay --seed S --test NAME`: reruns one seed exactly and prints what it did.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Rerun one test on one seed and print its log, checks and trace hash.")

    @OptionGroup var plugins: PluginOptions

    @Option(help: "The seed to replay.")
    var seed: UInt64

    @Option(help: "The test, as suite/name (or name when unique).")
    var test: String

    @OptionGroup var parameters: ParameterOptions

    @OptionGroup var reference: ReferenceOptions

    @OptionGroup var targets: TargetOptions

    @Flag(help: "Print only the verdict, log and checks, not the trace of engine calls.")
    var quiet = false

    func run() throws {
        let registry = try plugins.registry()
        guard let loaded = registry.test(named: test) else {
            Console.error("dst-host: no test named '\(test)' (see `dst-host plugins`)")
            throw ExitCode(2)
        }
        let values = try parameters.values()
        if let name = targets.testName {
            Console.error("dst-host: replay takes the test from --test; --target gives only a server (resp://host:port), not '\(name)'")
            throw ExitCode(2)
        }
        try targets.reachableServer()?.exportToThisProcess()
        let servers = reference.servers(for: [loaded], slots: 1)
        servers?.exportToThisProcess()
        defer { servers?.stop() }
        let result = withScratchFolder {
            TestRunner.run(loaded, seed: seed, parameters: values, scratchRoot: $0, recordTrace: !quiet)
        }
        Console.line("replay \(result.test) seed=\(seed): \(result.outcome.rawValue), trace \(result.traceHash), \(result.durationMicroseconds) µs")
        for line in result.traceLines ?? [] { Console.line("  \(line)") }
        for line in result.logTail { Console.line("  log: \(line)") }
        for failure in result.failures { Console.line("  \(Console.red("check failed:")) \(failure)") }
        for metric in result.metrics { Console.line("  metric: \(metric.name) = \(metric.value) \(metric.unit)") }
        for artifact in result.artifacts { Console.line("  artifact: \(artifact.name) (\(artifact.bytes.count) bytes)") }
        if !result.passed { throw ExitCode(1) }
    }
}
