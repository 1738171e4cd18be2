import ArgumentParser
import DSTHostCore
import Foundation
import Glibc

/// `dst-host worker`: what the host spawns to run seeds in isolation (not for people).
/// Reads `run <seed> <suite/test>` lines on standard input and answers on descriptor 3.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run seeds for a parent dst-host (internal).", shouldDisplay: false)

    @OptionGroup var plugins: PluginOptions

    @OptionGroup var parameters: ParameterOptions

    @Option var timeout: Double?

    func run() throws {
        let registry = try plugins.registry(quiet: true)
        // A crash still sends what the test asked to keep (a fuzzer's input) to the host.
        CrashArtifact.installHandlers(writingTo: 3)
        let parsed = try parameters.values()
        try withScratchFolder("dst-host-worker") { scratch in
            try serve(registry: registry, parameters: parsed, scratch: scratch)
        }
    }

    /// Answers `run` requests until the host closes standard input.
    private func serve(registry: PluginRegistry, parameters parsed: [String: String], scratch: URL) throws {
        let output = MessageWriter()
        while let line = readLine() {
            guard let (seed, name) = WorkerMessages.runRequest(line) else { continue }
            output.write(WorkerMessages.start(seed: seed, test: name))
            guard let test = registry.test(named: name) else {
                output.write(WorkerMessages.result(TestResult.missing(name, seed: seed)))
                continue
            }
            let result = TestRunner.run(test, seed: seed, parameters: parsed, scratchRoot: scratch,
                                        timeout: timeout.map(Duration.seconds(commandLine:)),
                                        onLog: { output.write(WorkerMessages.log($0)) })
            output.write(WorkerMessages.result(result))
        }
    }
}

/// The worker's message descriptor (fd 3, see `WorkerProtocol`).
struct MessageWriter {
    func write(_ message: String) { writeFully(3, message) }
}
