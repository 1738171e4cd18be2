/// Shrinks a failing operation sequence to a small one that still fails.
///
/// The strategy is delta debugging by deletion, over a sequence whose failure is reproducible
/// (each attempt runs on a fresh engine, and operations carry no randomness of their own):
///
/// 1. **Cut the tail.** A run stops at its first violation, so everything after the failing
///    operation is irrelevant: after every failing run (the first one included) the sequence
///    is cut just after the operation that failed.
/// 2. **Delete chunks, large to small.** With a chunk size of half the sequence, then a
///    quarter, an eighth, ... down to one operation, try deleting each chunk in turn, from the
///    end of the sequence towards its start (trailing operations first: they are the likeliest
///    to be irrelevant, and deleting them leaves the earlier ones' meaning unchanged). A
///    candidate that still fails (any violation of the property counts) becomes the current
///    sequence, cut after its own failing operation, and the walk goes on from the same place
///    towards the start; a candidate that passes is forgotten.
/// 3. **Stop** when a whole pass with chunks of one operation deletes nothing (the result is
///    then 1-minimal: removing any single operation makes it pass), or when the budget of
///    executions is spent, or when the caller says to stop (the run was cancelled). The
///    result is always a sequence that was seen to fail.
///
/// The shrinker knows nothing about engines: `stillFails` runs a candidate and answers its
/// violation, or nil when the candidate passes.
public struct Shrinker<Element, Failure> {
    /// What a shrink produced.
    public struct Outcome {
        /// The smallest failing sequence found.
        public var elements: [Element]
        /// Its violation, from its own (last) execution.
        public var failure: Failure
        /// Candidate executions spent (the first, failing run not counted).
        public var executions: Int
        /// `true` when no single deletion fails any more (not cut short by the budget).
        public var minimal: Bool
    }

    /// The most candidate executions one shrink may spend.
    public var budget: Int
    /// The index of the operation that failed, so the tail after it can go.
    public var failingIndex: (Failure) -> Int
    /// Polled before each execution: `true` ends the shrink with what it has.
    public var shouldStop: () -> Bool = { false }

    /// A shrinker spending at most `budget` executions; `failingIndex` says which element a
    /// failure stopped at.
    public init(budget: Int, failingIndex: @escaping (Failure) -> Int, shouldStop: @escaping () -> Bool = { false }) {
        self.budget = budget
        self.failingIndex = failingIndex
        self.shouldStop = shouldStop
    }

    /// Shrinks `elements`, which failed with `failure`.
    public func shrink(_ elements: [Element], failure: Failure,
                stillFails: ([Element]) throws -> Failure?) rethrows -> Outcome {
        var current = Array(elements.prefix(failingIndex(failure) + 1))
        var currentFailure = failure
        var executions = 0
        var chunk = max(1, current.count / 2)

        while true {
            var deletedInPass = false
            // Chunks [start, end) from the end towards the start.
            var end = current.count
            while end > 0 {
                guard executions < budget, !shouldStop() else {
                    return Outcome(elements: current, failure: currentFailure, executions: executions, minimal: false)
                }
                let start = max(0, end - chunk)
                var candidate = current
                candidate.removeSubrange(start..<end)
                executions += 1
                if let failure = try stillFails(candidate) {
                    current = Array(candidate.prefix(failingIndex(failure) + 1))
                    currentFailure = failure
                    deletedInPass = true
                    // The chunk before the deleted one is next; the cut may have shortened
                    // the sequence below it.
                    end = min(start, current.count)
                } else {
                    end = start
                }
            }
            if chunk == 1 {
                if !deletedInPass { break }
            } else {
                chunk = max(1, min(chunk / 2, current.count / 2))
            }
        }
        return Outcome(elements: current, failure: currentFailure, executions: executions, minimal: true)
    }
}
