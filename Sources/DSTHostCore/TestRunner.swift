import DSTPluginAPI
import Foundation

/// Runs one test on one seed in this process and gathers its result.
public enum TestRunner {
    /// Tests with this tag judge replies by the run's virtual clock (a TTL read right after it
    /// was set must be exact): on a RESP target, which keeps real time, they are skipped.
    public static let virtualClockTag = "virtual_clock"

    /// - Parameters:
    ///   - parameters: `--param key=value` pairs and the run options plugins may read.
    ///   - scratchRoot: where runs create their private folders for database files.
    ///   - timeout: after it, `cancelled` answers 1 (a cooperative deadline; a worker process
    ///     enforces the hard one).
    ///   - onLog: receives each log line as the test writes it.
    public static func run(_ test: LoadedTest, seed: UInt64, parameters: [String: String],
                           scratchRoot: URL, timeout: Duration? = nil,
                           onLog: ((String) -> Void)? = nil, recordTrace: Bool = false) -> TestResult {
        if RESPTarget.current() != nil, test.tags.contains(Self.virtualClockTag) {
            return .skipped(test.qualifiedName, seed: seed, reason: "needs the embedded engine (its verdict rests on the virtual clock; a server keeps real time)")
        }
        let context = RunContext(test: test.qualifiedName, seed: seed, parameters: parameters,
                                 scratchRoot: scratchRoot, timeout: timeout, onLog: onLog, recordTrace: recordTrace)
        let start = ContinuousClock.now
        let status = withExtendedLifetime(context) { () -> dst_status in
            if let typedCall = test.typedCall {
                let values = test.parameters.map { parameters[$0.name] ?? $0.defaultValue }
                if let problem = zip(test.parameters, values).lazy.compactMap({ $0.problem(with: $1) }).first {
                    context.recordFailure("bad parameter: \(problem)")
                    return DST_ERR_INVALID_ARGUMENT
                }
                return typedCall.call(host: HostServices.table, context: context.opaque, seed: seed, user: test.user, values: values)
            }
            return test.run(HostServices.table, context.opaque, seed, test.user)
        }
        context.finish()
        // Past the test body a crash is not its input's doing.
        CrashArtifact.clear()
        let elapsed = ContinuousClock.now - start
        var outcome: TestResult.Outcome
        switch status {
        case DST_SKIP where context.failures.isEmpty: outcome = .skipped
        case DST_OK where context.failures.isEmpty: outcome = .passed
        case DST_OK, DST_FAIL, DST_SKIP: outcome = .failed
        default: outcome = status < 0 ? .error : .failed
        }
        var failures = context.failures
        if outcome == .failed && failures.isEmpty { failures = ["the test returned DST_FAIL"] }
        if outcome == .error { failures.append("the test returned error status \(status)") }
        if let refusal = context.targetRefusal {
            // What failed after the refusal is its consequence, not the target's verdict.
            context.log("skipped: \(refusal)")
            outcome = .skipped
            failures = []
        }
        let micros = elapsed.wholeMicroseconds
        return TestResult(
            test: test.qualifiedName, seed: seed, outcome: outcome, status: status, failures: failures,
            logTail: Array(context.logs.suffix(20)), metrics: context.metrics, artifacts: context.artifacts,
            traceHash: context.trace.hex, durationMicroseconds: micros, traceLines: context.traceLines,
            simulatedOperations: context.commandsExecuted, simulatedMicroseconds: context.simulatedMicroseconds)
    }
}
