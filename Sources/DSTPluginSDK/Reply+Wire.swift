/// Replies read back from the bytes a server put on the wire (what `Engine.feed` returns).
extension Reply {
    /// Decodes every complete reply at the start of `bytes`, RESP2 or RESP3, and says how many
    /// bytes they took; a reply cut short ends the list. Nil when the bytes are not RESP.
    ///
    /// A test that feeds raw requests reads its replies with this and compares them with
    /// ``Reply`` values as usual: `*-1` and `$-1` are both ``null``, `!` blob errors are
    /// ``error(_:)``, big numbers are ``bulk(_:)`` of their digits, attributes are dropped.
    public static func decodeAll(_ bytes: [UInt8]) -> (replies: [Reply], consumed: Int)? {
        var replies: [Reply] = []
        var position = 0
        while position < bytes.count {
            switch WireReader.reply(bytes, at: position, depth: 0) {
            case .complete(let reply, let next):
                replies.append(reply)
                position = next
            case .partial:
                return (replies, position)
            case .malformed:
                return nil
            }
        }
        return (replies, position)
    }
}

/// A recursive-descent RESP reader over a byte array: small, because test replies are small.
private enum WireReader {
    enum Step {
        case complete(Reply, next: Int)
        case partial
        case malformed
    }

    static let maxDepth = 64

    static func reply(_ bytes: [UInt8], at start: Int, depth: Int) -> Step {
        guard depth <= maxDepth else { return .malformed }
        guard start < bytes.count else { return .partial }
        guard let lineEnd = lineEnd(bytes, from: start + 1) else { return .partial }
        let line = Array(bytes[(start + 1)..<lineEnd])
        let next = lineEnd + 2
        let text = String(decoding: line, as: UTF8.self)
        switch bytes[start] {
        case UInt8(ascii: "+"): return .complete(.status(text), next: next)
        case UInt8(ascii: "-"): return .complete(.error(text), next: next)
        case UInt8(ascii: ":"): return Int64(text).map { .complete(.integer($0), next: next) } ?? .malformed
        case UInt8(ascii: "_"): return .complete(.null, next: next)
        case UInt8(ascii: "#"): return text == "t" || text == "f" ? .complete(.boolean(text == "t"), next: next) : .malformed
        case UInt8(ascii: ","):
            let value = text == "inf" ? Double.infinity : text == "-inf" ? -Double.infinity : Double(text)
            return value.map { .complete(.double($0), next: next) } ?? .malformed
        case UInt8(ascii: "("): return .complete(.bulk(line), next: next)
        case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
            guard let length = Int(text) else { return .malformed }
            if length == -1 && bytes[start] == UInt8(ascii: "$") { return .complete(.null, next: next) }
            guard length >= 0 else { return .malformed }
            guard next + length + 2 <= bytes.count else { return .partial }
            guard bytes[next + length] == 13, bytes[next + length + 1] == 10 else { return .malformed }
            let body = Array(bytes[next..<(next + length)])
            switch bytes[start] {
            case UInt8(ascii: "!"): return .complete(.error(String(decoding: body, as: UTF8.self)), next: next + length + 2)
            // Verbatim: "txt:" then the text.
            case UInt8(ascii: "="): return .complete(.verbatim(String(decoding: body.dropFirst(4), as: UTF8.self)), next: next + length + 2)
            default: return .complete(.bulk(body), next: next + length + 2)
            }
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "|"):
            guard let count = Int(text) else { return .malformed }
            if count == -1 && bytes[start] == UInt8(ascii: "*") { return .complete(.null, next: next) }
            guard count >= 0 else { return .malformed }
            let isPairs = bytes[start] == UInt8(ascii: "%") || bytes[start] == UInt8(ascii: "|")
            var elements: [Reply] = []
            var position = next
            for _ in 0..<(isPairs ? count * 2 : count) {
                switch reply(bytes, at: position, depth: depth + 1) {
                case .complete(let element, let after):
                    elements.append(element)
                    position = after
                case let other:
                    return other
                }
            }
            switch bytes[start] {
            case UInt8(ascii: "~"): return .complete(.set(elements), next: position)
            case UInt8(ascii: "%"):
                let pairs = stride(from: 0, to: elements.count, by: 2).map { Reply.Pair(elements[$0], elements[$0 + 1]) }
                return .complete(.map(pairs), next: position)
            // An attribute annotates the reply after it: read that one instead.
            case UInt8(ascii: "|"): return reply(bytes, at: position, depth: depth + 1)
            default: return .complete(.array(elements), next: position)
            }
        default:
            return .malformed
        }
    }

    /// The index of the `\r` of the `\r\n` ending the line that starts at `start`.
    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}
