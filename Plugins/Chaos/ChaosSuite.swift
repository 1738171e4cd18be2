import DSTPluginSDK

@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    ChaosSuite.export(host: host, into: out)
}

enum ChaosSuite: Suite {
    static let name = "chaos"
    static let version = "0.0.1"
    static let description = "Fault injection through the simulated disk (being built)"
    static let tests: [TestCase] = [
        TestCase("disk_full", "being built") { _ in throw Skip("being built") },
    ]
}
