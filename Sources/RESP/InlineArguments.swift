/// Splits an inline request line into arguments with the quoting rules of Redis's
/// `sdssplitargs`, so `redis-cli`-style and telnet-typed commands mean the same thing here.
///
/// The rules, as observed on Redis 7.0:
/// - arguments are separated by runs of whitespace (space, `\t`, `\n`, `\v`, `\f`, `\r`), but an
///   unquoted argument only *ends* at space, `\t`, `\n` or `\r` (a `\v` inside it is kept);
/// - a quote may start anywhere in an argument (`a"b c"` is the single argument `ab c`);
/// - inside double quotes, `\n \r \t \b \a` are control characters, `\xHH` is a byte, and a
///   backslash before any other byte yields that byte;
/// - inside single quotes only `\'` is an escape;
/// - a closing quote must be followed by whitespace or the end of the line, and a missing
///   closing quote is an error.
///
/// One deliberate difference: Redis works on C strings, so a NUL byte in an inline request
/// stalls it (its newline search stops at the NUL). Here NUL is an ordinary byte.
enum InlineArguments {
    /// The arguments of `line` (without its line terminator), or nil for unbalanced quotes.
    static func split(_ line: ArraySlice<UInt8>) -> [[UInt8]]? {
        var arguments: [[UInt8]] = []
        var index = line.startIndex
        let end = line.endIndex

        while true {
            while index < end && isSpace(line[index]) { index += 1 }
            if index == end { return arguments }

            var current: [UInt8] = []
            var inDoubleQuotes = false
            var inSingleQuotes = false
            scanning: while true {
                if inDoubleQuotes {
                    guard index < end else { return nil }
                    let byte = line[index]
                    if byte == backslash, index + 3 < end, line[index + 1] == UInt8(ascii: "x"),
                       let high = hexValue(line[index + 2]), let low = hexValue(line[index + 3]) {
                        current.append(high << 4 | low)
                        index += 4
                    } else if byte == backslash, index + 1 < end {
                        current.append(unescaped(line[index + 1]))
                        index += 2
                    } else if byte == doubleQuote {
                        // "foo"bar is rejected rather than guessed at.
                        if index + 1 < end && !isSpace(line[index + 1]) { return nil }
                        index += 1
                        break scanning
                    } else {
                        current.append(byte)
                        index += 1
                    }
                } else if inSingleQuotes {
                    guard index < end else { return nil }
                    let byte = line[index]
                    if byte == backslash, index + 1 < end, line[index + 1] == singleQuote {
                        current.append(singleQuote)
                        index += 2
                    } else if byte == singleQuote {
                        if index + 1 < end && !isSpace(line[index + 1]) { return nil }
                        index += 1
                        break scanning
                    } else {
                        current.append(byte)
                        index += 1
                    }
                } else {
                    guard index < end else { break scanning }
                    let byte = line[index]
                    index += 1
                    switch byte {
                    case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                        break scanning
                    case doubleQuote:
                        inDoubleQuotes = true
                    case singleQuote:
                        inSingleQuotes = true
                    default:
                        current.append(byte)
                    }
                }
            }
            arguments.append(current)
        }
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let singleQuote = UInt8(ascii: "'")

    /// C's `isspace` in the "C" locale, which is what separates arguments.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The byte a backslash escape inside double quotes stands for.
    private static func unescaped(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "a"): 0x07
        default: byte
        }
    }
}
