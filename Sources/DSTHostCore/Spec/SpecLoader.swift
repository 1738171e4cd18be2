import Foundation
import Yams

/// Reads `spec/dst-spec.yaml` strictly: every key must be known, every value of its type, and
/// any problem is reported with the line it is on, so a typo in a CI stage's bundle fails the
/// stage at once instead of silently running less.
public enum SpecLoader {
    /// The spec a checkout carries, relative to its root.
    public static let defaultPath = "spec/dst-spec.yaml"

    public static func load(path: String) throws(SpecError) -> DSTSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(path: path, line: 0, message: "cannot read the spec file (give another with --spec)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws(SpecError) -> DSTSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SpecError(path: path, line: 0, message: "the spec is empty")
            }
            root = node
        } catch let error as SpecError {
            throw error
        } catch let error as YamlError {
            throw SpecError(path: path, line: Self.line(of: error), message: "not valid YAML: \(Self.summary(of: error))")
        } catch {
            throw SpecError(path: path, line: 0, message: "not valid YAML: \(error)")
        }
        var reader = Reader(path: path)
        return try reader.spec(root)
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 0
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }

    /// Walks the node tree; one method per kind of element.
    private struct Reader {
        let path: String

        func fail(_ node: Node?, _ message: String) -> SpecError {
            SpecError(path: path, line: node?.mark?.line ?? 0, message: message)
        }

        mutating func spec(_ root: Node) throws(SpecError) -> DSTSpec {
            let fields = try mapping(root, "the spec", known: ["version", "invariants", "faults", "scenarios", "bundles"])
            guard let version = fields["version"] else { throw fail(root, "missing 'version: 1'") }
            guard version.node.int == 1 else { throw fail(version.node, "version must be 1, not '\(version.node.string ?? "?")'") }
            var spec = DSTSpec(path: path, invariants: [], faults: [], scenarios: [], bundles: [])
            for item in try sequence(fields["invariants"]?.node, "invariants") {
                let entry = try mapping(item, "an invariant", known: ["name", "description", "category", "checked_by"])
                spec.invariants.append(DSTSpec.Invariant(
                    name: try string(entry, "name", in: item), description: try string(entry, "description", in: item),
                    category: try optionalString(entry, "category"), checkedBy: try strings(entry["checked_by"]?.node, "checked_by"),
                    line: item.mark?.line ?? 0))
            }
            for item in try sequence(fields["faults"]?.node, "faults") {
                let entry = try mapping(item, "a fault", known: ["name", "description", "severity", "recovery", "checked_by"])
                spec.faults.append(DSTSpec.Fault(
                    name: try string(entry, "name", in: item), description: try string(entry, "description", in: item),
                    severity: try optionalString(entry, "severity"), recovery: try optionalString(entry, "recovery"),
                    checkedBy: try strings(entry["checked_by"]?.node, "checked_by"), line: item.mark?.line ?? 0))
            }
            for item in try sequence(fields["scenarios"]?.node, "scenarios") {
                let entry = try mapping(item, "a scenario", known: ["name", "description", "run"])
                guard let run = entry["run"] else { throw fail(item, "a scenario needs 'run'") }
                spec.scenarios.append(DSTSpec.Scenario(
                    name: try string(entry, "name", in: item), description: try string(entry, "description", in: item),
                    run: try self.run(run.node), line: item.mark?.line ?? 0))
            }
            if let bundles = fields["bundles"] {
                guard case .mapping(let pairs) = bundles.node else { throw fail(bundles.node, "'bundles' must map names to bundles") }
                for (key, value) in pairs {
                    guard let name = key.string, Self.isName(name) else {
                        throw fail(key, "a bundle name must be [a-z0-9_-]+, not '\(key.string ?? "?")'")
                    }
                    let entry = try mapping(value, "bundle '\(name)'", known: ["description", "runs"])
                    let runs = try sequence(entry["runs"]?.node, "runs")
                    guard !runs.isEmpty else { throw fail(value, "bundle '\(name)' has no runs") }
                    var parsed: [DSTSpec.Run] = []
                    for run in runs { parsed.append(try self.run(run)) }
                    spec.bundles.append(DSTSpec.Bundle(name: name, description: try optionalString(entry, "description") ?? "",
                                                       runs: parsed, line: key.mark?.line ?? 0))
                }
            }
            try checkUnique(spec.invariants.map { ($0.name, $0.line) }, "invariant")
            try checkUnique(spec.faults.map { ($0.name, $0.line) }, "fault")
            try checkUnique(spec.scenarios.map { ($0.name, $0.line) }, "scenario")
            try checkUnique(spec.bundles.map { ($0.name, $0.line) }, "bundle")
            return spec
        }

        /// One run: exactly one selection key, then seeds, faults and params.
        func run(_ node: Node) throws(SpecError) -> DSTSpec.Run {
            let selections = ["suite", "test", "tag", "plugin", "bank", "scenario"]
            let entry = try mapping(node, "a run", known: selections + ["seeds", "faults", "params"])
            let chosen = selections.filter { entry[$0] != nil }
            guard chosen.count == 1 else {
                throw fail(node, "a run names exactly one of \(selections.joined(separator: ", ")) (found \(chosen.isEmpty ? "none" : chosen.joined(separator: " and ")))")
            }
            let key = chosen[0]
            let value = entry[key]!.node
            let selection: DSTSpec.Run.Selection
            if key == "bank" {
                if value.bool == true {
                    selection = .seedBank(SeedBank.defaultPath)
                } else if let path = value.string, value.bool == nil, !path.isEmpty {
                    selection = .seedBank(path)
                } else {
                    throw fail(value, "bank must be true or a seed bank file")
                }
            } else {
                guard let text = value.string, !text.isEmpty, case .scalar = value else { throw fail(value, "\(key) must be a name") }
                switch key {
                case "suite": selection = .suite(text)
                case "test": selection = .test(text)
                case "tag": selection = .tag(text)
                case "plugin": selection = .plugin(text)
                default: selection = .scenario(text)
                }
            }
            var seeds: Int?
            if let given = entry["seeds"]?.node {
                guard let count = given.int, count >= 1, given.string.map({ Int($0) != nil }) == true else {
                    throw fail(given, "seeds must be a whole number of at least 1, not '\(given.string ?? "?")'")
                }
                seeds = count
            }
            let faults = try entry["faults"].map { field throws(SpecError) in try strings(field.node, "faults") }
            var parameters: [(key: String, value: String)] = []
            if let params = entry["params"]?.node {
                guard case .mapping(let pairs) = params else { throw fail(params, "params must map names to values") }
                for (name, value) in pairs {
                    guard let name = name.string, case .scalar = value, let text = value.string else {
                        throw fail(value, "a param must be name: value")
                    }
                    parameters.append((name, text))
                }
            }
            return DSTSpec.Run(selection: selection, seeds: seeds, faults: faults, parameters: parameters, line: node.mark?.line ?? 0)
        }

        /// The pairs of a mapping by key, refusing keys not in `known`.
        func mapping(_ node: Node, _ what: String, known: [String]) throws(SpecError) -> [String: (key: Node, node: Node)] {
            guard case .mapping(let pairs) = node else { throw fail(node, "\(what) must be a mapping of keys to values") }
            var fields: [String: (key: Node, node: Node)] = [:]
            for (key, value) in pairs {
                guard let name = key.string, known.contains(name) else {
                    throw fail(key, "unknown key '\(key.string ?? "?")' in \(what) (known: \(known.joined(separator: ", ")))")
                }
                guard fields[name] == nil else { throw fail(key, "'\(name)' given twice in \(what)") }
                fields[name] = (key, value)
            }
            return fields
        }

        func sequence(_ node: Node?, _ what: String) throws(SpecError) -> [Node] {
            guard let node else { return [] }
            guard case .sequence(let items) = node else { throw fail(node, "'\(what)' must be a list") }
            return Array(items)
        }

        func string(_ fields: [String: (key: Node, node: Node)], _ key: String, in node: Node) throws(SpecError) -> String {
            guard let field = fields[key] else { throw fail(node, "missing '\(key)'") }
            guard case .scalar = field.node, let text = field.node.string, !text.isEmpty else { throw fail(field.node, "'\(key)' must be text") }
            return text
        }

        func optionalString(_ fields: [String: (key: Node, node: Node)], _ key: String) throws(SpecError) -> String? {
            guard let field = fields[key] else { return nil }
            guard case .scalar = field.node, let text = field.node.string else { throw fail(field.node, "'\(key)' must be text") }
            return text
        }

        func strings(_ node: Node?, _ what: String) throws(SpecError) -> [String] {
            var result: [String] = []
            for item in try sequence(node, what) {
                guard case .scalar = item, let text = item.string, !text.isEmpty else { throw fail(item, "'\(what)' must list names") }
                result.append(text)
            }
            return result
        }

        func checkUnique(_ names: [(String, Int)], _ what: String) throws(SpecError) {
            var seen: Set<String> = []
            for (name, line) in names where !seen.insert(name).inserted {
                throw SpecError(path: path, line: line, message: "the \(what) '\(name)' is defined twice")
            }
        }

        static func isName(_ text: String) -> Bool {
            !text.isEmpty && text.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" || $0 == "-" }
        }
    }
}
