import ArgumentParser
import DSTHostCore

/// `dst-host bundles`: the spec's bundles and what each runs, and which invariants and faults
/// the installed suites check.
struct BundlesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundles", abstract: "List the spec's bundles (dst-host --bundle NAME) and the invariants the installed suites check.")

    @OptionGroup var plugins: PluginOptions

    @OptionGroup var spec: SpecOptions

    func run() throws {
        let spec = try self.spec.load()
        let registry = try plugins.registry()
        for bundle in spec.bundles {
            Console.line("\(bundle.name)  \(Console.dim(bundle.description))")
            // Planned against the installed suites, so the seed counts are what would run.
            var pluginOptions = plugins
            do {
                pluginOptions.paths += try BundlePlanner.pluginPaths(of: bundle, in: spec)
                let bundleRegistry = pluginOptions.paths == plugins.paths ? registry : try pluginOptions.registry(quiet: true)
                let plan = try BundlePlanner(spec: spec, registry: bundleRegistry).parts(of: bundle)
                for part in plan.parts { Console.line("    \(part.label): \(part.tests.count) tests, \(part.seedCount) seeds") }
                for note in plan.notes { Console.line(Console.dim("    \(note)")) }
            } catch let error as SpecError {
                Console.line("    \(Console.red("cannot run:")) \(error)")
            }
        }
        let installed = Set(registry.tests.map(\.qualifiedName))
        func coverage(_ checkedBy: [String]) -> String {
            let present = checkedBy.filter(installed.contains)
            let missing = checkedBy.filter { !installed.contains($0) }
            return present.joined(separator: ", ") + (missing.isEmpty ? "" : Console.dim("  (not installed: \(missing.joined(separator: ", ")))"))
        }
        Console.line("")
        Console.line("invariants (\(spec.path)):")
        for invariant in spec.invariants {
            let checked = invariant.checkedBy.contains(where: installed.contains)
            Console.line("  \(checked ? Console.green("✓") : Console.red("✗")) \(invariant.name): \(coverage(invariant.checkedBy))")
        }
        Console.line("faults:")
        for fault in spec.faults {
            let checked = fault.checkedBy.contains(where: installed.contains)
            Console.line("  \(checked ? Console.green("✓") : Console.red("✗")) \(fault.name): \(coverage(fault.checkedBy))")
        }
    }
}
