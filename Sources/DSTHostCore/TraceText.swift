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

    /// Printable ASCII as is (quoted when it has spaces or is empty), anything else escaped.
    static func quoted(_ bytes: [UInt8]) -> String {
        let plain = !bytes.isEmpty && bytes.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain && bytes.count <= 200 { return String(decoding: bytes, as: UTF8.self) }
        var text = "\""
        for byte in bytes.prefix(200) {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 10: text += "\\n"
            case 13: text += "\\r"
            case 32...126: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return text + (bytes.count > 200 ? "...(\(bytes.count) bytes)\"" : "\"")
    }
}
