import DSTPluginSDK
import Testing
@testable import Soak

/// The soak's workload: reproducible from its seed, bounded, and free of expiries during the
/// drain (what the end-of-run purge check relies on).
struct WorkloadTests {
    static func steps(seed: UInt64, count: Int, expiries: Bool = true) -> [SoakStep] {
        var workload = Workload(seed: seed, keys: 50)
        return (0..<count).map { _ in workload.next(expiries: expiries) }
    }

    static func words(_ command: [[UInt8]]) -> [String] { command.map { String(decoding: $0, as: UTF8.self) } }

    @Test func theSeedDecidesEveryStep() {
        #expect(Self.steps(seed: 9, count: 2000) == Self.steps(seed: 9, count: 2000))
        #expect(Self.steps(seed: 9, count: 2000) != Self.steps(seed: 10, count: 2000))
    }

    @Test func everyKindOfStepAppearsAndKeysStayInTheirSpace() {
        var names: Set<String> = []
        var oracleSteps = 0
        for step in Self.steps(seed: 1, count: 20_000) {
            guard case .commands(let commands) = step else {
                oracleSteps += 1
                continue
            }
            for command in commands {
                let words = Self.words(command)
                names.insert(words[0])
                for word in words where word.hasPrefix("soak:") {
                    let index = Int(word.split(separator: ":").last!)!
                    #expect((0..<50).contains(index), "\(words)")
                }
            }
        }
        #expect(names.isSuperset(of: ["GET", "SET", "INCR", "DEL", "EXPIRE", "HSET", "LPUSH", "LTRIM", "SADD", "ZADD", "ZRANGE"]))
        // 8% of steps belong to the oracle.
        #expect(abs(Double(oracleSteps) / 20_000 - 0.08) < 0.01)
    }

    @Test func theDrainSetsNoExpiry() {
        for step in Self.steps(seed: 2, count: 20_000, expiries: false) {
            #expect(step != .expiringWrite)
            guard case .commands(let commands) = step else { continue }
            for command in commands {
                let words = Self.words(command)
                #expect(words[0] != "EXPIRE" && !(words[0] == "SET" && words.count > 3), "\(words)")
            }
        }
    }

    @Test func thePopulationFillsEveryCollection() {
        var workload = Workload(seed: 3, keys: 4)
        let commands = workload.population().map(Self.words)
        #expect(commands.count == 4 * 6)
        let hset = commands.first { $0[0] == "HSET" }!
        #expect(hset.count == 2 + 2 * Workload.collectionSize)
        let zadd = commands.first { $0[0] == "ZADD" }!
        #expect(zadd.count == 2 + 2 * Workload.collectionSize && Double(zadd[2]) != nil)
        #expect(commands.filter { $0[0] == "RPUSH" }.allSatisfy { $0.count == 2 + Workload.collectionSize })
    }
}
