import DSTPluginSDK

/// One step of a simulation's program: what the seed decided, replayable on a fresh database.
///
/// Commands between two ``batchEnd`` steps run as one concurrent batch. A shrink deletes
/// steps; any sub-list is still a program that runs.
enum Step {
    /// A command on connection `connection` in the current batch.
    case command(connection: Int, argv: [[UInt8]])
    /// Runs the batch gathered so far.
    case batchEnd
    /// Closes connection `connection` and opens a new one on the same file.
    case reconnect(connection: Int)
    /// Plans a power loss at the disk's `write`-th write from now.
    case plantCrash(write: Int)
    /// A power loss now (unless a planned one already happened), then recovery.
    case powerLoss

    /// A line of a report.
    var text: String {
        switch self {
        case .command(let connection, let argv): return "[c\(connection)] " + Workload.render(argv)
        case .batchEnd: return "-- batch --"
        case .reconnect(let connection): return "(reconnect c\(connection))"
        case .plantCrash(let write): return "(plan: crash at write \(write) from here)"
        case .powerLoss: return "(power loss, recovery)"
        }
    }
}

/// The shape of a key: which family of commands its workload mostly uses.
enum KeyFamily: CaseIterable {
    case string, list, hash, set, zset

    /// The key's name tells its family, so a report reads at a glance.
    func keyName(_ number: Int) -> String {
        switch self {
        case .string: return "str\(number)"
        case .list: return "list\(number)"
        case .hash: return "hash\(number)"
        case .set: return "set\(number)"
        case .zset: return "zset\(number)"
        }
    }
}

/// Draws single-key commands from the seed.
///
/// Written values are numbered in the order they are drawn (`v1`, `v2`, ...), so a read in a
/// report shows which write it saw. Multi-element writes (RPUSH k a b c, HSET k f1 v1 f2 v2,
/// SADD, ZADD with several members) are frequent: a command that is not atomic shows up as a
/// reader seeing part of one.
struct Workload {
    let run: TestRun
    private var numbered = 0
    /// Draw a command of another family now and then (WRONGTYPE paths), and the generic DEL,
    /// EXISTS, TYPE.
    var crossFamilyOneIn = 40

    init(run: TestRun) { self.run = run }

    private static let members: [[UInt8]] = (0..<6).map { Array("m\($0)".utf8) }
    private static let fields: [[UInt8]] = (0..<5).map { Array("f\($0)".utf8) }
    private static let counters: [[UInt8]] = (0..<2).map { Array("n\($0)".utf8) }

    private mutating func value() -> [UInt8] {
        numbered += 1
        return Array("v\(numbered)".utf8)
    }

    /// 1 to `maximum` distinct picks from `pool`, in draw order.
    private func distinct(_ pool: [[UInt8]], maximum: Int) -> [[UInt8]] {
        let count = run.random.int(in: 1...maximum)
        var remaining = pool
        var chosen: [[UInt8]] = []
        for _ in 0..<min(count, pool.count) {
            chosen.append(remaining.remove(at: run.random.below(remaining.count)))
        }
        return chosen
    }

    /// A command on `key`, mostly of `family`.
    mutating func command(key: String, family: KeyFamily) -> [[UInt8]] {
        var family = family
        if run.random.chance(1, in: crossFamilyOneIn) {
            switch run.random.below(4) {
            case 0: return argv("DEL", key)
            case 1: return argv("EXISTS", key)
            case 2: return argv("TYPE", key)
            default: family = KeyFamily.allCases[run.random.below(KeyFamily.allCases.count)]
            }
        }
        let roll = run.random.below(100)
        switch family {
        case .string:
            switch roll {
            case 0..<20: return argv("INCR", key)
            case 20..<35: return argv("INCRBY", key, String(run.random.int(in: -5...20)))
            case 35..<50:
                // Digits keep the string a number; a numbered value makes INCR fail.
                let suffix = run.random.chance(1, in: 3) ? value() : Array(String(run.random.int(in: 1...9)).utf8)
                return argv("APPEND", key) + [suffix]
            case 50..<60: return argv("SET", key) + [run.random.bool() ? value() : Array(String(run.random.int(in: -50...50)).utf8)]
            case 60..<90: return argv("GET", key)
            default: return argv("STRLEN", key)
            }
        case .list:
            switch roll {
            case 0..<30: return argv("RPUSH", key) + (0..<run.random.int(in: 1...4)).map { _ in value() }
            case 30..<40: return argv("LPUSH", key) + (0..<run.random.int(in: 1...3)).map { _ in value() }
            case 40..<58: return argv("LPOP", key)
            case 58..<68: return argv("RPOP", key)
            case 68..<93: return argv("LRANGE", key, "0", "-1")
            default: return argv("LLEN", key)
            }
        case .hash:
            switch roll {
            case 0..<30:
                return argv("HSET", key) + distinct(Workload.fields, maximum: 3).flatMap { [$0, value()] }
            case 30..<40: return argv("HDEL", key) + distinct(Workload.fields, maximum: 2)
            case 40..<55:
                return argv("HINCRBY", key) + [Workload.counters[run.random.below(Workload.counters.count)],
                                                Array(String(run.random.int(in: -3...9)).utf8)]
            case 55..<65: return argv("HGET", key) + [(Workload.fields + Workload.counters)[run.random.below(7)]]
            case 65..<92: return argv("HGETALL", key)
            default: return argv("HLEN", key)
            }
        case .set:
            switch roll {
            case 0..<35: return argv("SADD", key) + distinct(Workload.members, maximum: 4)
            case 35..<55: return argv("SREM", key) + distinct(Workload.members, maximum: 2)
            case 55..<85: return argv("SMEMBERS", key)
            case 85..<93: return argv("SISMEMBER", key) + [Workload.members[run.random.below(Workload.members.count)]]
            default: return argv("SCARD", key)
            }
        case .zset:
            switch roll {
            case 0..<35:
                return argv("ZADD", key) + distinct(Workload.members, maximum: 4).flatMap {
                    [Array(String(run.random.int(in: 0...9)).utf8), $0]
                }
            case 35..<55: return argv("ZREM", key) + distinct(Workload.members, maximum: 2)
            case 55..<85: return argv("ZRANGE", key, "0", "-1", "WITHSCORES")
            case 85..<93: return argv("ZSCORE", key) + [Workload.members[run.random.below(Workload.members.count)]]
            default: return argv("ZCARD", key)
            }
        }
    }

    private func argv(_ words: String...) -> [[UInt8]] { words.map { Array($0.utf8) } }

    /// A command as one would type it; values quoted with C escapes.
    static func render(_ argv: [[UInt8]]) -> String {
        argv.enumerated().map { index, word in
            index < 2 ? String(decoding: word, as: UTF8.self) : Reply.quoted(word)
        }.joined(separator: " ")
    }
}
