// libOracle.so's C entry point, alone in its target (see exportOracleSuite).
import DSTPluginSDK
import Oracle

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    exportOracleSuite(host: host, into: out)
}
