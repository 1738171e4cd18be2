import DSTPluginSDK

/// What one soak run does and how it is judged, from the run's parameters
/// (`--duration 2m --interval 5 --connections 4 --param rate=1000`).
struct SoakParameters: Sendable {
    /// Seconds of load (the host passes `--duration` as `duration` to tests tagged `timed`).
    var duration: Double
    /// Seconds between samples.
    var interval: Double
    /// Worker threads, each with its own connection to the one database file.
    var connections: Int
    /// Operations per second, all workers together. Paced rather than flat out: the machine
    /// has two cores shared with other work, and a saturated machine measures its own
    /// scheduler. At the default a healthy engine keeps the pace with most of a core to spare,
    /// so throughput only drops when the engine itself slows down.
    var rate: Double
    /// Keys per data type (strings, counters, hashes, lists, sets, sorted sets). 200 makes a
    /// 3 MiB database, filled before the load, and the workload's deletes and expiries renew
    /// every key within a minute or so, so the data is in its steady state from the start.
    var keys: Int
    /// RSS slope allowed, bytes per second.
    var rssTolerance: Double
    /// Open-descriptor slope allowed, descriptors per minute.
    var fdTolerance: Double
    /// How long after its expiry an expired key may still be stored, in milliseconds.
    var purgeBoundMilliseconds: Int
    /// WAL frames allowed past the autocheckpoint threshold.
    var walSlackPages: Int

    /// The longest TTL the workload sets (EXPIRE up to 5 s): the drain at the end waits this
    /// long plus the purge bound, so that every key with an expiry has lapsed by then.
    static let longestTTLMilliseconds = 5_000

    /// The defaults, and what the command line overrides.
    init(_ run: TestRun) throws {
        duration = try run.parameter("duration", default: 120.0)
        interval = try run.parameter("interval", default: 5.0)
        connections = try run.parameter("connections", default: 4)
        rate = try run.parameter("rate", default: 1000.0)
        keys = try run.parameter("keys", default: 200)
        // 1 KiB/s is 3.5 MiB an hour, 84 MiB a day: below it a 24-hour soak could not tell
        // growth from the allocator settling. The planted statement leak grows RSS by about
        // 1.1 MiB/s at the default rate; a clean 10-minute run measured +0.9 KiB/s, 99% lower
        // bound below zero.
        rssTolerance = try run.parameter("rss_tolerance", default: 1024.0)
        // Descriptors do not wander: a flat count has a slope of exactly zero, and one kept
        // open every 20 minutes is already a leak.
        fdTolerance = try run.parameter("fd_tolerance", default: 0.05)
        purgeBoundMilliseconds = try run.parameter("purge_bound_ms", default: 1000)
        walSlackPages = try run.parameter("wal_slack_pages", default: 3000)
        guard duration > 0, interval > 0, connections >= 1, rate > 0, keys >= 1, purgeBoundMilliseconds >= 0 else {
            throw SDKError(DST_ERR_INVALID_ARGUMENT, "soak needs duration, interval, connections, rate and keys above zero")
        }
    }

    /// The last stretch of the run, in seconds, during which the workers set no new expiries,
    /// so that at the end every key that ever had one expired at least the purge bound ago:
    /// the longest TTL, the bound, and a second for commands still in flight when it began.
    var drainSeconds: Double {
        Double(Self.longestTTLMilliseconds + purgeBoundMilliseconds) / 1000 + 1
    }

    /// Whether the run is long enough for a drain: at least twice the drain, so that the load
    /// with expiries lasts at least as long as the drain.
    var hasDrain: Bool { duration >= 2 * drainSeconds }
}
