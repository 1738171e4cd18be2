import Foundation
import Testing

/// The Stress suite end to end: real threads on threaded engines (ABI 1.4) against one WAL
/// file, its figures on the console and in the reports, and the planted lock held too long
/// caught as a stall.
@Suite(.serialized) struct StressSuiteTests {
    /// A small load: what every figure looks like, and a clean pass.
    static let smallLoad = ["stress", "--target", "load", "--connections", "8", "--keys", "500", "--param", "seconds=1"]

    @Test func aSmallLoadPassesAndShowsItsFigures() throws {
        let result = try HostHarness.run(Self.smallLoad)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ stress/load  1/1 seeds"), "\(result.output)")
        for figure in ["load.ops_per_s", "load.p50_us", "load.p99_us", "load.p999_us", "load.max_us", "load.peak_rss_mb",
                       "load.open_fds", "load.db_mb", "load.longest_write_gap_ms"] {
            #expect(result.output.contains("    \(figure) = "), "\(figure) missing: \(result.output)")
        }
        let throughput = result.output.split(separator: "\n").first { $0.contains("load.ops_per_s = ") }
            .flatMap { Double($0.split(separator: " ")[2]) } ?? 0
        #expect(throughput > 100, "\(result.output)")
    }

    @Test func theReportsCarryTheFigures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-host-stress-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("report.json").path
        let result = try HostHarness.run(Self.smallLoad + ["--format", "json", "--output", json])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let test = (report?["tests"] as? [[String: Any]])?.first
        let names = (test?["measurements"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.contains("load.ops_per_s") && names.contains("load.p99_us"), "\(names.joined(separator: ", "))")

        let markdown = folder.appendingPathComponent("report.md").path
        _ = try HostHarness.run(Self.smallLoad + ["--format", "markdown", "--output", markdown])
        let text = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(text.contains("## Measurements") && text.contains("| load.ops_per_s | "), "\(text)")
    }

    /// One connection stuck for 6 s inside a command (the planted hold runs in its thread):
    /// nothing completes, and the watchdog calls it a deadlock after its bound.
    @Test func theWatchdogFiresWhenNoCommandCompletes() throws {
        let result = try HostHarness.run(["stress", "--target", "load", "--connections", "1", "--keys", "100",
                                          "--param", "seconds=3", "--param", "watchdog_ms=1000"],
                                         environment: ["DST_PLANTED_DEFECT": "lock_held_too_long"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("deadlock: no command completed for 1000 ms on 1 connections"), "\(result.output)")
    }

    @Test func aLockHeldTooLongIsCaughtAsAStall() throws {
        let result = try HostHarness.run(["stress", "--target", "load", "--connections", "8", "--keys", "500", "--param", "seconds=3"],
                                         environment: ["DST_PLANTED_DEFECT": "lock_held_too_long"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("✗ stress/load") && result.output.contains("stall: no write succeeded for"), "\(result.output)")
        #expect(result.output.contains("a lock held too long"), "\(result.output)")
    }
}
