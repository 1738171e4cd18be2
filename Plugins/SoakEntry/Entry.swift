// libSoak.so's C entry point, alone in its target (see exportSoakSuite).
import DSTPluginSDK
import Soak

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    exportSoakSuite(host: host, into: out)
}
