import DSTPluginSDK

@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    SimulateSuite.export(host: host, into: out)
}

enum SimulateSuite: Suite {
    static let name = "simulate"
    static let version = "0.0.1"
    static let description = "Deterministic simulation (being built)"
    static let tests: [TestCase] = [
        TestCase("concurrent_operations", "being built") { _ in throw Skip("being built") },
    ]
}
