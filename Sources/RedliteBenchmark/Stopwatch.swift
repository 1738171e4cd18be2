import Glibc
import Histogram

/// Times operations one by one into an HDR histogram (nanoseconds) and keeps the total.
struct Stopwatch {
    private(set) var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    private(set) var totalNanoseconds: UInt64 = 0
    private(set) var operations: UInt64 = 0

    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Runs `body` once and records how long it took.
    @inline(__always)
    mutating func time(_ body: () throws -> Void) rethrows {
        let start = Self.now()
        try body()
        let elapsed = Self.now() - start
        _ = histogram.record(elapsed)
        totalNanoseconds += elapsed
        operations += 1
    }

    var opsPerSecond: Double {
        totalNanoseconds == 0 ? 0 : Double(operations) / (Double(totalNanoseconds) / 1e9)
    }

    /// The latency at `percentile`, in microseconds.
    func microseconds(atPercentile percentile: Double) -> Double {
        Double(histogram.valueAtPercentile(percentile)) / 1000
    }
}
