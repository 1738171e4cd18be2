#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a ``Reply`` in RESP2 or RESP3, byte for byte as Redis 7.0 would.
///
/// RESP2 has no maps, sets, doubles, booleans, verbatim strings or a single null, so for a
/// RESP2 client those are lowered the way Redis 7.0 lowers them: maps to flat arrays of
/// 2N elements, sets to arrays, doubles to bulk strings, booleans to `:1`/`:0`, verbatim
/// strings to bulk strings of their text, `.null` to `$-1` and `.nullArray` to `*-1`.
public enum ReplyEncoder {
    /// Appends the encoding of `reply` for a client speaking `version` to `buffer`.
    ///
    /// Appending, rather than returning a fresh array, lets a server accumulate a whole
    /// pipeline's replies in one output buffer.
    public static func encode(_ reply: Reply, protocol version: ProtocolVersion, into buffer: inout [UInt8]) {
        switch reply {
        case .simple(let text):
            buffer.append(UInt8(ascii: "+"))
            appendLine(text, to: &buffer)
        case .error(let text):
            buffer.append(UInt8(ascii: "-"))
            appendLine(text, to: &buffer)
        case .integer(let value):
            appendHeader(UInt8(ascii: ":"), value, to: &buffer)
        case .bulk(let bytes):
            appendBulk(bytes, to: &buffer)
        case .null:
            appendNull(version, resp2: "$-1\r\n", to: &buffer)
        case .nullArray:
            appendNull(version, resp2: "*-1\r\n", to: &buffer)
        case .array(let elements):
            appendHeader(UInt8(ascii: "*"), Int64(elements.count), to: &buffer)
            for element in elements { encode(element, protocol: version, into: &buffer) }
        case .double(let value):
            let text = formatDouble(value)
            if version == .resp3 {
                buffer.append(UInt8(ascii: ","))
                buffer.append(contentsOf: text)
                appendCRLF(to: &buffer)
            } else {
                appendBulk(text, to: &buffer)
            }
        case .boolean(let value):
            if version == .resp3 {
                buffer.append(contentsOf: value ? [0x23, 0x74, 0x0D, 0x0A] : [0x23, 0x66, 0x0D, 0x0A])  // #t / #f
            } else {
                appendHeader(UInt8(ascii: ":"), value ? 1 : 0, to: &buffer)
            }
        case .map(let pairs):
            if version == .resp3 {
                appendHeader(UInt8(ascii: "%"), Int64(pairs.count), to: &buffer)
            } else {
                appendHeader(UInt8(ascii: "*"), Int64(pairs.count) * 2, to: &buffer)
            }
            for pair in pairs {
                encode(pair.key, protocol: version, into: &buffer)
                encode(pair.value, protocol: version, into: &buffer)
            }
        case .set(let elements):
            appendHeader(version == .resp3 ? UInt8(ascii: "~") : UInt8(ascii: "*"), Int64(elements.count), to: &buffer)
            for element in elements { encode(element, protocol: version, into: &buffer) }
        case .verbatim(let format, let text):
            guard version == .resp3 else {
                appendBulk(text, to: &buffer)
                return
            }
            // The length covers the 4 bytes "xxx:" that precede the text.
            appendHeader(UInt8(ascii: "="), Int64(text.count) + 4, to: &buffer)
            buffer.append(contentsOf: verbatimFormat(format))
            buffer.append(UInt8(ascii: ":"))
            buffer.append(contentsOf: text)
            appendCRLF(to: &buffer)
        }
    }

    /// The encoding of `reply` for a client speaking `version`.
    public static func encode(_ reply: Reply, protocol version: ProtocolVersion) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(reply, protocol: version, into: &buffer)
        return buffer
    }

    /// A double as Redis 7.0 prints it in replies: C's `%.17g`, except that infinities are
    /// always `inf`/`-inf` (Redis spells them out rather than trust the C library).
    ///
    /// `%.17g` is used through the C library instead of being reimplemented because its
    /// exact digits (`1.1000000000000001`, `1.0000000000000001e+300`) are what clients see and
    /// compare against. NaN prints as glibc prints it (`nan` or `-nan`), as in Redis.
    public static func formatDouble(_ value: Double) -> [UInt8] {
        if value.isInfinite { return value > 0 ? [0x69, 0x6E, 0x66] : [0x2D, 0x69, 0x6E, 0x66] }
        // The longest %.17g output is 24 bytes ("-2.2250738585072014e-308").
        var text = [CChar](repeating: 0, count: 32)
        let length = withVaList([value]) { arguments in
            text.withUnsafeMutableBufferPointer { storage in
                vsnprintf(storage.baseAddress, storage.count, "%.17g", arguments)
            }
        }
        return text[..<Int(length)].map { UInt8(bitPattern: $0) }
    }

    /// The 3-byte format tag Redis writes: truncated, or padded with spaces, to 3 bytes.
    static func verbatimFormat(_ format: String) -> [UInt8] {
        var tag = Array(format.utf8.prefix(3))
        while tag.count < 3 { tag.append(UInt8(ascii: " ")) }
        return tag
    }

    private static func appendNull(_ version: ProtocolVersion, resp2: StaticString, to buffer: inout [UInt8]) {
        if version == .resp3 {
            buffer.append(contentsOf: [0x5F, 0x0D, 0x0A])  // _\r\n
        } else {
            resp2.withUTF8Buffer { buffer.append(contentsOf: $0) }
        }
    }

    /// A status or error line. CR and LF would end the line early and desynchronise the
    /// client, so they become spaces, as Redis does for errors.
    private static func appendLine(_ text: String, to buffer: inout [UInt8]) {
        for byte in text.utf8 {
            buffer.append(byte == 0x0D || byte == 0x0A ? UInt8(ascii: " ") : byte)
        }
        appendCRLF(to: &buffer)
    }

    private static func appendBulk(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        appendHeader(UInt8(ascii: "$"), Int64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
        appendCRLF(to: &buffer)
    }

    /// A type byte, a decimal number and CRLF, without building an intermediate String.
    private static func appendHeader(_ type: UInt8, _ value: Int64, to buffer: inout [UInt8]) {
        buffer.append(type)
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        // The magnitude is taken as unsigned so Int64.min does not overflow; digits come out
        // least significant first and are reversed in place.
        var magnitude = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
        appendCRLF(to: &buffer)
    }

    private static func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(0x0D)
        buffer.append(0x0A)
    }
}
