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
        let parsed = try parameters.values()
        try withScratchFolder("dst-host-worker") { scratch in
            try serve(registry: registry, parameters: parsed, scratch: scratch)
        }
    }

    /// Answers `run` requests until the host closes standard input.
    private func serve(registry: PluginRegistry, parameters parsed: [String: String], scratch: URL) throws {
        let output = MessageWriter(descriptor: 3)
        while let line = readLine() {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, parts[0] == "run", let seed = UInt64(parts[1]) else { continue }
            let name = String(parts[2])
            output.write("start \(seed) \(name)\n")
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

/// Writes whole messages to a descriptor (retrying short writes).
struct MessageWriter {
    let descriptor: Int32

    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
