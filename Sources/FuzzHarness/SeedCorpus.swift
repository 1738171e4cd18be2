import Foundation
import Fuzz

/// The inputs libFuzzer starts from: the seeded Fuzz suite's request corpus (`RequestCorpus`,
/// 52 entries: 13 families, each as multibulk, inline, mixed and its first command alone).
///
/// For `resp_parser` the entries' bytes as they are. For `command_handler` the same commands
/// in ``ArgvStream`` form: the three wire forms of a family are one argv list, so that is 26
/// entries (each family's pipeline, and its first command alone).
public enum SeedCorpus {
    /// One file of the corpus.
    public struct File: Sendable {
        /// A file name: the entry's name with `/` as `-` (`strings-multibulk`).
        public let name: String
        /// The input.
        public let bytes: [UInt8]
    }

    /// The corpus of `target`.
    public static func files(for target: FuzzTarget, stream: ArgvStream? = nil) throws -> [File] {
        switch target {
        case .respParser:
            return RequestCorpus.entries.map { File(name: fileName($0.name), bytes: $0.bytes) }
        case .commandHandler:
            let stream = try stream ?? CommandHandlerHarness().stream
            return try RequestCorpus.entries
                .filter { $0.name.hasSuffix("/multibulk") || $0.name.hasSuffix("/single") }
                .map { File(name: fileName($0.name), bytes: try stream.encode($0.commands)) }
        }
    }

    /// Writes the corpus of `target` into `directory` (made if missing); returns how many
    /// files it wrote. Files already there stay: a corpus libFuzzer grew is kept.
    @discardableResult
    public static func write(_ target: FuzzTarget, to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = try files(for: target)
        for file in files {
            try Data(file.bytes).write(to: directory.appendingPathComponent(file.name))
        }
        return files.count
    }

    private static func fileName(_ entryName: String) -> String {
        entryName.replacingOccurrences(of: "/", with: "-")
    }
}
