/// The integer syntax Redis accepts in protocol headers and command arguments (its
/// `string2ll`); the engine parses every integer argument with it too.
///
/// Stricter than `Int64.init(_:radix:)`: no `+`, no spaces, no leading zeros, no `-0`, at most
/// 20 characters. Matching it exactly matters because the same bytes must be accepted or
/// rejected as Redis would, e.g. `*01` is a protocol error there.
public enum StrictInteger {
    /// The value of `digits`, or nil if Redis would reject it.
    public static func parse(_ digits: ArraySlice<UInt8>) -> Int64? {
        // Redis refuses anything that could not be a long long before looking at it.
        guard !digits.isEmpty, digits.count < 21 else { return nil }
        var index = digits.startIndex
        let end = digits.endIndex
        if digits.count == 1 && digits[index] == UInt8(ascii: "0") { return 0 }

        var negative = false
        if digits[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
            guard index < end else { return nil }
        }
        // A first digit of 0 is only valid for "0" itself, handled above.
        guard (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(digits[index]) else { return nil }
        var magnitude = UInt64(digits[index] - UInt8(ascii: "0"))
        index += 1
        while index < end {
            let byte = digits[index]
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            index += 1
        }

        if negative {
            let limit = UInt64(Int64.max) + 1
            guard magnitude <= limit else { return nil }
            return magnitude == limit ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
