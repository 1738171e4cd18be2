/// Splits a request stream into commands by Redis 7.0's rules, strictly: the model the corpus
/// is checked against and the reply count a clean (unmutated) input must produce.
///
/// Strict where Redis is lax: the CRLF after a `*`/`$` header and after a bulk payload must
/// really be CRLF (Redis skips two bytes unchecked), and a NUL in an inline line is refused
/// (Redis's `strchr` stalls on it). Like Redis: `*0`, `*-1` and empty inline lines are no
/// command; an inline line ends at `\n`, with one `\r` before it dropped; a multibulk count is
/// at most `INT_MAX` and a bulk length at most 512 MiB. Nothing is sized from a declared
/// length.
enum RequestFramer {
    enum Outcome: Equatable {
        /// Every byte belongs to a complete request.
        case complete
        /// The stream ends inside a request that starts at `offset`.
        case incomplete(offset: Int)
        /// The request at `offset` breaks the protocol.
        case invalid(offset: Int, reason: String)
    }

    struct Result: Equatable {
        /// The complete commands before the end or the first error, in order.
        var commands: [[[UInt8]]] = []
        var outcome: Outcome = .complete
    }

    static let maximumBulkLength: Int64 = 512 * 1024 * 1024
    static let maximumCount: Int64 = Int64(Int32.max)

    static func frame(_ bytes: [UInt8]) -> Result {
        var result = Result()
        var position = 0
        while position < bytes.count {
            let start = position
            let step = bytes[start] == UInt8(ascii: "*") ? multibulk(bytes, at: start) : inline(bytes, at: start)
            switch step {
            case .command(let argv, let next):
                if !argv.isEmpty { result.commands.append(argv) }
                position = next
            case .incomplete:
                result.outcome = .incomplete(offset: start)
                return result
            case .invalid(let offset, let reason):
                result.outcome = .invalid(offset: offset, reason: reason)
                return result
            }
        }
        return result
    }

    private enum Step {
        case command([[UInt8]], next: Int)
        case incomplete
        case invalid(Int, String)
    }

    /// The header line at `start` (after its type byte): its integer and where the next
    /// line starts.
    private static func header(_ bytes: [UInt8], at start: Int) -> (value: Int64?, next: Int)? {
        guard let cr = bytes[start...].firstIndex(of: UInt8(ascii: "\r")) else { return nil }
        guard cr + 1 < bytes.count else { return nil }
        guard bytes[cr + 1] == UInt8(ascii: "\n") else { return (nil, cr + 2) }
        return (RESPValidator.strictInteger(bytes[(start + 1)..<cr]), cr + 2)
    }

    private static func multibulk(_ bytes: [UInt8], at start: Int) -> Step {
        guard let count = header(bytes, at: start) else { return .incomplete }
        guard let value = count.value, value <= maximumCount else { return .invalid(start, "invalid multibulk length") }
        if value <= 0 { return .command([], next: count.next) }
        var argv: [[UInt8]] = []
        var position = count.next
        for _ in 0..<value {
            guard position < bytes.count else { return .incomplete }
            guard bytes[position] == UInt8(ascii: "$") else { return .invalid(position, "expected '$'") }
            guard let length = header(bytes, at: position) else { return .incomplete }
            guard let size = length.value, size >= 0, size <= maximumBulkLength else {
                return .invalid(position, "invalid bulk length")
            }
            let available = bytes.count - length.next
            guard available >= 2, size <= Int64(available - 2) else { return .incomplete }
            let end = length.next + Int(size)
            guard bytes[end] == UInt8(ascii: "\r"), bytes[end + 1] == UInt8(ascii: "\n") else {
                return .invalid(end, "a bulk is not followed by CRLF")
            }
            argv.append(Array(bytes[length.next..<end]))
            position = end + 2
        }
        return .command(argv, next: position)
    }

    private static func inline(_ bytes: [UInt8], at start: Int) -> Step {
        guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return .incomplete }
        var end = newline
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = bytes[start..<end]
        if let nul = line.firstIndex(of: 0) { return .invalid(nul, "a NUL byte in an inline request") }
        guard let argv = splitArguments(line) else { return .invalid(start, "unbalanced quotes in request") }
        return .command(argv, next: newline + 1)
    }

    /// Redis's `sdssplitargs`: words separated by spaces; `"..."` with `\xHH`, `\n`, `\r`,
    /// `\t`, `\b`, `\a` and `\<c>` escapes; `'...'` with `\'`. A closing quote must be followed
    /// by a space or the end. Nil for unbalanced quotes.
    static func splitArguments(_ line: ArraySlice<UInt8>) -> [[UInt8]]? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var arguments: [[UInt8]] = []
        var index = line.startIndex
        let end = line.endIndex
        while true {
            while index < end && isSpace(line[index]) { index += 1 }
            if index == end { return arguments }
            var current: [UInt8] = []
            var inDouble = false, inSingle = false
            word: while true {
                if inDouble {
                    guard index < end else { return nil }
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\"), index + 3 < end, line[index + 1] == UInt8(ascii: "x"),
                       let high = hexValue(line[index + 2]), let low = hexValue(line[index + 3]) {
                        current.append(high << 4 | low)
                        index += 3
                    } else if byte == UInt8(ascii: "\\"), index + 1 < end {
                        index += 1
                        switch line[index] {
                        case UInt8(ascii: "n"): current.append(0x0A)
                        case UInt8(ascii: "r"): current.append(0x0D)
                        case UInt8(ascii: "t"): current.append(0x09)
                        case UInt8(ascii: "b"): current.append(0x08)
                        case UInt8(ascii: "a"): current.append(0x07)
                        case let other: current.append(other)
                        }
                    } else if byte == UInt8(ascii: "\"") {
                        if index + 1 < end && !isSpace(line[index + 1]) { return nil }
                        index += 1
                        break word
                    } else {
                        current.append(byte)
                    }
                } else if inSingle {
                    guard index < end else { return nil }
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < end, line[index + 1] == UInt8(ascii: "'") {
                        current.append(UInt8(ascii: "'"))
                        index += 1
                    } else if byte == UInt8(ascii: "'") {
                        if index + 1 < end && !isSpace(line[index + 1]) { return nil }
                        index += 1
                        break word
                    } else {
                        current.append(byte)
                    }
                } else {
                    guard index < end else { break word }
                    let byte = line[index]
                    // Only these end an unquoted word (not \v or \f, which isspace counts).
                    if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0 { break word }
                    if byte == UInt8(ascii: "\"") { inDouble = true }
                    else if byte == UInt8(ascii: "'") { inSingle = true }
                    else { current.append(byte) }
                }
                index += 1
            }
            arguments.append(current)
        }
    }
}
