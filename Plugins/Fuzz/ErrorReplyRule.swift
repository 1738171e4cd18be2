/// What every error reply must look like, on the wire or decoded: one line (no CR or LF) that
/// starts with an uppercase error code (`ERR`, `WRONGTYPE`, `NOPROTO`, `EXECABORT`,
/// `NOSCRIPT`, ...) followed by a space and a message.
public enum ErrorReplyRule {
    /// Why `text` (the error without its `-` and CRLF) breaks the rule, or nil.
    public static func violation(_ text: some Collection<UInt8>) -> String? {
        if text.contains(UInt8(ascii: "\r")) || text.contains(UInt8(ascii: "\n")) {
            return "an error reply spans more than one line"
        }
        let code = text.prefix { $0 != UInt8(ascii: " ") }
        guard let first = code.first, isUppercase(first) else {
            return "an error reply does not start with an uppercase code"
        }
        guard code.allSatisfy({ isUppercase($0) || isDigit($0) || $0 == UInt8(ascii: "_") }) else {
            return "an error code is not [A-Z][A-Z0-9_]*"
        }
        guard code.count < text.count, text.count > code.count + 1 else {
            return "an error reply has a code but no message"
        }
        return nil
    }

    private static func isUppercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
