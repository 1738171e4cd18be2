import DSTPluginSDK

/// `list_order_preserved`: LPUSH/RPUSH (one to three values at a time) and LPOP/RPOP keep the
/// order an array model keeps. Values are numbered in the order they are drawn (`v1`, `v2`,
/// ...), so a report shows at a glance which one moved or went missing. Every push and pop
/// answers the model's length or element and is followed by LRANGE key 0 -1 against the
/// whole model list; LRANGE with arbitrary bounds and LLEN are operations of their own.
enum ListOrderPreserved: Property {
    enum Operation {
        case push(left: Bool, key: Int, values: [[UInt8]])
        case pop(left: Bool, key: Int)
        case range(key: Int, start: Int, stop: Int)
        case length(key: Int)
    }

    static let name = "list_order_preserved"

    static func generate(_ run: TestRun, sizes: Sizes) -> [Operation] {
        var numbered = 0
        return (0..<sizes.operations).map { _ in
            let key = run.random.below(sizes.keys)
            switch run.random.below(10) {
            case 0..<5:
                let values = (0...run.random.below(3)).map { _ -> [UInt8] in
                    numbered += 1
                    return Text.bytes("v\(numbered)")
                }
                return .push(left: run.random.bool(), key: key, values: values)
            case 5..<8:
                return .pop(left: run.random.bool(), key: key)
            case 8:
                // Bounds past both ends and negative ones, around the lengths lists reach.
                return .range(key: key, start: run.random.int(in: -12...12), stop: run.random.int(in: -12...12))
            default:
                return .length(key: key)
            }
        }
    }

    static func emptyModel(sizes: Sizes) -> [[[UInt8]]] {
        [[[UInt8]]](repeating: [], count: sizes.keys)
    }

    static func apply(_ operation: Operation, to model: inout [[[UInt8]]], on execution: Execution) throws {
        switch operation {
        case .push(let left, let key, let values):
            if left {
                // Each value goes to the head in turn, so the last one ends up first.
                model[key].insert(contentsOf: values.reversed(), at: 0)
            } else {
                model[key].append(contentsOf: values)
            }
            try execution.expect(arguments(operation), .integer(Int64(model[key].count)), "the new length")
            try checkWhole(key, model[key], execution)
        case .pop(let left, let key):
            let expected = left ? model[key].first : model[key].last
            try execution.expect(arguments(operation), Reply.bulkOrNull(expected))
            if expected != nil {
                if left { model[key].removeFirst() } else { model[key].removeLast() }
            }
            try checkWhole(key, model[key], execution)
        case .range(let key, let start, let stop):
            let selected = RedisModel.rangeIndices(count: model[key].count, start: start, stop: stop)
            try execution.expect(arguments(operation), .array(model[key][selected].map { .bulk($0) }),
                                 "of \(Reply.quotedList(model[key]))")
        case .length(let key):
            try execution.expect(arguments(operation), .integer(Int64(model[key].count)))
        }
    }

    /// The property itself: the whole list, in the model's order.
    private static func checkWhole(_ key: Int, _ list: [[UInt8]], _ execution: Execution) throws {
        try execution.expect(["LRANGE", keyName(key), 0, -1], .array(list.map { .bulk($0) }), "the whole list, in order")
    }

    static func describe(_ operation: Operation) -> String { Text.command(arguments(operation)) }

    private static func arguments(_ operation: Operation) -> [any CommandArgument] {
        switch operation {
        case .push(let left, let key, let values): return [left ? "LPUSH" : "RPUSH", keyName(key)] + values.map { $0 as any CommandArgument }
        case .pop(let left, let key): return [left ? "LPOP" : "RPOP", keyName(key)]
        case .range(let key, let start, let stop): return ["LRANGE", keyName(key), start, stop]
        case .length(let key): return ["LLEN", keyName(key)]
        }
    }

    private static func keyName(_ key: Int) -> String { "list\(key)" }
}
