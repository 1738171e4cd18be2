import DSTPluginSDK
import Glibc
import Histogram
import Synchronization

/// Runs one ``Scenario``: prefills its keys, starts one real thread per connection (each with
/// its own threaded engine on the scenario's WAL file), lets them run for the window while a
/// watchdog looks for progress, then checks the final state against what was acknowledged.
struct LoadRunner {
    let run: TestRun
    let scenario: Scenario
    let bounds: LoadBounds

    /// Progress the threads share with the watchdog.
    private final class Progress: Sendable {
        let completed = Atomic<Int>(0)
        /// Writes that succeeded: while one connection holds the write lock, this stands still.
        let writes = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }

    /// What the watchdog saw.
    private struct Watch {
        var deadlock: String?
        var longestWriteGapMilliseconds = 0
    }

    /// Each thread's tally, written only by that thread until it is joined.
    private final class Tallies: @unchecked Sendable {
        var items: [ConnectionTally]
        init(count: Int) { items = Array(repeating: ConnectionTally(), count: count) }
    }

    func measure() throws -> LoadOutcome {
        let file = "stress-\(scenario.name).db"
        let options = EngineOptions.file(file).threaded()
        let clock = try run.wallClock()
        try prefill(options)
        let engines = try (0..<scenario.connections).map { _ in try run.openEngine(options) }
        defer { for engine in engines { engine.close() } }

        let progress = Progress()
        let tallies = Tallies(count: engines.count)
        let seed = run.seed
        let scenario = scenario
        let started = clock.nanoseconds()
        var threads: [WorkerThread] = []
        // Stopped and joined however this returns: the host closes the engines after the test.
        defer {
            progress.stop.store(true, ordering: .relaxed)
            for thread in threads { thread.join() }
        }
        for (index, engine) in engines.enumerated() {
            threads.append(try WorkerThread {
                tallies.items[index] = Self.drive(engine, index: index, scenario: scenario, seed: seed,
                                                  clock: clock, progress: progress)
            })
        }
        let watched = watch(progress, clock: clock, until: started + UInt64(scenario.seconds * 1e9))
        progress.stop.store(true, ordering: .relaxed)
        for thread in threads { thread.join() }
        let elapsed = Double(clock.nanoseconds() - started) / 1e9
        let resources = try run.resources(file: file)

        var outcome = LoadOutcome(
            scenario: scenario, latencies: tallies.items[0].latencies, operations: 0, elapsedSeconds: elapsed,
            busyErrors: 0, unexpectedErrors: 0, firstUnexpectedError: nil, rssBytes: resources.rssBytes, peakRSSBytes: resources.peakRSSBytes,
            openFileDescriptors: resources.openFileDescriptors, databaseBytes: resources.fileBytes,
            walBytes: resources.walBytes, longestWriteGapMilliseconds: watched.longestWriteGapMilliseconds,
            deadlock: watched.deadlock, inconsistencies: [], hostErrors: [])
        for (index, tally) in tallies.items.enumerated() {
            if index > 0 { outcome.latencies.add(tally.latencies) }
            outcome.operations += tally.operations
            outcome.busyErrors += tally.busyErrors
            outcome.unexpectedErrors += tally.unexpectedErrors
            outcome.firstUnexpectedError = outcome.firstUnexpectedError ?? tally.firstUnexpectedError
            if let error = tally.hostError { outcome.hostErrors.append("connection \(index): \(error)") }
        }
        outcome.inconsistencies = try checkFinalState(engines[0], tallies: tallies.items)
        return outcome
    }

    /// Empties the scenario's file and writes `keys` values, 1000 per MSET.
    private func prefill(_ options: EngineOptions) throws {
        let engine = try run.openEngine(options)
        defer { engine.close() }
        _ = try engine.execute("FLUSHALL")
        let value = Self.value(scenario.valueBytes)
        var start = 0
        while start < scenario.keys {
            let end = min(start + max(1, 1_000_000 / max(scenario.valueBytes, 1_000)), scenario.keys)
            var argv: [[UInt8]] = [Array("MSET".utf8)]
            for key in start..<end { argv += [Self.key(key), value] }
            let reply = try engine.execute(argv)
            if case .error(let text) = reply { throw SDKError(DST_ERR_ENGINE, "prefill: MSET answered \(text)") }
            start = end
        }
    }

    /// Until `deadline`, every 10 ms: did any command complete (else, past the bound, it is a
    /// deadlock), and how long has no write succeeded (the longest such gap is how long the
    /// write lock was held, give or take the busy handler's sleeps)?
    private func watch(_ progress: Progress, clock: WallClock, until deadline: UInt64) -> Watch {
        var watched = Watch()
        var lastCount = progress.completed.load(ordering: .relaxed)
        var lastWrites = progress.writes.load(ordering: .relaxed)
        var lastChange = clock.nanoseconds()
        var lastWrite = lastChange
        let bound = UInt64(bounds.watchdogMilliseconds) * 1_000_000
        while clock.nanoseconds() < deadline && !run.isCancelled {
            usleep(10_000)
            let count = progress.completed.load(ordering: .relaxed)
            let writes = progress.writes.load(ordering: .relaxed)
            let now = clock.nanoseconds()
            if writes != lastWrites {
                watched.longestWriteGapMilliseconds = max(watched.longestWriteGapMilliseconds, Int((now - lastWrite) / 1_000_000))
                lastWrites = writes
                lastWrite = now
            }
            if count != lastCount {
                lastCount = count
                lastChange = now
            } else if now - lastChange > bound {
                watched.deadlock = "no command completed for \(bounds.watchdogMilliseconds) ms on \(scenario.connections) connections"
                break
            }
        }
        // A gap still open when the window closes counts too.
        watched.longestWriteGapMilliseconds = max(watched.longestWriteGapMilliseconds,
                                                  Int((clock.nanoseconds() - lastWrite) / 1_000_000))
        return watched
    }

    /// One connection's loop: seeded commands until told to stop.
    private static func drive(_ engine: Engine, index: Int, scenario: Scenario, seed: UInt64,
                              clock: WallClock, progress: Progress) -> ConnectionTally {
        var random = SplitMix64.derived(base: seed, index: index)
        var tally = ConnectionTally()
        let value = Self.value(scenario.valueBytes)
        let own = Array("ctr:\(index)".utf8)
        let incr = Array("INCR".utf8)
        let get = Array("GET".utf8)
        while !progress.stop.load(ordering: .relaxed) {
            var hot: Int?
            var isOwn = false
            let argv: [[UInt8]]
            if random.below(100) < scenario.readPercent {
                argv = [get, key(random.below(scenario.keys))]
            } else {
                let kind = random.below(100)
                if kind < 10 {
                    isOwn = true
                    argv = [incr, own]
                } else if kind < 10 + scenario.hotWritePercent {
                    hot = random.below(Scenario.hotCounters)
                    argv = [incr, Array("hot:\(hot!)".utf8)]
                } else {
                    argv = [Array("SET".utf8), key(random.below(scenario.keys)), value]
                }
            }
            let begun = clock.nanoseconds()
            let reply: Reply
            do {
                reply = try engine.execute(argv)
            } catch {
                tally.hostError = "\(error)"
                break
            }
            _ = tally.latencies.record(clock.nanoseconds() - begun)
            tally.operations += 1
            progress.completed.add(1, ordering: .relaxed)
            switch reply {
            case .error(let text) where text.contains("database is locked") || text.contains("busy"):
                tally.busyErrors += 1
            case .error(let text):
                tally.unexpectedErrors += 1
                if tally.firstUnexpectedError == nil { tally.firstUnexpectedError = "\(String(decoding: argv[0], as: UTF8.self)) -> \(text)" }
            default:
                if isOwn { tally.ownIncrements += 1 }
                if let hot { tally.hotIncrements[hot] += 1 }
                if argv[0] != get { progress.writes.add(1, ordering: .relaxed) }
            }
        }
        return tally
    }

    /// Every acknowledged INCR is in the final state: each connection's own counter equals its
    /// acknowledgements, each hot counter the sum of everyone's; and SQLite finds no corruption.
    private func checkFinalState(_ engine: Engine, tallies: [ConnectionTally]) throws -> [String] {
        var problems: [String] = []
        /// A counter's value: nil when missing; an error reply is a problem of its own.
        func counter(_ name: String) throws -> Int? {
            let reply = try engine.execute("GET", name)
            if case .error(let text) = reply { throw SDKError(DST_ERR_ENGINE, "GET \(name) after the load answered \(text)") }
            return reply.bytes.flatMap { Int(String(decoding: $0, as: UTF8.self)) }
        }
        for (index, tally) in tallies.enumerated() {
            let stored = try counter("ctr:\(index)") ?? 0
            if stored != tally.ownIncrements {
                problems.append("ctr:\(index) is \(stored) after \(tally.ownIncrements) acknowledged INCRs")
            }
        }
        for hot in 0..<Scenario.hotCounters {
            let acknowledged = tallies.reduce(0) { $0 + $1.hotIncrements[hot] }
            let stored = try counter("hot:\(hot)") ?? 0
            if stored != acknowledged {
                problems.append("hot:\(hot) is \(stored) after \(acknowledged) acknowledged INCRs from all connections")
            }
        }
        do {
            if let integrity = try engine.checkIntegrity() { problems.append("integrity_check: \(integrity)") }
        } catch let error as SDKError where error.isUnsupported {
            // A RESP target: its database file is the server's, not the host's to check.
        }
        return problems
    }

    static func key(_ number: Int) -> [UInt8] { Array("key:\(number)".utf8) }

    static func value(_ bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(ascii: "a") + UInt8($0 % 26) }
    }
}
