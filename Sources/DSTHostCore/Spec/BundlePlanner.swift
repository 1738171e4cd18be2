import Foundation

/// Turns a bundle of the spec into the parts a run executes, against the installed suites: each
/// run's selection becomes tests, its seed count seeds, its faults and params parameters. What
/// cannot be resolved (a suite that is not installed, a fault no test injects, a plugin file
/// that is missing) is a ``SpecError`` naming the spec's line.
public struct BundlePlanner {
    public let spec: DSTSpec
    public let registry: PluginRegistry

    public init(spec: DSTSpec, registry: PluginRegistry) {
        self.spec = spec
        self.registry = registry
    }

    /// The plugin files a bundle names (`- plugin: path`), which must be loaded before planning;
    /// a file that does not exist is an error on its line.
    public static func pluginPaths(of bundle: DSTSpec.Bundle, in spec: DSTSpec) throws(SpecError) -> [String] {
        var paths: [String] = []
        for run in bundle.runs {
            let resolved = spec.scenario(for: run)?.run ?? run
            guard case .plugin(let path) = resolved.selection else { continue }
            guard FileManager.default.fileExists(atPath: path) else {
                throw SpecError(path: spec.path, line: run.line, message: "no plugin file at '\(path)'")
            }
            paths.append(path)
        }
        return paths
    }

    /// The bundle's parts, in the spec's order. A tag no installed test carries gives no part
    /// (that is how an optional third-party suite is named); it is listed in `notes`.
    public func parts(of bundle: DSTSpec.Bundle) throws(SpecError) -> (parts: [RunPart], notes: [String]) {
        var parts: [RunPart] = []
        var notes: [String] = []
        for run in bundle.runs {
            var resolved = run
            var label = ""
            if case .scenario(let name) = run.selection {
                guard let scenario = spec.scenario(named: name) else {
                    throw fail(run, "no scenario named '\(name)' (known: \(spec.scenarios.map(\.name).joined(separator: ", ")))")
                }
                if case .scenario = scenario.run.selection { throw fail(run, "scenario '\(name)' names another scenario") }
                resolved = scenario.run
                resolved.line = run.line
                label = "scenario \(name): "
            }
            let part = try self.part(resolved, label: label)
            if part.tests.isEmpty {
                notes.append("\(spec.path):\(run.line): \(part.label): no installed test, nothing to run")
            } else {
                parts.append(part)
            }
        }
        return (parts, notes)
    }

    private func part(_ run: DSTSpec.Run, label prefix: String) throws(SpecError) -> RunPart {
        // Sweeps run only on request (--sweep), as on the command line.
        let runnable = registry.tests.filter { !$0.tags.contains("sweep") }
        var tests: [LoadedTest]
        var label: String
        var bankSeeds: [String: [UInt64]]?
        switch run.selection {
        case .suite(let name):
            tests = runnable.filter { $0.suite == name }
            guard !tests.isEmpty else {
                let installed = registry.plugins.map(\.name).joined(separator: ", ")
                throw fail(run, "no suite named '\(name)' is installed (installed: \(installed.isEmpty ? "none" : installed))")
            }
            label = name
        case .test(let name):
            guard let test = registry.test(named: name) else { throw fail(run, "no test named '\(name)' (see `dst-host plugins`)") }
            tests = [test]
            label = test.qualifiedName
        case .tag(let tag):
            tests = runnable.filter { $0.tags.contains(tag) }
            label = "tag \(tag)"
        case .plugin(let path):
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let suites = registry.plugins.filter { URL(fileURLWithPath: $0.path).resolvingSymlinksInPath().path == real }
            guard !suites.isEmpty else { throw fail(run, "the plugin '\(path)' was not loaded") }
            tests = suites.flatMap(\.tests).filter { !$0.tags.contains("sweep") }
            label = suites.map(\.name).joined(separator: ", ")
        case .seedBank(let path):
            // Paths in the spec are relative to the working directory, as on the command line.
            guard FileManager.default.fileExists(atPath: path) else {
                throw fail(run, "no seed bank at '\(path)' (paths in the spec are relative to the working directory: run from the checkout's root)")
            }
            let bank: SeedBank
            do {
                bank = try SeedBank(path: path)
            } catch {
                throw fail(run, "cannot read the seed bank: \(error)")
            }
            var seeds: [String: [UInt64]] = [:]
            tests = []
            for entry in bank.entries {
                let matched = registry.tests(matching: entry.test)
                guard !matched.isEmpty else {
                    throw fail(run, "\(path):\(entry.line): no test or suite named '\(entry.test)'")
                }
                for test in matched {
                    if seeds[test.qualifiedName] == nil { tests.append(test) }
                    if !(seeds[test.qualifiedName]?.contains(entry.seed) ?? false) { seeds[test.qualifiedName, default: []].append(entry.seed) }
                }
            }
            bankSeeds = seeds
            label = "seed bank"
        case .scenario:
            throw fail(run, "a scenario cannot be resolved here")
        }
        var words: [String] = []
        if let faults = run.faults {
            let faultTests = tests.filter { $0.tags.contains("fault") }
            if let unknown = faults.first(where: { name in !faultTests.contains { $0.name == name } }) {
                throw fail(run, "no test injects the fault '\(unknown)' (known: \(faultTests.map(\.name).joined(separator: ", ")))")
            }
            tests = tests.filter { !$0.tags.contains("fault") || faults.contains($0.name) }
            words.append("faults=\(faults.joined(separator: ","))")
            label += " [\(faults.joined(separator: ", "))]"
        }
        words += run.parameters.map { "\($0.key)=\($0.value)" }
        var seeds = bankSeeds ?? [:]
        if bankSeeds == nil {
            for test in tests { seeds[test.qualifiedName] = (0..<UInt64(run.seeds ?? Int(test.defaultSeeds))).map { $0 } }
        }
        if let count = run.seeds { label += " (\(count) seeds)" }
        return RunPart(label: prefix + label, tests: tests, seeds: seeds, parameterWords: words)
    }

    private func fail(_ run: DSTSpec.Run, _ message: String) -> SpecError {
        SpecError(path: spec.path, line: run.line, message: message)
    }
}

extension DSTSpec {
    /// The scenario a run names, if it names one.
    func scenario(for run: Run) -> Scenario? {
        guard case .scenario(let name) = run.selection else { return nil }
        return scenario(named: name)
    }
}

extension PluginRegistry {
    /// The tests a seed bank entry or a bundle names: `suite/test`, a unique test name, or a
    /// whole suite.
    public func tests(matching name: String) -> [LoadedTest] {
        if let test = test(named: name) { return [test] }
        return tests.filter { $0.suite == name }
    }
}
