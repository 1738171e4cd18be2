import ArgumentParser
import Foundation
import Redlite
import SQLite

/// `redlite-bench`: the engine's throughput and latency per command, measured side by side
/// with raw SQLite prepared statements doing the equivalent SQL on the same schema, in the
/// same run, so the ratio is meaningful on a shared, noisy machine.
@main
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redlite-bench",
        abstract: "Benchmark the Redlite engine against raw SQLite, embedded, on a WAL file.")

    @Option(help: "Timed operations per command and side.")
    var operations: Int = 200_000

    @Option(help: "Rounds to split the operations into; sides alternate every round.")
    var rounds: Int = 4

    @Option(help: "Distinct keys for GET, SET and INCR.")
    var keys: Int = 10_000

    @Option(help: "synchronous mode of the WAL file: normal or full.")
    var durability: String = "normal"

    @Option(help: "Folder for the database files (default: a new temporary folder, removed after).")
    var directory: String?

    @Option(help: "Comma-separated commands to run (default: all).")
    var only: String?

    func validate() throws {
        guard operations > 0, rounds > 0, operations >= rounds else {
            throw ValidationError("--operations must be at least --rounds, and both positive")
        }
        guard keys > 0 else { throw ValidationError("--keys must be positive") }
        guard StorageOptions.Durability(rawValue: durability) != nil else {
            throw ValidationError("--durability must be 'normal' or 'full', not '\(durability)'")
        }
    }

    func run() throws {
        let durability = StorageOptions.Durability(rawValue: self.durability) ?? .normal
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("redlite-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }

        let selected = only.map { Set($0.uppercased().split(separator: ",").map(String.init)) }
        let workloads = Workload.all(keySpace: keys).filter { selected?.contains($0.name) ?? true }
        guard !workloads.isEmpty else { throw ValidationError("--only matched no command") }

        print("redlite-bench: \(operations) ops per command and side, \(rounds) alternating rounds, "
              + "WAL synchronous=\(durability.rawValue.uppercased()), SQLite \(Database.libraryVersion)")
        print("")
        print("| command | Redlite ops/s | p50 µs | p99 µs | raw SQLite ops/s | p50 µs | p99 µs | Redlite/raw |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        var results: [(String, Stopwatch, Stopwatch)] = []
        for workload in workloads {
            let (engine, raw) = try measure(workload, in: folder, durability: durability)
            results.append((workload.name, engine, raw))
            print("| \(workload.name) | \(format(engine.opsPerSecond)) | \(format(engine.microseconds(atPercentile: 50), 2)) "
                  + "| \(format(engine.microseconds(atPercentile: 99), 2)) | \(format(raw.opsPerSecond)) "
                  + "| \(format(raw.microseconds(atPercentile: 50), 2)) | \(format(raw.microseconds(atPercentile: 99), 2)) "
                  + "| \(format(100 * engine.opsPerSecond / raw.opsPerSecond))% |")
        }
        print("")
        printTargets(results, durability: durability)
    }

    /// Runs one workload on two fresh files with identical content: the engine on one, raw
    /// SQLite on the other, alternating every round.
    private func measure(_ workload: Workload, in folder: URL, durability: StorageOptions.Durability) throws -> (Stopwatch, Stopwatch) {
        let enginePath = folder.appendingPathComponent("\(workload.name)-engine.db").path
        let rawPath = folder.appendingPathComponent("\(workload.name)-raw.db").path
        for path in [enginePath, rawPath] {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let clock = ManualClock()
        let engine = try RedliteConnection(.file(enginePath, durability: durability), clock: clock, random: SeededRandom(seed: 1))
        // The raw side's file gets the same schema and data through the engine, then is driven
        // by plain statements.
        do {
            let preparer = try RedliteConnection(.file(rawPath, durability: durability), clock: clock, random: SeededRandom(seed: 1))
            for command in workload.setup(operations) {
                for connection in [engine, preparer] {
                    if case .error(let message) = connection.execute(command) {
                        throw BenchmarkFailure("setup of \(workload.name) failed: \(message)")
                    }
                }
            }
        }
        let rawDatabase = try Database(path: rawPath)
        try rawDatabase.execute("""
            PRAGMA journal_mode = WAL; PRAGMA synchronous = \(durability.rawValue.uppercased());
            PRAGMA foreign_keys = ON; PRAGMA cache_size = -64000; PRAGMA temp_store = MEMORY;
            PRAGMA mmap_size = 268435456;
            """)
        let raw = RawSQLite(database: rawDatabase)

        let perRound = operations / rounds
        var engineWatch = Stopwatch(), rawWatch = Stopwatch()
        for round in 0..<rounds {
            let range = (round * perRound)..<((round + 1) * perRound)
            let runEngine = {
                for i in range {
                    let command = workload.command(i)
                    var reply: Reply = .null
                    engineWatch.time { reply = engine.execute(command) }
                    if case .error(let message) = reply { throw BenchmarkFailure("\(workload.name) failed: \(message)") }
                }
            }
            let runRaw = {
                for i in range { try rawWatch.time { try workload.raw(raw, i) } }
            }
            if round % 2 == 0 { try runEngine(); try runRaw() } else { try runRaw(); try runEngine() }
        }
        return (engineWatch, rawWatch)
    }

    private func printTargets(_ results: [(String, Stopwatch, Stopwatch)], durability: StorageOptions.Durability) {
        print("Targets (upstream Redlite's published embedded figures are for synchronous=NORMAL):")
        let absolute = ["GET": 200_000.0, "SET": 45_000.0]
        for (name, engine, raw) in results {
            if let target = absolute[name], durability == .normal {
                let verdict = engine.opsPerSecond >= target ? "met" : "MISSED"
                print("- \(name) ≥ \(format(target)) ops/s: \(format(engine.opsPerSecond)) ops/s, \(verdict)")
            }
            let ratio = engine.opsPerSecond / raw.opsPerSecond
            print("- \(name) ≥ 50% of raw SQLite: \(format(100 * ratio))%, \(ratio >= 0.5 ? "met" : "MISSED")")
        }
    }

    private func format(_ value: Double, _ decimals: Int = 0) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

/// A benchmark that cannot go on (a command answered an error): printed as one line, exit 1.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
