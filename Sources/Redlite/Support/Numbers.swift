import CRedliteSupport
import RESP

/// Number parsing and formatting with Redis 7.0's exact rules.
enum Numbers {
    /// Parses a signed 64-bit integer as Redis's string2ll: optional '-', digits, no '+', no
    /// spaces, no leading zeros (except "0" itself), at most 20 characters, no overflow.
    static func parseInt64(_ bytes: [UInt8]) -> Int64? {
        let count = bytes.count
        guard count > 0, count < 21 else { return nil }
        if count == 1, bytes[0] == UInt8(ascii: "0") { return 0 }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative {
            index = 1
            guard count > 1 else { return nil }
        }
        guard bytes[index] >= UInt8(ascii: "1"), bytes[index] <= UInt8(ascii: "9") else { return nil }
        var magnitude: UInt64 = 0
        while index < count {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            index += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Parses a double as Redis's string2d (strtod over the whole value; no NaN, no overflow,
    /// no leading space). Accepts "inf", "-inf", "+inf".
    static func parseDouble(_ bytes: [UInt8]) -> Double? {
        var value = 0.0
        let ok = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                redlite_parse_double($0.baseAddress, $0.count, &value)
            }
        }
        return ok == 1 ? value : nil
    }

    /// Parses a score-range bound's number as zslParseRange does (see the C helper).
    static func parseDoubleLenient(_ bytes: ArraySlice<UInt8>) -> Double? {
        var value = 0.0
        let ok = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                redlite_parse_double_lenient($0.baseAddress, $0.count, &value)
            }
        }
        return ok == 1 ? value : nil
    }

    /// Formats a double as Redis 7.0's replies do: `%.17g`, `inf`, `-inf` (the encoder's
    /// formatting, so replies and stored text never disagree).
    static func formatDouble(_ value: Double) -> [UInt8] { ReplyEncoder.formatDouble(value) }

    /// The decimal text of an integer, as stored for string values.
    static func format(_ value: Int64) -> [UInt8] { Array(String(value).utf8) }

    /// Why INCRBYFLOAT / HINCRBYFLOAT failed.
    enum FloatIncrementError: Error { case notAFloat, nanOrInfinity }

    /// Adds `increment` to `current` (absent = 0) in long double and formats the result as
    /// Redis 7.0 does (`%.17Lf`, trailing zeros removed).
    static func incrementByFloat(current: [UInt8]?, increment: [UInt8]) -> Result<[UInt8], FloatIncrementError> {
        let capacity = 5 * 1024 + 32
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { out in
            let length: Int32 = (current ?? []).withUnsafeBufferPointer { currentBuffer in
                increment.withUnsafeBufferPointer { incrementBuffer in
                    currentBuffer.withMemoryRebound(to: CChar.self) { c in
                        incrementBuffer.withMemoryRebound(to: CChar.self) { i in
                            redlite_increment_by_float(
                                c.baseAddress, c.count, current == nil ? 0 : 1,
                                i.baseAddress, i.count, out.baseAddress, capacity)
                        }
                    }
                }
            }
            switch length {
            case -2: return .failure(.nanOrInfinity)
            case ..<0: return .failure(.notAFloat)
            default:
                return .success(UnsafeRawBufferPointer(start: out.baseAddress, count: Int(length)).map { $0 })
            }
        }
    }
}
