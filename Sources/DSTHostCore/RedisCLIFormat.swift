import Foundation
import Redlite

/// redis-cli's human-readable reply format.
public enum RedisCLIFormat {
    public static func format(_ reply: Reply, indent: Int = 0) -> String {
        switch reply {
        case .simple(let text): return text
        case .error(let text): return "(error) \(text)"
        case .integer(let value): return "(integer) \(value)"
        case .bulk(let bytes): return quoted(bytes)
        case .verbatim(_, let bytes): return quoted(bytes)
        case .null, .nullArray: return "(nil)"
        case .double(let value): return "(double) \(String(decoding: ReplyEncoder.formatDouble(value), as: UTF8.self))"
        case .boolean(let value): return value ? "(true)" : "(false)"
        case .array(let items), .set(let items): return list(items, indent: indent)
        case .map(let pairs): return list(pairs.flatMap { [$0.key, $0.value] }, indent: indent)
        }
    }

    private static func list(_ items: [Reply], indent: Int) -> String {
        guard !items.isEmpty else { return "(empty array)" }
        let width = String(items.count).count
        return items.enumerated().map { index, item in
            let number = String(index + 1)
            let label = String(repeating: " ", count: width - number.count) + number + ") "
            let prefix = index == 0 ? "" : String(repeating: " ", count: indent)
            return prefix + label + format(item, indent: indent + label.count)
        }.joined(separator: "\n")
    }

    /// A bulk string in double quotes with redis-cli's escapes.
    public static func quoted(_ bytes: some Collection<UInt8>) -> String {
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\""): text += "\\\""
            case 10: text += "\\n"
            case 13: text += "\\r"
            case 9: text += "\\t"
            case 7: text += "\\a"
            case 8: text += "\\b"
            case 32...126: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += String(format: "\\x%02x", byte)
            }
        }
        return text + "\""
    }
}
