import DSTPluginSDK

/// The sequential specification of one key: what a Redis key holds and what every command the
/// simulations issue does to it and answers, exactly as Redis 7.0 does.
///
/// Every command here touches a single key, which is what lets the checker split a history
/// per key (P-compositionality): the whole history is linearizable exactly when each key's
/// part is. Containers are kept canonical (hash fields, set members and sorted-set members
/// sorted by bytes) so that two equal key states compare equal, which the search's cache of
/// visited states relies on.
enum KeyValue: Hashable {
    case none
    case string([UInt8])
    case list([[UInt8]])
    /// Fields sorted by name.
    case hash([Field])
    /// Members sorted by bytes.
    case set([[UInt8]])
    /// Members sorted by name (not by score: ZRANGE orders them when asked).
    case zset([Scored])

    /// One hash field.
    struct Field: Hashable {
        var name: [UInt8]
        var value: [UInt8]
    }

    /// One sorted-set member.
    struct Scored: Hashable {
        var member: [UInt8]
        var score: Double
    }

    /// TYPE's answer.
    var typeName: String {
        switch self {
        case .none: return "none"
        case .string: return "string"
        case .list: return "list"
        case .hash: return "hash"
        case .set: return "set"
        case .zset: return "zset"
        }
    }
}

/// A single-key command, parsed into what the model needs.
enum KeyCommand: Hashable {
    case set([UInt8])
    case get
    case append([UInt8])
    /// INCR (by 1), DECR (by -1), INCRBY.
    case incrBy(Int64)
    case strlen
    case push(left: Bool, [[UInt8]])
    case pop(left: Bool)
    case lrange(Int, Int)
    case llen
    case hset([KeyValue.Field])
    case hget([UInt8])
    case hdel([[UInt8]])
    case hincrBy([UInt8], Int64)
    case hgetall
    case hlen
    case sadd([[UInt8]])
    case srem([[UInt8]])
    case smembers
    case scard
    case sismember([UInt8])
    case zadd([KeyValue.Scored])
    case zrem([[UInt8]])
    /// ZRANGE key 0 -1 WITHSCORES.
    case zrangeAll
    case zscore([UInt8])
    case zcard
    case del
    case exists
    case type

    /// `true` for commands that never change the key: a cut-off or failed read can be left
    /// out of the search altogether.
    var isReadOnly: Bool {
        switch self {
        case .get, .strlen, .lrange, .llen, .hget, .hgetall, .hlen, .smembers, .scard, .sismember,
             .zrangeAll, .zscore, .zcard, .exists, .type:
            return true
        default:
            return false
        }
    }

    /// Parses `argv` (command name first, the key second); nil for anything the model does not
    /// cover, which is a bug in the workload, not in the engine.
    init?(_ argv: [[UInt8]]) {
        guard argv.count >= 2 else { return nil }
        let name = String(decoding: argv[0], as: UTF8.self).uppercased()
        let rest = Array(argv.dropFirst(2))
        func integer(_ bytes: [UInt8]) -> Int64? { Int64(String(decoding: bytes, as: UTF8.self)) }
        switch (name, rest.count) {
        case ("SET", 1): self = .set(rest[0])
        case ("GET", 0): self = .get
        case ("APPEND", 1): self = .append(rest[0])
        case ("INCR", 0): self = .incrBy(1)
        case ("DECR", 0): self = .incrBy(-1)
        case ("INCRBY", 1): guard let by = integer(rest[0]) else { return nil }; self = .incrBy(by)
        case ("STRLEN", 0): self = .strlen
        case ("RPUSH", 1...), ("LPUSH", 1...): self = .push(left: name == "LPUSH", rest)
        case ("LPOP", 0), ("RPOP", 0): self = .pop(left: name == "LPOP")
        case ("LRANGE", 2):
            guard let start = integer(rest[0]), let stop = integer(rest[1]) else { return nil }
            self = .lrange(Int(start), Int(stop))
        case ("LLEN", 0): self = .llen
        case ("HSET", let count) where count >= 2 && count % 2 == 0:
            self = .hset(stride(from: 0, to: count, by: 2).map { KeyValue.Field(name: rest[$0], value: rest[$0 + 1]) })
        case ("HGET", 1): self = .hget(rest[0])
        case ("HDEL", 1...): self = .hdel(rest)
        case ("HINCRBY", 2): guard let by = integer(rest[1]) else { return nil }; self = .hincrBy(rest[0], by)
        case ("HGETALL", 0): self = .hgetall
        case ("HLEN", 0): self = .hlen
        case ("SADD", 1...): self = .sadd(rest)
        case ("SREM", 1...): self = .srem(rest)
        case ("SMEMBERS", 0): self = .smembers
        case ("SCARD", 0): self = .scard
        case ("SISMEMBER", 1): self = .sismember(rest[0])
        case ("ZADD", let count) where count >= 2 && count % 2 == 0:
            var pairs: [KeyValue.Scored] = []
            for index in stride(from: 0, to: count, by: 2) {
                guard let score = integer(rest[index]) else { return nil }
                pairs.append(KeyValue.Scored(member: rest[index + 1], score: Double(score)))
            }
            self = .zadd(pairs)
        case ("ZREM", 1...): self = .zrem(rest)
        case ("ZRANGE", 3):
            guard rest[0] == Array("0".utf8), rest[1] == Array("-1".utf8),
                  String(decoding: rest[2], as: UTF8.self).uppercased() == "WITHSCORES" else { return nil }
            self = .zrangeAll
        case ("ZSCORE", 1): self = .zscore(rest[0])
        case ("ZCARD", 0): self = .zcard
        case ("DEL", 0): self = .del
        case ("EXISTS", 0): self = .exists
        case ("TYPE", 0): self = .type
        default: return nil
        }
    }
}

/// A reply in a canonical form the model can produce and compare: orderless replies sorted,
/// RESP2/RESP3 shapes folded together, errors reduced to their kind.
enum Outcome: Hashable {
    case ok
    case integer(Int64)
    case bulk([UInt8])
    case null
    /// LRANGE in order; SMEMBERS sorted.
    case list([[UInt8]])
    /// HGETALL, sorted by field.
    case fields([KeyValue.Field])
    /// ZRANGE ... WITHSCORES, in the reply's order.
    case scored([KeyValue.Scored])
    case score(Double)
    /// TYPE.
    case status(String)
    case error(ErrorKind)
    /// Cut off, or failed in storage (busy, power lost): it may have taken effect or not, and
    /// any answer matches.
    case indeterminate
    /// A reply of a shape the command never gives: matches nothing, so the checker reports it.
    case unexpected(String)

    enum ErrorKind: String, Hashable {
        case wrongType = "WRONGTYPE"
        case notInteger = "ERR value is not an integer or out of range"
        case hashNotInteger = "ERR hash value is not an integer"
        case overflow = "ERR increment or decrement would overflow"
    }

    /// `true` for an error reply that says the storage failed rather than answering the
    /// command: busy past the timeout, or the power went off under it. The command ran in one
    /// SQLite transaction, so it either committed or not; which, the reply does not say.
    static func isStorageFailure(_ text: String) -> Bool {
        text.contains("storage error") || text.contains("database is locked") || text.contains("I/O")
            || text.contains("disk") || text.contains("power")
    }

    /// The canonical form of `reply`, read as an answer to `command`.
    init(_ reply: Reply, for command: KeyCommand) {
        if case .error(let text) = reply {
            if Outcome.isStorageFailure(text) { self = .indeterminate; return }
            if text.hasPrefix("WRONGTYPE") { self = .error(.wrongType); return }
            for kind in [ErrorKind.notInteger, .hashNotInteger, .overflow] where text == kind.rawValue {
                self = .error(kind)
                return
            }
            self = .unexpected(reply.description)
            return
        }
        switch command {
        case .set:
            self = reply == .ok ? .ok : .unexpected(reply.description)
        case .type:
            if case .status(let text) = reply { self = .status(text) } else { self = .unexpected(reply.description) }
        case .get, .pop, .hget:
            switch reply {
            case .null: self = .null
            case .bulk(let bytes): self = .bulk(bytes)
            default: self = .unexpected(reply.description)
            }
        case .zscore:
            if reply == .null { self = .null; return }
            guard let score = reply.doubleValue else { self = .unexpected(reply.description); return }
            self = .score(score)
        case .lrange, .smembers:
            guard let elements = reply.elements else { self = .unexpected(reply.description); return }
            let items = elements.compactMap { element -> [UInt8]? in
                if case .bulk(let bytes) = element { return bytes }
                return nil
            }
            guard items.count == elements.count else { self = .unexpected(reply.description); return }
            if case .smembers = command {
                self = .list(items.sorted(by: RedisModel.precedes))
            } else {
                self = .list(items)
            }
        case .hgetall:
            // An empty hash answers an empty array or map; `pairs` reads an empty array as no pairs.
            guard let pairs = reply.pairs else { self = .unexpected(reply.description); return }
            let fields = pairs.compactMap { pair -> KeyValue.Field? in
                guard case .bulk(let name) = pair.key, case .bulk(let value) = pair.value else { return nil }
                return KeyValue.Field(name: name, value: value)
            }
            guard fields.count == pairs.count else { self = .unexpected(reply.description); return }
            self = .fields(fields.sorted { RedisModel.precedes($0.name, $1.name) })
        case .zrangeAll:
            guard let pairs = reply.pairs else { self = .unexpected(reply.description); return }
            let scored = pairs.compactMap { pair -> KeyValue.Scored? in
                guard case .bulk(let member) = pair.key, let score = pair.value.doubleValue else { return nil }
                return KeyValue.Scored(member: member, score: score)
            }
            guard scored.count == pairs.count else { self = .unexpected(reply.description); return }
            self = .scored(scored)
        default:
            if let value = reply.integerValue, case .integer = reply { self = .integer(value) } else {
                self = .unexpected(reply.description)
            }
        }
    }
}

extension Outcome: CustomStringConvertible {
    /// redis-cli-like, for histories in reports.
    var description: String {
        switch self {
        case .ok: return "OK"
        case .integer(let value): return "(integer) \(value)"
        case .bulk(let bytes): return Reply.quoted(bytes)
        case .null: return "(nil)"
        case .list(let items): return Reply.quotedList(items)
        case .fields(let fields):
            return "{" + fields.map { "\(Reply.quoted($0.name)): \(Reply.quoted($0.value))" }.joined(separator: ", ") + "}"
        case .scored(let items):
            return "[" + items.map { "\(Reply.quoted($0.member)) \(KeyModel.scoreText($0.score))" }.joined(separator: ", ") + "]"
        case .score(let score): return KeyModel.scoreText(score)
        case .status(let text): return text
        case .error(let kind): return "(error) \(kind.rawValue)"
        case .indeterminate: return "(unknown)"
        case .unexpected(let text): return "unexpected \(text)"
        }
    }
}

/// Redis's semantics of ``KeyCommand`` on one ``KeyValue``.
enum KeyModel {
    /// The answer `command` gives on `value`, and the value it leaves behind.
    static func apply(_ command: KeyCommand, to value: KeyValue) -> (Outcome, KeyValue) {
        switch command {
        case .set(let bytes):
            return (.ok, .string(bytes))
        case .get:
            switch value {
            case .none: return (.null, value)
            case .string(let bytes): return (.bulk(bytes), value)
            default: return (.error(.wrongType), value)
            }
        case .append(let bytes):
            switch value {
            case .none: return (.integer(Int64(bytes.count)), .string(bytes))
            case .string(let old): return (.integer(Int64(old.count + bytes.count)), .string(old + bytes))
            default: return (.error(.wrongType), value)
            }
        case .incrBy(let by):
            let old: Int64
            switch value {
            case .none: old = 0
            case .string(let bytes):
                guard let parsed = parseStrictInteger(bytes) else { return (.error(.notInteger), value) }
                old = parsed
            default: return (.error(.wrongType), value)
            }
            let (sum, overflow) = old.addingReportingOverflow(by)
            if overflow { return (.error(.overflow), value) }
            return (.integer(sum), .string(Array(String(sum).utf8)))
        case .strlen:
            switch value {
            case .none: return (.integer(0), value)
            case .string(let bytes): return (.integer(Int64(bytes.count)), value)
            default: return (.error(.wrongType), value)
            }
        case .push(let left, let items):
            var list: [[UInt8]]
            switch value {
            case .none: list = []
            case .list(let old): list = old
            default: return (.error(.wrongType), value)
            }
            if left {
                // Each value goes to the head in turn, so the last one ends up first.
                list.insert(contentsOf: items.reversed(), at: 0)
            } else {
                list.append(contentsOf: items)
            }
            return (.integer(Int64(list.count)), .list(list))
        case .pop(let left):
            switch value {
            case .none: return (.null, value)
            case .list(var list):
                let item = left ? list.removeFirst() : list.removeLast()
                return (.bulk(item), list.isEmpty ? .none : .list(list))
            default: return (.error(.wrongType), value)
            }
        case .lrange(let start, let stop):
            switch value {
            case .none: return (.list([]), value)
            case .list(let list):
                return (.list(Array(list[RedisModel.rangeIndices(count: list.count, start: start, stop: stop)])), value)
            default: return (.error(.wrongType), value)
            }
        case .llen:
            switch value {
            case .none: return (.integer(0), value)
            case .list(let list): return (.integer(Int64(list.count)), value)
            default: return (.error(.wrongType), value)
            }
        case .hset(let pairs):
            guard var fields = hashFields(value) else { return (.error(.wrongType), value) }
            var created = 0
            for pair in pairs {
                switch search(fields, pair.name, by: \.name) {
                case .found(let index): fields[index].value = pair.value
                case .insertAt(let index):
                    fields.insert(pair, at: index)
                    created += 1
                }
            }
            return (.integer(Int64(created)), .hash(fields))
        case .hget(let name):
            guard let fields = hashFields(value) else { return (.error(.wrongType), value) }
            if case .found(let index) = search(fields, name, by: \.name) { return (.bulk(fields[index].value), value) }
            return (.null, value)
        case .hdel(let names):
            guard var fields = hashFields(value) else { return (.error(.wrongType), value) }
            var removed = 0
            for name in names {
                if case .found(let index) = search(fields, name, by: \.name) {
                    fields.remove(at: index)
                    removed += 1
                }
            }
            return (.integer(Int64(removed)), fields.isEmpty ? .none : .hash(fields))
        case .hincrBy(let name, let by):
            guard var fields = hashFields(value) else { return (.error(.wrongType), value) }
            let position = search(fields, name, by: \.name)
            var old: Int64 = 0
            if case .found(let index) = position {
                guard let parsed = parseStrictInteger(fields[index].value) else { return (.error(.hashNotInteger), value) }
                old = parsed
            }
            let (sum, overflow) = old.addingReportingOverflow(by)
            if overflow { return (.error(.overflow), value) }
            let text = Array(String(sum).utf8)
            switch position {
            case .found(let index): fields[index].value = text
            case .insertAt(let index): fields.insert(KeyValue.Field(name: name, value: text), at: index)
            }
            return (.integer(sum), .hash(fields))
        case .hgetall:
            guard let fields = hashFields(value) else { return (.error(.wrongType), value) }
            return (.fields(fields), value)
        case .hlen:
            guard let fields = hashFields(value) else { return (.error(.wrongType), value) }
            return (.integer(Int64(fields.count)), value)
        case .sadd(let members):
            guard var set = setMembers(value) else { return (.error(.wrongType), value) }
            var added = 0
            for member in members {
                if case .insertAt(let index) = search(set, member, by: \.self) {
                    set.insert(member, at: index)
                    added += 1
                }
            }
            return (.integer(Int64(added)), .set(set))
        case .srem(let members):
            guard var set = setMembers(value) else { return (.error(.wrongType), value) }
            var removed = 0
            for member in members {
                if case .found(let index) = search(set, member, by: \.self) {
                    set.remove(at: index)
                    removed += 1
                }
            }
            return (.integer(Int64(removed)), set.isEmpty ? .none : .set(set))
        case .smembers:
            guard let set = setMembers(value) else { return (.error(.wrongType), value) }
            return (.list(set), value)
        case .scard:
            guard let set = setMembers(value) else { return (.error(.wrongType), value) }
            return (.integer(Int64(set.count)), value)
        case .sismember(let member):
            guard let set = setMembers(value) else { return (.error(.wrongType), value) }
            if case .found = search(set, member, by: \.self) { return (.integer(1), value) }
            return (.integer(0), value)
        case .zadd(let pairs):
            guard var members = zsetMembers(value) else { return (.error(.wrongType), value) }
            var added = 0
            for pair in pairs {
                switch search(members, pair.member, by: \.member) {
                case .found(let index): members[index].score = pair.score
                case .insertAt(let index):
                    members.insert(pair, at: index)
                    added += 1
                }
            }
            return (.integer(Int64(added)), .zset(members))
        case .zrem(let names):
            guard var members = zsetMembers(value) else { return (.error(.wrongType), value) }
            var removed = 0
            for name in names {
                if case .found(let index) = search(members, name, by: \.member) {
                    members.remove(at: index)
                    removed += 1
                }
            }
            return (.integer(Int64(removed)), members.isEmpty ? .none : .zset(members))
        case .zrangeAll:
            guard let members = zsetMembers(value) else { return (.error(.wrongType), value) }
            let ordered = members.sorted {
                $0.score != $1.score ? $0.score < $1.score : RedisModel.precedes($0.member, $1.member)
            }
            return (.scored(ordered), value)
        case .zscore(let name):
            guard let members = zsetMembers(value) else { return (.error(.wrongType), value) }
            if case .found(let index) = search(members, name, by: \.member) { return (.score(members[index].score), value) }
            return (.null, value)
        case .zcard:
            guard let members = zsetMembers(value) else { return (.error(.wrongType), value) }
            return (.integer(Int64(members.count)), value)
        case .del:
            return (.integer(value == .none ? 0 : 1), .none)
        case .exists:
            return (.integer(value == .none ? 0 : 1), value)
        case .type:
            return (.status(value.typeName), value)
        }
    }

    /// Redis's string2ll: optional '-', no '+', no spaces, no leading zeros (only "0" itself),
    /// within Int64.
    static func parseStrictInteger(_ bytes: [UInt8]) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
        if bytes == [UInt8(ascii: "0")] { return 0 }
        let negative = bytes[0] == UInt8(ascii: "-")
        let digits = negative ? bytes.dropFirst() : bytes[...]
        guard let first = digits.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(String(decoding: bytes, as: UTF8.self))
    }

    /// Scores are whole numbers in these workloads; print them as Redis does ("3", not "3.0").
    static func scoreText(_ score: Double) -> String {
        if score == score.rounded(), abs(score) < 1e15 { return String(Int64(score)) }
        return String(score)
    }

    private static func hashFields(_ value: KeyValue) -> [KeyValue.Field]? {
        switch value {
        case .none: return []
        case .hash(let fields): return fields
        default: return nil
        }
    }

    private static func setMembers(_ value: KeyValue) -> [[UInt8]]? {
        switch value {
        case .none: return []
        case .set(let members): return members
        default: return nil
        }
    }

    private static func zsetMembers(_ value: KeyValue) -> [KeyValue.Scored]? {
        switch value {
        case .none: return []
        case .zset(let members): return members
        default: return nil
        }
    }

    private enum Position {
        case found(Int)
        case insertAt(Int)
    }

    /// Binary search of a container kept sorted by `name` in byte order.
    private static func search<Element>(_ items: [Element], _ name: [UInt8], by key: KeyPath<Element, [UInt8]>) -> Position {
        var low = 0, high = items.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = items[middle][keyPath: key]
            if candidate == name { return .found(middle) }
            if RedisModel.precedes(candidate, name) { low = middle + 1 } else { high = middle }
        }
        return .insertAt(low)
    }
}
