import ArgumentParser
import DSTHostCore

/// `dst-host plugins`: every suite found, its tests, tags and ABI version.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "List every suite and its tests.")

    @OptionGroup var plugins: PluginOptions

    func run() throws {
        let registry = try plugins.registry()
        if registry.plugins.isEmpty { Console.line("no plugins found") }
        for plugin in registry.plugins {
            Console.line("\(plugin.name) \(plugin.version)  ABI \(plugin.abiMajor).\(plugin.abiMinor)  \(plugin.path)")
            if !plugin.description.isEmpty { Console.line("  \(plugin.description)") }
            let width = plugin.tests.map(\.name.count).max() ?? 0
            for test in plugin.tests {
                let padded = test.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let tags = test.tags.isEmpty ? "" : " [\(test.tags.joined(separator: ", "))]"
                Console.line("  \(padded)  seeds \(test.defaultSeeds)\(tags)  \(test.description)")
                for parameter in test.parameters {
                    Console.line("    --param \(parameter.name)=<\(parameter.kind)> (default \(parameter.defaultValue))  \(parameter.description)")
                }
            }
        }
    }
}
