import DSTPluginSDK

/// One command of the workload, with everything it sends fixed when the seed draws it: running
/// it needs no randomness, so any subsequence of a workload can run again (the shrinker's need).
enum Command {
    case set(key: Int, value: [UInt8])
    case append(key: Int, value: [UInt8])
    /// SET of a decimal number on a counter key.
    case setNumber(key: Int, number: Int)
    case incr(key: Int)
    case del(key: Int)
    case hset(key: Int, fields: [Field])
    case hdel(key: Int, names: [[UInt8]])
    case push(left: Bool, key: Int, items: [[UInt8]])
    case lpop(key: Int)
    case sadd(key: Int, members: [[UInt8]])
    case srem(key: Int, members: [[UInt8]])
    case zadd(key: Int, members: [Scored])
    case zincrby(key: Int, increment: Double, member: [UInt8])
    case zrem(key: Int, members: [[UInt8]])
    /// The read of the key's whole value that suits its kind: GET, HGETALL, LRANGE 0 -1,
    /// SMEMBERS or ZRANGE 0 -1 WITHSCORES.
    case read(key: Int)
    case exists(key: Int)

    /// `false` for the reads: they cannot change the state, so an error reply on them leaves
    /// nothing in doubt.
    var isWrite: Bool {
        switch self {
        case .read, .exists: return false
        default: return true
        }
    }

    var key: Int {
        switch self {
        case .set(let key, _), .append(let key, _), .setNumber(let key, _), .incr(let key), .del(let key),
             .hset(let key, _), .hdel(let key, _), .push(_, let key, _), .lpop(let key), .sadd(let key, _),
             .srem(let key, _), .zadd(let key, _), .zincrby(let key, _, _), .zrem(let key, _), .read(let key),
             .exists(let key):
            return key
        }
    }

    /// The arguments sent, with `names[key]` as the key.
    func arguments(_ names: [String]) -> [[UInt8]] {
        let name = Array(names[key].utf8)
        func words(_ texts: String...) -> [[UInt8]] { texts.map { Array($0.utf8) } }
        switch self {
        case .set(_, let value): return words("SET") + [name, value]
        case .append(_, let value): return words("APPEND") + [name, value]
        case .setNumber(_, let number): return words("SET") + [name] + words(String(number))
        case .incr: return words("INCR") + [name]
        case .del: return words("DEL") + [name]
        case .hset(_, let fields): return words("HSET") + [name] + fields.flatMap { [$0.name, $0.value] }
        case .hdel(_, let names): return words("HDEL") + [name] + names
        case .push(let left, _, let items): return words(left ? "LPUSH" : "RPUSH") + [name] + items
        case .lpop: return words("LPOP") + [name]
        case .sadd(_, let members): return words("SADD") + [name] + members
        case .srem(_, let members): return words("SREM") + [name] + members
        case .zadd(_, let members):
            return words("ZADD") + [name] + members.flatMap { [$0.score.commandBytes, $0.member] }
        case .zincrby(_, let increment, let member): return words("ZINCRBY") + [name, increment.commandBytes, member]
        case .zrem(_, let members): return words("ZREM") + [name] + members
        case .exists: return words("EXISTS") + [name]
        case .read(let key):
            switch Kind(key: key) {
            case .text, .counter: return words("GET") + [name]
            case .hash: return words("HGETALL") + [name]
            case .list: return [Array("LRANGE".utf8), name] + words("0", "-1")
            case .set: return words("SMEMBERS") + [name]
            case .zset: return [Array("ZRANGE".utf8), name] + words("0", "-1", "WITHSCORES")
            }
        }
    }

    /// As one would type it: `RPUSH l3 "a" "b"`.
    func describe(_ names: [String]) -> String {
        arguments(names).enumerated().map { index, word in
            // The command name and the key read better unquoted.
            index < 2 ? String(decoding: word, as: UTF8.self) : Reply.quoted(word)
        }.joined(separator: " ")
    }

    /// Applies the command to `state` as Redis would, and answers the reply Redis gives.
    func apply(to state: inout State) -> Expected {
        switch self {
        case .set(let key, let value):
            state[key] = .string(value)
            return .reply(.ok)
        case .append(let key, let value):
            var bytes: [UInt8] = []
            if case .string(let old)? = state[key] { bytes = old }
            bytes += value
            state[key] = .string(bytes)
            return .reply(.integer(Int64(bytes.count)))
        case .setNumber(let key, let number):
            state[key] = .string(Array(String(number).utf8))
            return .reply(.ok)
        case .incr(let key):
            var number = 0
            // Counter keys only ever hold decimals this workload wrote.
            if case .string(let old)? = state[key] { number = Int(String(decoding: old, as: UTF8.self)) ?? 0 }
            number += 1
            state[key] = .string(Array(String(number).utf8))
            return .reply(.integer(Int64(number)))
        case .del(let key):
            let existed = state[key] != nil
            state[key] = nil
            return .reply(.integer(existed ? 1 : 0))
        case .hset(let key, let fields):
            var current: [Field] = []
            if case .hash(let old)? = state[key] { current = old }
            var created = 0
            for field in fields {
                let position = Sorted.position(of: field.name, in: current, by: \.name)
                if position.found {
                    current[position.index].value = field.value
                } else {
                    current.insert(field, at: position.index)
                    created += 1
                }
            }
            state[key] = .hash(current)
            return .reply(.integer(Int64(created)))
        case .hdel(let key, let names):
            guard case .hash(var current)? = state[key] else { return .reply(.integer(0)) }
            var removed = 0
            for name in names {
                let position = Sorted.position(of: name, in: current, by: \.name)
                if position.found {
                    current.remove(at: position.index)
                    removed += 1
                }
            }
            state[key] = current.isEmpty ? nil : .hash(current)
            return .reply(.integer(Int64(removed)))
        case .push(let left, let key, let items):
            var current: [[UInt8]] = []
            if case .list(let old)? = state[key] { current = old }
            if left {
                current.insert(contentsOf: items.reversed(), at: 0)
            } else {
                current.append(contentsOf: items)
            }
            state[key] = .list(current)
            return .reply(.integer(Int64(current.count)))
        case .lpop(let key):
            guard case .list(var current)? = state[key] else { return .reply(.null) }
            let first = current.removeFirst()
            state[key] = current.isEmpty ? nil : .list(current)
            return .reply(.bulk(first))
        case .sadd(let key, let members):
            var current: [[UInt8]] = []
            if case .set(let old)? = state[key] { current = old }
            var added = 0
            for member in members {
                let position = Sorted.position(of: member, in: current, by: \.self)
                if !position.found {
                    current.insert(member, at: position.index)
                    added += 1
                }
            }
            state[key] = .set(current)
            return .reply(.integer(Int64(added)))
        case .srem(let key, let members):
            guard case .set(var current)? = state[key] else { return .reply(.integer(0)) }
            var removed = 0
            for member in members {
                let position = Sorted.position(of: member, in: current, by: \.self)
                if position.found {
                    current.remove(at: position.index)
                    removed += 1
                }
            }
            state[key] = current.isEmpty ? nil : .set(current)
            return .reply(.integer(Int64(removed)))
        case .zadd(let key, let members):
            var current: [Scored] = []
            if case .zset(let old)? = state[key] { current = old }
            var added = 0
            for member in members {
                let position = Sorted.position(of: member.member, in: current, by: \.member)
                if position.found {
                    current[position.index].score = member.score
                } else {
                    current.insert(member, at: position.index)
                    added += 1
                }
            }
            state[key] = .zset(current)
            return .reply(.integer(Int64(added)))
        case .zincrby(let key, let increment, let member):
            var current: [Scored] = []
            if case .zset(let old)? = state[key] { current = old }
            let position = Sorted.position(of: member, in: current, by: \.member)
            let score: Double
            if position.found {
                score = current[position.index].score + increment
                current[position.index].score = score
            } else {
                score = increment
                current.insert(Scored(member: member, score: score), at: position.index)
            }
            state[key] = .zset(current)
            return .score(score)
        case .zrem(let key, let members):
            guard case .zset(var current)? = state[key] else { return .reply(.integer(0)) }
            var removed = 0
            for member in members {
                let position = Sorted.position(of: member, in: current, by: \.member)
                if position.found {
                    current.remove(at: position.index)
                    removed += 1
                }
            }
            state[key] = current.isEmpty ? nil : .zset(current)
            return .reply(.integer(Int64(removed)))
        case .exists(let key):
            return .reply(.integer(state[key] == nil ? 0 : 1))
        case .read(let key):
            return .value(kind: Kind(key: key), state[key])
        }
    }
}

/// Binary search in arrays kept sorted by bytes.
enum Sorted {
    static func position<Element>(of target: [UInt8], in elements: [Element],
                                  by key: (Element) -> [UInt8]) -> (index: Int, found: Bool) {
        var low = 0, high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if RedisModel.precedes(key(elements[middle]), target) { low = middle + 1 } else { high = middle }
        }
        return (low, low < elements.count && key(elements[low]) == target)
    }
}

/// The reply the model expects. Most replies are exact; a whole-value read is compared through
/// ``ReadBack/value(kind:from:)``, which reads either reply shape (RESP2 or RESP3) and set and
/// hash replies in any order.
enum Expected {
    case reply(Reply)
    /// ZINCRBY's new score: a bulk string in RESP2, a double in RESP3.
    case score(Double)
    case value(kind: Kind, Value?)
    /// A MULTI/EXEC group: one expectation per queued command.
    case all([Expected])
    /// A queued command that met a storage fault: an error reply, and no effect (EXEC rolls
    /// it back to its savepoint and goes on with the others).
    case storageError

    func matches(_ reply: Reply) -> Bool {
        switch self {
        case .reply(let expected): return reply == expected
        case .score(let score): return reply.doubleValue == score
        case .value(let kind, let value):
            guard case .value(let actual) = ReadBack.value(kind: kind, from: reply) else { return false }
            return actual == value
        case .all(let expectations):
            guard case .array(let replies) = reply, replies.count == expectations.count else { return false }
            return zip(expectations, replies).allSatisfy { $0.matches($1) }
        case .storageError:
            return reply.isError && reply.text?.contains("storage error") == true
        }
    }

    var rendered: String {
        switch self {
        case .reply(let reply): return reply.description
        case .score(let score): return "score \(score)"
        case .value(_, let value): return value?.rendered ?? "(absent)"
        case .all(let expectations): return "[" + expectations.map(\.rendered).joined(separator: ", ") + "]"
        case .storageError: return "(storage error)"
        }
    }
}

/// Turning read replies back into model values.
enum ReadBack {
    enum Outcome {
        case value(Value?)
        /// An error reply: corruption or a failed disk, reported as it should be.
        case error(String)
        /// A reply of the wrong shape: never acceptable.
        case malformed(Reply)
    }

    /// The value a whole-value read (``Command/read(key:)``) answered, canonicalized.
    static func value(kind: Kind, from reply: Reply) -> Outcome {
        if case .error(let text) = reply { return .error(text) }
        switch kind {
        case .text, .counter:
            if reply == .null { return .value(nil) }
            guard case .bulk(let bytes) = reply else { return .malformed(reply) }
            return .value(.string(bytes))
        case .hash:
            guard let pairs = reply.pairs else { return .malformed(reply) }
            var fields: [Field] = []
            for pair in pairs {
                guard let name = pair.key.bytes, let value = pair.value.bytes else { return .malformed(reply) }
                fields.append(Field(name: name, value: value))
            }
            fields.sort { RedisModel.precedes($0.name, $1.name) }
            return .value(fields.isEmpty ? nil : .hash(fields))
        case .list:
            guard let elements = reply.elements else { return .malformed(reply) }
            let items = elements.compactMap(\.bytes)
            guard items.count == elements.count else { return .malformed(reply) }
            return .value(items.isEmpty ? nil : .list(items))
        case .set:
            guard let elements = reply.elements else { return .malformed(reply) }
            let members = elements.compactMap(\.bytes).sorted(by: RedisModel.precedes)
            guard members.count == elements.count else { return .malformed(reply) }
            return .value(members.isEmpty ? nil : .set(members))
        case .zset:
            guard let pairs = reply.pairs else {
                if reply.elements?.isEmpty == true { return .value(nil) }
                return .malformed(reply)
            }
            var members: [Scored] = []
            var previous: Scored?
            for pair in pairs {
                guard let member = pair.key.bytes, let score = pair.value.doubleValue else { return .malformed(reply) }
                let scored = Scored(member: member, score: score)
                // ZRANGE's own order, (score, member), is part of what must be right.
                if let previous, !(previous.score < score || (previous.score == score && RedisModel.precedes(previous.member, member))) {
                    return .malformed(reply)
                }
                previous = scored
                members.append(scored)
            }
            members.sort { RedisModel.precedes($0.member, $1.member) }
            return .value(members.isEmpty ? nil : .zset(members))
        }
    }
}
