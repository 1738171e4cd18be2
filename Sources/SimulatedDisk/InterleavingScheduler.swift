import Dispatch
import Foundation

/// Deterministic interleaving of several connections, each on its own thread: exactly one
/// thread runs at a time, and at every yield point (each VFS call) the seed picks who runs
/// next. A busy wait (xSleep) parks its thread until its virtual wake-up time; when nobody can
/// run, virtual time jumps to the earliest wake-up, so waiting costs no wall time.
///
/// Threads are made once per lane and kept for the disk's lifetime (making one per batch would
/// cost more than the batch). Each lane waits on its own semaphore and a hand-over wakes just
/// the next one; the semaphores also order memory, so each thread sees what the last one wrote.
final class InterleavingScheduler: @unchecked Sendable {
    private enum State: Equatable {
        case runnable
        case sleeping(until: Int64)
        case finished
    }

    private final class Lane: Sendable {
        let turn = DispatchSemaphore(value: 0)
    }

    private unowned let disk: SimulatedDisk
    private var lanes: [Lane] = []
    private var states: [State] = []
    /// The lane that may run, or nil between batches.
    private var current: Int?
    private var remaining = 0
    private var body: ((Int) -> Void)?
    private let batchDone = DispatchSemaphore(value: 0)
    private var shuttingDown = false
    /// Chance, in percent, of switching at a yield point (drawn per batch from the seed).
    private var switchPercent = 50
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
        while lanes.count < count { startLane() }
        states = Array(repeating: .runnable, count: count)
        remaining = count
        self.body = body
        switchPercent = 10 + disk.random.below(81)
        lastProgress = disk.clock.nowMicroseconds()
        deadlocked = false
        let first = disk.random.below(count)
        current = first
        lanes[first].turn.signal()
        batchDone.wait()
        self.body = nil
    }

    /// Ends every lane's thread (the disk is going away).
    func shutDown() {
        shuttingDown = true
        for lane in lanes { lane.turn.signal() }
    }

    /// A command completed (for deadlock detection).
    func progressed() {
        lastProgress = disk.clock.nowMicroseconds()
    }

    /// A yield point of the running thread: the seed may hand the turn to another.
    func yield() {
        guard let me = current else { return }
        wakeSleepers()
        guard disk.random.below(100) < switchPercent else { return }
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

    private func startLane() {
        let index = lanes.count
        let lane = Lane()
        lanes.append(lane)
        let thread = Thread { [self] in
            while true {
                lane.turn.wait()
                if shuttingDown { return }
                body?(index)
                finish(index)
            }
        }
        // SQLite and the engine need more than a secondary thread's default stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func finish(_ index: Int) {
        states[index] = .finished
        remaining -= 1
        if remaining == 0 {
            current = nil
            batchDone.signal()
        } else {
            let next = pickNext()
            current = next
            lanes[next].turn.signal()
        }
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
