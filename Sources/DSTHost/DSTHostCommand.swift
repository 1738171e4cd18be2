import ArgumentParser
import DSTHostCore
import Foundation

/// `dst-host`: loads suite plugins and runs their tests seed by seed.
@main
struct DSTHostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dst-host",
        abstract: "Deterministic simulation testing for Redlite: load suite plugins, run their tests seed by seed.",
        discussion: """
            Exit status: 0 every seed passed, 1 some failed, 2 a usage or plugin-loading error.
            Plugins come from --plugin, from DST_PLUGIN_PATH (folders or files, ':'-separated),
            and from the folder of the dst-host executable.
            """,
        subcommands: [RunCommand.self, FullCommand.self, BundlesCommand.self, PluginsCommand.self, ReplayCommand.self, SeedsCommand.self,
                      MergeCommand.self, CloudCommand.self, ExecCommand.self, WorkerCommand.self, ProbeCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Maps errors onto the documented exit statuses: usage errors are 2, not
    /// ArgumentParser's 64, so scripts see one code for "you called me wrong".
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options every command that loads plugins shares.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("A plugin shared object to load (repeatable).", valueName: "path"))
    var paths: [String] = []

    /// Loads every plugin; prints each load error as one line and exits 2 if there were any.
    /// `quiet` (workers) leaves the notes about shadowed suites to the parent.
    func registry(quiet: Bool = false) throws -> PluginRegistry {
        // The running binary itself (/proc/self/exe), not argv[0]: found on PATH, as in a
        // container image, argv[0] is a bare name that says nothing of its folder.
        let executable = URL(fileURLWithPath: Executor.executablePath).resolvingSymlinksInPath()
        let candidates = PluginDiscovery.candidates(
            explicit: paths, environment: ProcessInfo.processInfo.environment,
            executableFolder: executable.deletingLastPathComponent().path)
        // Workers are children already; the parent first loads every candidate in a probe
        // process, so a plugin that crashes while loading is reported, not fatal.
        if !quiet, let crash = PluginProbe.firstCrash(candidates.map(\.path)) {
            Console.error("dst-host: cannot load plugin \(crash)")
            throw ExitCode(2)
        }
        let registry = PluginRegistry(candidates: candidates)
        if !quiet { for note in registry.shadowed { Console.note("dst-host: skipped \(note)") } }
        if !registry.errors.isEmpty {
            for error in registry.errors { Console.error("dst-host: cannot load plugin \(error)") }
            throw ExitCode(2)
        }
        return registry
    }
}
