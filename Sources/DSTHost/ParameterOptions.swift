import ArgumentParser
import Foundation

/// `--param key=value` (repeatable): what every command that runs tests accepts and passes
/// on to its workers.
struct ParameterOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp("A run parameter for the plugins (repeatable).", valueName: "key=value"))
    var given: [String] = []

    @Option(help: "Operations per seed (the parameter ops=N).")
    var ops: Int?

    @Option(help: "Size of the key space (the parameter keys=N).")
    var keys: Int?

    @Option(help: "Faults to inject, comma-separated (chaos: selects its fault tests; the parameter faults=...).")
    var faults: String?

    @Option(help: "Concurrent connections for load tests (the parameter connections=N).")
    var connections: Int?

    @Option(help: ArgumentHelp("Seconds between samples of a timed test, e.g. soak (the parameter interval=N).", valueName: "seconds"))
    var interval: Double?

    func validate() throws {
        if let ops, ops < 1 { throw ValidationError("--ops must be at least 1") }
        if let keys, keys < 1 { throw ValidationError("--keys must be at least 1") }
        if let faults, faultNames(faults).isEmpty { throw ValidationError("--faults needs at least one fault name") }
        if let connections, connections < 1 { throw ValidationError("--connections must be at least 1") }
        if let interval, !(interval > 0) { throw ValidationError("--interval must be a positive number of seconds") }
        _ = try values()
    }

    /// Every parameter as `key=value` words: the shorthands first, so a `--param` of the
    /// same key wins. Workers and replay commands get these.
    var raw: [String] {
        var words: [String] = []
        if let ops { words.append("ops=\(ops)") }
        if let keys { words.append("keys=\(keys)") }
        if let faults { words.append("faults=\(faultNames(faults).joined(separator: ","))") }
        if let connections { words.append("connections=\(connections)") }
        if let interval { words.append("interval=\(Self.seconds(interval))") }
        return words + given
    }

    /// Whole seconds without a fraction ("5", not "5.0"), so integer parameters parse.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The fault names `--faults` lists, or nil when it was not given.
    var faultList: [String]? { faults.map(faultNames) }

    private func faultNames(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The parameters by key (a later `--param` of the same key wins).
    func values() throws -> [String: String] {
        try Self.values(of: raw)
    }

    /// `key=value` words by key (a later word of the same key wins).
    static func values(of words: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for parameter in words {
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
