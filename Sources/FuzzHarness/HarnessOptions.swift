import Foundation

/// The harness's own command-line options, read the same way by the libFuzzer build (from
/// the arguments `LLVMFuzzerInitialize` is given) and by the replayer: libFuzzer ignores
/// arguments that start with `--`, so these never collide with its `-flag=value` ones.
///
/// - `--target=resp_parser|command_handler` (required);
/// - `--write-corpus=DIR`: write the target's seed corpus into DIR and exit;
/// - `--write-dict=FILE`: write the target's libFuzzer dictionary (``FuzzDictionary``) and exit.
///
/// Everything else (libFuzzer's flags, input files and folders) is left in ``rest``.
public struct HarnessOptions: Equatable, Sendable {
    /// `--target=`: never nil once parsed.
    public var target: FuzzTarget?
    /// `--write-corpus=`: the folder to write the seed corpus into.
    public var writeCorpus: String?
    /// `--write-dict=`: the file to write the dictionary to.
    public var writeDictionary: String?
    /// Every other argument, in order.
    public var rest: [String] = []

    /// Why the arguments cannot be used.
    public struct Invalid: Error, CustomStringConvertible {
        /// What is wrong, in one line.
        public let description: String
    }

    /// Parses `arguments` (without the program's name).
    public init(_ arguments: [String]) throws(Invalid) {
        for argument in arguments {
            if let value = Self.value(of: "--target=", in: argument) {
                guard let target = FuzzTarget(rawValue: value) else {
                    throw Invalid(description: "unknown target '\(value)' (one of: \(Self.targetNames))")
                }
                self.target = target
            } else if let value = Self.value(of: "--write-corpus=", in: argument) {
                writeCorpus = value
            } else if let value = Self.value(of: "--write-dict=", in: argument) {
                writeDictionary = value
            } else {
                rest.append(argument)
            }
        }
        guard target != nil else { throw Invalid(description: "--target=NAME is required (one of: \(Self.targetNames))") }
    }

    /// True when the run is only to write files (``writeFiles()``).
    public var onlyWritesFiles: Bool { writeCorpus != nil || writeDictionary != nil }

    /// Writes the corpus and the dictionary asked for; returns a line about each.
    public func writeFiles() throws -> [String] {
        guard let target else { return [] }
        var lines: [String] = []
        if let writeCorpus {
            let count = try SeedCorpus.write(target, to: URL(fileURLWithPath: writeCorpus))
            lines.append("wrote \(count) \(target.rawValue) seed inputs to \(writeCorpus)")
        }
        if let writeDictionary {
            let count = try FuzzDictionary.write(target, to: URL(fileURLWithPath: writeDictionary))
            lines.append("wrote a \(count)-word \(target.rawValue) dictionary to \(writeDictionary)")
        }
        return lines
    }

    static let targetNames = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")

    private static func value(of prefix: String, in argument: String) -> String? {
        argument.hasPrefix(prefix) ? String(argument.dropFirst(prefix.count)) : nil
    }
}
