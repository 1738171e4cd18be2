// libStress.so's C entry point, alone in its target (see exportStressSuite).
import DSTPluginSDK
import Stress

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    exportStressSuite(host: host, into: out)
}
