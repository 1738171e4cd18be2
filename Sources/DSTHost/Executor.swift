import ArgumentParser
import DSTHostCore
import Foundation

/// Runs (test, seed) items in worker processes, or in this process with `--jobs 0`: what every
/// command that runs tests shares.
struct Executor {
    let jobs: Int
    let timeout: Double?
    /// `--plugin` paths and `--param` arguments, passed on to the workers.
    let pluginPaths: [String]
    let parameterArguments: [String]
    /// `--redis`, for tests that compare against a real Redis server.
    let reference: ReferenceOptions

    func run(_ items: [(test: String, seed: UInt64)], registry: PluginRegistry,
             parameters: [String: String], scratch: URL) throws -> [TestResult] {
        let limit = timeout.map(Duration.seconds(commandLine:))
        let tests = items.compactMap { registry.test(named: $0.test) }
        // Started before the workers and stopped after them; also stopped on an interrupt.
        let servers = reference.servers(for: tests, slots: jobs)
        defer { servers?.stop() }
        let jobs = workers(for: servers)
        let bar = ProgressBar(total: items.count)
        defer { bar.finish() }
        if jobs == 0 {
            servers?.exportToThisProcess()
            return items.enumerated().map { index, item in
                defer { bar.update(index + 1) }
                guard let test = registry.test(named: item.test) else { return TestResult.missing(item.test, seed: item.seed) }
                return TestRunner.run(test, seed: item.seed, parameters: parameters, scratchRoot: scratch, timeout: limit)
            }
        }
        var arguments = ["worker"] + pluginPaths.flatMap { ["--plugin", $0] } + parameterArguments.flatMap { ["--param", $0] }
        if let timeout { arguments += ["--timeout", String(timeout)] }
        let pool = WorkerPool(executable: Self.executablePath, arguments: arguments, jobs: jobs, timeout: limit,
                              environment: { servers?.environment(slot: $0) ?? [:] })
        do {
            return try pool.run(items, progress: bar.update)
        } catch {
            Console.error("dst-host: \(error)")
            throw ExitCode(2)
        }
    }

    /// Worker processes a run uses: `--jobs`, except that a shared `--redis` server takes one
    /// run at a time (every run empties it).
    func workers(for servers: ReferenceServers?) -> Int {
        servers?.isShared == true ? min(jobs, 1) : jobs
    }

    /// Whether the items need a shared reference server, which limits the run to one worker.
    func usesSharedReference(_ items: [(test: String, seed: UInt64)], registry: PluginRegistry) -> Bool {
        reference.redis != nil && items.contains { registry.test(named: $0.test)?.tags.contains(ReferenceServers.tag) == true }
    }

    /// This binary, for spawning workers (argv[0] may be a bare name found on PATH).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
