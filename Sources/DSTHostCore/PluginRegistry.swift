import Glibc

/// Every plugin a run can use, loaded from the discovery order, one per suite name.
public struct PluginRegistry: Sendable {
    public private(set) var plugins: [LoadedPlugin] = []
    /// Files that could not be loaded; any of them makes the command fail with status 2.
    public private(set) var errors: [PluginLoadError] = []
    /// Suites skipped because an earlier source already provided the same name.
    public private(set) var shadowed: [String] = []

    public init(candidates: [(path: String, explicit: Bool)]) {
        for candidate in candidates {
            do {
                let plugin = try PluginLoader.load(candidate.path)
                if let first = plugins.first(where: { $0.name == plugin.name }) {
                    // The same file reached twice (e.g. through .build/release, a symlink) is
                    // no conflict.
                    if Self.realPath(first.path) != Self.realPath(plugin.path) {
                        shadowed.append("\(plugin.path): suite '\(plugin.name)' already loaded from \(first.path)")
                    }
                    continue
                }
                plugins.append(plugin)
            } catch {
                if error.isMissingEntry && !candidate.explicit { continue }
                errors.append(error)
            }
        }
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Every test of every plugin, in load order.
    public var tests: [LoadedTest] { plugins.flatMap(\.tests) }

    /// The test called `suite/name` (or just `name` when only one suite has it).
    public func test(named qualifiedName: String) -> LoadedTest? {
        if let exact = tests.first(where: { $0.qualifiedName == qualifiedName }) { return exact }
        let matches = tests.filter { $0.name == qualifiedName }
        return matches.count == 1 ? matches[0] : nil
    }
}
