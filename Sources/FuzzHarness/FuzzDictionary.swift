import Foundation
import Fuzz

/// libFuzzer dictionaries (`-dict=FILE`): words libFuzzer inserts whole where byte mutations
/// would take long to spell them. Made of the seeded fuzzer's own word lists (`ArgvGenerator`)
/// and the engine's command table, so the two fuzzers aim at the same limits.
///
/// - `resp_parser`: RESP's framing (`\r\n`, `*`, `$`, null and empty headers), quoting, the
///   numbers (lengths and counts at and past every limit) and the option words. Not the ~150
///   command names: the corpus spells them already, and so many words dilute the others (the
///   planted defect took several times longer to find with them);
/// - `command_handler`: numbers, option and subcommand words, each written as one
///   ``ArgvStream`` argument (its length byte first), so that inserted at an argument's start
///   it is that whole argument.
public enum FuzzDictionary {
    /// The words for `target`.
    public static func words(for target: FuzzTarget) -> [[UInt8]] {
        let values = (ArgvGenerator.numbers + ArgvGenerator.options + ArgvGenerator.subcommands).map { Array($0.utf8) }
        var words: [[UInt8]]
        switch target {
        case .respParser:
            let framing = ["\r\n", "*", "$", "*-1\r\n", "$-1\r\n", "*0\r\n", "$0\r\n\r\n", "\"", "'", "\\x", " "]
            words = framing.map { Array($0.utf8) } + values
        case .commandHandler:
            words = values.filter { $0.count < 0xFF }.map { [UInt8($0.count)] + $0 }
        }
        var seen = Set<[UInt8]>()
        return words.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The words in libFuzzer's dictionary format: one quoted word a line, bytes outside
    /// printable ASCII (and `"`, `\`) as `\xNN`.
    public static func text(_ words: [[UInt8]]) -> String {
        words.map { word in
            "\"" + word.map { byte in
                (0x20..<0x7F).contains(byte) && byte != 0x22 && byte != 0x5C
                    ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
            }.joined() + "\""
        }.joined(separator: "\n") + "\n"
    }

    /// Writes the dictionary of `target` to `file`; returns how many words it holds.
    @discardableResult
    public static func write(_ target: FuzzTarget, to file: URL) throws -> Int {
        let words = words(for: target)
        try Data(text(words).utf8).write(to: file)
        return words.count
    }
}
