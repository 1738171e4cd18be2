import ArgumentParser
import Foundation

/// `--param key=value` (repeatable): what every command that runs tests accepts and passes
/// on to its workers.
struct ParameterOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp("A run parameter for the plugins (repeatable).", valueName: "key=value"))
    var raw: [String] = []

    func validate() throws { _ = try values() }

    /// The parameters by key (a later `--param` of the same key wins).
    func values() throws -> [String: String] {
        var result: [String: String] = [:]
        for parameter in raw {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw ValidationError("--param takes key=value, not '\(parameter)'")
            }
            result[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        return result
    }
}

/// Runs `body` with a private folder for the runs' database files, removed afterwards.
func withScratchFolder<Result>(_ name: String = "dst-host", _ body: (URL) throws -> Result) rethrows -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}
