/// What a load must stay within to pass: the checks that are not about correctness.
struct LoadBounds: Sendable, Equatable {
    /// No command may complete in this time: the watchdog then declares a deadlock, stops the
    /// load and fails the run.
    var watchdogMilliseconds: Int
    /// No write may succeed in this time while the load runs: a stall (a lock held far too
    /// long). Single commands may wait longer: SQLite's busy handler is not fair, and under a
    /// hundred writers one of them can wait seconds while others get the lock.
    var stallMilliseconds: Int
    /// Peak resident memory of the worker process (running out of memory shows here first).
    var maxRSSMegabytes: Int
}
