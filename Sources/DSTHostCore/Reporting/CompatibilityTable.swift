/// How often differential suites (the Oracle) agreed with their reference, summed over seeds
/// from the metrics they report: `compat.<COMMAND>.compared` (commands whose replies were
/// compared) and `compat.<COMMAND>.diverged` (the one that diverged, if any).
///
/// One row per test (a command group) and one per command, each with its divergences and the
/// share of compared commands that agreed.
public struct CompatibilityTable: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var name: String
        public var compared: Int
        public var diverged: Int
        /// Percent of compared commands whose replies agreed.
        public var compatibility: Double { compared == 0 ? 100 : 100 * Double(compared - diverged) / Double(compared) }

        private enum CodingKeys: String, CodingKey { case name, compared, diverged, compatibility }

        init(name: String, compared: Int, diverged: Int) {
            self.name = name
            self.compared = compared
            self.diverged = diverged
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            compared = try container.decode(Int.self, forKey: .compared)
            diverged = try container.decode(Int.self, forKey: .diverged)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(compared, forKey: .compared)
            try container.encode(diverged, forKey: .diverged)
            try container.encode(compatibility, forKey: .compatibility)
        }
    }

    /// Per test, in run order.
    public var tests: [Row]
    /// Per command, by name.
    public var commands: [Row]

    static let prefix = "compat."

    /// Nil when no result carries compatibility metrics.
    public init?(tests results: [(name: String, results: [TestResult])]) {
        var perCommand: [String: (compared: Int, diverged: Int)] = [:]
        var perTest: [Row] = []
        for (name, testResults) in results {
            var row = Row(name: name, compared: 0, diverged: 0)
            var seen = false
            for metric in testResults.flatMap(\.metrics) where metric.name.hasPrefix(Self.prefix) {
                let parts = metric.name.dropFirst(Self.prefix.count).split(separator: ".")
                guard parts.count == 2 else { continue }
                seen = true
                let count = Int(metric.value)
                switch parts[1] {
                case "compared":
                    row.compared += count
                    perCommand[String(parts[0]), default: (0, 0)].compared += count
                case "diverged":
                    row.diverged += count
                    perCommand[String(parts[0]), default: (0, 0)].diverged += count
                default: break
                }
            }
            if seen { perTest.append(row) }
        }
        guard !perTest.isEmpty else { return nil }
        tests = perTest
        // Sorted by name: never let dictionary order decide a report's bytes.
        commands = perCommand.keys.sorted().map { Row(name: $0, compared: perCommand[$0]!.compared, diverged: perCommand[$0]!.diverged) }
    }

    /// All tests together.
    public var total: Row {
        Row(name: "total", compared: tests.reduce(0) { $0 + $1.compared }, diverged: tests.reduce(0) { $0 + $1.diverged })
    }

    /// The console table: every test, then the commands that diverged (all of them when none did).
    public var consoleLines: [String] {
        let diverging = commands.filter { $0.diverged > 0 }
        var lines = ["compatibility with the reference (commands compared up to each seed's first divergence):"]
        lines += Self.table(tests + [total], title: "test")
        lines += Self.table(diverging.isEmpty ? commands : diverging, title: diverging.isEmpty ? "command" : "diverging command")
        return lines
    }

    /// The Markdown section.
    public var markdownLines: [String] {
        var lines = ["## Compatibility", "", "| test | compared | divergences | compatible |", "|---|---:|---:|---:|"]
        for row in tests + [total] { lines.append("| \(row.name) | \(row.compared) | \(row.diverged) | \(Self.percent(row.compatibility)) |") }
        lines += ["", "| command | compared | divergences | compatible |", "|---|---:|---:|---:|"]
        for row in commands { lines.append("| \(row.name) | \(row.compared) | \(row.diverged) | \(Self.percent(row.compatibility)) |") }
        return lines
    }

    private static func table(_ rows: [Row], title: String) -> [String] {
        let width = max(title.count, rows.map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
        func left(_ text: String, _ count: Int) -> String { String(repeating: " ", count: max(0, count - text.count)) + text }
        var lines = ["  " + pad(title, width) + "  " + left("compared", 10) + "  " + left("divergences", 11) + "  " + left("compatible", 10)]
        for row in rows {
            lines.append("  " + pad(row.name, width) + "  " + left(String(row.compared), 10) + "  "
                         + left(String(row.diverged), 11) + "  " + left(percent(row.compatibility), 10))
        }
        return lines
    }

    static func percent(_ value: Double) -> String {
        // Two decimals, and never "100.00%" for a table with a divergence in it.
        let hundredths = (value * 100).rounded(.down) / 100
        let whole = Int(hundredths)
        let fraction = Int(((hundredths - Double(whole)) * 100).rounded())
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}
