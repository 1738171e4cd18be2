import Dispatch
import Foundation

/// Where a connection's thread may be switched out.
///
/// Other connections can only observe a connection through locks, syncs and the WAL index
/// (whose readers and writers take shared-memory locks), so those are where switching finds
/// new interleavings. A switch between two page reads of one transaction rarely does, and a
/// switch costs a thread hand-over (two futex calls and a context switch): data accesses
/// switch with a fraction of the batch's chance.
enum YieldPoint {
    /// A page read or write, a size query or a truncate.
    case dataAccess
    /// A file or shared-memory lock, a sync, an open or delete, the gap between commands.
    case synchronization
}

/// Deterministic interleaving of several connections, each on its own thread: exactly one
/// thread runs at a time, and at every yield point (each VFS call) the seed picks who runs
/// next. A busy wait (xSleep) parks its thread until its virtual wake-up time; when nobody can
/// run, virtual time jumps to the earliest wake-up, so waiting costs no wall time.
///
/// The thread that calls ``run(count:_:)`` is the first lane to run; the others are threads
/// borrowed from ``LaneThreadPool`` for one batch. (Running one lane on the caller saves two
/// hand-overs per batch: the start, and often the end.) Each lane waits on its own semaphore
/// and a hand-over wakes just the next one; the semaphores also order memory, so each thread
/// sees what the last one wrote.
///
/// How often to preempt is drawn per batch, log-uniformly from 0.5% to 32% of synchronization
/// points: most interleaving bugs need only a few well-placed preemptions (the observation
/// behind PCT, Burckhardt et al., ASPLOS 2010), and every preemption costs a thread hand-over,
/// so most batches preempt rarely and a few preempt densely (swarm testing over the rate).
final class InterleavingScheduler: @unchecked Sendable {
    private enum State: Equatable {
        case runnable
        case sleeping(until: Int64)
        case finished
    }

    private unowned let disk: SimulatedDisk
    private var lanes: [LaneThreadPool.Lane] = []
    private var states: [State] = []
    /// The lane that may run, or nil between batches.
    private var current: Int?
    private var remaining = 0
    /// The lane that runs on the calling thread, and that thread's turn semaphore.
    private var callerIndex = 0
    private let callerLane = LaneThreadPool.Lane()
    /// Signalled by the lane that finishes last, when that is not the caller's.
    private let batchDone = DispatchSemaphore(value: 0)
    /// Chance, per mille, of switching at a synchronization point (drawn per batch).
    private var switchPerMille = 40
    /// Data accesses switch with `switchPerMille / dataAccessDivisor` per mille.
    private static let dataAccessDivisor = 8
    /// Virtual time of the last completed command (deadlock detection).
    private var lastProgress: Int64 = 0
    private let deadlockAfterMicroseconds: Int64
    private(set) var deadlocked = false

    /// What a deadlock means here, for the log.
    var deadlockReport: String {
        "every connection has waited for a lock for over \(deadlockAfterMicroseconds / 1_000_000) s of virtual time with no command completing"
    }

    init(disk: SimulatedDisk, deadlockAfterMilliseconds: Int64 = 60_000) {
        self.disk = disk
        self.deadlockAfterMicroseconds = deadlockAfterMilliseconds * 1000
    }

    /// Runs `body(lane)` for lanes `0..<count`, interleaved; returns when all are done.
    func run(count: Int, _ body: @escaping (Int) -> Void) {
        guard count > 0 else { return }
        let borrowed = LaneThreadPool.shared.borrow(count - 1)
        defer {
            LaneThreadPool.shared.release(borrowed)
            lanes = []
        }
        states = Array(repeating: .runnable, count: count)
        remaining = count
        // 5, 10, 20, ... 320 per mille, each with up to 100% jitter.
        let rate = 5 << disk.random.below(7)
        switchPerMille = rate + disk.random.below(rate)
        lastProgress = disk.clock.nowMicroseconds()
        deadlocked = false
        let first = disk.random.below(count)
        callerIndex = first
        lanes = borrowed
        lanes.insert(callerLane, at: first)
        current = first
        for index in 0..<count where index != first {
            // Parked until its first turn, which comes by hand-over.
            lanes[index].setJob { [self] in body(index); finish(index) }
        }
        body(first)
        if !finish(first) { batchDone.wait() }
    }

    /// A command completed (for deadlock detection).
    func progressed() {
        lastProgress = disk.clock.nowMicroseconds()
    }

    /// A yield point of the running thread: the seed may hand the turn to another.
    func yield(_ kind: YieldPoint) {
        guard let me = current else { return }
        wakeSleepers()
        let perMille = kind == .dataAccess ? switchPerMille / Self.dataAccessDivisor : switchPerMille
        guard disk.random.below(1000) < perMille else { return }
        let next = pickNext()
        if next != me { handOver(from: me, to: next) }
    }

    /// A busy wait of the running thread: others run until its virtual wake-up time.
    func sleep(microseconds: Int64) {
        guard let me = current else { return }
        states[me] = .sleeping(until: disk.clock.nowMicroseconds() + max(microseconds, 1))
        let next = pickNext()
        if next != me { handOver(from: me, to: next) }
    }

    // MARK: Internals

    /// Lane `index` is done; the turn goes to another. Returns whether the batch is over.
    @discardableResult
    private func finish(_ index: Int) -> Bool {
        states[index] = .finished
        remaining -= 1
        if remaining == 0 {
            current = nil
            if index != callerIndex { batchDone.signal() }
            return true
        }
        let next = pickNext()
        current = next
        lanes[next].turn.signal()
        return false
    }

    private func handOver(from me: Int, to next: Int) {
        current = next
        lanes[next].turn.signal()
        lanes[me].turn.wait()
    }

    /// Sleepers whose time has come become runnable.
    private func wakeSleepers() {
        let now = disk.clock.nowMicroseconds()
        for index in states.indices {
            if case .sleeping(let until) = states[index], until <= now { states[index] = .runnable }
        }
    }

    /// A runnable lane, chosen by the seed; if all wait, time moves to the first wake-up.
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
                disk.event("deadlock")
            }
            wakeSleepers()
            runnable = states.indices.filter { states[$0] == .runnable }
        }
        return runnable[disk.random.below(runnable.count)]
    }
}
