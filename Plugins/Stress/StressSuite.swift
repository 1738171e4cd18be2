// libStress.so: load on real threads, each its own connection to one WAL database file.

import DSTPluginSDK

/// Fills the host's descriptor with this suite (the C entry lives in `StressEntry`).
public func exportStressSuite(host: UnsafePointer<dst_host_api>?, into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    StressSuite.export(host: host, into: out)
}

enum StressSuite: Suite {
    static let name = "stress"
    static let version = "1.0.0"
    static let description = "Throughput, latency percentiles and resources under load from real threads"
    static let tests: [TestCase] = []
}
