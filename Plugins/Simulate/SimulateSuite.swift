// libSimulate.so: deterministic simulation. Several virtual connections share one database
// file on the host's simulated disk and run seeded batches of single-key commands at once (the
// host's scheduler interleaves them at every VFS call and busy wait, from the seed); the
// recorded history must be linearizable against a model of each key, checked per key by a
// Wing–Gong/Lowe search with state caching (Porcupine's algorithm). Power losses, reconnects
// and hot-key contention come on top. A violation is shrunk by replaying smaller programs.

import DSTPluginSDK

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    SimulateSuite.export(host: host, into: out)
}

/// The simulate suite. Sizes come from the "ops" parameter (default 1000 commands per run).
enum SimulateSuite: Suite {
    static let name = "simulate"
    static let version = "1.0.0"
    static let description = "Concurrent connections on the simulated disk: histories checked for linearizability, crashes, reconnects, contention"

    private static let tags = ["simulate"]

    static let tests: [TestCase] = [
        TestCase("concurrent_operations", "2-10 connections run seeded batches of single-key commands at once; the history must be linearizable",
                 tags: tags, seeds: 10, Scenarios.concurrentOperations),
        TestCase("crash_recovery", "FULL durability, power lost at a seeded write: acknowledged writes survive, cut-off ones may or may not",
                 tags: tags, seeds: 10, Scenarios.crashRecovery),
        TestCase("connection_storm", "Connections closed and reopened between batches while the checked workload goes on",
                 tags: tags, seeds: 10, Scenarios.connectionStorm),
        TestCase("write_contention", "10 connections on 2-3 hot keys: busy waits everywhere, still linearizable",
                 tags: tags, seeds: 10, Scenarios.writeContention),
        TestCase("checker_self_test", "The linearizability checker on known histories, and its speed on 10,000 operations",
                 tags: ["simulate", "selftest"], CheckerSelfTest.run),
    ]
}
