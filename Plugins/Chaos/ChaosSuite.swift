// libChaos.so: fault injection through the host's simulated disk (ABI 1.1). Each fault test
// runs a seeded workload over strings, hashes, lists, sets and sorted sets against a Swift
// model on a database of the simulated disk, with one kind of fault planned, and checks what
// that fault allows: errors reported, never wrong data; after a power loss, a prefix of the
// commits (every acknowledged one under FULL durability). Failures are shrunk and saved as
// minimized-trace.txt. See /work/shared/notes/SIMULATION.md for the fault model.

import DSTPluginSDK

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    ChaosSuite.export(host: host, into: out)
}

/// The chaos suite: one `fault`-tagged test per fault (the host's `--faults a,b` selects them
/// by name) and the `sweep`-tagged faultsim sweep (`--sweep`). Sizes come from the "ops"
/// (default 200) and "keys" (default 12) parameters; the sweep's from "sweep_ops".
enum ChaosSuite: Suite {
    static let name = "chaos"
    static let version = "1.0.0"
    static let description = "Fault injection through the simulated disk (full disks, bit rot, misdirected and torn writes, power loss, lying syncs, slow I/O) and dropped client connections"

    static let tests: [TestCase] = Fault.allCases.map { fault in
        TestCase(fault.rawValue, fault.summary, tags: ["chaos", "fault"], seeds: 20) { try FaultCheck.run(fault, $0) }
    } + [
        TestCase("connection_drop", "Client connections drop mid-command and mid-reply: acknowledged writes stay, a cut request never runs, a dropped one runs entirely or not at all, the server keeps serving",
                 tags: ["chaos", "fault"], seeds: 20) { try ConnectionDrop.run($0) },
        TestCase("sweep", "faultsim: crash at every xWrite and xSync, fail every N-th xWrite/xRead once and for good, on a small workload",
                 tags: ["chaos", "sweep"], seeds: 3) { try Sweep.run($0) },
    ]
}
