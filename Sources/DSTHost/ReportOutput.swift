import ArgumentParser
import DSTHostCore
import Foundation

/// Writing a report, and showing one on the console: what `run`, `merge` and `cloud run` share.
enum ReportOutput {
    /// Renders `report` as `format` into `output`, or onto standard output without one.
    /// A file that cannot be written is a usage error (exit 2).
    static func write(_ report: RunReport, format: ReportFormat, to output: String?) throws {
        let text = format.render(report)
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            Console.error("dst-host: cannot write the report to \(output): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }

    /// The console lines of a finished (merged) report: one per test, its first failing seeds
    /// with their replay commands, the totals and the figures, as `dst-host run` prints them.
    static func consoleLines(_ report: RunReport) -> [String] {
        var lines: [String] = []
        for test in report.tests {
            let count = test.seeds.count
            if test.failures.isEmpty && test.skipped > 0 {
                lines.append("\(Console.yellow("-")) \(test.test)  \(count - test.skipped)/\(count) seeds passed, \(test.skipped) skipped")
            } else if test.failures.isEmpty {
                lines.append("\(Console.green("✓")) \(test.test)  \(count)/\(count) seeds")
            } else {
                lines.append("\(Console.red("✗")) \(test.test)  \(count - test.failed)/\(count) seeds passed")
                for failure in test.failures.prefix(5) {
                    lines.append("  \(Console.red("FAIL")) [seed=\(failure.seed)] \(test.test) (\(failure.outcome))")
                    lines += failure.messages.prefix(5).map { "      \($0)" }
                    lines.append("      replay: \(failure.replay)")
                }
                if test.failures.count > 5 { lines.append("    ... and \(test.failures.count - 5) more failing seeds") }
            }
            for figure in test.measurements ?? [] { lines.append("    \(figure.text)") }
        }
        if let compatibility = report.compatibility { lines += compatibility.consoleLines }
        let totals = report.totals
        lines.append("\(totals.passed) passed, \(totals.failed) failed" + (totals.skipped > 0 ? ", \(totals.skipped) skipped" : ""))
        if let figures = totals.figures { lines.append(figures.summary) }
        return lines
    }
}

/// Reads and merges shard reports for `merge` and `cloud run`; a report that cannot be read
/// or merged is one line on standard error and exit status 2.
func mergeReports(_ files: [String]) throws -> RunReport {
    do {
        let sources = try files.map { file throws(ReportMergeError) in (file: file, report: try ReportMerger.load(file: file)) }
        return try ReportMerger.merge(sources)
    } catch {
        Console.error("dst-host: \(error)")
        throw ExitCode(2)
    }
}
