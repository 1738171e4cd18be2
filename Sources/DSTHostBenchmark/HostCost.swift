import ArgumentParser
import DSTHostCore
import DSTPluginAPI
import Foundation
import Redlite

/// `dst-host-bench` (`dst-host-bench host`): what the host's machinery costs, measured side
/// by side in one run.
/// 1. An engine call through the plugin ABI (argv marshalling, reply tree, trace hashing)
///    versus the same call made directly in Swift.
/// 2. Isolation: a seed in a worker process versus in this process.
/// 3. Property runs per second per core (when libProperties.so is built).
struct HostCost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Measure the plugin ABI's and the worker isolation's costs (the default).")

    @Option(help: "Engine calls per side for the ABI comparison.")
    var calls: Int = 200_000

    @Option(help: "Seeds per side for the isolation comparison.")
    var seeds: Int = 400

    func validate() throws {
        guard calls > 0, seeds > 0 else { throw ValidationError("--calls and --seeds must be positive") }
    }

    func run() throws {
        let binFolder = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dst-host-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        print("dst-host-bench (\(ProcessInfo.processInfo.activeProcessorCount) cores)\n")
        try abiCost(scratch: scratch)
        try isolationCost(binFolder: binFolder, scratch: scratch)
        try propertyRate(binFolder: binFolder, scratch: scratch)
    }

    // MARK: 1. The ABI

    private func abiCost(scratch: URL) throws {
        let value = Array(repeating: UInt8(ascii: "v"), count: 32)
        let commands: [[[UInt8]]] = (0..<1000).flatMap { i -> [[[UInt8]]] in
            let key = Array("key:\(i)".utf8)
            return [[Array("SET".utf8), key, value], [Array("GET".utf8), key]]
        }
        // Direct: the engine's Swift entry.
        let direct = try RedliteConnection(.memory, clock: ManualClock(), random: SeededRandom(seed: 1))
        // Through the ABI: the table every plugin gets, on a run context of its own.
        let run = RunContext(test: "bench/abi", seed: 1, scratchRoot: scratch)
        let host = HostServices.table.pointee
        var options = dst_engine_options()
        options.struct_size = MemoryLayout<dst_engine_options>.size
        options.storage = DST_STORAGE_MEMORY
        var engine: OpaquePointer?
        guard host.engine_open!(run.opaque, &options, &engine) == DST_OK else { throw BenchmarkFailure("engine_open failed") }

        func timeDirect(_ count: Int) -> Duration {
            ContinuousClock().measure {
                for i in 0..<count { _ = direct.execute(commands[i % commands.count]) }
            }
        }
        // The C arrays a plugin would hold, made once: the loop times the call, not the harness.
        let prepared: [(argc: Int, argv: UnsafeMutablePointer<UnsafePointer<UInt8>?>, lengths: UnsafeMutablePointer<Int>)] =
            commands.map { command in
                let argv = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: command.count)
                let lengths = UnsafeMutablePointer<Int>.allocate(capacity: command.count)
                for (index, argument) in command.enumerated() {
                    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(argument.count, 1))
                    bytes.initialize(from: argument, count: argument.count)
                    argv[index] = UnsafePointer(bytes)
                    lengths[index] = argument.count
                }
                return (command.count, argv, lengths)
            }
        func timeABI(_ count: Int) -> Duration {
            ContinuousClock().measure {
                for i in 0..<count {
                    let call = prepared[i % prepared.count]
                    var reply: UnsafeMutablePointer<dst_reply>?
                    _ = host.engine_execute!(run.opaque, engine, call.argc, call.argv, call.lengths, &reply)
                    host.reply_free!(run.opaque, reply)
                }
            }
        }
        // Alternate halves so drift on a shared machine hits both sides alike.
        var directTotal = Duration.zero, abiTotal = Duration.zero
        for _ in 0..<4 {
            directTotal += timeDirect(calls / 4)
            abiTotal += timeABI(calls / 4)
        }
        withExtendedLifetime(run) {}
        let directNs = nanoseconds(directTotal) / Double(calls), abiNs = nanoseconds(abiTotal) / Double(calls)
        print("1. Engine call (SET/GET, in-memory), \(calls) calls per side")
        print("   direct Swift call:   \(format(directNs)) ns/call")
        print("   through the C ABI:   \(format(abiNs)) ns/call")
        print("   ABI overhead:        \(format(100 * (abiNs - directNs) / directNs))%  (target: under 10%)\n")
    }

    // MARK: 2. Isolation

    private func isolationCost(binFolder: URL, scratch: URL) throws {
        let smoke = binFolder.appendingPathComponent("libSmoke.so").path
        let plugin = try PluginLoader.load(smoke)
        guard let test = plugin.tests.first(where: { $0.name == "expire_on_virtual_clock" }) else {
            throw BenchmarkFailure("libSmoke.so has no expire_on_virtual_clock test")
        }
        let inProcess = ContinuousClock().measure {
            for seed in 0..<seeds { _ = TestRunner.run(test, seed: UInt64(seed), parameters: [:], scratchRoot: scratch) }
        }
        let executable = binFolder.appendingPathComponent("dst-host").path
        let items = (0..<seeds).map { (test: test.qualifiedName, seed: UInt64($0)) }
        var workerResults: [TestResult] = []
        let isolated = try ContinuousClock().measure {
            workerResults = try WorkerPool(executable: executable, arguments: ["worker", "--plugin", smoke], jobs: 1, timeout: nil).run(items)
        }
        guard workerResults.allSatisfy(\.passed) else { throw BenchmarkFailure("a worker run failed") }
        let inProcessUs = nanoseconds(inProcess) / Double(seeds) / 1000
        let isolatedUs = nanoseconds(isolated) / Double(seeds) / 1000
        print("2. Isolation: smoke/expire_on_virtual_clock, \(seeds) seeds, one worker")
        print("   in process:          \(format(inProcessUs, 1)) µs/seed")
        print("   in a worker process: \(format(isolatedUs, 1)) µs/seed (spawn included)")
        print("   isolation cost:      \(format(isolatedUs - inProcessUs, 1)) µs/seed\n")
    }

    // MARK: 3. Properties

    private func propertyRate(binFolder: URL, scratch: URL) throws {
        let path = binFolder.appendingPathComponent("libProperties.so").path
        guard FileManager.default.fileExists(atPath: path) else {
            print("3. Properties: libProperties.so is not built; skipped")
            return
        }
        let plugin = try PluginLoader.load(path)
        var runs = 0
        let elapsed = ContinuousClock().measure {
            for test in plugin.tests where !test.tags.contains("slow") {
                for seed in 0..<50 {
                    _ = TestRunner.run(test, seed: UInt64(seed), parameters: [:], scratchRoot: scratch)
                    runs += 1
                }
            }
        }
        let perSecond = Double(runs) / (nanoseconds(elapsed) / 1e9)
        print("3. Properties: \(runs) runs (50 seeds of each test) in one process")
        print("   \(format(perSecond)) property runs per second per core")
        let cores = Double(max(ProcessInfo.processInfo.activeProcessorCount, 1))
        let runs100k = 100_000 / (perSecond * cores)
        print("   100,000 property runs (seeds spread over all \(plugin.tests.count) properties) with --jobs \(Int(cores)): about \(format(runs100k)) s (target: under 300 s)")
        print("   100,000 seeds of each of the \(plugin.tests.count) properties: about \(format(runs100k * Double(plugin.tests.count))) s")
    }

}
