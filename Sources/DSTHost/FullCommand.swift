import ArgumentParser
import DSTHostCore

/// `dst-host full [--quick]`: every installed suite, each at its default depth (or a reduced
/// one), one after another, in one report.
struct FullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "full",
        abstract: "Run every installed suite at its default depth (--quick: a reduced depth), reported together.",
        discussion: """
            --quick runs each test on at most \(FullCommand.quickSeeds) seeds, load tests for short windows \
            (\(FullCommand.quickLoadParameters.joined(separator: " "))), and finishes in a few minutes.
            --seeds N runs every test on N seeds instead. Sweeps run only with --sweep, as elsewhere.
            """)

    @Flag(help: "A reduced depth that finishes in a few minutes.")
    var quick = false

    @OptionGroup var options: RunCommand

    /// Seeds per test with --quick (fewer when a test's default is smaller).
    static let quickSeeds = 3
    /// Parameters of load tests (tagged measurement) with --quick: Stress's window, Soak's
    /// duration and sampling interval.
    static let quickLoadParameters = ["seconds=0.5", "duration=30", "interval=2"]

    func validate() throws {
        if !options.suites.isEmpty || options.bundle != nil || options.seed != nil || options.filter != nil || options.tags != nil
            || options.duration != nil || options.targets.testName != nil {
            throw ValidationError("full runs every installed suite: leave out suite names, --bundle, --seed, --filter, --tags, --duration and --target NAME")
        }
    }

    func run() throws {
        let registry = try options.plugins.registry()
        var parts: [RunPart] = []
        for plugin in registry.plugins {
            let tests = plugin.tests.filter { $0.tags.contains("sweep") == options.sweep }
            guard !tests.isEmpty else { continue }
            var seeds: [String: [UInt64]] = [:]
            for test in tests {
                let depth = options.seeds.map(Int.init) ?? (quick ? min(Int(test.defaultSeeds), Self.quickSeeds) : Int(test.defaultSeeds))
                seeds[test.qualifiedName] = (0..<UInt64(depth)).map { options.seedStart &+ $0 }
            }
            let loads = quick && tests.contains { $0.tags.contains("measurement") }
            parts.append(RunPart(label: plugin.name, tests: tests, seeds: seeds,
                                 parameterWords: loads ? Self.quickLoadParameters : []))
        }
        guard !parts.isEmpty else {
            Console.error("dst-host: no suite is installed (see `dst-host plugins`)")
            throw ExitCode(2)
        }
        try options.runParts(parts, registry: registry, plugins: options.plugins) {
            "full\(quick ? " --quick" : ""): \(parts.map(\.label).joined(separator: "; ")); \($0) seeds"
        }
    }
}
