import DSTPluginAPI

/// The result of one test on one seed, as every reporter sees it.
public struct TestResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case passed, failed, skipped
        /// The plugin answered an error status (< 0) rather than a verdict.
        case error
        /// The worker died: a signal, or exit() called by the plugin.
        case crashed
        /// The seed ran past its timeout.
        case timedOut = "timed_out"
    }

    /// `suite/test`.
    public let test: String
    public let seed: UInt64
    public let outcome: Outcome
    /// The status the test's run function returned.
    public let status: Int32
    /// Every failed check, in order.
    public let failures: [String]
    /// The last log lines (what a failure report shows).
    public let logTail: [String]
    public let metrics: [Metric]
    public let artifacts: [Artifact]
    /// The FNV-1a hash of the run's trace (engine calls, replies, clock moves, plugin events).
    public let traceHash: String
    public let durationMicroseconds: Int64
    /// The readable trace, when the run recorded one (replay).
    public var traceLines: [String]? = nil
    /// Commands the run's engines executed.
    public var simulatedOperations: Int64? = nil
    /// Virtual time the run's clock advanced, in microseconds.
    public var simulatedMicroseconds: Int64? = nil

    public var passed: Bool { outcome == .passed || outcome == .skipped }

    /// The result for a test the worker could not find (its plugins differ from the host's).
    public static func missing(_ test: String, seed: UInt64) -> TestResult {
        TestResult(test: test, seed: seed, outcome: .error, status: -1, failures: ["the worker has no test named \(test)"],
                   logTail: [], metrics: [], artifacts: [], traceHash: "", durationMicroseconds: 0)
    }

    /// The result for a test that was not run here, and why (the console shows the reason).
    public static func skipped(_ test: String, seed: UInt64, reason: String) -> TestResult {
        TestResult(test: test, seed: seed, outcome: .skipped, status: DST_SKIP, failures: [], logTail: ["skipped: \(reason)"],
                   metrics: [], artifacts: [], traceHash: "", durationMicroseconds: 0)
    }

    /// The same result, failed with one more message (e.g. a determinism check's verdict).
    public func failing(with message: String) -> TestResult {
        TestResult(test: test, seed: seed, outcome: .failed, status: status, failures: failures + [message],
                   logTail: logTail, metrics: metrics, artifacts: artifacts, traceHash: traceHash,
                   durationMicroseconds: durationMicroseconds, traceLines: traceLines,
                   simulatedOperations: simulatedOperations, simulatedMicroseconds: simulatedMicroseconds)
    }
}
