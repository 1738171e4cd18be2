/// The value of `keys.type`: upstream Redlite's numbering, which files written by either side
/// must agree on.
public enum KeyType: Int64, Sendable, CaseIterable {
    case string = 1
    case hash = 2
    case list = 3
    case set = 4
    case zset = 5
    case stream = 6
    case json = 7

    /// The name TYPE answers and SCAN's TYPE option matches.
    public var name: String {
        switch self {
        case .string: "string"
        case .hash: "hash"
        case .list: "list"
        case .set: "set"
        case .zset: "zset"
        case .stream: "stream"
        case .json: "ReJSON-RL"
        }
    }

    /// The table holding this type's data, keyed by `key_id`.
    var table: String {
        switch self {
        case .string: "strings"
        case .hash: "hashes"
        case .list: "lists"
        case .set: "sets"
        case .zset: "zsets"
        case .stream: "streams"
        case .json: "json_docs"
        }
    }
}
