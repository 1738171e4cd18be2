/// One operation of a concurrent history: a single-key command, when it was invoked and when
/// it returned (positions in the history's one event order), and what it answered.
struct HistoryOperation {
    /// Its place in the workload (program order), for reports and for shrinking.
    var index: Int
    /// The connection that issued it.
    var connection: Int
    /// The key, which decides the partition it is checked in.
    var key: [UInt8]
    var command: KeyCommand
    /// As one would type it, for reports.
    var text: String
    var invokedAt: UInt64
    /// When it returned, or, for one cut off by a power loss, the end of its batch: nothing of
    /// a batch can take effect after the batch is over.
    var returnedAt: UInt64
    /// What it answered; ``Outcome/indeterminate`` when it was cut off or its storage failed.
    var outcome: Outcome
    /// `true` when it never returned (for reports).
    var cutOff: Bool = false
    /// For reports: what it really answered, when a cut of the history made it pending.
    var answeredAfterCut: Outcome?

    /// An operation that may have taken effect or not: the search may linearize it with any
    /// answer, or leave its effect out.
    var isOptional: Bool { outcome == .indeterminate }
}

/// A Wing–Gong search with Lowe's state cache, as Porcupine runs it, over the histories of
/// single keys.
///
/// The history is a list of call and return entries in time order. The search walks it with a
/// current model state and a set of operations already linearized: at a call entry it tries to
/// linearize that operation next (the model must give the answer the operation saw); if that
/// works, and the (linearized set, state) pair is new, the operation and its return entry are
/// lifted out of the list and the walk restarts from the head; at a return entry of an
/// operation not yet linearized, the last choice was wrong, so it is undone (backtracking) and
/// the walk goes on past it. The history is linearizable when the list empties. The cache
/// makes the search visit each (set, state) pair once, which is what keeps it fast on real
/// histories: most interleavings reach the same states.
///
/// Operations whose outcome is unknown (cut off, or a storage error) have two ways to be
/// linearized: with their effect, answering anything, or with no effect at all.
enum Linearizability {
    /// What checking one key found.
    struct Verdict {
        var linearizable: Bool
        /// (set, state) pairs the search visited.
        var statesVisited: Int
    }

    /// Checks the operations of one key (any order) from `initial`.
    static func check(_ operations: [HistoryOperation], initial: KeyValue = .none) -> Verdict {
        var search = Search(operations, initial: initial)
        return search.run()
    }

    /// Splits a history by key, in byte order of the keys so the first violation reported is
    /// the same on every run.
    static func partition(_ operations: [HistoryOperation]) -> [(key: [UInt8], operations: [HistoryOperation])] {
        var byKey: [[UInt8]: [HistoryOperation]] = [:]
        for operation in operations { byKey[operation.key, default: []].append(operation) }
        return byKey.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }).map { ($0, byKey[$0]!) }
    }

    /// The earliest cut of a non-linearizable key history that is already non-linearizable:
    /// the operations invoked before time `t`, those still running at `t` made optional with
    /// an unknown answer. Returns the cut's operations. Cutting is sound: any linearization of
    /// the whole history, stopped at `t`, linearizes the cut, so a failing cut is a witness.
    static func earliestFailingCut(_ operations: [HistoryOperation], initial: KeyValue = .none) -> [HistoryOperation] {
        let times = operations.map(\.returnedAt).sorted()
        func cut(at time: UInt64) -> [HistoryOperation] {
            operations.compactMap { operation in
                guard operation.invokedAt < time else { return nil }
                if operation.returnedAt <= time { return operation }
                // Still running at the cut: it may take effect later, so anything goes.
                if operation.command.isReadOnly { return nil }
                var pending = operation
                pending.answeredAfterCut = operation.outcome
                pending.outcome = .indeterminate
                pending.returnedAt = time
                return pending
            }
        }
        // The smallest return time whose cut (which includes that return) fails.
        var low = 0, high = times.count - 1
        while low < high {
            let middle = (low + high) / 2
            if check(cut(at: times[middle]), initial: initial).linearizable { low = middle + 1 } else { high = middle }
        }
        let failing = cut(at: times[low])
        return check(failing, initial: initial).linearizable ? operations : failing
    }

    /// A fixed-size set of operation numbers.
    struct Bits: Hashable {
        var words: [UInt64]

        init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

        func contains(_ index: Int) -> Bool { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        mutating func insert(_ index: Int) { words[index >> 6] |= 1 << UInt64(index & 63) }
        mutating func remove(_ index: Int) { words[index >> 6] &= ~(1 << UInt64(index & 63)) }
    }

    private struct Search {
        let operations: [HistoryOperation]
        let initial: KeyValue
        /// Entries 0..<2n: entry 2i is operation i's call, 2i+1 its return. `head` is a
        /// sentinel before the first entry; -1 ends the list.
        var next: [Int]
        var previous: [Int]
        let head: Int

        init(_ operations: [HistoryOperation], initial: KeyValue) {
            self.operations = operations
            self.initial = initial
            let count = operations.count
            // Time order; at equal times a return comes first, so ties never count as overlap.
            let order = (0..<(2 * count)).sorted { left, right in
                let leftTime = left & 1 == 0 ? operations[left >> 1].invokedAt : operations[left >> 1].returnedAt
                let rightTime = right & 1 == 0 ? operations[right >> 1].invokedAt : operations[right >> 1].returnedAt
                if leftTime != rightTime { return leftTime < rightTime }
                if (left & 1) != (right & 1) { return left & 1 == 1 }
                return left < right
            }
            head = 2 * count
            next = [Int](repeating: -1, count: 2 * count + 1)
            previous = [Int](repeating: -1, count: 2 * count + 1)
            var last = head
            for entry in order {
                next[last] = entry
                previous[entry] = last
                last = entry
            }
        }

        /// Takes a call entry and its return out of the list.
        private mutating func lift(_ call: Int) {
            for entry in [call, call + 1] {
                next[previous[entry]] = next[entry]
                if next[entry] >= 0 { previous[next[entry]] = previous[entry] }
            }
        }

        /// Puts them back, in the reverse order of lifting.
        private mutating func unlift(_ call: Int) {
            for entry in [call + 1, call] {
                if next[entry] >= 0 { previous[next[entry]] = entry }
                next[previous[entry]] = entry
            }
        }

        /// The state after linearizing `operation` from `state` its `alternative`-th way, or
        /// nil when that way does not exist or gives another answer than it saw.
        private func transition(_ operation: HistoryOperation, _ state: KeyValue, alternative: Int) -> KeyValue? {
            switch alternative {
            case 0:
                let (answer, after) = KeyModel.apply(operation.command, to: state)
                guard operation.isOptional || answer == operation.outcome else { return nil }
                return after
            case 1 where operation.isOptional && !operation.command.isReadOnly:
                // It never took effect.
                return state
            default:
                return nil
            }
        }

        mutating func run() -> Verdict {
            var state = initial
            var linearized = Bits(count: operations.count)
            var cache: [Bits: [KeyValue]] = [:]
            var stack: [(call: Int, state: KeyValue, alternative: Int)] = []
            var entry = next[head]
            // The alternative to try first at `entry`: past 0 only right after backtracking.
            var firstAlternative = 0
            var visited = 0
            while entry >= 0 {
                if entry & 1 == 0 {
                    let operation = operations[entry >> 1]
                    var moved = false
                    var alternative = firstAlternative
                    firstAlternative = 0
                    while alternative < 2 {
                        defer { alternative += 1 }
                        guard let after = transition(operation, state, alternative: alternative) else { continue }
                        var bits = linearized
                        bits.insert(entry >> 1)
                        if cache[bits]?.contains(after) == true { continue }
                        cache[bits, default: []].append(after)
                        visited += 1
                        stack.append((entry, state, alternative))
                        state = after
                        linearized = bits
                        lift(entry)
                        entry = next[head]
                        moved = true
                        break
                    }
                    if !moved { entry = next[entry] }
                } else {
                    // The return of an operation not linearized yet: undo the last choice.
                    guard let top = stack.popLast() else { return Verdict(linearizable: false, statesVisited: visited) }
                    state = top.state
                    linearized.remove(top.call >> 1)
                    unlift(top.call)
                    entry = top.call
                    firstAlternative = top.alternative + 1
                }
            }
            return Verdict(linearizable: true, statesVisited: visited)
        }
    }
}
