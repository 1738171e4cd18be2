// libSoak.so: continuous mixed load over time, judged by the trend of its samples.

import DSTPluginSDK

/// Fills the host's descriptor with this suite (the C entry lives in `SoakEntry`).
public func exportSoakSuite(host: UnsafePointer<dst_host_api>?, into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    SoakSuite.export(host: host, into: out)
}

enum SoakSuite: Suite {
    static let name = "soak"
    static let version = "1.0.0"
    static let description = "Long-running mixed load: leaks, throughput stability, expiry and WAL size judged from trends"
    static let tests: [TestCase] = []
}
