import DSTPluginSDK

/// How an execution went wrong: the operation at `index` (the operation count for the final
/// checks after the last one) broke an assertion.
struct Violation: Error {
    var index: Int
    var message: String
}

/// The execution lost track of what the database may hold: too many commands failed in doubt
/// and no read could tell which of them took effect. Not a failure, since nothing was shown to
/// be wrong, but the rest of the workload cannot be checked.
struct LostTrack: Error {
    var index: Int
}

/// The execution cannot go on, for a reason that is no failure (a lying disk's reported damage).
struct Stop: Error {
    var index: Int
}

/// What a fault test asserts, beyond "every non-error reply is the model's".
struct Oracle {
    /// SQLite's `synchronous` for the engine.
    var durability: EngineOptions.Durability
    /// A command with an error reply had no effect (disk_full). Otherwise it is in doubt: an
    /// error can come after COMMIT landed (a failed autocheckpoint, a sync that failed after
    /// the WAL frames were written), so both outcomes are kept until a reply tells them apart.
    var errorsHaveNoEffect = false
    /// Error replies are expected while the plan is set (false for slow I/O: everything must
    /// complete).
    var errorsWhileFaulty = true
    /// The plan damages stored data (corrupt_write, misdirected_write): reads may keep failing
    /// after the plan is cleared, and a key that cannot be read is "reported" rather than lost.
    var damagesData = false
    /// The plan can lose the power (crash, torn write): an error reply is followed by a look at
    /// `stats().powerLost`, and a lost power by recovery and the crash oracle.
    var mayLosePower = false
    /// The disk's syncs lie: after a power loss any prefix of the commits is allowed, even
    /// under FULL, and the loss is measured rather than failed.
    var lyingSync = false
    /// Ends the execution with a power loss at rest and the crash oracle.
    var finalCrash = false
    /// Commands alternate between two connections to the file: each commit of one empties the
    /// other's page cache, so reads go to the disk (WAL frames included) without a restart.
    var twoConnections = false

    /// Whether every acknowledged commit must survive a power loss.
    var keepsAcknowledgedCommits: Bool { durability == .full && !lyingSync }
}

/// What a test runs: the recorded decisions of a seed (the workload, the fault plan's entries,
/// the engine's durability), each part of which the shrinker may cut.
struct Scenario {
    var operations: [Operation]
    var plan: [String]
    var oracle: Oracle
    var keys: Int
    /// Virtual milliseconds the client waits before each operation (a per-seed pace): time
    /// passes between commands as it does for a real client, at no wall-clock cost.
    var thinkMilliseconds: Int64 = 0

    var planText: String { plan.joined(separator: "; ") }
}

/// Counters of one execution, reported as metrics for the seed's first run.
struct Tally {
    var errorReplies = 0
    /// Error replies that name storage (SQLite's I/O, corruption and full-disk codes).
    var storageErrors = 0
    /// Keys a final or recovery read could not read (corruption reported, not returned).
    var unreadableKeys = 0
    var powerLosses = 0
    /// Acknowledged commits a power loss took back (lying syncs, NORMAL durability).
    var lostCommits = 0
    /// Commands whose outcome an error left in doubt.
    var inDoubt = 0
    var reopenFailures = 0
    /// Final integrity checks that failed (allowed only where the plan damages data).
    var integrityFailures = 0
    /// Power losses after lying syncs that left reported damage.
    var corruptAfterLies = 0
    var faults: UInt64 = 0
    var diskReads: UInt64 = 0
    var diskWrites: UInt64 = 0
    var diskSyncs: UInt64 = 0
    /// Virtual milliseconds the disk took (slow I/O moves the clock), think time excluded.
    var clockMilliseconds: Int64 = 0
    /// Virtual milliseconds the client spent thinking between operations.
    var thinkMilliseconds: Int64 = 0
}

/// One execution of a scenario on a fresh database file of the run's simulated disk: runs the
/// workload against the model and turns a broken assertion into a thrown ``Violation`` carrying
/// the current operation's index.
///
/// The model is a short list of possible states (usually one): a command that failed in doubt
/// splits each state in two (with and without it), and every later non-error reply keeps only
/// the states it agrees with. For the crash oracle it also keeps the digest of every state the
/// database passed through since the last power loss: under NORMAL durability (or lying syncs)
/// recovery may land on any of them.
///
/// Checks here never call `run.check` or `run.fail`: a shrink candidate that fails is not a
/// failure of the run. Only the final report is.
final class Execution {
    let run: TestRun
    let scenario: Scenario
    let names: [String]
    private let engines: [Engine]
    /// The connection of the current operation.
    private var engine: Engine { engines[index % engines.count] }
    private(set) var tally = Tally()
    private var possible: [State]
    /// States in which a write that answered an error took effect after all. SQLite may have
    /// written that transaction's commit frame before the failure (a failed padding write, a
    /// failed sync, a failed autocheckpoint): the live connection rolled it back, but WAL
    /// recovery (a restart, a power loss) finds a valid commit and brings it back. A later
    /// commit that changes the state overwrites those frames, which ends the possibility.
    private var ghosts: [State] = []
    /// Digests of the states since the last power loss, oldest first.
    private var history: [UInt64]
    private var faultsActive: Bool
    private var needsReopen = false
    private var index = 0
    private let startStats: DiskStats
    private let startClock: Int64

    /// More possible states than this and the execution reads everything back to decide.
    private static let possibleLimit = 16

    /// Opens `file` on the simulated disk with the scenario's durability and sets its plan.
    init(run: TestRun, scenario: Scenario, file: String) throws {
        self.run = run
        self.scenario = scenario
        names = (0..<scenario.keys).map { Kind(key: $0).letter + String($0) }
        // The last execution may have stopped with the power lost or a plan still set: start
        // from a disk that works. (Setting a plan first also creates the run's disk, which
        // `stats()` needs.)
        try run.disk.setPlan("")
        if try run.disk.stats().powerLost { try run.disk.crash() }
        let options = EngineOptions.simulated(file, durability: scenario.oracle.durability)
        engines = try (0..<(scenario.oracle.twoConnections ? 2 : 1)).map { _ in try run.openEngine(options) }
        let empty = State(keys: scenario.keys)
        possible = [empty]
        history = [empty.digest]
        startStats = try run.disk.stats()
        startClock = run.clock.nowMilliseconds
        // Set even when empty: setting a plan restarts the nth= counters.
        try run.disk.setPlan(scenario.planText)
        faultsActive = !scenario.plan.isEmpty
        run.trace("chaos plan: \(scenario.planText)")
    }

    func close() { for engine in engines { engine.close() } }

    /// Runs every operation, then the final checks. Returns the first violation, or nil.
    func execute(stopOnCancel: Bool) throws -> Violation? {
        do {
            for (position, operation) in scenario.operations.enumerated() {
                if stopOnCancel { try run.checkCancellation() }
                index = position
                if scenario.thinkMilliseconds > 0 {
                    run.clock.advance(scenario.thinkMilliseconds)
                    tally.thinkMilliseconds += scenario.thinkMilliseconds
                }
                try perform(operation)
            }
            index = scenario.operations.count
            try finish()
        } catch let violation as Violation {
            try finishTally()
            return violation
        } catch is Stop {
            // Logged where it was thrown.
        } catch let lost as LostTrack {
            run.log("chaos: lost track of the state at op \(lost.index + 1) (too many commands in doubt); the rest is unchecked",
                    level: .warning)
        }
        try finishTally()
        return nil
    }

    private func finishTally() throws {
        let stats = try run.disk.stats()
        tally.faults = stats.faults &- startStats.faults
        tally.diskReads = stats.reads &- startStats.reads
        tally.diskWrites = stats.writes &- startStats.writes
        tally.diskSyncs = stats.syncs &- startStats.syncs
        tally.clockMilliseconds = run.clock.nowMilliseconds - startClock - tally.thinkMilliseconds
    }

    // MARK: Operations

    private func perform(_ operation: Operation) throws {
        switch operation {
        case .command(let command):
            guard let reply = try send(command.arguments(names), command.describe(names)) else { return }
            try settle(reply, isWrite: command.isWrite, what: command.describe(names)) { command.apply(to: &$0) }
        case .group(let commands):
            try group(commands)
        case .reopen:
            try reopen()
        case .clearPlan:
            try clearPlan()
        }
    }

    private func clearPlan() throws {
        guard faultsActive else { return }
        try run.disk.setPlan("")
        faultsActive = false
    }

    private func group(_ commands: [Command]) throws {
        guard let multi = try send([Array("MULTI".utf8)], "MULTI") else { return }
        if multi.isError {
            // Not in a transaction: sending the commands now would run them one by one.
            try settle(multi, isWrite: false, what: "MULTI") { _ in .reply(.ok) }
            return
        }
        for command in commands {
            guard try send(command.arguments(names), command.describe(names)) != nil else { return }
        }
        guard let exec = try send([Array("EXEC".utf8)], "EXEC") else { return }
        // EXEC answers each queued command: one that met a storage fault was rolled back to
        // its savepoint, and the others landed.
        let failed = Set((exec.elements ?? []).indices.filter { Expected.storageError.matches(exec.elements![$0]) })
        if !failed.isEmpty { try admitStorageErrors(failed.count, what: Operation.group(commands).describe(names)) }
        try settle(exec, isWrite: true, what: Operation.group(commands).describe(names)) { state in
            .all(commands.indices.map { failed.contains($0) ? .storageError : commands[$0].apply(to: &state) })
        }
    }

    /// A process restart. Under faults it may fail (a read of the schema met a fault): the
    /// engine is then closed, and reopened before the next command.
    private func reopen() throws {
        do {
            for engine in engines { try engine.reopen() }
            needsReopen = false
            admitGhosts()
        } catch let error as SDKError where !error.isCancellation {
            tally.reopenFailures += 1
            needsReopen = true
            if scenario.oracle.mayLosePower, try run.disk.stats().powerLost {
                try recover(after: "a restart")
                return
            }
            if !faultsActive && !scenario.oracle.damagesData {
                throw Violation(index: index, message: "restart failed with no fault planned: \(error)")
            }
        }
    }

    /// Runs a command; nil when it could not run at all (the engine is closed after a failed
    /// restart and still cannot reopen), which leaves the state as it was.
    private func send(_ argv: [[UInt8]], _ what: @autoclosure () -> String) throws -> Reply? {
        if needsReopen {
            try reopen()
            if needsReopen { return nil }
        }
        do {
            return try engine.execute(argv)
        } catch let error as SDKError where !error.isCancellation {
            throw Violation(index: index, message: "\(what()) failed: \(error)")
        }
    }

    /// Whether an error reply is allowed now: the plan may fail commands, or damages data.
    private var commandsMayFail: Bool {
        (faultsActive && scenario.oracle.errorsWhileFaulty) || scenario.oracle.damagesData
    }

    /// Storage errors inside an EXEC reply: counted, and allowed only where the plan may fail
    /// commands, as a whole error reply would be.
    private func admitStorageErrors(_ count: Int, what: String) throws {
        tally.errorReplies += count
        tally.storageErrors += count
        guard commandsMayFail else {
            throw Violation(index: index, message: "\(what): \(count) queued commands met a storage error "
                            + (faultsActive ? "from a plan that must not fail commands" : "with no fault planned"))
        }
    }

    /// Checks a reply against every possible state and keeps the states it agrees with.
    private func settle(_ reply: Reply, isWrite: Bool, what: @autoclosure () -> String,
                        apply: (inout State) -> Expected) throws {
        if case .error(let text) = reply {
            tally.errorReplies += 1
            if text.contains("storage error") { tally.storageErrors += 1 }
            if isWrite { haunt(apply) }
            if scenario.oracle.mayLosePower, try run.disk.stats().powerLost {
                // The command in flight at the power loss may or may not have landed.
                if isWrite { try split(apply) }
                try recover(after: what())
                return
            }
            if !commandsMayFail {
                throw Violation(index: index, message: "\(what()): error reply \(reply) "
                                + (faultsActive ? "from a plan that must not fail commands" : "with no fault planned"))
            }
            if isWrite && !scenario.oracle.errorsHaveNoEffect { try split(apply) }
            return
        }
        var next: [State] = []
        var expected: Expected?
        for state in possible {
            var after = state
            let answer = apply(&after)
            if expected == nil { expected = answer }
            if answer.matches(reply) && !next.contains(after) { next.append(after) }
        }
        guard !next.isEmpty else {
            let doubt = possible.count > 1 ? " (nor what any of the \(possible.count) possible states gives)" : ""
            throw Violation(index: index, message: "\(what()): expected \(expected?.rendered ?? "?"), got \(reply)\(doubt)")
        }
        if isWrite {
            history.append(contentsOf: next.map(\.digest))
            // A commit that changed the state wrote WAL frames over any failed transaction's.
            if !ghosts.isEmpty && !next.contains(where: { possible.contains($0) }) { ghosts = [] }
        }
        possible = next
    }

    /// Remembers what each possible state would be had the failed write taken effect.
    private func haunt(_ apply: (inout State) -> Expected) {
        for state in possible where ghosts.count < Execution.possibleLimit {
            var after = state
            _ = apply(&after)
            if !ghosts.contains(after) { ghosts.append(after) }
        }
    }

    /// WAL recovery ran (a restart or a power loss): a failed write may be back.
    private func admitGhosts() {
        for ghost in ghosts where !possible.contains(ghost) { possible.append(ghost) }
    }

    /// An error left a write in doubt: each possible state may or may not have taken it.
    private func split(_ apply: (inout State) -> Expected) throws {
        tally.inDoubt += 1
        var next = possible
        for state in possible {
            var after = state
            _ = apply(&after)
            if !next.contains(after) {
                next.append(after)
                history.append(after.digest)
            }
        }
        possible = next
        if possible.count > Execution.possibleLimit { try narrow() }
    }

    /// Reads everything back to keep only the possible states the database agrees with.
    private func narrow() throws {
        let snapshot = try readBack()
        let agreeing = possible.filter { snapshot.agrees(with: $0) }
        guard !agreeing.isEmpty else {
            throw Violation(index: index, message: "read back: \(snapshot.describeMismatch(with: possible[0], names: names))")
        }
        possible = agreeing
        if possible.count > Execution.possibleLimit { throw LostTrack(index: index) }
    }

    // MARK: Power loss and the final checks

    /// The power was lost (a planned crash, a torn write) or is lost now: resolve it, reopen,
    /// and require the recovered state to be one the oracle allows.
    private func recover(after what: String) throws {
        tally.powerLosses += 1
        var attempts = 0
        while true {
            do {
                try run.disk.crash()
                break
            } catch let error as SDKError where !error.isCancellation {
                attempts += 1
                // A plan of crashes by probability may lose the power again while the engines
                // reopen: that is one more power loss, resolved the same way.
                if attempts < 20, try run.disk.stats().powerLost {
                    tally.powerLosses += 1
                    continue
                }
                if scenario.oracle.lyingSync { throw corruptAfterLies("the engine cannot reopen: \(error)") }
                throw Violation(index: index, message: "recovery after the power loss at \(what) failed: \(error)")
            }
        }
        needsReopen = false
        admitGhosts()
        let snapshot = try readBack()
        var problems = snapshot.unreadable
        if let integrity = try checkIntegrity() { problems.append("integrity_check: \(integrity)") }
        if !problems.isEmpty {
            if scenario.oracle.lyingSync { throw corruptAfterLies(problems.joined(separator: "; ")) }
            throw Violation(index: index, message: "after the power loss at \(what): integrity: \(problems.joined(separator: "; "))")
        }
        guard let recovered = snapshot.state else {
            throw Violation(index: index, message: "after the power loss at \(what): \(snapshot.wrong.joined(separator: "; "))")
        }
        if possible.contains(recovered) {
            possible = [recovered]
            history = [recovered.digest]
            ghosts = []
            return
        }
        let digest = recovered.digest
        if !scenario.oracle.keepsAcknowledgedCommits, let position = history.lastIndex(of: digest) {
            tally.lostCommits += history.count - 1 - position
            possible = [recovered]
            history = [digest]
            ghosts = []
            return
        }
        let allowed = scenario.oracle.keepsAcknowledgedCommits
            ? "the last acknowledged state or it plus the command in flight (FULL durability)"
            : "the state after any prefix of the commits (\(scenario.oracle.lyingSync ? "lying syncs" : "NORMAL durability"))"
        throw Violation(index: index, message: "after the power loss at \(what): the recovered state is not \(allowed); "
                        + "against the last acknowledged state: \(possible[0].differences(from: recovered, names: names))")
    }

    private func finish() throws {
        try clearPlan()
        if needsReopen {
            try reopen()
            if needsReopen {
                if scenario.oracle.damagesData {
                    tally.unreadableKeys += scenario.keys
                    return
                }
                throw Violation(index: index, message: "the engine does not reopen after the plan was cleared")
            }
        }
        if scenario.oracle.finalCrash {
            try recover(after: "the end (a power loss at rest)")
        }
        let snapshot = try readBack()
        tally.unreadableKeys += snapshot.unreadable.count
        var problems = snapshot.unreadable
        if let integrity = try checkIntegrity() {
            tally.integrityFailures += 1
            problems.append("integrity_check: \(integrity)")
        }
        if !problems.isEmpty && !scenario.oracle.damagesData {
            throw Violation(index: index, message: "final read back: \(problems.joined(separator: "; "))")
        }
        guard possible.contains(where: { snapshot.agrees(with: $0) }) else {
            throw Violation(index: index, message: "final read back: \(snapshot.describeMismatch(with: possible[0], names: names))")
        }
    }

    /// SQLite's `PRAGMA integrity_check` through the host: nil when intact.
    private func checkIntegrity() throws -> String? {
        do {
            return try engine.checkIntegrity()
        } catch let error as SDKError where !error.isCancellation {
            return "could not run: \(error)"
        }
    }

    /// A lying disk lost the power and left a database whose damage the checksums report: the
    /// expected end of a lying disk, not a failure, as long as nothing wrong was returned. The
    /// rest of the execution cannot run on it.
    private func corruptAfterLies(_ what: String) -> Stop {
        tally.corruptAfterLies += 1
        run.log("chaos: after a power loss on a disk with lying syncs, the damage was reported (not returned): \(what)")
        return Stop(index: index)
    }

    /// Everything the database holds: KEYS *, TYPE of each key, then each key's whole value.
    private func readBack() throws -> Snapshot {
        var snapshot = Snapshot(keys: scenario.keys)
        let listed = try send([Array("KEYS".utf8), Array("*".utf8)], "KEYS *") ?? .error("engine closed")
        var present: [Bool]?
        if case .error(let text) = listed {
            snapshot.unreadable.append("KEYS *: \(text)")
        } else if let elements = listed.elements {
            var flags = [Bool](repeating: false, count: scenario.keys)
            for element in elements {
                let name = element.text ?? "?"
                if let key = names.firstIndex(of: name) {
                    flags[key] = true
                } else {
                    snapshot.wrong.append("KEYS * lists \(element), which no command wrote")
                }
            }
            present = flags
        } else {
            snapshot.wrong.append("KEYS * answered \(listed)")
        }
        for key in 0..<scenario.keys {
            let kind = Kind(key: key)
            if present?[key] == true {
                let type = try send([Array("TYPE".utf8), Array(names[key].utf8)], "TYPE") ?? .error("engine closed")
                if case .error(let text) = type {
                    snapshot.unreadable.append("TYPE \(names[key]): \(text)")
                } else if type != .status(kind.typeName) {
                    snapshot.wrong.append("TYPE \(names[key]) answered \(type), not \(kind.typeName)")
                }
            }
            let command = Command.read(key: key)
            let reply = try send(command.arguments(names), command.describe(names)) ?? .error("engine closed")
            switch ReadBack.value(kind: kind, from: reply) {
            case .value(let value):
                if let present, present[key] != (value != nil) {
                    snapshot.wrong.append("\(names[key]) is \(present[key] ? "" : "not ")in KEYS * but reads as \(value?.rendered ?? "(absent)")")
                }
                snapshot.values[key] = .value(value)
            case .error(let text):
                snapshot.unreadable.append("\(command.describe(names)): \(text)")
            case .malformed(let reply):
                snapshot.wrong.append("\(command.describe(names)) answered \(reply)")
            }
        }
        return snapshot
    }
}

/// What a read back found, key by key.
struct Snapshot {
    enum Slot: Equatable {
        case unread
        case value(Value?)
    }

    var values: [Slot]
    /// Reads that answered an error: corruption reported.
    var unreadable: [String] = []
    /// Answers no correct engine gives (an unknown key, a wrong type, a malformed reply).
    var wrong: [String] = []

    init(keys: Int) { values = [Slot](repeating: .unread, count: keys) }

    /// The whole state, when every key could be read and nothing was wrong.
    var state: State? {
        guard wrong.isEmpty else { return nil }
        var state = State(keys: values.count)
        for (key, slot) in values.enumerated() {
            guard case .value(let value) = slot else { return nil }
            state[key] = value
        }
        return state
    }

    /// Every key that could be read holds what `state` says.
    func agrees(with state: State) -> Bool {
        guard wrong.isEmpty else { return false }
        for (key, slot) in values.enumerated() {
            if case .value(let value) = slot, value != state[key] { return false }
        }
        return true
    }

    func describeMismatch(with state: State, names: [String]) -> String {
        if !wrong.isEmpty { return wrong.joined(separator: "; ") }
        var lines: [String] = []
        for (key, slot) in values.enumerated() {
            if case .value(let value) = slot, value != state[key] {
                lines.append("\(names[key]): model \(state[key]?.rendered ?? "(absent)"), engine \(value?.rendered ?? "(absent)")")
            }
        }
        return "wrong data returned: " + lines.joined(separator: "; ")
    }
}
