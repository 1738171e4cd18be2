import Foundation

/// The machine-readable report formats: JSON (the schema of ``RunReport``), Markdown (for people
/// and CI summaries) and JUnit XML (for CI systems that ingest test results).
public enum ReportFormat: String, CaseIterable, Sendable {
    case json, markdown, junit

    public func render(_ report: RunReport) -> String {
        switch self {
        case .json: return Self.json(report)
        case .markdown: return Self.markdown(report)
        case .junit: return Self.junit(report)
        }
    }

    private static func json(_ report: RunReport) -> String {
        let encoder = JSONEncoder()
        // Sorted keys: the same run gives the same bytes.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    private static func markdown(_ report: RunReport) -> String {
        var lines = ["# dst-host report", "", "`\(report.command)`", "",
                     "**\(report.totals.passed) passed, \(report.totals.failed) failed**"
                        + (report.totals.skipped > 0 ? ", \(report.totals.skipped) skipped" : "")
                        + " (\(report.totals.runs) runs, \(report.totals.durationMilliseconds) ms)", "",
                     "| test | seeds | passed | failed | ms |", "|---|---:|---:|---:|---:|"]
        for test in report.tests {
            lines.append("| \(test.test) | \(test.seeds.count) | \(test.passed) | \(test.failed) | \(test.durationMilliseconds) |")
        }
        if let compatibility = report.compatibility { lines += [""] + compatibility.markdownLines }
        lines += measurementLines(report)
        let failing = report.tests.filter { !$0.failures.isEmpty }
        if !failing.isEmpty {
            lines += ["", "## Failures"]
            for test in failing {
                for failure in test.failures {
                    lines += ["", "### \(test.test), seed \(failure.seed) (\(failure.outcome))", ""]
                    lines += failure.messages.map { "- \(escapeMarkdown($0))" }
                    lines += ["", "```", failure.replay, "```"]
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Load tests' figures, and their charts (SVG or PNG artifacts) as images. Image paths are
    /// as `--artifacts` wrote them: relative when the report is written inside the same folder
    /// tree (see ``relativeArtifactPaths(_:to:)``).
    private static func measurementLines(_ report: RunReport) -> [String] {
        let measured = report.tests.filter { $0.measurements != nil || $0.artifactFiles != nil }
        guard !measured.isEmpty else { return [] }
        var lines = ["", "## Measurements"]
        for test in measured {
            lines += ["", "### \(test.test)"]
            if let measurements = test.measurements, !measurements.isEmpty {
                lines += ["", "| figure | value | unit | seeds | min | max |", "|---|---:|---|---:|---:|---:|"]
                for figure in measurements {
                    lines.append("| \(figure.name) | \(MeasurementSummary.format(figure.mean)) | \(figure.unit) | \(figure.seeds) | "
                                 + "\(MeasurementSummary.format(figure.minimum)) | \(MeasurementSummary.format(figure.maximum)) |")
                }
            }
            for file in test.artifactFiles ?? [] {
                let name = (file as NSString).lastPathComponent
                let isImage = name.hasSuffix(".svg") || name.hasSuffix(".png")
                lines += ["", isImage ? "![\(name)](\(file))" : "- [\(name)](\(file))"]
            }
        }
        return lines
    }

    /// `files` made relative to the folder of the report file `report`, where they lie inside it.
    public static func relativeArtifactPaths(_ files: [String: [String]], to report: String) -> [String: [String]] {
        let folder = URL(fileURLWithPath: report).deletingLastPathComponent().standardizedFileURL.path
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return files.mapValues { paths in
            paths.map { path in
                let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
                return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
            }
        }
    }

    private static func escapeMarkdown(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// One `<testcase>` per test (not per seed: 100,000 seeds would swamp a CI page), its
    /// failing seeds listed in the failure's text with their replay commands.
    private static func junit(_ report: RunReport) -> String {
        var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let seconds = String(format: "%.3f", Double(report.totals.durationMilliseconds) / 1000)
        let failedTests = report.tests.filter { $0.failed > 0 }.count
        xml.append("<testsuites name=\"dst-host\" tests=\"\(report.tests.count)\" failures=\"\(failedTests)\" errors=\"0\" time=\"\(seconds)\">")
        let suites = Dictionary(grouping: report.tests, by: { $0.test.split(separator: "/").first.map(String.init) ?? $0.test })
        // Suites in sorted order: never let dictionary order decide a report's bytes.
        for suite in suites.keys.sorted() {
            let tests = suites[suite] ?? []
            let failures = tests.filter { $0.failed > 0 }.count
            let time = String(format: "%.3f", Double(tests.reduce(0) { $0 + $1.durationMilliseconds }) / 1000)
            xml.append("  <testsuite name=\"\(escapeXML(suite))\" tests=\"\(tests.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(time)\">")
            for test in tests {
                let name = test.test.split(separator: "/").dropFirst().joined(separator: "/")
                let testTime = String(format: "%.3f", Double(test.durationMilliseconds) / 1000)
                let open = "    <testcase classname=\"\(escapeXML(suite))\" name=\"\(escapeXML(name.isEmpty ? test.test : name))\" time=\"\(testTime)\""
                if test.failures.isEmpty {
                    xml.append(open + "/>")
                    continue
                }
                xml.append(open + ">")
                let message = "\(test.failed) of \(test.seeds.count) seeds failed; first: seed \(test.failures[0].seed)"
                var details: [String] = []
                for failure in test.failures {
                    details.append("seed \(failure.seed) (\(failure.outcome)): " + failure.messages.joined(separator: "; "))
                    details.append("  replay: \(failure.replay)")
                }
                xml.append("      <failure message=\"\(escapeXML(message))\" type=\"dst-host\">\(escapeXML(details.joined(separator: "\n")))</failure>")
                xml.append("    </testcase>")
            }
            xml.append("  </testsuite>")
        }
        xml.append("</testsuites>")
        return xml.joined(separator: "\n") + "\n"
    }

    /// XML 1.0 text: the five entities, and control characters (invalid in XML 1.0) as '?'.
    static func escapeXML(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n", "\t", "\r": result.unicodeScalars.append(scalar)
            default: result.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "?" : scalar)
            }
        }
        return result
    }
}
