import ArgumentParser
import DSTHostCore

/// `--target`: a test by its exact name (`--target resp_parser`), or a server to run the suites
/// against instead of the embedded engine (`--target resp://127.0.0.1:6380`); both may be given.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("target"),
            help: ArgumentHelp("Only the suite's test of this exact name (e.g. resp_parser), or a server to test instead of the embedded engine, as resp://host:port (its data is erased before every seed; seeds run one at a time). Repeatable.",
                               valueName: "test|resp://host:port"))
    var values: [String] = []

    func validate() throws {
        let servers = values.filter(RESPTarget.namesServer)
        if servers.count > 1 { throw ValidationError("--target names one server at most, not \(servers.joined(separator: " and "))") }
        if let server = servers.first, case .failure(let problem) = RESPTarget.parse(server) {
            throw ValidationError("--target: \(problem)")
        }
        if values.filter({ !RESPTarget.namesServer($0) }).count > 1 {
            throw ValidationError("--target names one test at most (use --filter for several)")
        }
    }

    /// The test named, if any.
    var testName: String? { values.first { !RESPTarget.namesServer($0) } }

    /// The server named, if any (validated).
    var server: RESPTarget? { values.first(where: RESPTarget.namesServer).flatMap { try? RESPTarget.parse($0).get() } }

    /// The server, checked to answer PING; says on the console what it is. A server that
    /// cannot be reached is a usage error (exit 2), reported before anything runs.
    func reachableServer() throws -> RESPTarget? {
        guard let server else { return nil }
        switch server.probe() {
        case .success(let identity):
            Console.error(Console.dim("dst-host: target \(server) (\(identity)): emptied (FLUSHALL) before every seed; seeds run one at a time"))
            return server
        case .failure(let problem):
            Console.error("dst-host: \(problem)")
            throw ExitCode(2)
        }
    }

    /// The words that reproduce these options.
    var words: [String] { values.flatMap { ["--target", $0] } }
}
