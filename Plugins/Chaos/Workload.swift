import DSTPluginSDK

/// One step of a recorded workload.
enum Operation {
    case command(Command)
    /// MULTI, the commands, EXEC: one transaction.
    case group([Command])
    /// A process restart (close and reopen, no power loss): empties SQLite's page cache, so
    /// the next reads go to the disk (and meet its read faults).
    case reopen
    /// The fault plan is cleared here (space comes back, the disk stops misbehaving).
    case clearPlan

    func describe(_ names: [String]) -> String {
        switch self {
        case .command(let command): return command.describe(names)
        case .group(let commands): return "MULTI; " + commands.map { $0.describe(names) }.joined(separator: "; ") + "; EXEC"
        case .reopen: return "(restart: reopen)"
        case .clearPlan: return "(fault plan cleared)"
        }
    }
}

/// Swarm testing: each seed weights the command families differently, so some seeds hammer
/// lists and others barely touch them, and sizes differ too (TigerBeetle's swarm options).
struct Mix {
    /// Weights of the families: text strings, counters, hashes, lists, sets, sorted sets,
    /// whole-value reads, EXISTS, DEL, MULTI/EXEC groups.
    var weights: [Int]
    /// The longest string value; long values fill pages, so a flipped bit lands in data more
    /// often.
    var valueBytes: Int
    /// Padding of set members and hash fields, for the same reason.
    var padding: Int
    /// Restarts per 1000 operations (only where the test wants page-cache misses).
    var reopensPerMille: Int

    static let familyCount = 10

    static func draw(_ run: TestRun, reopens: Bool) -> Mix {
        var weights = (0..<familyCount).map { _ in run.random.below(10) }
        // Every family on with weight 1 at least one seed in three, so none is starved for long.
        if run.random.chance(1, in: 3) { weights = weights.map { max($0, 1) } }
        // Multi-element writes (lists, hashes, sets, sorted sets) and groups are what a split
        // transaction or a lost commit shows in: never let a seed turn all of them off.
        if weights[2] + weights[3] + weights[4] + weights[5] + weights[9] == 0 { weights[3] = 5 }
        let sizes = [8, 32, 120, 400]
        return Mix(weights: weights, valueBytes: sizes[run.random.below(sizes.count)],
                   padding: [0, 8, 40][run.random.below(3)],
                   reopensPerMille: reopens ? [10, 40, 100][run.random.below(3)] : 0)
    }

    var summary: String {
        "weights text/counter/hash/list/set/zset/read/exists/del/multi \(weights.map(String.init).joined(separator: "/")), "
            + "values <= \(valueBytes) B, padding \(padding), reopens \(reopensPerMille)/1000"
    }
}

/// Draws workloads: every choice from the run's random stream, in a fixed order.
struct WorkloadGenerator {
    let run: TestRun
    let keys: Int
    let mix: Mix
    private let total: Int

    init(run: TestRun, keys: Int, mix: Mix) {
        self.run = run
        self.keys = keys
        self.mix = mix
        total = mix.weights.reduce(0, +)
    }

    /// `count` operations; `clearAt` puts a ``Operation/clearPlan`` before that index.
    func operations(_ count: Int, clearAt: Int? = nil) -> [Operation] {
        var result: [Operation] = []
        result.reserveCapacity(count + 1)
        for index in 0..<count {
            if index == clearAt { result.append(.clearPlan) }
            if mix.reopensPerMille > 0 && run.random.below(1000) < mix.reopensPerMille {
                result.append(.reopen)
                continue
            }
            let family = pickFamily()
            if family == 9 {
                result.append(.group((0...run.random.below(3)).map { _ in command(pickFamily(excludingGroups: true)) }))
            } else {
                result.append(.command(command(family)))
            }
        }
        return result
    }

    private func pickFamily(excludingGroups: Bool = false) -> Int {
        let weights = excludingGroups ? Array(mix.weights.prefix(9)) : mix.weights
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return 6 }
        var draw = run.random.below(sum)
        for (family, weight) in weights.enumerated() {
            if draw < weight { return family }
            draw -= weight
        }
        return 6
    }

    /// A key of `kind` (or any key when nil).
    private func key(_ kind: Kind?) -> Int {
        let kinds = Kind.allCases.count
        guard let kind else { return run.random.below(keys) }
        // Keys of this kind: kind.rawValue, + 6, + 12, ... below `keys`.
        let count = max(1, (keys - kind.rawValue + kinds - 1) / kinds)
        return min(kind.rawValue + kinds * run.random.below(count), keys - 1)
    }

    /// 1 to 4 elements, at least 2 three times in four: multi-element writes are where a
    /// command split in two transactions shows.
    private func elementCount() -> Int {
        run.random.chance(3, in: 4) ? 2 + run.random.below(3) : 1
    }

    private func bytes(maximum: Int) -> [UInt8] {
        if run.random.chance(1, in: 10) { return [] }
        return run.random.bytes(count: 1 + run.random.below(max(1, maximum)))
    }

    /// A member or field from a small pool (so removals hit), padded to the seed's length.
    private func pooled(_ prefix: String) -> [UInt8] {
        Array("\(prefix)\(run.random.below(12))".utf8) + [UInt8](repeating: UInt8(ascii: "."), count: mix.padding)
    }

    private func command(_ family: Int) -> Command {
        switch family {
        case 0:
            let key = key(.text)
            return run.random.chance(2, in: 3) ? .set(key: key, value: bytes(maximum: mix.valueBytes))
                                               : .append(key: key, value: bytes(maximum: max(1, mix.valueBytes / 4)))
        case 1:
            let key = key(.counter)
            return run.random.chance(1, in: 4) ? .setNumber(key: key, number: run.random.int(in: -1000...1000)) : .incr(key: key)
        case 2:
            let key = key(.hash)
            if run.random.chance(1, in: 4) { return .hdel(key: key, names: (0..<elementCount()).map { _ in pooled("f") }) }
            return .hset(key: key, fields: (0..<elementCount()).map { _ in
                Field(name: pooled("f"), value: bytes(maximum: mix.valueBytes / 2))
            })
        case 3:
            let key = key(.list)
            // Pops about as often as pushes of ~2.5 items keep lists from growing without bound.
            if run.random.chance(2, in: 5) { return .lpop(key: key) }
            return .push(left: run.random.bool(), key: key, items: (0..<elementCount()).map { _ in bytes(maximum: 24) })
        case 4:
            let key = key(.set)
            if run.random.chance(1, in: 3) { return .srem(key: key, members: (0..<elementCount()).map { _ in pooled("m") }) }
            return .sadd(key: key, members: (0..<elementCount()).map { _ in pooled("m") })
        case 5:
            let key = key(.zset)
            switch run.random.below(5) {
            case 0: return .zrem(key: key, members: (0..<elementCount()).map { _ in pooled("z") })
            case 1: return .zincrby(key: key, increment: score(), member: pooled("z"))
            default: return .zadd(key: key, members: (0..<elementCount()).map { _ in Scored(member: pooled("z"), score: score()) })
            }
        case 7:
            return .exists(key: key(nil))
        case 8:
            return .del(key: key(nil))
        default:
            return .read(key: key(nil))
        }
    }

    /// Scores that print and parse exactly: halves between -50 and 50.
    private func score() -> Double { Double(run.random.int(in: -100...100)) / 2 }
}
