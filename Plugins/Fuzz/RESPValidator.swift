/// A strict validator of a server's reply stream: RESP2 and RESP3, as Redis 7.0 writes them.
///
/// It reads the stream in place and keeps only offsets: no length or count read off the wire
/// sizes anything it allocates (a `$9223372036854775807` header is just "truncated", a
/// `*4611686018427387904` map count that overflows when doubled is a malformation). Nesting
/// is walked with an explicit stack bounded by ``maximumDepth``, never by recursion.
///
/// Strict means canonical: integers and lengths with no sign but `-`, no leading zeros and no
/// spaces; every line ends in CRLF with no bare CR or LF inside it; a bulk payload is followed
/// by CRLF; booleans are `t`/`f`; a null (`_`) line is empty; a verbatim string has a
/// three-letter format and a colon.
import DSTPluginSDK

struct RESPValidator {
    /// The first thing wrong with a stream.
    struct Malformation: Equatable, CustomStringConvertible {
        /// The offset of the first offending byte; for a truncated stream, the stream's length
        /// (where more bytes were expected).
        let offset: Int
        /// What is wrong there.
        let reason: String
        /// The stream ended inside a reply (everything before was well formed).
        let truncated: Bool

        var description: String { "at byte \(offset): \(reason)" }
    }

    /// What a stream holds.
    struct Report {
        /// Complete top-level replies (attributes do not count; push messages do).
        var replies = 0
        /// Where each complete top-level reply starts.
        var replyStarts: [Int] = []
        /// The text of every error reply, nested ones too (`-` lines without the `-` and the
        /// CRLF; `!` blob errors' payloads), as ranges of the stream.
        var errors: [Range<Int>] = []
        /// The first malformation; nil when the stream is a whole number of valid replies.
        var malformation: Malformation?

        var isValid: Bool { malformation == nil }
    }

    /// Whether RESP3 types (`%`, `~`, `,`, `#`, `_`, `=`, `(`, `!`, `|`, `>`) are accepted.
    var allowRESP3 = true
    /// Aggregates nested deeper than this are a malformation: Redis's replies are shallow.
    var maximumDepth = 64

    private struct Frame {
        /// Elements still to come.
        var remaining: Int
        /// An attribute (`|`): when complete it is not an element of its parent; the value it
        /// annotates follows in the same slot.
        let isAttribute: Bool
    }

    private enum Failure: Error {
        case malformed(Int, String)
        case truncated(String)
    }

    func validate(_ bytes: [UInt8]) -> Report {
        var report = Report()
        var stack: [Frame] = []
        var position = 0
        var replyStart = 0
        var topAttributePending = false
        do throws(Failure) {
            while position < bytes.count {
                if stack.isEmpty && !topAttributePending { replyStart = position }
                let step = try element(bytes, at: position, depth: stack.count, report: &report)
                position = step.next
                if let opened = step.opened {
                    stack.append(opened)
                    continue
                }
                if step.isEmptyAttribute {
                    // Annotates the value after it, which fills the same slot.
                    if stack.isEmpty { topAttributePending = true }
                    continue
                }
                // A scalar (or an empty aggregate) is complete: close every aggregate it completes.
                var completedAttribute = false
                while !stack.isEmpty {
                    stack[stack.count - 1].remaining -= 1
                    if stack[stack.count - 1].remaining > 0 { break }
                    let done = stack.removeLast()
                    if done.isAttribute { completedAttribute = true; break }
                }
                if stack.isEmpty {
                    if completedAttribute {
                        topAttributePending = true
                    } else {
                        topAttributePending = false
                        report.replies += 1
                        report.replyStarts.append(replyStart)
                    }
                }
            }
            if !stack.isEmpty || topAttributePending {
                throw Failure.truncated("the reply starting at byte \(replyStart) is incomplete")
            }
        } catch {
            switch error {
            case .malformed(let offset, let reason):
                report.malformation = Malformation(offset: offset, reason: reason, truncated: false)
            case .truncated(let reason):
                report.malformation = Malformation(offset: bytes.count, reason: "truncated: " + reason, truncated: true)
            }
        }
        return report
    }

    /// What reading one element did: where the next starts, and the frame a non-empty
    /// aggregate opens.
    private struct Step {
        let next: Int
        var opened: Frame? = nil
        var isEmptyAttribute = false
    }

    /// Reads one element's header (and, for a scalar, its payload) at `start`.
    private func element(_ bytes: [UInt8], at start: Int, depth: Int,
                         report: inout Report) throws(Failure) -> Step {
        let type = bytes[start]
        let resp3Types: [UInt8] = Array("%~,#_=(!|>".utf8)
        if !allowRESP3 && resp3Types.contains(type) {
            throw .malformed(start, "RESP3 type '\(Character(Unicode.Scalar(type)))' in a RESP2 stream")
        }
        switch type {
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let line = try Self.line(bytes, from: start + 1)
            if type == UInt8(ascii: "-") { report.errors.append(start + 1..<line.end) }
            return Step(next: line.next)
        case UInt8(ascii: ":"):
            let line = try Self.line(bytes, from: start + 1)
            _ = try Self.integer(bytes, start + 1..<line.end, what: "integer")
            return Step(next: line.next)
        case UInt8(ascii: "("):
            let line = try Self.line(bytes, from: start + 1)
            guard Self.isBigNumber(bytes[start + 1..<line.end]) else {
                throw .malformed(start + 1, "malformed big number")
            }
            return Step(next: line.next)
        case UInt8(ascii: ","):
            let line = try Self.line(bytes, from: start + 1)
            guard Self.isDouble(bytes[start + 1..<line.end]) else { throw .malformed(start + 1, "malformed double") }
            return Step(next: line.next)
        case UInt8(ascii: "#"):
            let line = try Self.line(bytes, from: start + 1)
            guard line.end == start + 2, bytes[start + 1] == UInt8(ascii: "t") || bytes[start + 1] == UInt8(ascii: "f") else {
                throw .malformed(start + 1, "a boolean is 't' or 'f'")
            }
            return Step(next: line.next)
        case UInt8(ascii: "_"):
            let line = try Self.line(bytes, from: start + 1)
            guard line.end == start + 1 else { throw .malformed(start + 1, "a null line is empty") }
            return Step(next: line.next)
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            let line = try Self.line(bytes, from: start + 1)
            let length = try Self.integer(bytes, start + 1..<line.end, what: "length")
            if length == -1 && type == UInt8(ascii: "$") { return Step(next: line.next) }
            guard length >= 0 else { throw .malformed(start + 1, "negative length \(length)") }
            let payload = line.next
            let available = bytes.count - payload
            // Compared against what is there, never used to reserve anything.
            guard available >= 2, length <= Int64(available - 2) else {
                throw .truncated("a string of \(length) bytes at byte \(payload), \(max(available, 0)) bytes left")
            }
            let end = payload + Int(length)
            guard bytes[end] == UInt8(ascii: "\r"), bytes[end + 1] == UInt8(ascii: "\n") else {
                throw .malformed(end, "a string's \(length) bytes are not followed by CRLF")
            }
            if type == UInt8(ascii: "=") {
                guard length >= 4, bytes[payload + 3] == UInt8(ascii: ":") else {
                    throw .malformed(payload, "a verbatim string starts with a three-byte format and ':'")
                }
            }
            if type == UInt8(ascii: "!") { report.errors.append(payload..<end) }
            return Step(next: end + 2)
        case UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "|"):
            let line = try Self.line(bytes, from: start + 1)
            let count = try Self.integer(bytes, start + 1..<line.end, what: "count")
            if count == -1 && type == UInt8(ascii: "*") { return Step(next: line.next) }
            guard count >= 0 else { throw .malformed(start + 1, "negative count \(count)") }
            var elements = count
            if type == UInt8(ascii: "%") || type == UInt8(ascii: "|") {
                let (doubled, overflow) = count.multipliedReportingOverflow(by: 2)
                guard !overflow else { throw .malformed(start + 1, "a map of \(count) pairs overflows") }
                elements = doubled
            }
            if elements == 0 { return Step(next: line.next, isEmptyAttribute: type == UInt8(ascii: "|")) }
            guard depth < maximumDepth else { throw .malformed(start, "aggregates nested deeper than \(maximumDepth)") }
            guard elements <= Int64(Int.max) else { throw .malformed(start + 1, "count \(count) too large") }
            return Step(next: line.next, opened: Frame(remaining: Int(elements), isAttribute: type == UInt8(ascii: "|")))
        default:
            throw .malformed(start, "unknown reply type byte 0x\(String(type, radix: 16))")
        }
    }

    /// The line starting at `start`: its content ends at `end` (the CR), the next element
    /// starts at `next`. A bare CR or LF inside is a malformation; no CRLF yet is truncation.
    private static func line(_ bytes: [UInt8], from start: Int) throws(Failure) -> (end: Int, next: Int) {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\r"):
                guard index + 1 < bytes.count else { throw .truncated("a line ends in CR at byte \(index)") }
                guard bytes[index + 1] == UInt8(ascii: "\n") else { throw .malformed(index, "CR without LF") }
                return (index, index + 2)
            case UInt8(ascii: "\n"):
                throw .malformed(index, "LF without CR")
            default:
                index += 1
            }
        }
        throw .truncated("a line from byte \(start) has no CRLF")
    }

    /// A canonical decimal Int64: `0`, or an optional `-` and digits without a leading zero.
    private static func integer(_ bytes: [UInt8], _ range: Range<Int>, what: String) throws(Failure) -> Int64 {
        guard let value = strictInteger(bytes[range]) else {
            throw .malformed(range.lowerBound, "malformed \(what) \(Reply.quoted(Array(bytes[range]), limit: 40))")
        }
        return value
    }

    static func strictInteger(_ text: ArraySlice<UInt8>) -> Int64? {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard let first = digits.first, digits.count <= 19 else { return nil }
        guard first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        if negative && first == UInt8(ascii: "0") { return nil }
        var magnitude: UInt64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    private static func isDigits(_ text: ArraySlice<UInt8>) -> Bool {
        !text.isEmpty && text.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func isBigNumber(_ text: ArraySlice<UInt8>) -> Bool {
        isDigits(text.first == UInt8(ascii: "-") ? text.dropFirst() : text)
    }

    /// `inf`, `-inf`, `nan` (and `-nan`, which `%.17g` may print), or a decimal with an
    /// optional fraction and exponent, as Redis's `%.17g` writes one.
    private static func isDouble(_ text: ArraySlice<UInt8>) -> Bool {
        var rest = text[...]
        if rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "+") { rest = rest.dropFirst() }
        if rest.elementsEqual("inf".utf8) || rest.elementsEqual("nan".utf8) { return true }
        let mantissaEnd = rest.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? rest.endIndex
        let mantissa = rest[..<mantissaEnd]
        if let dot = mantissa.firstIndex(of: UInt8(ascii: ".")) {
            guard isDigits(mantissa[..<dot]), isDigits(mantissa[(dot + 1)...]) else { return false }
        } else {
            guard isDigits(mantissa) else { return false }
        }
        guard mantissaEnd < rest.endIndex else { return true }
        var exponent = rest[(mantissaEnd + 1)...]
        if exponent.first == UInt8(ascii: "-") || exponent.first == UInt8(ascii: "+") { exponent = exponent.dropFirst() }
        return isDigits(exponent)
    }
}
