import Redlite
import RESP
import SQLite
import Testing
@testable import SimulatedDisk

/// Virtual time for the disk and the engine alike.
final class TestClock: VirtualClock, RedliteClock {
    var microseconds: Int64 = 1_767_225_600_000_000
    func nowMicroseconds() -> Int64 { microseconds }
    func advance(microseconds: Int64) { self.microseconds += microseconds }
}

/// A disk and engines on it, as the host sets them up.
final class Rig {
    let clock = TestClock()
    let disk: SimulatedDisk
    nonisolated(unsafe) static var counter = 0

    init(seed: UInt64 = 1) {
        Rig.counter += 1
        disk = SimulatedDisk(name: "test-sim-\(Rig.counter)", seed: seed, clock: clock)
    }

    func open(_ name: String = "data.db", durability: StorageOptions.Durability = .full) throws -> RedliteConnection {
        let options = StorageOptions(location: .file(name), durability: durability, vfs: disk.vfsName, pageChecksums: true)
        return try RedliteConnection(options, clock: clock, random: SeededRandom(seed: 7), clientID: 1)
    }

    /// Pushes 0..<count onto "list", loses the power, recovers, and reopens: the survivor.
    func pushThenLosePower(count: Int, durability: StorageOptions.Durability) throws -> RedliteConnection {
        var engine: RedliteConnection? = try open(durability: durability)
        for index in 0..<count { _ = engine!.execute("RPUSH", "list", "\(index)") }
        disk.losePower()
        engine = nil
        disk.recoverFromPowerLoss()
        let survivor = try open(durability: durability)
        #expect(try survivor.database.strings("PRAGMA integrity_check") == ["ok"])
        return survivor
    }
}

@Suite(.serialized) struct SimulatedDiskTests {
    @Test func storesPagesWithChecksumsAndReopens() throws {
        let rig = Rig()
        var engine: RedliteConnection? = try rig.open()
        for index in 0..<200 { #expect(engine!.execute("SET", "k\(index)", String(repeating: "v", count: 100)) == .simple("OK")) }
        #expect(try engine!.database.strings("PRAGMA integrity_check") == ["ok"])
        #expect(try engine!.database.scalarInt("SELECT COUNT(*) FROM keys") == 200)
        engine = nil
        engine = try rig.open()
        #expect(engine!.execute("GET", "k199") == .bulk(Array(String(repeating: "v", count: 100).utf8)))
        let stats = rig.disk.currentStatistics
        #expect(stats.writes > 0 && stats.syncs > 0 && stats.files >= 1)
        #expect(rig.disk.fileNames.contains("/data.db"))
    }

    @Test func aPowerLossKeepsEveryAcknowledgedCommitUnderFull() throws {
        for seed in UInt64(1)...20 {
            let engine = try Rig(seed: seed).pushThenLosePower(count: 30, durability: .full)
            #expect(engine.execute("LLEN", "list") == .integer(30), "seed \(seed)")
        }
    }

    @Test func aPowerLossUnderNormalKeepsAPrefix() throws {
        for seed in UInt64(1)...20 {
            let engine = try Rig(seed: seed).pushThenLosePower(count: 30, durability: .normal)
            guard case .integer(let length) = engine.execute("LLEN", "list") else {
                Issue.record("LLEN failed, seed \(seed)")
                continue
            }
            let expected = (0..<Int(length)).map { Reply.bulk(Array("\($0)".utf8)) }
            #expect(engine.execute("LRANGE", "list", "0", "-1") == .array(expected), "seed \(seed)")
        }
    }

    @Test func corruptReadsAreErrorsNeverData() throws {
        var detected = 0
        for seed in UInt64(1)...10 {
            let rig = Rig(seed: seed)
            var engine: RedliteConnection? = try rig.open()
            for index in 0..<100 { _ = engine!.execute("SET", "k\(index)", "value-\(index)") }
            engine = nil
            rig.disk.setPlan(try FaultPlan(parsing: "corrupt_read p=0.3"))
            engine = try? rig.open()
            guard let engine else { detected += 1; continue }
            for index in 0..<100 {
                let reply = engine.execute("GET", "k\(index)")
                if case .error = reply { detected += 1; continue }
                #expect(reply == .bulk(Array("value-\(index)".utf8)), "seed \(seed)")
            }
        }
        #expect(detected > 0)
    }

    @Test func diskFullIsAnErrorAndWritesWorkAgain() throws {
        let rig = Rig()
        let engine = try rig.open()
        rig.disk.setPlan(try FaultPlan(parsing: "disk_full quota=20000"))
        var sawFull = false
        for index in 0..<400 {
            if case .error(let message) = engine.execute("SET", "k\(index)", String(repeating: "x", count: 500)) {
                #expect(message.contains("full"))
                sawFull = true
                break
            }
        }
        #expect(sawFull)
        #expect(try engine.database.strings("PRAGMA integrity_check") == ["ok"])
        rig.disk.setPlan(FaultPlan())
        #expect(engine.execute("SET", "after", "1") == .simple("OK"))
    }

    @Test func sameSeedSameBytes() throws {
        func run() throws -> UInt64 {
            let rig = Rig(seed: 42)
            var engine: RedliteConnection? = try rig.open(durability: .normal)
            for index in 0..<50 { _ = engine!.execute("HSET", "h", "f\(index)", "\(index)") }
            rig.disk.losePower()
            engine = nil
            rig.disk.recoverFromPowerLoss()
            engine = try rig.open()
            _ = engine!.execute("HLEN", "h")
            return rig.disk.contentDigest()
        }
        #expect(try run() == run())
    }

    /// Connections that only ever wait (busy waits with no command completing) are a deadlock
    /// once 60 s of virtual time pass; the same waits with commands completing are not. The
    /// waits cost no wall time: the clock jumps to the next wake-up.
    @Test(arguments: [false, true])
    func waitingWithoutProgressIsADeadlock(progressing: Bool) {
        let rig = Rig()
        let start = rig.clock.microseconds
        let disk = rig.disk
        let outcome = disk.runConcurrently(lanes: 3) { _ in
            for _ in 0..<90 {
                disk.sleep(microseconds: 1_000_000)
                if progressing { disk.commandCompleted() }
            }
        }
        #expect(outcome.deadlocked == !progressing, "\(outcome.report)")
        #expect(rig.clock.microseconds - start >= 90_000_000, "every lane slept 90 virtual seconds")
    }
}
