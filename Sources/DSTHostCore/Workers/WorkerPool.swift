import Foundation
import Glibc

/// Runs seeds in worker processes, so a plugin that crashes, calls exit or hangs costs only
/// the seed it was running: that seed becomes a failed result with its signal and last log
/// lines, a fresh worker replaces the dead one, and the run goes on.
///
/// Workers stay alive across seeds (a batch of seeds per process) and announce every seed
/// before running it, which keeps isolation cheap and attribution exact.
public final class WorkerPool {
    private let executable: String
    private let arguments: [String]
    private let jobs: Int
    private let timeout: Duration?
    private let environment: (Int) -> [String: String]

    /// - Parameters:
    ///   - executable: the dst-host binary (`/proc/self/exe`).
    ///   - arguments: the worker's command line after the executable (`worker --plugin ...`).
    ///   - jobs: how many workers run at once.
    ///   - timeout: a seed running longer is killed and reported as timed out.
    ///   - environment: variables for the worker in a slot (0..<jobs), added to the host's.
    public init(executable: String, arguments: [String], jobs: Int, timeout: Duration?,
                environment: @escaping (Int) -> [String: String] = { _ in [:] }) {
        self.executable = executable
        self.arguments = arguments
        self.jobs = max(jobs, 1)
        self.timeout = timeout
        self.environment = environment
    }

    /// Runs every (test, seed) and returns one result each, in the order given. When every item
    /// is handed out, `more` is asked for the next ones (a timed run's next round) until it
    /// answers none: the workers, and whatever they set up, serve every round. `progress` is
    /// called with the number of results gathered so far, as they arrive.
    public func run(_ firstItems: [(test: String, seed: UInt64)], more: () -> [(test: String, seed: UInt64)] = { [] },
                    progress: ((Int) -> Void)? = nil) throws -> [TestResult] {
        var items = firstItems
        // A worker that dies just after answering makes the next request's write raise
        // SIGPIPE, whose default action would kill the host: ignore it (the dead worker is
        // noticed by its closed message pipe instead).
        signal(SIGPIPE, SIG_IGN)
        // Counted as results arrive: recounting the array each turn would be quadratic.
        var gathered = 0, reported = 0
        var results = [TestResult?](repeating: nil, count: items.count)
        var pending = Array(items.indices.reversed())
        var workers: [WorkerProcess] = []
        var assignment: [ObjectIdentifier: Int] = [:]

        func dispatch(_ worker: WorkerProcess) {
            guard let next = pending.popLast() else { return }
            let item = items[next]
            assignment[ObjectIdentifier(worker)] = next
            worker.inFlight = (item.test, item.seed, ContinuousClock.now, [], [])
            worker.send(WorkerProtocol.runRequest(seed: item.seed, test: item.test))
        }

        func finish(_ worker: WorkerProcess, outcome: TestResult.Outcome, reason: String) {
            guard let index = assignment.removeValue(forKey: ObjectIdentifier(worker)), let flight = worker.inFlight else { return }
            let elapsed = ContinuousClock.now - flight.started
            gathered += 1
            results[index] = TestResult(
                test: flight.test, seed: flight.seed, outcome: outcome, status: -1, failures: [reason],
                logTail: Array(flight.logs.suffix(20)), metrics: [], artifacts: flight.crashArtifacts, traceHash: "",
                durationMicroseconds: elapsed.wholeMicroseconds)
            worker.inFlight = nil
        }

        var exhausted = false
        while true {
            if pending.isEmpty && !exhausted {
                let next = more()
                exhausted = next.isEmpty
                pending = Array((items.count..<(items.count + next.count)).reversed())
                items += next
                results += Array(repeating: nil, count: next.count)
                for worker in workers where worker.inFlight == nil { dispatch(worker) }
            }
            guard !pending.isEmpty || !assignment.isEmpty else { break }
            while workers.count < jobs && !pending.isEmpty {
                let slot = (0..<jobs).first { slot in !workers.contains { $0.slot == slot } } ?? 0
                let worker = try WorkerProcess(executable: executable, arguments: arguments, slot: slot,
                                               environment: environment(slot))
                workers.append(worker)
                dispatch(worker)
            }
            var descriptors = workers.map { pollfd(fd: $0.messages, events: Int16(POLLIN), revents: 0) }
            let wait = nextDeadline(workers).map { max(0, Int32(clamping: $0.wholeMilliseconds) + 1) } ?? 1000
            let ready = poll(&descriptors, nfds_t(descriptors.count), min(wait, 1000))
            if ready < 0 && errno != EINTR { throw WorkerError("poll failed: \(String(cString: strerror(errno)))") }

            var dead: [WorkerProcess] = []
            for (worker, descriptor) in zip(workers, descriptors) where descriptor.revents != 0 {
                guard let lines = worker.readLines() else {
                    let status = worker.reap()
                    let what = worker.inFlight.map { "\($0.test) seed \($0.seed)" } ?? "a worker"
                    if case .exited = status {
                        finish(worker, outcome: .crashed, reason: "the worker exited (\(status.description)) while running \(what): a plugin must return, not call exit()")
                    } else {
                        finish(worker, outcome: .crashed, reason: "crashed with \(status.description) while running \(what)")
                    }
                    dead.append(worker)
                    continue
                }
                for line in lines where !line.isEmpty {
                    switch WorkerProtocol.decode(line) {
                    case .start?: break
                    case .log(let text)?:
                        worker.inFlight?.logs.append(text)
                        if let count = worker.inFlight?.logs.count, count > 100 { worker.inFlight?.logs.removeFirst(50) }
                    case .result(let result)?:
                        if let index = assignment.removeValue(forKey: ObjectIdentifier(worker)) {
                            results[index] = result
                            gathered += 1
                        }
                        worker.inFlight = nil
                        dispatch(worker)
                    case .crashArtifact(let artifact)?:
                        worker.inFlight?.crashArtifacts.append(artifact)
                    case nil:
                        worker.inFlight?.logs.append("(unreadable worker message)")
                    }
                }
            }
            if let timeout {
                for worker in workers where !dead.contains(where: { $0 === worker }) {
                    guard let flight = worker.inFlight, ContinuousClock.now - flight.started > timeout else { continue }
                    _ = worker.kill()
                    finish(worker, outcome: .timedOut, reason: "timed out after \(timeout) running \(flight.test) seed \(flight.seed); killed")
                    dead.append(worker)
                }
            }
            workers.removeAll { worker in dead.contains { $0 === worker } }
            if gathered != reported {
                reported = gathered
                progress?(gathered)
            }
        }
        for worker in workers { worker.stop() }
        return results.enumerated().map { index, result in
            result ?? TestResult(test: items[index].test, seed: items[index].seed, outcome: .error, status: -1,
                                 failures: ["no result (host error)"], logTail: [], metrics: [], artifacts: [],
                                 traceHash: "", durationMicroseconds: 0)
        }
    }

    /// Time left before the earliest in-flight seed times out.
    private func nextDeadline(_ workers: [WorkerProcess]) -> Duration? {
        guard let timeout else { return nil }
        return workers.compactMap { $0.inFlight.map { timeout - (ContinuousClock.now - $0.started) } }.min()
    }
}
