import DSTPluginSDK

/// The host's monotonic real clock (ABI 1.4 `wall_clock_ns`), in a value worker threads may
/// hold.
///
/// `TestRun` is not Sendable because most of the host's services belong to the test's thread;
/// `wall_clock_ns` is documented as safe from any thread, and this type exposes nothing else.
/// Real time paces the load and times its commands; it decides nothing the seed decides.
struct WallClock: @unchecked Sendable {
    private let run: TestRun

    /// The clock of `run`; throws on a host before ABI 1.4.
    init(_ run: TestRun) throws {
        _ = try run.wallClockNanoseconds()
        self.run = run
    }

    /// Nanoseconds on a monotonic clock.
    func now() -> UInt64 {
        // Checked in init: the host has the slot, so this cannot throw any more.
        (try? run.wallClockNanoseconds()) ?? 0
    }
}
