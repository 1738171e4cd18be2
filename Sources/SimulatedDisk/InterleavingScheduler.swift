import Foundation

/// Deterministic interleaving of several connections, each on its own thread: exactly one
/// thread runs at a time, and at every yield point (each VFS call) the seed picks who runs
/// next. A busy wait (xSleep) parks its thread until its virtual wake-up time; when nobody can
/// run, virtual time jumps to the earliest wake-up, so waiting costs no wall time.
///
/// Only one thread touches the disk, the engines or the run at a time, and every hand-over
/// goes through the condition's lock, so each thread sees the others' writes.
public final class InterleavingScheduler: @unchecked Sendable {
    private enum State: Equatable {
        case runnable
        case sleeping(until: Int64)
        case finished
    }

    private let condition = NSCondition()
    private var states: [State]
    /// The index of the thread that may run, or nil before the start.
    private var current: Int?
    private var finishedCount = 0
    private let disk: SimulatedDisk
    /// Chance, in percent, of switching at a yield point (drawn per batch from the seed).
    private let switchPercent: Int
    /// Virtual time of the last completed command: nothing completing for this long while
    /// every connection waits is a deadlock.
    private var lastProgress: Int64
    private let deadlockAfterMicroseconds: Int64
    /// Set when every connection waited past the bound with no progress.
    public private(set) var deadlocked = false
    /// What each thread was doing when the deadlock was declared.
    public private(set) var deadlockReport = ""

    /// - Parameters:
    ///   - count: threads in the batch.
    ///   - deadlockAfterMilliseconds: how long (virtual) every connection may wait with no
    ///     command completing before the batch is declared deadlocked.
    public init(disk: SimulatedDisk, count: Int, deadlockAfterMilliseconds: Int64 = 60_000) {
        self.disk = disk
        self.states = Array(repeating: .runnable, count: count)
        self.switchPercent = 10 + disk.random.below(81)
        self.lastProgress = disk.clock.nowMicroseconds()
        self.deadlockAfterMicroseconds = deadlockAfterMilliseconds * 1000
    }

    /// Runs `body(index)` for every index on its own thread, interleaved; returns when all
    /// are done. The disk's VFS calls are yield points meanwhile.
    public func run(_ body: @escaping @Sendable (Int) -> Void) {
        let count = states.count
        guard count > 0 else { return }
        disk.scheduler = self
        defer { disk.scheduler = nil }
        for index in 0..<count {
            let thread = Thread { [self] in
                waitForTurn(index)
                body(index)
                finish(index)
            }
            // SQLite and the engine need more than a secondary thread's default stack.
            thread.stackSize = 8 << 20
            thread.start()
        }
        condition.lock()
        current = disk.random.below(count)
        condition.broadcast()
        while finishedCount < count { condition.wait() }
        condition.unlock()
    }

    /// Marks progress (a command completed), for deadlock detection.
    public func progressed() {
        lastProgress = disk.clock.nowMicroseconds()
    }

    /// A yield point of the running thread: the seed may hand the turn to another.
    func yield() {
        condition.lock()
        defer { condition.unlock() }
        guard let me = current else { return }
        wakeSleepers()
        guard disk.random.below(100) < switchPercent else { return }
        let runnable = states.indices.filter { states[$0] == .runnable }
        let next = runnable[disk.random.below(runnable.count)]
        if next != me { handOver(from: me, to: next) }
    }

    /// A busy wait of the running thread: others run until its virtual wake-up time.
    func sleep(microseconds: Int64) {
        condition.lock()
        defer { condition.unlock() }
        guard let me = current else { return }
        states[me] = .sleeping(until: disk.clock.nowMicroseconds() + max(microseconds, 1))
        let next = pickNext()
        if next != me { handOver(from: me, to: next) }
    }

    // MARK: Internals (called with the lock held)

    private func waitForTurn(_ index: Int) {
        condition.lock()
        while current != index { condition.wait() }
        condition.unlock()
    }

    private func finish(_ index: Int) {
        condition.lock()
        states[index] = .finished
        finishedCount += 1
        if finishedCount < states.count {
            current = pickNext()
        }
        condition.broadcast()
        condition.unlock()
    }

    private func handOver(from me: Int, to next: Int) {
        current = next
        condition.broadcast()
        while current != me { condition.wait() }
    }

    /// Sleepers whose time has come become runnable.
    private func wakeSleepers() {
        let now = disk.clock.nowMicroseconds()
        for index in states.indices {
            if case .sleeping(let until) = states[index], until <= now { states[index] = .runnable }
        }
    }

    /// A runnable thread, chosen by the seed; if all wait, time moves to the first wake-up.
    private func pickNext() -> Int {
        wakeSleepers()
        var runnable = states.indices.filter { states[$0] == .runnable }
        if runnable.isEmpty {
            let wakeTimes = states.compactMap { state -> Int64? in
                if case .sleeping(let until) = state { return until }
                return nil
            }
            let earliest = wakeTimes.min()!
            let now = disk.clock.nowMicroseconds()
            if earliest > now { disk.clock.advance(microseconds: earliest - now) }
            if !deadlocked && disk.clock.nowMicroseconds() - lastProgress > deadlockAfterMicroseconds {
                deadlocked = true
                deadlockReport = "every connection has been waiting for a lock for over \(deadlockAfterMicroseconds / 1_000_000) s of virtual time with no command completing"
                disk.event("deadlock")
            }
            wakeSleepers()
            runnable = states.indices.filter { states[$0] == .runnable }
        }
        return runnable[disk.random.below(runnable.count)]
    }
}
