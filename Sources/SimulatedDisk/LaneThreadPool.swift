import Dispatch
import Foundation

/// Threads for the scheduler's lanes, kept for the life of the process and lent out per batch.
///
/// A simulation runs hundreds of short batches per seed and thousands of seeds per process:
/// making threads per disk (let alone per batch) cost more than the commands they ran. A
/// lane is lent to one batch at a time, so disks running in parallel (tests do) never share one.
final class LaneThreadPool: @unchecked Sendable {
    /// A thread that runs one job per `turn` it is given, parked on its semaphore in between.
    final class Lane: @unchecked Sendable {
        /// Signalled to let the lane run: to start its job, or to resume it after a hand-over.
        let turn = DispatchSemaphore(value: 0)
        /// What the lane runs when it is next started; set by the borrower before signalling.
        fileprivate(set) var job: (() -> Void)?

        /// Sets the job the lane runs at its next turn, without giving it one.
        func setJob(_ job: @escaping () -> Void) {
            self.job = job
        }
    }

    static let shared = LaneThreadPool()

    private let lock = NSLock()
    private var idle: [Lane] = []

    /// `count` lanes for one batch; give them back with ``release(_:)``.
    func borrow(_ count: Int) -> [Lane] {
        lock.lock()
        let reused = Array(idle.suffix(count))
        idle.removeLast(reused.count)
        lock.unlock()
        return reused + (reused.count..<count).map { _ in makeLane() }
    }

    /// Lanes whose jobs have all finished.
    func release(_ lanes: [Lane]) {
        lock.lock()
        idle.append(contentsOf: lanes)
        lock.unlock()
    }

    private func makeLane() -> Lane {
        let lane = Lane()
        let thread = Thread {
            while true {
                lane.turn.wait()
                let job = lane.job
                lane.job = nil
                job?()
            }
        }
        // SQLite and the engine need more than a secondary thread's default stack.
        thread.stackSize = 8 << 20
        thread.start()
        return lane
    }
}
