/// The project's specification (`spec/dst-spec.yaml`): the invariants that must always hold,
/// the faults the suites inject, named scenarios, and the bundles of runs each CI stage runs.
///
/// Parsed by ``SpecLoader``, which refuses unknown keys and bad values with the line they are
/// on. Every element keeps its line, so later checks (a suite that is not installed, a plugin
/// file that is missing) can point at it too.
public struct DSTSpec: Sendable {
    /// Where the spec was read from, for messages.
    public var path: String
    public var invariants: [Invariant]
    public var faults: [Fault]
    public var scenarios: [Scenario]
    /// In the order the file gives them.
    public var bundles: [Bundle]

    /// A property that must hold whatever the faults and the timing, and the tests that check it.
    public struct Invariant: Sendable {
        public var name: String
        public var description: String
        public var category: String?
        /// `suite/test` names.
        public var checkedBy: [String]
        public var line: Int
    }

    /// A fault the suites can inject, and the tests that inject it.
    public struct Fault: Sendable {
        public var name: String
        public var description: String
        public var severity: String?
        public var recovery: String?
        public var checkedBy: [String]
        public var line: Int
    }

    /// A named run that bundles can reuse (`- scenario: occasional_faults`).
    public struct Scenario: Sendable {
        public var name: String
        public var description: String
        public var run: Run
        public var line: Int
    }

    /// What one CI stage runs: a list of runs, reported together.
    public struct Bundle: Sendable {
        public var name: String
        public var description: String
        public var runs: [Run]
        public var line: Int
    }

    /// One run of a bundle or scenario: which tests (a suite, a test, a tag, the suites of a
    /// plugin file, or the seed bank), how many seeds, and what parameters.
    public struct Run: Sendable {
        public enum Selection: Sendable, Equatable {
            case suite(String)
            /// `suite/test`, or a test name unique among the installed suites.
            case test(String)
            /// Every installed test carrying the tag: how a third-party suite joins a bundle
            /// without the spec naming it.
            case tag(String)
            /// The suites of a plugin file (a path relative to the working directory).
            case plugin(String)
            /// Every banked seed (`tests/regression_seeds.txt`, or the given file).
            case seedBank(String)
            /// A scenario of the spec, by name.
            case scenario(String)
        }

        public var selection: Selection
        /// Seeds per test; nil: each test's default.
        public var seeds: Int?
        /// `--param faults=` for the run (fault tests are selected by it).
        public var faults: [String]?
        /// `--param key=value` pairs, in the file's order.
        public var parameters: [(key: String, value: String)]
        public var line: Int
    }

    public func bundle(named name: String) -> Bundle? { bundles.first { $0.name == name } }
    public func scenario(named name: String) -> Scenario? { scenarios.first { $0.name == name } }
}

/// A problem with the spec, as one line: `spec/dst-spec.yaml:14: unknown key 'seedz' ...`.
public struct SpecError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    /// 1-based; 0 when the problem is the whole file.
    public let line: Int
    public let message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
