import DSTPluginSDK
import Synchronization

/// What the test thread tells the workers, and what they tell it back, without locks.
final class LoadControl: Sendable {
    /// Set when the load must end.
    let stop = Atomic<Bool>(false)
    /// Cleared for the drain at the end of the run: no new expiries.
    let expiries = Atomic<Bool>(true)
    /// The wall time (ns) at which the last command setting an expiry returned, on any worker.
    let lastExpiryReturned = Atomic<UInt64>(0)
    /// A worker's connection failed (not an error reply: the call itself): its description.
    let failures = Mutex<[String]>([])
}

/// One worker thread: its own connection to the soak database, running its share of the
/// seeded workload at a steady pace until told to stop.
struct LoadWorker: Sendable {
    let index: Int
    let engine: Engine
    let seed: UInt64
    let keys: Int
    /// Seconds between two steps of this worker.
    let period: Double
    let clock: WallClock
    let recorder: IntervalRecorder
    let oracle: ExpiryOracle
    let control: LoadControl

    /// Runs until `control.stop`.
    ///
    /// Steps are due on a fixed schedule (start + n × period) rather than a fixed sleep after
    /// each, so slow commands do not lower the offered load: the worker catches up. It catches
    /// up by at most a second, so a long stall is not followed by a burst that would measure
    /// nothing but the burst.
    func run() {
        var workload = Workload(seed: seed, keys: keys)
        let periodNanoseconds = UInt64(max(period, 1e-6) * 1e9)
        var due = clock.nanoseconds()
        var serial = 0
        while !control.stop.load(ordering: .relaxed) {
            let now = clock.nanoseconds()
            if due > now {
                sleep(nanoseconds: Int64(due - now))
                continue
            }
            if now - due > 1_000_000_000 { due = now - 1_000_000_000 }
            due += periodNanoseconds
            let expiries = control.expiries.load(ordering: .relaxed)
            do {
                switch workload.next(expiries: expiries) {
                case .commands(let commands):
                    for command in commands { try timed(command) }
                    if expiries, commands.contains(where: Self.setsExpiry) { noteExpiry() }
                case .expiringWrite:
                    serial += 1
                    let ttl = Int64(50 + workload.draw(below: 1951))
                    let value = Array("v\(serial)-\(workload.draw(below: 1_000_000))".utf8)
                    try oracle.write(on: engine, worker: index, serial: serial, ttl: ttl, value: value)
                    noteExpiry()
                case .expiryCheck:
                    try oracle.check(on: engine, pick: workload.draw(below: 1 << 30))
                }
            } catch {
                control.failures.withLock { $0.append("worker \(index): \(error)") }
                return
            }
        }
    }

    /// Runs one command and records its latency (and its error reply, if any).
    private func timed(_ command: [[UInt8]]) throws {
        let start = clock.nanoseconds()
        let reply = try engine.execute(command)
        let elapsed = clock.nanoseconds() - start
        if case .error(let message) = reply {
            recorder.record(nanoseconds: elapsed, error: "\(String(decoding: command[0], as: UTF8.self)): \(message)")
        } else {
            recorder.record(nanoseconds: elapsed)
        }
    }

    private func noteExpiry() {
        let now = clock.nanoseconds()
        // Workers race here: keep the latest.
        var seen = control.lastExpiryReturned.load(ordering: .relaxed)
        while seen < now {
            let (exchanged, current) = control.lastExpiryReturned.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = current
        }
    }

    private static func setsExpiry(_ command: [[UInt8]]) -> Bool {
        let name = String(decoding: command[0], as: UTF8.self)
        return name == "EXPIRE" || (name == "SET" && command.count > 3)
    }
}
