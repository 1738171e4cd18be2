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
    /// `--target resp://host:port`: the server every engine of the run connects to.
    var target: RESPTarget? = nil

    /// Runs `items`, then whatever `more` gives until it gives nothing (a timed run's rounds),
    /// with one set of workers and reference servers for all of them.
    func run(_ items: [(test: String, seed: UInt64)], more: () -> [(test: String, seed: UInt64)] = { [] },
             timed: Bool = false, registry: PluginRegistry,
             parameters: [String: String], scratch: URL) throws -> [TestResult] {
        let limit = timeout.map(Duration.seconds(commandLine:))
        let tests = items.compactMap { registry.test(named: $0.test) }
        // Started before the workers and stopped after them; also stopped on an interrupt.
        let servers = reference.servers(for: tests, slots: jobs)
        defer { servers?.stop() }
        let jobs = workers(for: tests)
        // A timed run has no total to count towards.
        let bar = ProgressBar(total: timed ? 0 : items.count)
        defer { bar.finish() }
        if jobs == 0 {
            servers?.exportToThisProcess()
            target?.exportToThisProcess()
            var results: [TestResult] = []
            var batch = items
            while !batch.isEmpty {
                for item in batch {
                    guard let test = registry.test(named: item.test) else {
                        results.append(TestResult.missing(item.test, seed: item.seed))
                        continue
                    }
                    results.append(TestRunner.run(test, seed: item.seed, parameters: parameters, scratchRoot: scratch, timeout: limit))
                    bar.update(results.count)
                }
                batch = more()
            }
            return results
        }
        var arguments = ["worker"] + pluginPaths.flatMap { ["--plugin", $0] } + parameterArguments.flatMap { ["--param", $0] }
        if let timeout { arguments += ["--timeout", String(timeout)] }
        let pool = WorkerPool(executable: Self.executablePath, arguments: arguments, jobs: jobs, timeout: limit,
                              environment: { slot in
                                  (servers?.environment(slot: slot) ?? [:]).merging(target?.environment ?? [:]) { $1 }
                              })
        do {
            return try pool.run(items, more: more, progress: bar.update)
        } catch {
            Console.error("dst-host: \(error)")
            throw ExitCode(2)
        }
    }

    /// Worker processes that run `tests`: `--jobs`, except that a `--redis` server or a RESP
    /// target, shared, takes one run at a time (every run empties it), and so do load tests
    /// (tagged `measurement`): each uses every core itself, and two at once would halve each
    /// other's figures.
    func workers(for tests: [LoadedTest]) -> Int {
        let sharedServer = target != nil || (reference.redis != nil && tests.contains { $0.tags.contains(ReferenceServers.tag) })
        let measuring = tests.contains { $0.tags.contains("measurement") }
        return sharedServer || measuring ? min(jobs, 1) : jobs
    }

    /// This binary, for spawning workers (argv[0] may be a bare name found on PATH).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
