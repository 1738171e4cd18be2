import Foundation

/// The regression seed bank: seeds that once found a bug, kept so the bug stays fixed. One
/// entry a line, `SEED TEST DESCRIPTION`, `#` starts a comment (upstream's format). TEST is
/// `suite/test`, a test name, or a whole suite.
public struct SeedBank: Sendable {
    public struct Entry: Equatable, Sendable {
        public let seed: UInt64
        public let test: String
        public let description: String
        /// 1-based line in the file.
        public let line: Int

        public init(seed: UInt64, test: String, description: String, line: Int = 0) {
            self.seed = seed
            self.test = test
            self.description = description
            self.line = line
        }

        /// The entry as a line of the file.
        public var formatted: String { "\(seed) \(test) \(description)" }
    }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let line: Int
        public let reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    public let path: String
    public let entries: [Entry]

    /// Where a checkout keeps its bank, relative to its root.
    public static let defaultPath = "tests/regression_seeds.txt"

    /// Header written to a new bank file.
    public static let header = """
        # Regression seeds for dst-host: seeds that found a bug, run by `dst-host seeds test`.
        # Format: SEED TEST DESCRIPTION   (TEST is suite/test, a test name, or a suite)
        # Add one: dst-host seeds add --seed 42 --test smoke/incr_decr --description "what it caught"

        """

    /// Reads `path`; a missing file is an empty bank.
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            entries = []
            return
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        entries = try Self.parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(ParseError) -> [Entry] {
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard let seed = fields.first.flatMap({ UInt64($0) }) else {
                throw ParseError(path: path, line: index + 1, reason: "'\(fields.first ?? "")' is not a seed (a number from 0 to \(UInt64.max))")
            }
            guard fields.count >= 2 else { throw ParseError(path: path, line: index + 1, reason: "seed \(seed) names no test") }
            entries.append(Entry(seed: seed, test: String(fields[1]),
                                 description: fields.count > 2 ? String(fields[2]) : "", line: index + 1))
        }
        return entries
    }

    /// Appends an entry, creating the file (and its folder) with a header if needed.
    public static func append(_ entry: Entry, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var text = FileManager.default.fileExists(atPath: path) ? try String(contentsOfFile: path, encoding: .utf8) : header
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += entry.formatted + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
