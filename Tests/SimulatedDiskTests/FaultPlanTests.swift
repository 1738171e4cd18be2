import Testing
@testable import SimulatedDisk

@Suite struct FaultPlanTests {
    @Test func parsesEveryKindAndPrintsItBack() throws {
        let text = "disk_full quota=65536; read_eio p=0.01 persistent; crash write=17; crash sync=2; slow_io latency_ms=50 p=0.5; corrupt_read nth=3 file=db; lying_fsync"
        let plan = try FaultPlan(parsing: text)
        #expect(plan.entries.map(\.kind) == [.diskFull, .readEIO, .crash, .crash, .slowIO, .corruptRead, .lyingFsync])
        #expect(plan.entries[0].quota == 65536)
        #expect(plan.entries[1].persistent)
        #expect(plan.entries[2].trigger == .nth(17) && plan.entries[2].crashOn == .write)
        #expect(plan.entries[3].crashOn == .sync)
        #expect(plan.entries[5].file == .db)
        #expect(try FaultPlan(parsing: plan.description) == plan)
        #expect(try FaultPlan(parsing: "").entries.isEmpty)
    }

    @Test(arguments: [
        ("disk_ful quota=1", "unknown fault 'disk_ful' (known: disk_full, write_eio, read_eio, corrupt_read, corrupt_write, misdirected_write, torn_write, lying_fsync, slow_io, lock_error, crash)"),
        ("disk_full", "disk_full needs quota=BYTES"),
        ("read_eio p=2", "read_eio: p must be a probability in [0, 1], not '2'"),
        ("crash", "crash needs write=N, sync=N or p=P"),
        ("write_eio nth=0", "write_eio: nth counts from 1"),
        ("write_eio sometimes", "write_eio: expected key=value, transient or persistent, not 'sometimes'"),
        ("read_eio file=journal", "read_eio: file must be any, db or wal, not 'journal'"),
        ("read_eio color=red", "read_eio: unknown key 'color'"),
    ])
    func refusesMalformedPlans(text: String, message: String) {
        #expect(throws: FaultPlan.ParseError(message: message)) { try FaultPlan(parsing: text) }
    }
}
