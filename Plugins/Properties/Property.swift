import DSTPluginSDK

/// The sizes a property draws its sequence with: the "ops" and "keys" run parameters.
struct Sizes {
    /// Operations per sequence.
    var operations: Int
    /// Keys the operations pick from.
    var keys: Int

    init(_ run: TestRun) throws {
        operations = max(0, try run.parameter("ops", default: 100))
        keys = max(1, try run.parameter("keys", default: 8))
    }
}

/// A property of the engine, checked against a plain Swift model.
///
/// The whole operation sequence is drawn first, from the seed alone (``generate(_:sizes:)``);
/// executing it uses no randomness, so any subsequence can be run again on a fresh engine,
/// which is what the ``Shrinker`` does. Types conforming to it hold no state: the model lives
/// in the ``Model`` value one execution builds.
protocol Property {
    /// One step of a sequence: a command, a clock move, a restart.
    associatedtype Operation
    /// The reference model's state for one execution.
    associatedtype Model

    /// The test's name, for reports.
    static var name: String { get }
    /// Candidate executions the shrinker may spend.
    static var shrinkBudget: Int { get }

    /// Where execution `attempt` (0 for the first run, then 1, 2, ... for shrink candidates)
    /// opens its engine: every attempt must start from an empty database.
    static func storage(attempt: Int) -> EngineOptions

    /// The operation sequence, drawn from `run.random` only.
    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation]

    /// The model of an empty database.
    static func emptyModel(sizes: Sizes) -> Model

    /// Runs one operation on the engine and on the model, then checks the property; throws a
    /// ``Violation`` (through `execution`'s checks) when it does not hold.
    static func apply(_ operation: Operation, to model: inout Model, on execution: Execution) throws

    /// The operation as readable commands, e.g. `RPUSH k1 "a" "b"`.
    static func describe(_ operation: Operation) -> String
}

extension Property {
    static var shrinkBudget: Int { 500 }
    static func storage(attempt: Int) -> EngineOptions { .memory }
}

/// How an execution went wrong: the operation at `index` broke the property.
struct Violation: Error {
    /// The index of the failing operation in the executed sequence.
    var index: Int
    /// What was expected and what came instead.
    var message: String
}

/// One execution of a sequence on a fresh engine: runs commands, and turns a failed check
/// into a thrown ``Violation`` carrying the current operation's index.
///
/// Checks here never call `run.check` or `run.fail`: a shrink candidate that fails is not a
/// failure of the run. Only the final report is.
final class Execution {
    let run: TestRun
    /// The engine of this execution.
    let engine: Engine
    /// The clock when the execution began: models keep time relative to it, since the
    /// run's virtual clock only moves forward from one execution to the next.
    let start: Int64
    /// The index of the operation being applied.
    fileprivate(set) var index = 0

    init(run: TestRun, engine: Engine) {
        self.run = run
        self.engine = engine
        self.start = run.clock.nowMilliseconds
    }

    /// Milliseconds since the execution began.
    var now: Int64 { run.clock.nowMilliseconds - start }

    /// Moves the virtual clock forward.
    func advance(_ milliseconds: Int64) { run.clock.advance(milliseconds) }

    /// Runs a command. A failure of the call itself (not an error reply) is a violation too,
    /// except a cancellation, which ends the run.
    @discardableResult
    func call(_ arguments: [any CommandArgument]) throws -> Reply {
        do {
            return try engine.execute(arguments)
        } catch let error as SDKError where !error.isCancellation {
            throw Violation(index: index, message: "\(Text.command(arguments)) failed: \(error)")
        }
    }

    /// Restarts the engine (reopen).
    func reopen() throws {
        do {
            try engine.reopen()
        } catch let error as SDKError where !error.isCancellation {
            throw Violation(index: index, message: "reopen failed: \(error)")
        }
    }

    /// Runs a command and requires its reply to be `expected`.
    @discardableResult
    func expect(_ arguments: [any CommandArgument], _ expected: Reply, _ note: @autoclosure () -> String = "") throws -> Reply {
        let reply = try call(arguments)
        if reply != expected {
            let extra = note()
            throw Violation(index: index, message: "\(Text.command(arguments)): expected \(expected), got \(reply)"
                                + (extra.isEmpty ? "" : " (\(extra))"))
        }
        return reply
    }

    /// Throws a violation with `message` unless `condition` holds.
    func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw Violation(index: index, message: message()) }
    }
}

/// Runs a property on one seed: draw, execute, and on a violation shrink and report.
enum PropertyCheck {
    static func run<P: Property>(_ property: P.Type, _ run: TestRun) throws {
        let sizes = try Sizes(run)
        let operations = P.generate(run, sizes: sizes)
        var attempt = 0
        func execute(_ sequence: [P.Operation]) throws -> Violation? {
            defer { attempt += 1 }
            return try executeOnce(P.self, sequence, sizes: sizes, attempt: attempt, run: run)
        }

        guard let violation = try execute(operations) else {
            run.log("\(P.name): \(operations.count) operations on \(sizes.keys) keys held")
            return
        }
        run.log("\(P.name): op \(violation.index + 1) of \(operations.count) failed: \(violation.message); shrinking")

        let shrinker = Shrinker<P.Operation, Violation>(budget: P.shrinkBudget, failingIndex: { $0.index },
                                                        shouldStop: { run.isCancelled })
        let outcome = try shrinker.shrink(operations, failure: violation, stillFails: execute)
        report(P.self, run: run, sizes: sizes, original: operations.count, firstFailure: violation, outcome: outcome)
    }

    /// One execution of `sequence` on a fresh engine and an empty model.
    private static func executeOnce<P: Property>(_ property: P.Type, _ sequence: [P.Operation], sizes: Sizes,
                                             attempt: Int, run: TestRun) throws -> Violation? {
        // An engine that cannot be opened ends the test (it throws): that is no answer to
        // whether the sequence fails, so it must not steer the shrinker.
        let engine = try run.openEngine(P.storage(attempt: attempt))
        defer { engine.close() }
        let execution = Execution(run: run, engine: engine)
        var model = P.emptyModel(sizes: sizes)
        do {
            for (index, operation) in sequence.enumerated() {
                // The first run stops when the run is cancelled; a shrink stops between
                // candidates instead (Shrinker.shouldStop), so its report is not lost.
                if attempt == 0 { try run.checkCancellation() }
                execution.index = index
                try P.apply(operation, to: &model, on: execution)
            }
        } catch let violation as Violation {
            return violation
        }
        return nil
    }

    /// One failed check naming the shrunk sequence, and the same as an artifact.
    private static func report<P: Property>(_ property: P.Type, run: TestRun, sizes: Sizes, original: Int,
                                            firstFailure: Violation,
                                            outcome: Shrinker<P.Operation, Violation>.Outcome) {
        let steps = outcome.elements.map(P.describe)
        let count = steps.count
        let how = outcome.minimal ? "" : " (not minimal: \(run.isCancelled ? "cancelled" : "budget spent"))"
        run.fail("\(P.name) falsified at op \(firstFailure.index + 1) of \(original); shrunk to \(count) "
                 + "op\(count == 1 ? "" : "s") in \(outcome.executions) executions\(how): "
                 + steps.joined(separator: "; ")
                 + " => op \(outcome.failure.index + 1): \(outcome.failure.message)")

        var lines = [
            "# properties/\(P.name), seed \(run.seed) (ops=\(sizes.operations), keys=\(sizes.keys))",
            "# minimized counterexample: \(count) operation\(count == 1 ? "" : "s"), shrunk in "
                + "\(outcome.executions) executions from the first \(firstFailure.index + 1) of \(original)\(how)",
            "# replay: dst-host replay --seed \(run.seed) --test properties/\(P.name)",
            "# each execution starts on an empty database; a line is one operation",
        ]
        for (index, step) in steps.enumerated() { lines.append("\(index + 1). \(step)") }
        lines.append("# violation at operation \(outcome.failure.index + 1): \(outcome.failure.message)")
        lines.append("# first failure, before shrinking, at operation \(firstFailure.index + 1): \(firstFailure.message)")
        do {
            try run.artifact("minimized-trace.txt", text: lines.joined(separator: "\n") + "\n")
        } catch {
            run.log("could not save minimized-trace.txt: \(error)", level: .warning)
        }
    }
}
