/// Fixed-point decimal text for figures, log lines and SVG coordinates.
///
/// Written out digit by digit instead of with `String(format:)`: the plugin does not link
/// Foundation, and a chart must be the same bytes for the same input whatever the locale.
enum DecimalText {
    /// `value` rounded to `decimals` places (0...9), without a trailing ".0..." when `trim` is
    /// set; "-0" never appears. Non-finite values read "nan", "inf", "-inf".
    static func format(_ value: Double, decimals: Int, trim: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let places = min(max(decimals, 0), 9)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        // Beyond 2^63 the digits are not worth printing exactly: fall back to Swift's text.
        guard scaled < 9.2e18 else { return value.description }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(units / divisor)
        if places > 0 {
            var fraction = String(units % divisor)
            fraction = String(repeating: "0", count: places - fraction.count) + fraction
            if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return (value < 0 && units != 0 ? "-" : "") + text
    }

    /// A signed figure: "+12.5", "-3", "0".
    static func signed(_ value: Double, decimals: Int) -> String {
        let text = format(value, decimals: decimals)
        return value > 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "+" + text : text
    }

    /// Bytes in binary units with one decimal: "512 B", "3.4 KiB", "12.0 MiB", "1.2 GiB".
    static func bytes(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude < 1024 { return format(value, decimals: 0) + " B" }
        if magnitude < 1024 * 1024 { return format(value / 1024, decimals: 1) + " KiB" }
        if magnitude < 1024 * 1024 * 1024 { return format(value / (1024 * 1024), decimals: 1) + " MiB" }
        return format(value / (1024 * 1024 * 1024), decimals: 2) + " GiB"
    }
}
