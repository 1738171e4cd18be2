import Foundation
import Testing

/// The Soak suite end to end: the real dst-host and libSoak.so, worker threads on a real WAL
/// file (ABI 1.4). A clean engine passes and reports its figures and charts; the planted
/// statement leak (`leak_statement`: a statement prepared per write command and never
/// finalized) is caught by the RSS trend.
///
/// Short runs (30 s at 1-s intervals): long enough for the trend of a leak of the planted
/// kind, which grows RSS by about a MiB a second at the default pace; the figures of a real
/// soak come from `dst-host soak --duration 10m` and longer.
@Suite(.serialized) struct SoakSuiteTests {
    @Test func aCleanEnginePassesWithFiguresAndCharts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-soak-\(getpid())-clean")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try HostHarness.run(["soak", "--duration", "30", "--interval", "1", "--artifacts", folder.path])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ soak/mixed_load  1/1 seeds"), "\(result.output)")
        for figure in ["rss_slope_lower_bound = ", "fds_slope = ", "throughput_cv = ", "latency_p99 = ", "wal_max = ",
                       "stale_reads = 0", "expired_unpurged = 0", "error_replies = 0"] {
            #expect(result.output.contains(figure), "\(figure) missing:\n\(result.output)")
        }
        let charts = folder.appendingPathComponent("soak-mixed_load/seed-0")
        for name in ["rss.svg", "fds.svg", "throughput.svg", "latency_p99.svg", "wal.svg", "samples.csv"] {
            let text = (try? String(contentsOf: charts.appendingPathComponent(name), encoding: .utf8)) ?? ""
            #expect(name.hasSuffix(".csv") ? text.hasPrefix("time_s,rss_bytes") : text.contains("<svg"), "\(name): \(text.prefix(200))")
        }
    }

    @Test func thePlantedStatementLeakIsCaught() throws {
        let result = try HostHarness.run(["soak", "--duration", "30", "--interval", "1"],
                                         environment: ["DST_PLANTED_DEFECT": "leak_statement"])
        #expect(result.status == 1, "\(result.output)\(result.error)")
        #expect(result.output.contains("✗ soak/mixed_load"), "\(result.output)")
        #expect(result.output.contains("RSS leak: RSS: slope +") && result.output.contains(": LEAK"), "\(result.output)")
        #expect(result.output.contains("replay: dst-host replay --seed 0 --test soak/mixed_load"), "\(result.output)")
    }
}
