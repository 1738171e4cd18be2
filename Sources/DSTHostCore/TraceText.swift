import Redlite

/// One-line renderings of commands and replies for a printed trace.
enum TraceText {
    static func command(_ argv: [[UInt8]]) -> String {
        argv.map(quoted).joined(separator: " ")
    }

    static func reply(_ reply: Reply) -> String {
        switch reply {
        case .simple(let text): return "+" + text
        case .error(let text): return "-" + text
        case .integer(let value): return ":\(value)"
        case .bulk(let bytes): return quoted(bytes)
        case .null, .nullArray: return "(nil)"
        case .double(let value): return "," + String(decoding: ReplyEncoder.formatDouble(value), as: UTF8.self)
        case .boolean(let value): return value ? "#t" : "#f"
        case .verbatim(_, let bytes): return quoted(bytes)
        case .array(let items), .set(let items):
            return "[" + items.prefix(20).map(Self.reply).joined(separator: ", ") + (items.count > 20 ? ", ... \(items.count) in all" : "") + "]"
        case .map(let pairs):
            return "{" + pairs.prefix(20).map { "\(Self.reply($0.key)): \(Self.reply($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// Printable words as they are; anything else quoted with redis-cli's escapes (cut at 200
    /// bytes, with the length said).
    static func quoted(_ bytes: [UInt8]) -> String {
        let plain = !bytes.isEmpty && bytes.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain && bytes.count <= 200 { return String(decoding: bytes, as: UTF8.self) }
        let escaped = RedisCLIFormat.quoted(bytes.prefix(200))
        return bytes.count > 200 ? escaped.dropLast() + "...(\(bytes.count) bytes)\"" : escaped
    }
}
