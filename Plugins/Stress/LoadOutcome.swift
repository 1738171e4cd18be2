import Histogram

/// What one connection's thread did in the timed window.
struct ConnectionTally {
    var latencies = Histogram<UInt64>(highestTrackableValue: 120_000_000_000, numberOfSignificantValueDigits: .three)
    var operations = 0
    /// Commands refused with "database is locked" after the busy timeout: not acknowledged,
    /// no effect (SQLite rolled the statement back), the documented busy outcome.
    var busyErrors = 0
    /// Any other error reply: the first of them, and how many.
    var firstUnexpectedError: String?
    var unexpectedErrors = 0
    /// Acknowledged INCRs of the connection's own counter.
    var ownIncrements = 0
    /// Acknowledged INCRs per hot counter.
    var hotIncrements = Array(repeating: 0, count: Scenario.hotCounters)
    /// A thrown host error (the engine could not be called at all).
    var hostError: String?
}

/// What a scenario measured and found, ready to be reported.
struct LoadOutcome {
    var scenario: Scenario
    var latencies: Histogram<UInt64>
    var operations: Int
    var elapsedSeconds: Double
    var busyErrors: Int
    var unexpectedErrors: Int
    var firstUnexpectedError: String?
    /// Resident memory at the end of the window, every connection still open.
    var rssBytes: UInt64
    /// The worker process's high-water mark so far (earlier scenarios in the same process count).
    var peakRSSBytes: UInt64
    var openFileDescriptors: UInt64
    var databaseBytes: UInt64
    var walBytes: UInt64
    /// The longest time no write succeeded, to the watchdog's 10 ms: how long the write lock
    /// was held (or the writers starved).
    var longestWriteGapMilliseconds: Int
    /// Set when the watchdog fired.
    var deadlock: String?
    /// Problems the final-state check found.
    var inconsistencies: [String]
    var hostErrors: [String]

    var operationsPerSecond: Double { elapsedSeconds > 0 ? Double(operations) / elapsedSeconds : 0 }

    /// The latency at `percentile`, in microseconds.
    func microseconds(_ percentile: Double) -> Double {
        Double(latencies.valueAtPercentile(percentile)) / 1000
    }

    var maxMicroseconds: Double { Double(latencies.max) / 1000 }
}
