/// A line chart of one series over time, as a standalone SVG document: time in seconds on x,
/// the series' values on y, both axes labeled with units and nice ticks, the minimum and
/// maximum marked, and optionally the fitted trend line, a shaded warm-up and horizontal
/// reference lines (a bound).
///
/// The output is a pure function of the chart's fields: the same chart gives the same bytes,
/// so charts can be compared and archived.
public struct LineChart: Sendable {
    /// A straight line drawn over part of the time axis: the fitted trend.
    public struct TrendLine: Sendable, Equatable {
        /// Change per second, in the series' unit.
        public var slope: Double
        /// The value at time 0.
        public var intercept: Double
        /// The times (seconds) the line spans.
        public var from: Double
        public var to: Double
        /// Shown beside the line, e.g. "trend +1.2 KiB/s".
        public var label: String

        /// The line `intercept + slope × t` from `from` to `to` seconds.
        public init(slope: Double, intercept: Double, from: Double, to: Double, label: String) {
            self.slope = slope
            self.intercept = intercept
            self.from = from
            self.to = to
            self.label = label
        }
    }

    /// A horizontal line at a value, e.g. a bound.
    public struct ReferenceLine: Sendable, Equatable {
        /// In the series' unit.
        public var value: Double
        /// Shown at the line's right end.
        public var label: String

        /// A line at `value` labeled `label`.
        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// The heading.
    public var title: String
    /// The data; its name and unit label the y axis.
    public var series: Series
    /// The fitted trend, if any.
    public var trend: TrendLine?
    /// Samples before this time (seconds) are shaded as warm-up, left out of the verdicts.
    public var warmUpEnd: Double?
    /// Horizontal lines, e.g. the WAL bound.
    public var referenceLines: [ReferenceLine] = []
    /// Start the y axis at zero, so that a flat series looks flat: a zoomed axis would draw
    /// 100 KiB of noise on 30 MiB of RSS as a cliff. The min/max labels carry the detail.
    public var includesZero = true
    /// The document's size in pixels.
    public var width = 720
    public var height = 360

    /// A chart of `series` titled `title`.
    public init(title: String, series: Series, trend: TrendLine? = nil, warmUpEnd: Double? = nil,
                referenceLines: [ReferenceLine] = []) {
        self.title = title
        self.series = series
        self.trend = trend
        self.warmUpEnd = warmUpEnd
        self.referenceLines = referenceLines
    }

    // Room around the plot for the title, tick labels and axis titles.
    private var left: Double { 84 }
    private var right: Double { Double(width) - 24 }
    private var top: Double { 40 }
    private var bottom: Double { Double(height) - 48 }

    /// The SVG document.
    public func svg() -> String {
        let points = series.points.filter { $0.time.isFinite && $0.value.isFinite }
        let lastTime = points.map(\.time).max() ?? 0
        let xScale = NiceScale(minimum: min(0, points.map(\.time).min() ?? 0), maximum: max(lastTime, trend?.to ?? 0))
        var values = points.map(\.value) + referenceLines.map(\.value)
        if let trend { values += [trend.intercept + trend.slope * trend.from, trend.intercept + trend.slope * trend.to] }
        if includesZero || values.isEmpty { values.append(0) }
        // Headroom above the highest value, so the maximum's label fits above its point.
        let headroom = (values.max()! - values.min()!) * 0.1
        let yScale = NiceScale(minimum: values.min()!, maximum: values.max()! + headroom)
        func x(_ time: Double) -> Double {
            left + (time - xScale.lower) / (xScale.upper - xScale.lower) * (right - left)
        }
        func y(_ value: Double) -> Double {
            bottom - (value - yScale.lower) / (yScale.upper - yScale.lower) * (bottom - top)
        }
        let n = SVGWriter.number

        var svg = SVGWriter(width: width, height: height, title: title)
        svg.element("rect", [("width", "\(width)"), ("height", "\(height)"), ("fill", "white")])
        svg.text(title, x: left, y: 24, extra: [("font-size", "15"), ("font-weight", "bold")])

        if let warmUpEnd, warmUpEnd > xScale.lower {
            let end = min(x(warmUpEnd), right)
            svg.element("rect", [("x", n(left)), ("y", n(top)), ("width", n(end - left)), ("height", n(bottom - top)),
                                 ("fill", "#eeeeee")])
            // At the foot of the band: with the y axis from zero, the data rarely lies there.
            svg.text("warm-up (not judged)", x: left + 4, y: bottom - 6, extra: [("fill", "#777777"), ("font-size", "11")])
        }

        // Grid and tick labels.
        svg.beginGroup([("stroke", "#dddddd"), ("stroke-width", "1")])
        for tick in yScale.ticks { svg.element("line", [("x1", n(left)), ("y1", n(y(tick))), ("x2", n(right)), ("y2", n(y(tick)))]) }
        for tick in xScale.ticks { svg.element("line", [("x1", n(x(tick))), ("y1", n(top)), ("x2", n(x(tick))), ("y2", n(bottom))]) }
        svg.endGroup()
        for tick in yScale.ticks {
            svg.text(DecimalText.format(tick, decimals: yScale.decimals), x: left - 6, y: y(tick) + 4, anchor: "end")
        }
        for tick in xScale.ticks {
            svg.text(DecimalText.format(tick, decimals: xScale.decimals), x: x(tick), y: bottom + 16, anchor: "middle")
        }
        svg.element("line", [("x1", n(left)), ("y1", n(bottom)), ("x2", n(right)), ("y2", n(bottom)), ("stroke", "black")])
        svg.element("line", [("x1", n(left)), ("y1", n(top)), ("x2", n(left)), ("y2", n(bottom)), ("stroke", "black")])
        svg.text("time (s)", x: (left + right) / 2, y: Double(height) - 10, anchor: "middle")
        let yTitle = "\(series.name) (\(series.unit))"
        let yMiddle = (top + bottom) / 2
        svg.text(yTitle, x: 16, y: yMiddle, anchor: "middle", extra: [("transform", "rotate(-90 16 \(n(yMiddle)))")])

        for line in referenceLines {
            svg.element("line", [("x1", n(left)), ("y1", n(y(line.value))), ("x2", n(right)), ("y2", n(y(line.value))),
                                 ("stroke", "#ff7f0e"), ("stroke-dasharray", "2 3")])
            svg.text(line.label, x: right - 4, y: y(line.value) - 4, anchor: "end", extra: [("fill", "#ff7f0e")])
        }

        if points.isEmpty {
            svg.text("no samples", x: (left + right) / 2, y: yMiddle, anchor: "middle", extra: [("fill", "#777777")])
            return svg.finish()
        }
        let path = points.map { "\(n(x($0.time))),\(n(y($0.value)))" }.joined(separator: " ")
        svg.element("polyline", [("points", path), ("fill", "none"), ("stroke", "#1f77b4"), ("stroke-width", "1.5")])

        if let trend {
            let start = trend.intercept + trend.slope * trend.from
            let end = trend.intercept + trend.slope * trend.to
            svg.element("line", [("x1", n(x(trend.from))), ("y1", n(y(start))), ("x2", n(x(trend.to))), ("y2", n(y(end))),
                                 ("stroke", "#d62728"), ("stroke-width", "1.5"), ("stroke-dasharray", "6 4")])
            svg.text(trend.label, x: right, y: top - 6, anchor: "end", extra: [("fill", "#d62728")])
        }

        // The first minimum and the first maximum, marked and labeled with value and time.
        let labelDecimals = yScale.decimals + 1
        var marked: [Series.Point] = []
        if let lowest = points.min(by: { $0.value < $1.value }) { marked.append(lowest) }
        if let highest = points.max(by: { $0.value < $1.value }), highest != marked.first { marked.append(highest) }
        for (index, point) in marked.enumerated() {
            let isMaximum = index == 1
            let label = (isMaximum ? "max " : (marked.count == 1 ? "min = max " : "min "))
                + "\(DecimalText.format(point.value, decimals: labelDecimals)) \(series.unit)"
                + " at \(DecimalText.format(point.time, decimals: 1, trim: true)) s"
            let px = x(point.time)
            let py = y(point.value)
            svg.element("circle", [("cx", n(px)), ("cy", n(py)), ("r", "3.5"), ("fill", isMaximum ? "#d62728" : "#2ca02c")])
            // The maximum's label above its point (the headroom keeps it in), the minimum's
            // below unless that leaves the plot, so the two never overlap; both to the left
            // of points in the right half.
            let anchor = px > (left + right) / 2 ? "end" : "start"
            let dx: Double = anchor == "end" ? -6 : 6
            let dy: Double = isMaximum ? (py - 8 < top + 10 ? 16 : -8) : (py + 16 > bottom - 2 ? -8 : 16)
            svg.text(label, x: px + dx, y: py + dy, anchor: anchor, extra: [("font-size", "11")])
        }
        return svg.finish()
    }
}
