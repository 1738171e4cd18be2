import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Soak

struct LineChartTests {
    static let rss = SyntheticSeries.make(duration: 120, interval: 5, sigma: 0.2, name: "RSS", unit: "MiB") { 30 + 0.02 * $0 }

    static func chart() -> LineChart {
        LineChart(title: "Resident memory", series: rss,
                  trend: .init(slope: 0.02, intercept: 30, from: 30, to: 120, label: "trend +20.5 KiB/s"),
                  warmUpEnd: 28, referenceLines: [.init(value: 40, label: "bound")])
    }

    /// Parses `svg` with Foundation's XMLParser; returns the element names in document order.
    static func parse(_ svg: String) throws -> [String] {
        final class Collector: NSObject, XMLParserDelegate {
            var names: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                names.append(name)
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        try #require(parser.parse(), "not well-formed: \(String(describing: parser.parserError))\n\(svg)")
        return collector.names
    }

    @Test func isWellFormedSVGWithEveryPart() throws {
        let svg = Self.chart().svg()
        let names = try Self.parse(svg)
        #expect(names.first == "svg")
        #expect(names.contains("polyline") && names.filter { $0 == "circle" }.count == 2)
        #expect(svg.contains(">time (s)</text>") && svg.contains(">RSS (MiB)</text>"))
        #expect(svg.contains(">trend +20.5 KiB/s</text>") && svg.contains(">bound</text>"))
        #expect(svg.contains("warm-up (not judged)"))
        #expect(svg.contains(">max ") && svg.contains(">min "))
        #expect(svg.contains("stroke-dasharray=\"6 4\""), "the trend line")
    }

    @Test func theSameChartIsTheSameBytes() {
        #expect(Self.chart().svg() == Self.chart().svg())
        var other = Self.chart()
        other.series.points[3].value += 0.5
        #expect(other.svg() != Self.chart().svg())
    }

    @Test func ticksAreNiceNumbersAndTheYAxisStartsAtZero() {
        let svg = Self.chart().svg()
        // y: 0 to 40 MiB in steps of 10; x: 0 to 120 s in steps of 20.
        for label in [">0</text>", ">10</text>", ">40</text>", ">20</text>", ">120</text>"] {
            #expect(svg.contains(label), "\(label)")
        }
        #expect(!svg.contains(">17.3</text>"))
    }

    @Test func hostileNamesAreEscaped() throws {
        let series = Series(name: "a<b & \"c\"\u{1}", unit: "'u'", points: [.init(time: 1, value: 2), .init(time: 2, value: 3)])
        let svg = LineChart(title: "<script>", series: series).svg()
        _ = try Self.parse(svg)
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;"))
    }

    @Test func emptyAndSinglePointSeriesStillRender() throws {
        let empty = LineChart(title: "nothing", series: Series(name: "fds", unit: "fds")).svg()
        _ = try Self.parse(empty)
        #expect(empty.contains(">no samples</text>"))
        let single = LineChart(title: "one", series: Series(name: "fds", unit: "fds", points: [.init(time: 5, value: 12)])).svg()
        _ = try Self.parse(single)
        #expect(single.contains("min = max 12"))
    }

    @Test func niceScales() {
        let scale = NiceScale(minimum: 0, maximum: 97)
        #expect(scale.step == 20 && scale.lower == 0 && scale.upper == 100 && scale.ticks == [0, 20, 40, 60, 80, 100])
        let small = NiceScale(minimum: 0, maximum: 0.37)
        #expect(small.step == 0.1 && small.decimals == 1 && small.ticks.count == 5, "\(small)")
        #expect(small.ticks.map { DecimalText.format($0, decimals: small.decimals) } == ["0.0", "0.1", "0.2", "0.3", "0.4"])
        // A sample a hair past a tick does not add an empty step.
        #expect(NiceScale(minimum: 0, maximum: 120.001).upper == 120)
        #expect(NiceScale(minimum: 0, maximum: 121).upper == 140)
        let flat = NiceScale(minimum: 12, maximum: 12)
        #expect(flat.lower < 12 && flat.upper > 12)
    }
}
