import ArgumentParser
import DSTHostCore
import Foundation

/// A run's N shards as N child processes of this binary, side by side, each a one-core
/// "machine" (`--jobs 1`) writing its JSON report into a folder; then the reports merged.
struct LocalShards {
    /// The run's arguments after `dst-host` (no shard or report options).
    let arguments: [String]
    let machines: Int
    /// Where the shards' reports (`report-K.json`) and logs (`shard-K.log`, `shard-K.err`) go.
    let folder: URL

    /// How a child process ended.
    struct Outcome {
        /// Its exit status, or 128 + the signal that killed it.
        var status: Int32
        /// `exit status 2`, `killed by signal 9 (SIGKILL)`.
        var how: String
        /// The last lines of its standard error.
        var tail: String
    }

    /// Runs every shard at once, waits for all, and merges their reports. A shard that crashed
    /// (exit status other than 0 or 1, or no report) is named with its standard error's tail,
    /// and the run ends with exit status 2.
    func run() throws -> RunReport {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        Console.line("dst-host: \(machines) local machine\(machines == 1 ? "" : "s") of 1 core: "
                     + "dst-host \(arguments.joined(separator: " ")) --shard K/\(machines)")
        let reports = (1...machines).map { folder.appendingPathComponent("report-\($0).json").path }
        for report in reports { try? FileManager.default.removeItem(atPath: report) }
        let children = try (1...machines).map { index in
            try Self.startChild(arguments + ["--shard", "\(index)/\(machines)", "--format", "json", "--output", reports[index - 1], "--jobs", "1"],
                                output: folder.appendingPathComponent("shard-\(index).log").path,
                                error: folder.appendingPathComponent("shard-\(index).err").path)
        }
        var crashed = false
        for (offset, child) in children.enumerated() {
            let outcome = child.wait()
            guard outcome.status > 1 || !FileManager.default.fileExists(atPath: reports[offset]) else { continue }
            crashed = true
            Console.error("dst-host: shard \(offset + 1)/\(machines) crashed (\(outcome.how)); its standard error ends:\n" + outcome.tail)
        }
        if crashed { throw ExitCode(2) }
        return try mergeReports(reports)
    }

    /// A started child, and how to wait for it.
    struct Child {
        let process: Process
        let errorFile: String

        func wait() -> Outcome {
            process.waitUntilExit()
            let signaled = process.terminationReason == .uncaughtSignal
            let how = signaled ? WaitStatus.signaled(process.terminationStatus).description : "exit status \(process.terminationStatus)"
            let text = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(8).map { "  " + $0 }.joined(separator: "\n")
            return Outcome(status: signaled ? 128 + process.terminationStatus : process.terminationStatus, how: how, tail: tail)
        }
    }

    /// Starts this binary with `arguments`, its standard output and error into files.
    static func startChild(_ arguments: [String], output: String, error: String) throws -> Child {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Executor.executablePath)
        process.arguments = arguments
        for file in [output, error] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: error))
        try process.run()
        return Child(process: process, errorFile: error)
    }

    /// Runs this binary with `arguments` to the end; its output goes to `log`.
    static func runChild(_ arguments: [String], log: String) throws -> Outcome {
        try startChild(arguments, output: log, error: log + ".err").wait()
    }
}
