import ArgumentParser
import DSTHostCore
import Foundation

/// `dst-host seeds list|add|test`: the regression seed bank.
struct SeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seeds", abstract: "The regression seed bank (tests/regression_seeds.txt).",
        subcommands: [List.self, Add.self, Test.self])

    /// Where the bank lives.
    struct BankOptions: ParsableArguments {
        @Option(help: "The bank file.")
        var bank: String = SeedBank.defaultPath

        func load() throws -> SeedBank {
            do {
                return try SeedBank(path: bank)
            } catch {
                Console.error("dst-host: \(error)")
                throw ExitCode(2)
            }
        }
    }

    /// The tests an entry names: `suite/test`, a test name, or a whole suite.
    static func tests(for entry: SeedBank.Entry, in registry: PluginRegistry) -> [LoadedTest] {
        registry.tests(matching: entry.test)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the bank's seeds.")
        @OptionGroup var bank: BankOptions

        func run() throws {
            let entries = try bank.load().entries
            if entries.isEmpty { Console.line("no seeds in \(bank.bank)") }
            let seedWidth = entries.map { String($0.seed).count }.max() ?? 0
            let testWidth = entries.map(\.test.count).max() ?? 0
            for entry in entries {
                let seed = String(repeating: " ", count: seedWidth - String(entry.seed).count) + String(entry.seed)
                Console.line("\(seed)  \(entry.test.padding(toLength: testWidth, withPad: " ", startingAt: 0))  \(entry.description)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a seed to the bank.")
        @OptionGroup var bank: BankOptions
        @OptionGroup var plugins: PluginOptions
        @Option(help: "The seed.") var seed: UInt64
        @Option(help: "The test: suite/test, a test name, or a suite.") var test: String
        @Option(help: "What the seed caught.") var description: String

        func validate() throws {
            guard !test.contains(" ") else { throw ValidationError("--test cannot contain spaces") }
            guard !description.contains("\n") else { throw ValidationError("--description must be one line") }
        }

        func run() throws {
            let registry = try plugins.registry()
            let entry = SeedBank.Entry(seed: seed, test: test, description: description)
            guard !SeedsCommand.tests(for: entry, in: registry).isEmpty else {
                Console.error("dst-host: no test or suite named '\(test)' (see `dst-host plugins`)")
                throw ExitCode(2)
            }
            let existing = try bank.load().entries
            if existing.contains(where: { $0.seed == seed && $0.test == test }) {
                Console.line("already in \(bank.bank): \(seed) \(test)")
                return
            }
            try SeedBank.append(entry, to: bank.bank)
            Console.line("added to \(bank.bank): \(entry.formatted)")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every seed in the bank; fail if any fails.")
        @OptionGroup var bank: BankOptions
        @OptionGroup var plugins: PluginOptions
        @OptionGroup var reference: ReferenceOptions
        @Option(help: "Worker processes (0: in this process).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
        @Option(help: "Seconds a seed may run.") var timeout: Double?

        func run() throws {
            let registry = try plugins.registry()
            let entries = try bank.load().entries
            var items: [(test: String, seed: UInt64)] = []
            var owners: [SeedBank.Entry] = []
            for entry in entries {
                let tests = SeedsCommand.tests(for: entry, in: registry)
                guard !tests.isEmpty else {
                    Console.error("dst-host: \(bank.bank):\(entry.line): no test or suite named '\(entry.test)'")
                    throw ExitCode(2)
                }
                for test in tests {
                    items.append((test.qualifiedName, entry.seed))
                    owners.append(entry)
                }
            }
            let executor = Executor(jobs: jobs, timeout: timeout, pluginPaths: plugins.paths, parameterArguments: [],
                                    reference: reference)
            let results = try withScratchFolder { try executor.run(items, registry: registry, parameters: [:], scratch: $0) }
            var failed = 0
            for (result, entry) in zip(results, owners) {
                if result.passed {
                    Console.line("\(Console.green("✓")) \(entry.seed) \(result.test)  \(Console.dim(entry.description))")
                } else {
                    failed += 1
                    Console.line("\(Console.red("✗")) \(entry.seed) \(result.test)  \(entry.description) (\(result.outcome.rawValue))")
                    for message in result.failures.prefix(3) { Console.line("      \(message)") }
                    Console.line("      replay: dst-host replay --seed \(entry.seed) --test \(result.test)")
                }
            }
            Console.line("\(results.count - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
