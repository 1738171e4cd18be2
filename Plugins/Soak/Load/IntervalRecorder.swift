import Histogram
import Synchronization

/// What one worker did since the last sample: commands, error replies and an HDR histogram of
/// command latencies. The worker records, the sampler takes it away every interval.
///
/// One lock per worker, taken once per command by its worker and once per interval by the
/// sampler: it is practically never contended, and costs tens of nanoseconds against commands
/// of tens of microseconds.
final class IntervalRecorder: Sendable {
    /// One interval's record.
    struct Interval: Sendable {
        /// Nanoseconds, 1 ns to 60 s at three significant digits.
        var latencies = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var commands = 0
        var errorReplies = 0
        /// The first error replies, described.
        var errors: [String] = []

        /// Adds `other` to this one.
        mutating func merge(_ other: Interval) {
            latencies.add(other.latencies)
            commands += other.commands
            errorReplies += other.errorReplies
            errors += other.errors.prefix(max(0, IntervalRecorder.errorsKept - errors.count))
        }
    }

    static let errorsKept = 5

    private let current = Mutex(Interval())

    /// Records one command that took `nanoseconds`; `error` describes an error reply.
    func record(nanoseconds: UInt64, error: String? = nil) {
        current.withLock { interval in
            _ = interval.latencies.record(max(nanoseconds, 1))
            interval.commands += 1
            if let error {
                interval.errorReplies += 1
                if interval.errors.count < Self.errorsKept { interval.errors.append(error) }
            }
        }
    }

    /// The interval so far, and a fresh one in its place.
    func take() -> Interval {
        current.withLock { interval in
            defer { interval = Interval() }
            return interval
        }
    }
}
