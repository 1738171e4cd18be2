import DSTPluginSDK

/// `hash_fields_unique`: after HSET (one to three pairs, repeats allowed) and HDEL, a hash
/// holds each field once: HLEN equals the number of distinct fields, and HGETALL, with its
/// pairs sorted by field bytes, equals the model's pairs sorted the same way and lists no
/// field twice. Fields come from a small pool (an empty field and a binary one among them),
/// so overwrites and deletes of present fields are common.
enum HashFieldsUnique: Property {
    enum Operation {
        case set(key: Int, pairs: [Field])
        case delete(key: Int, fields: [[UInt8]])
        case get(key: Int, field: [UInt8])
        case length(key: Int)
        case getAll(key: Int)
    }

    /// One field and its value.
    struct Field {
        var name: [UInt8]
        var value: [UInt8]
    }

    static let name = "hash_fields_unique"

    static let fieldPool: [[UInt8]] = (0..<8).map { Text.bytes("f\($0)") } + [[], Text.bytes("é"), [0xFF, 0x00, 0x0A]]

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(10) {
            case 0..<4:
                let pairs = (0...run.random.below(3)).map { _ in
                    Field(name: pickField(run), value: Values.randomBytes(run, maximum: 12))
                }
                return .set(key: key, pairs: pairs)
            case 4..<6:
                return .delete(key: key, fields: (0...run.random.below(3)).map { _ in pickField(run) })
            case 6:
                return .get(key: key, field: pickField(run))
            case 7:
                return .length(key: key)
            default:
                return .getAll(key: key)
            }
        }
    }

    private static func pickField(_ run: TestRun) -> [UInt8] {
        fieldPool[run.random.below(fieldPool.count)]
    }

    static func emptyModel(sizes: Sizes) -> [[Field]] {
        [[Field]](repeating: [], count: sizes.keys)
    }

    static func apply(_ operation: Operation, to model: inout [[Field]], on execution: Execution) throws {
        switch operation {
        case .set(let key, let pairs):
            var created = 0
            // Applied in order, as Redis does: a repeated field is an update.
            for pair in pairs {
                if let position = model[key].firstIndex(where: { $0.name == pair.name }) {
                    model[key][position].value = pair.value
                } else {
                    model[key].append(pair)
                    created += 1
                }
            }
            try execution.expect(arguments(operation), .integer(Int64(created)), "fields created")
            try checkWhole(key, model[key], execution)
        case .delete(let key, let fields):
            var removed = 0
            for field in fields {
                if let position = model[key].firstIndex(where: { $0.name == field }) {
                    model[key].remove(at: position)
                    removed += 1
                }
            }
            try execution.expect(arguments(operation), .integer(Int64(removed)), "fields removed")
            try checkWhole(key, model[key], execution)
        case .get(let key, let field):
            try execution.expect(arguments(operation), Reply.bulkOrNull(model[key].first { $0.name == field }?.value))
        case .length(let key):
            try execution.expect(arguments(operation), .integer(Int64(model[key].count)))
        case .getAll(let key):
            try checkWhole(key, model[key], execution)
        }
    }

    /// The property: HLEN is the number of distinct fields, and HGETALL lists each field once,
    /// with the model's value. Compared as sorted pairs (the reply's order is undefined).
    private static func checkWhole(_ key: Int, _ fields: [Field], _ execution: Execution) throws {
        try execution.expect(["HLEN", keyName(key)], .integer(Int64(fields.count)), "distinct fields")
        let arguments: [any CommandArgument] = ["HGETALL", keyName(key)]
        let reply = try execution.call(arguments)
        let expected = fields.sorted { RedisModel.precedes($0.name, $1.name) }
        guard let pairs = reply.pairs else {
            try execution.require(false, "\(Text.command(arguments)): expected field/value pairs, got \(reply)")
            return
        }
        let actual = pairs.map { Field(name: $0.key.bytes ?? [], value: $0.value.bytes ?? []) }
            .sorted { RedisModel.precedes($0.name, $1.name) }
        let names = actual.map(\.name)
        try execution.require(zip(names, names.dropFirst()).allSatisfy { $0 != $1 },
                              "\(Text.command(arguments)): a field listed twice in \(reply)")
        let same = actual.count == expected.count
            && zip(actual, expected).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        try execution.require(same, "\(Text.command(arguments)): expected \(render(expected)) (sorted), got \(reply)")
    }

    private static func render(_ fields: [Field]) -> String {
        "{" + fields.map { "\(Reply.quoted($0.name)): \(Reply.quoted($0.value))" }.joined(separator: ", ") + "}"
    }

    static func describe(_ operation: Operation) -> String { Text.command(arguments(operation)) }

    private static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .set(let key, let pairs):
            return ["HSET", keyName(key)] + pairs.flatMap { [$0.name, $0.value] as [any CommandArgument] }
        case .delete(let key, let fields):
            return ["HDEL", keyName(key)] + fields.map { $0 as any CommandArgument }
        case .get(let key, let field): return ["HGET", keyName(key), field]
        case .length(let key): return ["HLEN", keyName(key)]
        case .getAll(let key): return ["HGETALL", keyName(key)]
        }
    }

    private static func keyName(_ key: Int) -> String { "hash\(key)" }
}
