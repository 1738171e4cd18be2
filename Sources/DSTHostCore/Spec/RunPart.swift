/// One set of tests run together with one set of parameters: a whole command-line run, or one
/// run of a bundle. A bundle's parts run one after another and are reported as one run.
public struct RunPart: Sendable {
    /// What the part is, for the console: `properties (200 seeds)`, `seed bank`, ...
    public var label: String
    public var tests: [LoadedTest]
    /// Each test's seeds, by qualified name, in the order they run.
    public var seeds: [String: [UInt64]]
    /// `key=value` words passed as `--param` to the part's workers.
    public var parameterWords: [String]

    public init(label: String, tests: [LoadedTest], seeds: [String: [UInt64]], parameterWords: [String]) {
        self.label = label
        self.tests = tests
        self.seeds = seeds
        self.parameterWords = parameterWords
    }

    /// (test, seed) pairs in run order.
    public var seedCount: Int { tests.reduce(0) { $0 + (seeds[$1.qualifiedName]?.count ?? 0) } }
}
