import DSTPluginSDK

/// What a key holds for good: key `i` has kind `i % 6`, so no command ever meets the wrong type
/// (a WRONGTYPE reply would be the model's business, not the disk's) and a counter never meets
/// text that INCR cannot parse.
enum Kind: Int, CaseIterable {
    case text, counter, hash, list, set, zset

    init(key: Int) { self = Kind(rawValue: key % Kind.allCases.count)! }

    /// The first letter of the key's name: the type is in the name (`s0`, `c1`, `h2`, ...).
    var letter: String { ["s", "c", "h", "l", "t", "z"][rawValue] }

    /// What TYPE answers for it.
    var typeName: String {
        switch self {
        case .text, .counter: return "string"
        case .hash: return "hash"
        case .list: return "list"
        case .set: return "set"
        case .zset: return "zset"
        }
    }
}

/// A hash field and its value.
struct Field: Equatable {
    var name: [UInt8]
    var value: [UInt8]
}

/// A sorted-set member and its score.
struct Scored: Equatable {
    var member: [UInt8]
    var score: Double
}

/// The value of one present key, in a canonical form: hash fields, set members and sorted-set
/// members sorted by bytes, so two equal values are equal Swift values whatever order the
/// commands built them in.
enum Value: Equatable {
    case string([UInt8])
    case hash([Field])
    case list([[UInt8]])
    case set([[UInt8]])
    case zset([Scored])

    /// `"v"`, `{f: "v"}`, `[a, b]`, ... for failure messages.
    var rendered: String {
        switch self {
        case .string(let bytes): return Reply.quoted(bytes)
        case .hash(let fields): return "{" + fields.map { "\(Reply.quoted($0.name)): \(Reply.quoted($0.value))" }.joined(separator: ", ") + "}"
        case .list(let items): return "list " + Reply.quotedList(items)
        case .set(let members): return "set " + Reply.quotedList(members)
        case .zset(let members): return "zset {" + members.map { "\(Reply.quoted($0.member)): \($0.score)" }.joined(separator: ", ") + "}"
        }
    }
}

/// A 64-bit FNV-1a digest over a canonical, length-prefixed byte encoding. Swift's `hashValue`
/// is seeded per process, so it could never be compared across runs or printed in a trace.
struct Digest {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func add(_ number: UInt64) {
        var rest = number
        for _ in 0..<8 {
            add(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// The length first, so `["ab", "c"]` and `["a", "bc"]` differ.
    mutating func add(_ bytes: [UInt8]) {
        add(UInt64(bytes.count))
        for byte in bytes { add(byte) }
    }
}

/// The whole database as the model knows it: one optional value per key number. An array, not
/// a dictionary: the order of keys must never depend on a per-process hash seed.
///
/// Each key's digest is kept up to date as it changes, so the digest of a whole state (what the
/// crash oracle compares) costs one pass over the key count, not over the data.
struct State: Equatable {
    private(set) var values: [Value?]
    private var keyDigests: [UInt64]

    init(keys: Int) {
        values = [Value?](repeating: nil, count: keys)
        keyDigests = (0..<keys).map { State.digest(key: $0, value: nil) }
    }

    var keyCount: Int { values.count }

    subscript(key: Int) -> Value? {
        get { values[key] }
        set {
            values[key] = newValue
            keyDigests[key] = State.digest(key: key, value: newValue)
        }
    }

    /// The digest of the whole state, keys in order.
    var digest: UInt64 {
        var digest = Digest()
        for keyDigest in keyDigests { digest.add(keyDigest) }
        return digest.value
    }

    static func == (left: State, right: State) -> Bool {
        left.keyDigests == right.keyDigests && left.values == right.values
    }

    /// Type-tagged and length-prefixed: a missing key, an empty string and an empty list all
    /// encode differently.
    private static func digest(key: Int, value: Value?) -> UInt64 {
        var digest = Digest()
        digest.add(UInt64(key))
        switch value {
        case nil:
            digest.add(0 as UInt8)
        case .string(let bytes)?:
            digest.add(1 as UInt8)
            digest.add(bytes)
        case .hash(let fields)?:
            digest.add(2 as UInt8)
            digest.add(UInt64(fields.count))
            for field in fields {
                digest.add(field.name)
                digest.add(field.value)
            }
        case .list(let items)?:
            digest.add(3 as UInt8)
            digest.add(UInt64(items.count))
            for item in items { digest.add(item) }
        case .set(let members)?:
            digest.add(4 as UInt8)
            digest.add(UInt64(members.count))
            for member in members { digest.add(member) }
        case .zset(let members)?:
            digest.add(5 as UInt8)
            digest.add(UInt64(members.count))
            for member in members {
                digest.add(member.member)
                digest.add(member.score.bitPattern)
            }
        }
        return digest.value
    }

    /// The keys whose values differ, rendered, for failure messages: `h2: expected {..}, got (absent)`.
    func differences(from other: State, names: [String]) -> String {
        var lines: [String] = []
        for key in values.indices where values[key] != other.values[key] {
            lines.append("\(names[key]): model \(values[key]?.rendered ?? "(absent)"), engine \(other.values[key]?.rendered ?? "(absent)")")
        }
        return lines.isEmpty ? "no difference" : lines.joined(separator: "; ")
    }
}
