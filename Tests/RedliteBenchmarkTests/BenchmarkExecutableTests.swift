import Foundation
import Testing

/// Runs the real `redlite-bench` binary, as a user would.
@Suite struct BenchmarkExecutableTests {
    /// The built executable, beside the test bundle in the build folder.
    private var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("redlite-bench")
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test func printsTheComparisonTable() throws {
        let result = try run(["--operations", "200", "--rounds", "2", "--keys", "50"])
        #expect(result.status == 0, "stderr: \(result.error)")
        #expect(result.output.contains("| command | Redlite ops/s | p50 µs | p99 µs | raw SQLite ops/s"))
        for command in ["GET", "SET", "INCR", "LPUSH", "HSET", "ZADD", "ZRANGE"] {
            #expect(result.output.contains("| \(command) | "), "missing row for \(command)")
        }
        #expect(result.output.contains("GET ≥ 50% of raw SQLite"))
    }

    @Test func rejectsBadArgumentsWithOneLine() throws {
        let result = try run(["--durability", "sometimes"])
        #expect(result.status != 0)
        #expect(result.error.contains("--durability must be 'normal' or 'full', not 'sometimes'"))
    }
}
