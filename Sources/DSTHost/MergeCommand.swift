import ArgumentParser
import DSTHostCore
import Foundation

/// `dst-host merge report-*.json`: the JSON reports of a run's shards (`--shard K/N`) as the
/// one report of the whole run (see ``ReportMerger`` for what is summed and what recomputed).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the JSON reports of a run's shards (--shard K/N) into the report of the whole run.",
        discussion: """
            The reports must be every shard 1/N ... N/N of one command, each once. Exit status: 0 every seed \
            passed, 1 some failed, 2 the reports do not belong together (or a file is not a report).
            """)

    @Argument(help: ArgumentHelp("The shards' reports (dst-host ... --shard K/N --format json --output FILE).", valueName: "report.json"))
    var reports: [String]

    @Option(help: "The merged report's format: json, markdown or junit.")
    var format: String = ReportFormat.json.rawValue

    @Option(help: "The merged report's file (default: standard output).")
    var output: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give the shards' JSON reports to merge") }
        if ReportFormat(rawValue: format) == nil { throw ValidationError("--format must be json, markdown or junit, not '\(format)'") }
    }

    func run() throws {
        let merged = try mergeReports(reports)
        try ReportOutput.write(merged, format: ReportFormat(rawValue: format) ?? .json, to: output)
        if merged.totals.failed > 0 { throw ExitCode(1) }
    }
}
