import DSTHostCore
import Yams
import Foundation
import Testing

/// The spec file and its bundles: strict parsing with the line of every problem, bundle
/// planning against the installed suites, and `dst-host --bundle` / `bundles` / `full` end to end.
@Suite struct SpecTests {
    /// The checkout's own spec.
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../spec/dst-spec.yaml").standardized.path

    @Test func theCheckoutsSpecParses() throws {
        let spec = try SpecLoader.load(path: Self.specPath)
        #expect(spec.bundles.map(\.name) == ["pr", "nightly", "release"])
        #expect(spec.invariants.contains { $0.name == "crash_recovery_consistent" && $0.category == "persistence" })
        #expect(spec.faults.map(\.name).contains("connection_drop"))
        let pr = try #require(spec.bundle(named: "pr"))
        guard case .suite("properties") = pr.runs[1].selection else { Issue.record("pr's second run is properties"); return }
        #expect(pr.runs[1].seeds == 200)
        guard case .seedBank(SeedBank.defaultPath) = pr.runs[2].selection else { Issue.record("pr runs the seed bank"); return }
    }

    @Test(arguments: [
        ("version: 1\nbundles:\n  pr:\n    runs:\n      - suite: smoke\n        seedz: 3\n", 6, "unknown key 'seedz' in a run (known: suite, test, tag, plugin, bank, scenario, seeds, faults, params)"),
        ("version: 1\nbundles:\n  pr:\n    runs:\n      - suite: smoke\n        seeds: 0\n", 6, "seeds must be a whole number of at least 1, not '0'"),
        ("version: 1\nbundles:\n  pr:\n    runs:\n      - suite: smoke\n        seeds: ten\n", 6, "seeds must be a whole number of at least 1, not 'ten'"),
        ("version: 1\nbundles:\n  pr:\n    runs:\n      - suite: smoke\n        seeds: 2.5\n", 6, "seeds must be a whole number of at least 1, not '2.5'"),
        ("version: 1\nbundles:\n  pr:\n    runs:\n      - suite: smoke\n        tag: quick\n", 5, "a run names exactly one of suite, test, tag, plugin, bank, scenario (found suite and tag)"),
        ("version: 2\n", 1, "version must be 1, not '2'"),
        ("version: 1\ncolour: red\n", 2, "unknown key 'colour' in the spec (known: version, invariants, faults, scenarios, bundles)"),
        ("version: 1\nbundles:\n  pr:\n    runs: []\n", 4, "bundle 'pr' has no runs"),
        ("version: 1\ninvariants:\n  - name: a\n    description: b\n  - name: a\n    description: c\n", 5, "the invariant 'a' is defined twice"),
        ("version: 1\nbundles:\n  pr:\n    runs:\n      - suite: [smoke\n", 6, "not valid YAML"),
    ])
    func problemsNameTheirLine(yaml: String, line: Int, message: String) {
        do {
            _ = try SpecLoader.parse(yaml, path: "spec.yaml")
            Issue.record("parsed: \(yaml)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.hasPrefix(message), "\(error)")
            #expect(error.description.hasPrefix("spec.yaml:\(line): "))
        }
    }

    @Test func aMissingPluginFileIsAnErrorOnItsLine() throws {
        let spec = try SpecLoader.parse("version: 1\nbundles:\n  ext:\n    runs:\n      - plugin: /nowhere/libx.so\n", path: "s.yaml")
        #expect(throws: SpecError(path: "s.yaml", line: 5, message: "no plugin file at '/nowhere/libx.so'")) {
            try BundlePlanner.pluginPaths(of: spec.bundles[0], in: spec)
        }
    }

    @Test func aBundleRunsAndReportsTogether() throws {
        let result = try HostHarness.run(["--bundle", "pr", "--spec", Self.specPath])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("dst-host: bundle pr (\(Self.specPath)): smoke; properties (200 seeds); seed bank"), "\(result.output)")
        #expect(result.output.contains("✓ properties/incr_monotonic [properties (200 seeds)]  200/200 seeds"), "\(result.output)")
        #expect(result.output.contains("[seed bank]"), "\(result.output)")
        #expect(result.output.contains("passed, 0 failed"), "\(result.output)")
    }

    @Test func bundleErrorsNameTheSpecLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("dst-spec.yaml").path
        try "version: 1\nbundles:\n  ci:\n    runs:\n      - suite: smokey\n".write(toFile: path, atomically: true, encoding: .utf8)
        let unknown = try HostHarness.run(["--bundle", "ci", "--spec", path])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("\(path):5: no suite named 'smokey' is installed"), "\(unknown.error)")
        let missing = try HostHarness.run(["--bundle", "nightly", "--spec", path])
        #expect(missing.status == 2)
        #expect(missing.error.contains("no bundle named 'nightly' (bundles: ci)"), "\(missing.error)")
        let mixed = try HostHarness.run(["smoke", "--bundle", "ci", "--spec", path])
        #expect(mixed.status == 2)
        #expect(mixed.error.contains("--bundle takes its tests and seeds from the spec"), "\(mixed.error)")
    }

    /// A third-party suite joins a bundle by its tag, or by its .so named in the spec, without
    /// rebuilding the host.
    @Test func aThirdPartySuiteJoinsByTagOrByFile() throws {
        let keyinfo = try HostHarness.cExample()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("dst-spec.yaml").path
        try """
            version: 1
            bundles:
              by_tag:
                runs:
                  - tag: extension
                    seeds: 2
              by_file:
                runs:
                  - plugin: \(keyinfo)
                    seeds: 1
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let byTag = try HostHarness.run(["--bundle", "by_tag", "--spec", path, "--plugin", keyinfo])
        #expect(byTag.status == 0, "\(byTag.output)\(byTag.error)")
        #expect(byTag.output.contains("✓ keyinfo/keyinfo_types  2/2 seeds"), "\(byTag.output)")
        let byFile = try HostHarness.run(["--bundle", "by_file", "--spec", path])
        #expect(byFile.status == 0, "\(byFile.output)\(byFile.error)")
        #expect(byFile.output.contains("✓ keyinfo/keyinfo_types  1/1 seeds"), "\(byFile.output)")
        // Without the plugin, the tag selects nothing: a note, not an error.
        let absent = try HostHarness.run(["--bundle", "by_tag", "--spec", path])
        #expect(absent.error.contains("dst-spec.yaml:5: tag extension (2 seeds): no installed test, nothing to run"), "\(absent.error)")
        #expect(absent.status == 0, "\(absent.output)\(absent.error)")
    }

    /// A bundle shards like any run: its shards' reports merge into the single run's report.
    @Test func aShardedBundleMergesToTheWholeBundle() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-shards-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = URL(fileURLWithPath: Self.specPath).deletingLastPathComponent().deletingLastPathComponent().path
        func report(_ name: String, _ extra: [String]) throws -> String {
            let path = folder.appendingPathComponent(name).path
            let result = try HostHarness.run(["--bundle", "pr", "--spec", Self.specPath, "--format", "json", "--output", path] + extra,
                                             directory: root)
            #expect(result.status == 0, "\(result.output)\(result.error)")
            return path
        }
        let whole = try report("whole.json", [])
        let shards = try (1...3).map { try report("shard-\($0).json", ["--shard", "\($0)/3"]) }
        let merged = try HostHarness.run(["merge"] + shards + ["--format", "json"])
        #expect(merged.status == 0, "\(merged.error)")
        // Each test's seeds with their trace hashes (merge lists seeds in ascending order; a
        // bundle's seed bank runs them in the bank's).
        func tests(_ json: Data) throws -> [String: [String: String]] {
            let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let tests = try #require(report["tests"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: tests.map { test in
                let seeds = (test["seeds"] as? [Any] ?? []).map { "\($0)" }
                let hashes = test["traceHashes"] as? [String] ?? []
                return (test["test"] as? String ?? "", Dictionary(uniqueKeysWithValues: zip(seeds, hashes).map { ($0, $1) }))
            })
        }
        let expected = try tests(try Data(contentsOf: URL(fileURLWithPath: whole)))
        #expect(!expected.isEmpty)
        #expect(try tests(Data(merged.output.utf8)) == expected)
    }

    /// Every invariant and fault of the checkout's spec is checked by an installed suite.
    @Test func theInstalledSuitesCheckEveryInvariant() throws {
        let result = try HostHarness.run(["bundles", "--spec", Self.specPath])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(!result.output.contains("✗"), "\(result.output)")
        #expect(!result.output.contains("not installed"), "\(result.output)")
        #expect(!result.output.contains("cannot run"), "\(result.output)")
        #expect(result.output.contains("nightly"), "\(result.output)")
    }
}

/// `dst-host full --quick`: every installed suite, load tests included, in one report.
@Suite struct FullRunTests {
    @Test func quickRunsEveryInstalledSuite() throws {
        let result = try HostHarness.run(["full", "--quick"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        for suite in ["chaos", "fuzz", "oracle", "properties", "simulate", "smoke", "soak", "stress"] {
            #expect(result.output.contains("✓ \(suite)/"), "\(suite) in \(result.output)")
        }
        #expect(result.output.contains("dst-host: full --quick: "), "\(result.output)")
        #expect(!result.output.contains("/sweep"), "sweeps run only with --sweep")
        let refused = try HostHarness.run(["full", "smoke"])
        #expect(refused.status == 2)
        #expect(refused.error.contains("full runs every installed suite"), "\(refused.error)")
    }
}

/// The CI example the README points at is a workflow GitHub can read.
@Suite struct CIExampleTests {
    @Test func theGitHubActionsExampleRunsBundlesAndKeepsTheReports() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Examples/ci/github-actions.yml").standardized.path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let job = try #require(jobs["dst"] as? [String: Any])
        let steps = try #require(job["steps"] as? [[String: Any]])
        let scripts = steps.compactMap { $0["run"] as? String }.joined(separator: "\n")
        #expect(scripts.contains("--bundle \"$bundle\""))
        #expect(scripts.contains("bundle=nightly"))
        #expect(scripts.contains("--format junit"))
        #expect(steps.contains { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact") == true })
        #expect(workflow["on"] != nil)
    }
}
