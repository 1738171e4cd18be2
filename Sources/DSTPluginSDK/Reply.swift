/// A reply from the engine, decoded from the host's `dst_reply` tree into plain Swift values.
///
/// The SDK defines its own type rather than reusing the engine's: a plugin sees the engine
/// only through the C ABI, and a Swift type shared with the host would be a second, separate
/// copy anyway (each shared object gets its own copy of a Swift module).
///
/// Whether the host hands out RESP2 or RESP3 shapes is the host's choice: an HGETALL may come
/// back as a ``map(_:)`` or as a flat ``array(_:)``. ``pairs`` and ``elements`` read both.
public enum Reply: Hashable, Sendable {
    /// A status line such as `OK`.
    case status(String)
    /// An error reply: the whole line, code included (`ERR ...`, `WRONGTYPE ...`).
    case error(String)
    /// An integer.
    case integer(Int64)
    /// A binary-safe string.
    case bulk([UInt8])
    /// A missing string or aggregate.
    case null
    /// An ordered list.
    case array([Reply])
    /// A RESP3 double.
    case double(Double)
    /// A RESP3 boolean.
    case boolean(Bool)
    /// A RESP3 map, in the order the host gave its pairs.
    case map([Pair])
    /// A RESP3 set, in the order the host gave it (which means nothing: compare as a set).
    case set([Reply])
    /// A RESP3 verbatim string: the text without its format prefix.
    case verbatim(String)

    /// One key/value entry of a ``Reply/map(_:)``.
    public struct Pair: Hashable, Sendable {
        /// The key (usually a bulk string).
        public var key: Reply
        /// The value for ``key``.
        public var value: Reply

        /// A pair of `key` and `value`.
        public init(_ key: Reply, _ value: Reply) {
            self.key = key
            self.value = value
        }
    }

    /// `+OK`, the answer of most writes.
    public static let ok = Reply.status("OK")

    /// A bulk string holding the UTF-8 of `text`, so a test can write `== .bulk("v")`.
    public static func bulk(_ text: String) -> Reply { .bulk(Array(text.utf8)) }

    /// `true` for an error reply.
    public var isError: Bool {
        if case .error = self { return true }
        return false
    }

    /// The bytes of a bulk string, status, error or verbatim string; nil for anything else.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .status(let text), .error(let text), .verbatim(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// The text of a bulk string (nil when it is not valid UTF-8), status, error or verbatim
    /// string; nil for anything else.
    public var text: String? {
        switch self {
        case .bulk(let bytes): return String(validating: bytes, as: UTF8.self)
        case .status(let text), .error(let text), .verbatim(let text): return text
        default: return nil
        }
    }

    /// The value of an integer reply (a boolean counts as 0 or 1, as RESP2 sends it).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .boolean(let value): return value ? 1 : 0
        default: return nil
        }
    }

    /// The number in a double reply, or in a bulk string holding one (RESP2 sends scores as
    /// text), or in an integer reply.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        case .bulk: return text.flatMap { Double($0) }
        default: return nil
        }
    }

    /// The elements of an array or set; nil for anything else.
    public var elements: [Reply]? {
        switch self {
        case .array(let elements), .set(let elements): return elements
        default: return nil
        }
    }

    /// Key/value pairs, whichever way the host shaped them: a map, a flat array of even length
    /// (RESP2's HGETALL, ZRANGE ... WITHSCORES), or an array of two-element arrays (RESP3's
    /// ZRANGE ... WITHSCORES). Nil for anything else.
    public var pairs: [Pair]? {
        switch self {
        case .map(let pairs):
            return pairs
        case .array(let elements):
            let nested = elements.compactMap { element -> Pair? in
                guard let inner = element.elements, inner.count == 2 else { return nil }
                return Pair(inner[0], inner[1])
            }
            if !elements.isEmpty, nested.count == elements.count { return nested }
            guard elements.count % 2 == 0 else { return nil }
            return stride(from: 0, to: elements.count, by: 2).map { Pair(elements[$0], elements[$0 + 1]) }
        default:
            return nil
        }
    }
}

// MARK: - Decoding the C tree

extension Reply {
    /// Decodes a reply tree the host built. Borrows `reply`: it is not freed here.
    ///
    /// Reads each node as the ABI asks: no more than the node's `struct_size` bytes (missing
    /// fields count as zero), and elements `element_size` bytes apart. A tree that breaks the
    /// ABI (an unknown type, NULL bytes with a length, elements too small to hold a size)
    /// throws an ``SDKError`` with `DST_ERR_INTERNAL` instead of being guessed at.
    public init(decoding reply: UnsafePointer<dst_reply>) throws {
        self = try Reply.decode(reply, depth: 0)
    }

    /// Deeper than any reply Redis builds; a cycle or a corrupt tree stops here instead of
    /// overflowing the stack.
    private static let maximumDepth = 512

    private static func decode(_ pointer: UnsafePointer<dst_reply>, depth: Int) throws -> Reply {
        guard depth < maximumDepth else {
            throw SDKError(DST_ERR_INTERNAL, "reply nested deeper than \(maximumDepth) levels")
        }
        let node = readNode(pointer)
        switch node.type {
        case Int32(DST_REPLY_STATUS.rawValue): return .status(try text(of: node))
        case Int32(DST_REPLY_ERROR.rawValue): return .error(try text(of: node))
        case Int32(DST_REPLY_INTEGER.rawValue): return .integer(node.integer)
        case Int32(DST_REPLY_BULK.rawValue): return .bulk(try bytes(of: node))
        case Int32(DST_REPLY_NULL.rawValue): return .null
        case Int32(DST_REPLY_DOUBLE.rawValue): return .double(node.number)
        case Int32(DST_REPLY_BOOLEAN.rawValue): return .boolean(node.integer != 0)
        case Int32(DST_REPLY_VERBATIM.rawValue): return .verbatim(try text(of: node))
        case Int32(DST_REPLY_ARRAY.rawValue): return .array(try children(of: node, depth: depth))
        case Int32(DST_REPLY_SET.rawValue): return .set(try children(of: node, depth: depth))
        case Int32(DST_REPLY_MAP.rawValue):
            let flat = try children(of: node, depth: depth)
            guard flat.count % 2 == 0 else {
                throw SDKError(DST_ERR_INTERNAL, "map reply with an odd element count \(flat.count)")
            }
            return .map(stride(from: 0, to: flat.count, by: 2).map { Pair(flat[$0], flat[$0 + 1]) })
        default:
            throw SDKError(DST_ERR_INTERNAL, "reply of unknown type \(node.type)")
        }
    }

    /// A zero-filled node overlaid with the bytes the host says it wrote, so a host built
    /// against an older, shorter `dst_reply` reads as zeros past its end.
    private static func readNode(_ pointer: UnsafePointer<dst_reply>) -> dst_reply {
        let written = UnsafeRawPointer(pointer).load(as: Int.self)
        var node = dst_reply()
        withUnsafeMutableBytes(of: &node) { destination in
            let count = min(max(written, 0), destination.count)
            destination.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: count))
        }
        return node
    }

    private static func bytes(of node: dst_reply) throws -> [UInt8] {
        guard node.length > 0 else { return [] }
        guard let start = node.bytes else {
            throw SDKError(DST_ERR_INTERNAL, "reply with \(node.length) bytes at NULL")
        }
        return Array(UnsafeBufferPointer(start: start, count: node.length))
    }

    /// Status, error and verbatim lines are Redis's own ASCII text; repairing stray bytes
    /// keeps a test's message readable rather than failing the decode.
    private static func text(of node: dst_reply) throws -> String {
        String(decoding: try bytes(of: node), as: UTF8.self)
    }

    private static func children(of node: dst_reply, depth: Int) throws -> [Reply] {
        guard node.element_count > 0 else { return [] }
        guard let first = node.elements else {
            throw SDKError(DST_ERR_INTERNAL, "aggregate reply with \(node.element_count) elements at NULL")
        }
        // Every element must at least hold its own struct_size, or stepping makes no sense.
        guard node.element_size >= MemoryLayout<Int>.size else {
            throw SDKError(DST_ERR_INTERNAL, "aggregate reply with element_size \(node.element_size)")
        }
        let base = UnsafeRawPointer(first)
        var result: [Reply] = []
        result.reserveCapacity(node.element_count)
        for index in 0..<node.element_count {
            let element = (base + index * node.element_size).assumingMemoryBound(to: dst_reply.self)
            result.append(try decode(element, depth: depth + 1))
        }
        return result
    }
}

// MARK: - Printing

extension Reply: CustomStringConvertible {
    /// A compact, redis-cli-like rendering for failure messages: `"v"`, `(integer) 5`,
    /// `(nil)`, `(error) ERR ...`, `[a, b]`. Long strings and aggregates are cut short so a
    /// failure message stays one readable line.
    public var description: String {
        switch self {
        case .status(let text): return text
        case .error(let text): return "(error) \(text)"
        case .integer(let value): return "(integer) \(value)"
        case .bulk(let bytes): return Reply.quoted(bytes)
        case .null: return "(nil)"
        case .double(let value): return "(double) \(value)"
        case .boolean(let value): return "(boolean) \(value)"
        case .verbatim(let text): return "(verbatim) \(Reply.quoted(Array(text.utf8)))"
        case .array(let elements): return Reply.list(elements.map(\.description), open: "[", close: "]")
        case .set(let elements): return Reply.list(elements.map(\.description), open: "~{", close: "}")
        case .map(let pairs):
            return Reply.list(pairs.map { "\($0.key): \($0.value)" }, open: "{", close: "}")
        }
    }

    private static let shownElements = 32
    /// How much of a value ``quoted(_:limit:)`` shows by default.
    public static let shownBytes = 200

    private static func list(_ items: [String], open: String, close: String) -> String {
        var shown = items.prefix(shownElements).joined(separator: ", ")
        if items.count > shownElements { shown += ", ... (\(items.count) in all)" }
        return open + shown + close
    }

    /// Quoted with C-style escapes (`\"`, `\\`, `\n`, `\r`, `\t`, `\xNN`), so binary values and
    /// CR/LF stay visible in a log line and a whole value can be pasted into redis-cli. Values
    /// longer than `limit` bytes are cut, saying how long they were.
    public static func quoted(_ bytes: [UInt8], limit: Int = shownBytes) -> String {
        var text = "\""
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\t"): text += "\\t"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        text += "\""
        if bytes.count > limit { text += "... (\(bytes.count) bytes)" }
        return text
    }
}
