import DSTPluginSDK

/// `crash_recovery_consistent`: a WAL file database (synchronous=NORMAL, which survives any process restart) takes random writes to
/// strings (SET, APPEND), lists (RPUSH, LPUSH, LPOP) and hashes (HSET, HDEL), and DELs, and is
/// restarted (`reopen`) at random points and once at the end. Every write must be
/// acknowledged with the model's reply; after every restart every key must hold exactly what
/// the acknowledged writes left (GET, LRANGE 0 -1, HGETALL as sorted pairs), and DBSIZE must
/// count no other key.
///
/// Key `i` has one type for good, `i % 3`: 0 a string, 1 a list, 2 a hash. Each execution
/// uses a file of its own (`data.db`, then `shrink-1.db`, ...), so a shrink candidate starts
/// from an empty database too.
enum CrashRecoveryConsistent: Property {
    enum Operation {
        case set(key: Int, value: [UInt8])
        case append(key: Int, value: [UInt8])
        case push(left: Bool, key: Int, values: [[UInt8]])
        case pop(key: Int)
        case hashSet(key: Int, pairs: [HashFieldsUnique.Field])
        case hashDelete(key: Int, field: [UInt8])
        case del(key: Int)
        /// A restart: close and reopen the database file.
        case reopen
    }

    /// What the acknowledged writes left, by key number (each array is used at the indices of
    /// its type only).
    struct Model {
        var strings: [[UInt8]?]
        var lists: [[[UInt8]]]
        var hashes: [[HashFieldsUnique.Field]]
    }

    static let name = "crash_recovery_consistent"
    /// Every candidate opens files and restarts engines, so shrinking gets a smaller budget.
    static let shrinkBudget = 200

    /// A `reopen()` is a process restart, not a power loss: in WAL mode with synchronous=NORMAL
    /// every committed write already survives it (the data is in the WAL file, not only in
    /// memory), so NORMAL is the faithful setting and spares an fsync per write. Power loss,
    /// where FULL matters, is the simulated disk's business (the Chaos suite).
    static func storage(attempt: Int) -> EngineOptions {
        .file(attempt == 0 ? "data.db" : "shrink-\(attempt).db", durability: .normal)
    }

    private static let fieldPool: [[UInt8]] = (0..<6).map { Text.bytes("f\($0)") }

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        var numbered = 0
        func nextValue() -> [UInt8] {
            numbered += 1
            return Text.bytes("v\(numbered)")
        }
        var operations = (0..<sizes.operations).map { _ -> Operation in
            if run.random.chance(1, in: 12) { return .reopen }
            let key = run.random.below(sizes.keys)
            let choice = run.random.below(8)
            if choice == 7 { return .del(key: key) }
            switch key % 3 {
            case 0:
                return choice < 5 ? .set(key: key, value: Values.randomBytes(run, maximum: 16))
                                  : .append(key: key, value: Values.randomBytes(run, maximum: 8))
            case 1:
                if choice < 5 {
                    return .push(left: run.random.bool(), key: key, values: (0...run.random.below(3)).map { _ in nextValue() })
                }
                return .pop(key: key)
            default:
                if choice < 5 {
                    let pairs = (0...run.random.below(2)).map { _ in
                        HashFieldsUnique.Field(name: fieldPool[run.random.below(fieldPool.count)],
                                               value: Values.randomBytes(run, maximum: 8))
                    }
                    return .hashSet(key: key, pairs: pairs)
                }
                return .hashDelete(key: key, field: fieldPool[run.random.below(fieldPool.count)])
            }
        }
        // A last restart, so every run's writes are checked after one.
        operations.append(.reopen)
        return operations
    }

    static func emptyModel(sizes: Sizes) -> Model {
        Model(strings: [[UInt8]?](repeating: nil, count: sizes.keys),
              lists: [[[UInt8]]](repeating: [], count: sizes.keys),
              hashes: [[HashFieldsUnique.Field]](repeating: [], count: sizes.keys))
    }

    static func apply(_ operation: Operation, to model: inout Model, on execution: Execution) throws {
        switch operation {
        case .set(let key, let value):
            try execution.expect(arguments(operation), .ok)
            model.strings[key] = value
        case .append(let key, let value):
            let appended = (model.strings[key] ?? []) + value
            try execution.expect(arguments(operation), .integer(Int64(appended.count)))
            model.strings[key] = appended
        case .push(let left, let key, let values):
            if left {
                model.lists[key].insert(contentsOf: values.reversed(), at: 0)
            } else {
                model.lists[key].append(contentsOf: values)
            }
            try execution.expect(arguments(operation), .integer(Int64(model.lists[key].count)))
        case .pop(let key):
            try execution.expect(arguments(operation), Reply.bulkOrNull(model.lists[key].first))
            if !model.lists[key].isEmpty { model.lists[key].removeFirst() }
        case .hashSet(let key, let pairs):
            var created = 0
            for pair in pairs {
                if let position = model.hashes[key].firstIndex(where: { $0.name == pair.name }) {
                    model.hashes[key][position].value = pair.value
                } else {
                    model.hashes[key].append(pair)
                    created += 1
                }
            }
            try execution.expect(arguments(operation), .integer(Int64(created)))
        case .hashDelete(let key, let field):
            let position = model.hashes[key].firstIndex { $0.name == field }
            try execution.expect(arguments(operation), .integer(position == nil ? 0 : 1))
            if let position { model.hashes[key].remove(at: position) }
        case .del(let key):
            try execution.expect(arguments(operation), .integer(exists(key, in: model) ? 1 : 0))
            model.strings[key] = nil
            model.lists[key] = []
            model.hashes[key] = []
        case .reopen:
            try execution.reopen()
            try verify(model, execution)
        }
    }

    private static func exists(_ key: Int, in model: Model) -> Bool {
        switch key % 3 {
        case 0: return model.strings[key] != nil
        case 1: return !model.lists[key].isEmpty
        default: return !model.hashes[key].isEmpty
        }
    }

    /// The property after a restart: every key as the acknowledged writes left it, no other.
    private static func verify(_ model: Model, _ execution: Execution) throws {
        for key in model.strings.indices {
            let name = keyName(key)
            switch key % 3 {
            case 0:
                try execution.expect(["GET", name], Reply.bulkOrNull(model.strings[key]), "after the restart")
            case 1:
                try execution.expect(["LRANGE", name, 0, -1], .array(model.lists[key].map { .bulk($0) }), "after the restart")
            default:
                let reply = try execution.call(["HGETALL", name])
                let actual = reply.pairs?.map { ($0.key.bytes ?? [], $0.value.bytes ?? []) }
                    .sorted { RedisModel.precedes($0.0, $1.0) }
                let expected = model.hashes[key].map { ($0.name, $0.value) }.sorted { RedisModel.precedes($0.0, $1.0) }
                let same = actual.map { actual in
                    actual.count == expected.count && zip(actual, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
                } ?? false
                let rendered = expected.map { "\(Reply.quoted($0.0)): \(Reply.quoted($0.1))" }.joined(separator: ", ")
                try execution.require(same, "HGETALL \(name) after the restart: expected {\(rendered)} (sorted), got \(reply)")
            }
        }
        let present = model.strings.indices.filter { exists($0, in: model) }.count
        try execution.expect(["DBSIZE"], .integer(Int64(present)), "keys after the restart")
    }

    static func describe(_ operation: Operation) -> String {
        if case .reopen = operation { return "(restart: reopen)" }
        return Text.command(arguments(operation))
    }

    private static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .set(let key, let value): return ["SET", keyName(key), value]
        case .append(let key, let value): return ["APPEND", keyName(key), value]
        case .push(let left, let key, let values):
            return [left ? "LPUSH" : "RPUSH", keyName(key)] + values.map { $0 as any CommandArgument }
        case .pop(let key): return ["LPOP", keyName(key)]
        case .hashSet(let key, let pairs):
            return ["HSET", keyName(key)] + pairs.flatMap { [$0.name, $0.value] as [any CommandArgument] }
        case .hashDelete(let key, let field): return ["HDEL", keyName(key), field]
        case .del(let key): return ["DEL", keyName(key)]
        case .reopen: return []
        }
    }

    /// `str0`, `list1`, `hash2`, `str3`, ...: the type is in the name.
    private static func keyName(_ key: Int) -> String {
        ["str", "list", "hash"][key % 3] + "\(key)"
    }
}
