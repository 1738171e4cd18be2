/// Why shard reports cannot be merged: each case says what is wrong in one line, naming the
/// files involved, so `dst-host merge` can print it as is.
public enum ReportMergeError: Error, Equatable, CustomStringConvertible {
    /// No report was given.
    case noReports
    /// The file could not be read, or does not hold a JSON RunReport.
    case notAReport(file: String, reason: String)
    /// Reports written by different schema versions.
    case schemaMismatch(file: String, version: Int, expected: Int, firstFile: String)
    /// A report from a different run (its command, less `--shard`, differs).
    case commandMismatch(file: String, command: String, expected: String, firstFile: String)
    /// Reports that disagree on N in `--shard K/N`.
    case shardCountMismatch(file: String, count: Int, expected: Int, firstFile: String)
    /// Shards given more than once (with the files holding each), and shards of the run that
    /// no report holds: either list may be empty, not both.
    case incompleteShards(duplicates: [(shard: Int, files: [String])], missing: [Int], count: Int)
    /// One seed of one test in two reports: the shards overlap, so they are not one run's slices.
    case overlappingSeed(test: String, seed: UInt64, files: [String])

    public var description: String {
        switch self {
        case .noReports:
            return "no reports to merge"
        case .notAReport(let file, let reason):
            return "\(file) is not a dst-host JSON report (\(reason))"
        case .schemaMismatch(let file, let version, let expected, let firstFile):
            return "\(file) has schema version \(version), \(firstFile) has \(expected): write both with the same dst-host"
        case .commandMismatch(let file, let command, let expected, let firstFile):
            return "\(file) is from another run: `\(command)`, not `\(expected)` as \(firstFile)"
        case .shardCountMismatch(let file, let count, let expected, let firstFile):
            return "\(file) is one of \(count) shards, \(firstFile) one of \(expected)"
        case .incompleteShards(let duplicates, let missing, let count):
            var parts: [String] = []
            if !duplicates.isEmpty {
                let list = duplicates.map { "\($0.shard)/\(count) in \($0.files.joined(separator: " and "))" }
                parts.append("duplicate shard\(duplicates.count == 1 ? "" : "s") \(list.joined(separator: ", "))")
            }
            if !missing.isEmpty {
                parts.append("missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", "))")
            }
            return parts.joined(separator: "; ") + " (\(count - missing.count) of \(count) shards given)"
        case .overlappingSeed(let test, let seed, let files):
            return "seed \(seed) of \(test) is in both \(files.joined(separator: " and ")): the reports are not disjoint shards"
        }
    }

    public static func == (left: ReportMergeError, right: ReportMergeError) -> Bool {
        left.description == right.description
    }
}
