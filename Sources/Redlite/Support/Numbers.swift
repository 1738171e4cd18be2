import CRedliteSupport
import RESP

/// Number parsing and formatting with Redis 7.0's exact rules.
enum Numbers {
    /// Parses a signed 64-bit integer as Redis's string2ll: optional '-', digits, no '+', no
    /// spaces, no leading zeros (except "0" itself), at most 20 characters, no overflow.
    @inline(__always)
    static func parseInt64(_ bytes: [UInt8]) -> Int64? { StrictInteger.parse(bytes[...]) }

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

    /// A score as Redis 7.0 stores it in a listpack (`d2string`), which ZSCAN answers with:
    /// a whole number within ±2^62 as an integer ("123456789012345680", "0" for -0), anything
    /// else as `%.17g`, `inf`, `-inf`. Replies that read the score back (ZSCORE, ZRANGE
    /// WITHSCORES) use ``formatDouble(_:)`` instead.
    static func formatStoredScore(_ value: Double) -> [UInt8] {
        // double2ll: the bounds are (double)(±LLONG_MAX/2), which round to ±2^62.
        let bound = 4_611_686_018_427_387_904.0
        if value >= -bound, value <= bound, value.rounded(.towardZero) == value {
            return format(Int64(value))
        }
        return formatDouble(value)
    }

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
