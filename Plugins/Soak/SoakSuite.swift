// libSoak.so: continuous mixed load over time, judged by the trend of its samples.

import DSTPluginSDK

/// Fills the host's descriptor with this suite (the C entry lives in `SoakEntry`).
public func exportSoakSuite(host: UnsafePointer<dst_host_api>?, into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    SoakSuite.export(host: host, into: out)
}

/// The soak suite: `dst-host soak --duration 1h --interval 10`. Tagged `timed` (the host runs
/// it once, for `--duration`) and `measurement` (the host shows its figures).
enum SoakSuite: Suite {
    static let name = "soak"
    static let version = "1.0.0"
    static let description = "Long-running mixed load: leaks, throughput stability, expiry and WAL size judged from trends"
    static let tests: [TestCase] = [
        TestCase("mixed_load",
                 "Paced mixed load with expiring keys from several threads on one WAL file; RSS, fds, WAL, throughput and latency sampled every interval and judged by their trends",
                 tags: ["soak", "timed", "measurement"]) { run in
            try SoakRun.run(run)
        },
    ]
}
