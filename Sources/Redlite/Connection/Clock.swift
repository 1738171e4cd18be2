import Glibc

/// The time source every TTL decision reads. Inject a ``ManualClock`` to run on virtual time.
public protocol RedliteClock: AnyObject {
    /// Microseconds since the Unix epoch.
    func nowMicroseconds() -> Int64
}

extension RedliteClock {
    /// Milliseconds since the Unix epoch: the unit of `keys.expire_at`.
    @inline(__always)
    public func nowMilliseconds() -> Int64 { nowMicroseconds() / 1000 }
}

/// Wall-clock time (`CLOCK_REALTIME`), for production use.
public final class SystemClock: RedliteClock {
    public init() {}

    public func nowMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
    }
}

/// Virtual time that moves only when told to, so tests and simulations are reproducible.
public final class ManualClock: RedliteClock {
    /// Microseconds since the Unix epoch.
    public var microseconds: Int64

    /// Starts at `milliseconds` since the epoch (default: 2026-01-01T00:00:00Z).
    public init(milliseconds: Int64 = 1_767_225_600_000) {
        self.microseconds = milliseconds * 1000
    }

    public func nowMicroseconds() -> Int64 { microseconds }

    /// Moves time forward by `milliseconds`.
    public func advance(milliseconds: Int64) { microseconds += milliseconds * 1000 }
}
