import DSTPluginSDK

/// `sorted_set_ordering`: after ZADD (one to three pairs), ZINCRBY and ZREM, ZRANGE key 0 -1
/// WITHSCORES lists the members ordered by (score, member bytes), and exactly the model's
/// members with the model's scores. Scores and increments are quarters on a small grid, so
/// ties are common and every sum is exact in binary and in Redis's text. Members come from a
/// small pool (an empty member and binary ones among them).
enum SortedSetOrdering: Property {
    enum Operation {
        case add(key: Int, entries: [Entry])
        case incrementBy(key: Int, increment: Double, member: [UInt8])
        case remove(key: Int, members: [[UInt8]])
        case range(key: Int)
    }

    /// A member and its score.
    struct Entry {
        var member: [UInt8]
        var score: Double
    }

    static let name = "sorted_set_ordering"

    static let memberPool: [[UInt8]] = (0..<8).map { Text.bytes("m\($0)") }
        + [[], Text.bytes("m"), Text.bytes("m10"), [0x00], [0xFF]]

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(10) {
            case 0..<4:
                let entries = (0...run.random.below(3)).map { _ in
                    Entry(member: pickMember(run), score: quarters(run, -40...40))
                }
                return .add(key: key, entries: entries)
            case 4..<6:
                return .incrementBy(key: key, increment: quarters(run, -20...20), member: pickMember(run))
            case 6..<8:
                return .remove(key: key, members: (0...run.random.below(2)).map { _ in pickMember(run) })
            default:
                return .range(key: key)
            }
        }
    }

    private static func pickMember(_ run: TestRun) -> [UInt8] {
        memberPool[run.random.below(memberPool.count)]
    }

    /// A multiple of 0.25: exact in binary, and printed by Redis as it reads back.
    private static func quarters(_ run: TestRun, _ range: ClosedRange<Int>) -> Double {
        Double(run.random.int(in: range)) / 4
    }

    static func emptyModel(sizes: Sizes) -> [[Entry]] {
        [[Entry]](repeating: [], count: sizes.keys)
    }

    static func apply(_ operation: Operation, to model: inout [[Entry]], on execution: Execution) throws {
        switch operation {
        case .add(let key, let entries):
            var added = 0
            for entry in entries {
                if let position = model[key].firstIndex(where: { $0.member == entry.member }) {
                    model[key][position].score = entry.score
                } else {
                    model[key].append(entry)
                    added += 1
                }
            }
            try execution.expect(arguments(operation), .integer(Int64(added)), "members added")
        case .incrementBy(let key, let increment, let member):
            let score: Double
            if let position = model[key].firstIndex(where: { $0.member == member }) {
                model[key][position].score += increment
                score = model[key][position].score
            } else {
                model[key].append(Entry(member: member, score: increment))
                score = increment
            }
            let reply = try execution.call(arguments(operation))
            try execution.require(reply.doubleValue == score && !reply.isError,
                                  "\(describe(operation)): expected the new score \(score), got \(reply)")
        case .remove(let key, let members):
            var removed = 0
            for member in members {
                if let position = model[key].firstIndex(where: { $0.member == member }) {
                    model[key].remove(at: position)
                    removed += 1
                }
            }
            try execution.expect(arguments(operation), .integer(Int64(removed)), "members removed")
        case .range:
            break
        }
        try checkOrder(key(of: operation), model[key(of: operation)], execution)
    }

    /// The property: the reply is ordered by (score, member bytes), and it is the model.
    private static func checkOrder(_ key: Int, _ entries: [Entry], _ execution: Execution) throws {
        let arguments: [any CommandArgument] = ["ZRANGE", keyName(key), 0, -1, "WITHSCORES"]
        let reply = try execution.call(arguments)
        let listed = reply.pairs?.map { pair -> Entry? in
            guard let member = pair.key.bytes, !pair.key.isError, let score = pair.value.doubleValue else { return nil }
            return Entry(member: member, score: score)
        }
        guard let listed, listed.allSatisfy({ $0 != nil }) else {
            try execution.require(false, "\(Text.command(arguments)): expected member/score pairs, got \(reply)")
            return
        }
        let actual = listed.compactMap { $0 }
        try execution.require(zip(actual, actual.dropFirst()).allSatisfy { precedes($0, $1) },
                              "\(Text.command(arguments)): not ordered by (score, member): \(reply)")
        let expected = entries.sorted(by: precedes)
        let same = actual.count == expected.count
            && zip(actual, expected).allSatisfy { $0.member == $1.member && $0.score == $1.score }
        try execution.require(same, "\(Text.command(arguments)): expected \(render(expected)), got \(reply)")
    }

    /// Strictly before in Redis's order: by score, then by member bytes.
    private static func precedes(_ left: Entry, _ right: Entry) -> Bool {
        left.score != right.score ? left.score < right.score : RedisModel.precedes(left.member, right.member)
    }

    private static func render(_ entries: [Entry]) -> String {
        "[" + entries.map { "\(Reply.quoted($0.member)) \($0.score)" }.joined(separator: ", ") + "]"
    }

    static func describe(_ operation: Operation) -> String { Text.command(arguments(operation)) }

    private static func key(of operation: Operation) -> Int {
        switch operation {
        case .add(let key, _), .incrementBy(let key, _, _), .remove(let key, _), .range(let key): return key
        }
    }

    private static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .add(let key, let entries):
            return ["ZADD", keyName(key)] + entries.flatMap { [$0.score, $0.member] as [any CommandArgument] }
        case .incrementBy(let key, let increment, let member):
            return ["ZINCRBY", keyName(key), increment, member]
        case .remove(let key, let members):
            return ["ZREM", keyName(key)] + members.map { $0 as any CommandArgument }
        case .range(let key):
            return ["ZRANGE", keyName(key), 0, -1, "WITHSCORES"]
        }
    }

    private static func keyName(_ key: Int) -> String { "zset\(key)" }
}
