// libStress.so: load on real threads, each its own connection to one WAL database file.

import DSTPluginSDK

/// Fills the host's descriptor with this suite (the C entry lives in `StressEntry`).
public func exportStressSuite(host: UnsafePointer<dst_host_api>?, into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    StressSuite.export(host: host, into: out)
}

/// The stress suite: one test per scenario family of the issue. Each is a measurement (the
/// host runs them one at a time and shows their figures) that also fails on a deadlock, a
/// stall, an unexpected error, a lost acknowledged write or running past the memory bound.
///
/// Parameters: `connections` and `keys` (the `load` test; `--connections`, `--keys`),
/// `seconds` (the timed window of each scenario), `watchdog_ms`, `stall_ms`, `max_rss_mb`.
enum StressSuite: Suite {
    static let name = "stress"
    static let version = "1.0.0"
    static let description = "Throughput, latency percentiles and resources under load from real threads"

    static let tags = ["stress", "measurement"]

    static let tests: [TestCase] = [
        TestCase("load", "--connections connections (100) on --keys keys (100,000), 80% reads, 100-byte values",
                 tags: tags) { run in
            let connections = max(1, try run.parameter("connections", default: 100))
            let keys = max(1, try run.parameter("keys", default: 100_000))
            try measure(run, [Scenario(name: "load", connections: connections, keys: keys, valueBytes: 100,
                                       readPercent: 80, seconds: try seconds(run))])
        },
        TestCase("connection_scale", "10, 100 and 1000 connections on 10,000 keys, 80% reads", tags: tags) { run in
            try measure(run, [10, 100, 1000].map {
                Scenario(name: "c\($0)", connections: $0, keys: 10_000, valueBytes: 100, readPercent: 80, seconds: try seconds(run))
            })
        },
        TestCase("key_space", "1K, 100K and 1M keys on 10 connections, 80% reads (1M keys without running out of memory)",
                 tags: tags) { run in
            try measure(run, [("1k", 1_000), ("100k", 100_000), ("1m", 1_000_000)].map {
                Scenario(name: "k\($0.0)", connections: 10, keys: $0.1, valueBytes: 100, readPercent: 80, seconds: try seconds(run))
            })
        },
        TestCase("hot_keys", "100 connections writing 10 hot counters (90% of writes), 20% reads", tags: tags) { run in
            try measure(run, [Scenario(name: "hot", connections: 100, keys: 10, valueBytes: 16, readPercent: 20,
                                       hotWritePercent: 90, seconds: try seconds(run))])
        },
        TestCase("large_values", "1 KB, 10 KB and 100 KB values on 1,000 keys, 10 connections", tags: tags) { run in
            try measure(run, [("1kb", 1_024), ("10kb", 10_240), ("100kb", 102_400)].map {
                Scenario(name: "v\($0.0)", connections: 10, keys: 1_000, valueBytes: $0.1, readPercent: 80, seconds: try seconds(run))
            })
        },
        TestCase("mixes", "read-heavy (95% reads) and write-heavy (20% reads) on 100 connections", tags: tags) { run in
            try measure(run, [("read_heavy", 95), ("write_heavy", 20)].map {
                Scenario(name: $0.0, connections: 100, keys: 10_000, valueBytes: 100, readPercent: $0.1, seconds: try seconds(run))
            })
        },
    ]

    static func seconds(_ run: TestRun) throws -> Double {
        max(0.1, try run.parameter("seconds", default: 3.0))
    }

    /// Runs the scenarios one after the other, reporting each one's figures and verdicts.
    static func measure(_ run: TestRun, _ scenarios: [Scenario]) throws {
        let bounds = LoadBounds(watchdogMilliseconds: max(100, try run.parameter("watchdog_ms", default: 10_000)),
                                stallMilliseconds: max(1, try run.parameter("stall_ms", default: 2_000)),
                                maxRSSMegabytes: max(1, try run.parameter("max_rss_mb", default: 4_096)))
        for scenario in scenarios {
            try run.checkCancellation()
            let outcome = try LoadRunner(run: run, scenario: scenario, bounds: bounds).measure()
            LoadVerdict.report(outcome, bounds: bounds, to: run)
        }
    }
}
