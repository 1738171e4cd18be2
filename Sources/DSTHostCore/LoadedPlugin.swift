import DSTPluginAPI

/// A plugin whose descriptor passed validation: its suite, its tests, and where it came from.
public struct LoadedPlugin: Sendable {
    public let path: String
    public let name: String
    public let version: String
    public let description: String
    /// The ABI version the plugin was built against.
    public let abiMajor: UInt32
    public let abiMinor: UInt32
    public let tests: [LoadedTest]
}

/// One test of a loaded plugin, with the C entry to run it.
public struct LoadedTest: Sendable {
    public let suite: String
    public let name: String
    public let description: String
    public let tags: [String]
    public let defaultSeeds: UInt32
    /// `suite/name`, how results, filters and replay commands name a test.
    public var qualifiedName: String { "\(suite)/\(name)" }
    /// Typed parameters the test declared (validated against `--param` before a run).
    public let parameters: [ParameterSpec]
    let run: dst_test_run_fn
    nonisolated(unsafe) let user: UnsafeMutableRawPointer?
    /// The libffi call of `run_with_parameters`, when the test has one.
    let typedCall: TypedTestCall?

    /// Why `--param` values do not suit this test's declarations, if they do not.
    public func parameterProblems(_ values: [String: String]) -> [String] {
        parameters.compactMap { spec in
            values[spec.name].flatMap(spec.problem).map { "--param \(spec.name): \($0) (\(qualifiedName) declares it \(spec.kind.name))" }
        }
    }
}
