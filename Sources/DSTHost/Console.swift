import Foundation
import Glibc

/// Terminal output: colour only when standard output is a terminal, plain lines otherwise
/// (CI logs), errors on standard error.
enum Console {
    static let isTerminal = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func line(_ text: String) {
        print(text)
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func note(_ text: String) { error(text) }

    /// Writes to standard error without a newline (for the progress bar).
    static func errorRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func green(_ text: String) -> String { isTerminal ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    static func red(_ text: String) -> String { isTerminal ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    static func yellow(_ text: String) -> String { isTerminal ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    static func dim(_ text: String) -> String { isTerminal ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}

/// A progress bar on standard error, drawn only on a terminal (CI logs get no escape codes and
/// no partial lines) and at most ten times a second.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private var lastDraw = ContinuousClock.now
    private var drawn = false

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1 && total > 1
    }

    func update(_ done: Int) {
        guard enabled, ContinuousClock.now - lastDraw > .milliseconds(100) || done == total else { return }
        lastDraw = ContinuousClock.now
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        Console.errorRaw("\r[\(bar)] \(done)/\(total) seeds")
        drawn = true
    }

    /// Clears the bar so the report starts on a clean line.
    func finish() {
        if drawn { Console.errorRaw("\r\u{1B}[2K") }
    }
}
