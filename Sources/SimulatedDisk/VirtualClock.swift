/// The run's virtual time, which the disk reads (xCurrentTimeInt64) and moves (xSleep, slow
/// I/O, everyone waiting at once).
public protocol VirtualClock: AnyObject {
    /// Microseconds since the Unix epoch.
    func nowMicroseconds() -> Int64
    /// Moves time forward.
    func advance(microseconds: Int64)
}
