import ArgumentParser
import DSTHostCore

/// `--spec PATH`: the spec file bundles come from (commands that read it share this).
struct SpecOptions: ParsableArguments {
    @Option(name: .customLong("spec"), help: ArgumentHelp("The spec file bundles come from.", valueName: "path"))
    var path: String = SpecLoader.defaultPath

    /// The spec, or its problem as one line (with the line it is on) and exit status 2.
    func load() throws -> DSTSpec {
        do {
            return try SpecLoader.load(path: path)
        } catch {
            Console.error("dst-host: \(error)")
            throw ExitCode(2)
        }
    }
}
