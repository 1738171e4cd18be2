import DSTHostCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Report files parsed back, and the seed bank round trip, through the real binary.
@Suite(.serialized) struct ReportAndSeedBankTests {
    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func jsonReportDecodesWithItsSchemaVersion() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let crashes = try HostHarness.fixture("crashes")
        let path = folder.appendingPathComponent("report.json").path
        let result = try HostHarness.run(["--plugin", crashes, "--seeds", "3", "--timeout", "0.3", "--format", "json", "--output", path])
        #expect(result.status == 1)
        let report = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.schemaVersion == RunReport.currentSchemaVersion)
        #expect(report.totals.runs == 15)
        #expect(report.totals.passed == 5)
        #expect(report.totals.failed == 10)
        let segfault = try #require(report.tests.first { $0.test == "crashes/segfault" })
        #expect(segfault.seeds == [0, 1, 2])
        #expect(segfault.failures.map(\.seed) == [0])
        #expect(segfault.failures.first?.replay == "dst-host replay --seed 0 --test crashes/segfault --plugin \(crashes)")
        #expect(report.command == "dst-host --plugin \(crashes) --seeds 3")
    }

    @Test func sameSeedsGiveTheSameJSONApartFromTimings() throws {
        func normalized() throws -> RunReport {
            let output = try HostHarness.run(["smoke", "--seeds", "2", "--format", "json"]).output
            var report = try JSONDecoder().decode(RunReport.self, from: Data(output.utf8))
            report.totals.durationMilliseconds = 0
            // Speed figures are measured; what they count must match.
            #expect(report.totals.figures?.seeds == 16)
            let operations = report.totals.figures?.simulatedOperations
            report.totals.figures = nil
            #expect(operations ?? 0 > 0)
            for index in report.tests.indices { report.tests[index].durationMilliseconds = 0 }
            return report
        }
        let first = try normalized()
        #expect(first.totals.passed == 16)
        #expect(try normalized() == first)
    }

    /// A replay (in the host process) reproduces the original run (in a worker) exactly: the
    /// same trace hash as the report recorded for that seed.
    @Test func replayEqualsTheOriginalRun() throws {
        let output = try HostHarness.run(["properties", "--filter", "list_order", "--seeds", "10", "--format", "json"]).output
        let report = try JSONDecoder().decode(RunReport.self, from: Data(output.utf8))
        let test = try #require(report.tests.first)
        for seed in [0, 7] {
            let replay = try HostHarness.run(["replay", "--seed", "\(seed)", "--test", test.test, "--quiet"])
            #expect(replay.output.contains("trace \(test.traceHashes[seed]),"), "seed \(seed): \(replay.output)")
        }
    }

    @Test func junitReportIsXMLThatCountsTestsAndFailures() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let crashes = try HostHarness.fixture("crashes")
        let path = folder.appendingPathComponent("report.xml").path
        _ = try HostHarness.run(["--plugin", crashes, "--seeds", "2", "--timeout", "0.3", "--format", "junit", "--output", path])
        let counter = JUnitCounter()
        let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.testcases == 5)
        #expect(counter.failures == 4)
        #expect(counter.rootAttributes["tests"] == "5")
        #expect(counter.rootAttributes["failures"] == "4")
    }

    @Test func markdownReportListsFailuresWithReplays() throws {
        let crashes = try HostHarness.fixture("crashes")
        let result = try HostHarness.run(["--plugin", crashes, "--seeds", "1", "--filter", "aborts", "--format", "markdown"])
        #expect(result.output.hasPrefix("# dst-host report"))
        #expect(result.output.contains("| crashes/aborts | 1 | 0 | 1 |"))
        #expect(result.output.contains("dst-host replay --seed 0 --test crashes/aborts"))
    }

    @Test func badReportOptionsAreUsageErrors() throws {
        #expect(try HostHarness.run(["smoke", "--format", "yaml"]).status == 2)
        #expect(try HostHarness.run(["smoke", "--output", "/tmp/x"]).status == 2)
    }

    @Test func seedBankRoundTrip() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bank = folder.appendingPathComponent("nested/regression_seeds.txt").path
        let added = try HostHarness.run(["seeds", "add", "--bank", bank, "--seed", "42", "--test", "smoke/incr_decr",
                                         "--description", "INCR at the Int64 limits"])
        #expect(added.status == 0, "\(added.error)")
        #expect(try HostHarness.run(["seeds", "add", "--bank", bank, "--seed", "7", "--test", "smoke", "--description", "whole suite"]).status == 0)
        #expect(try HostHarness.run(["seeds", "add", "--bank", bank, "--seed", "1", "--test", "nosuch", "--description", "x"]).status == 2)
        let entries = try SeedBank(path: bank).entries
        #expect(entries.map(\.seed) == [42, 7])
        #expect(entries.first?.description == "INCR at the Int64 limits")
        let listed = try HostHarness.run(["seeds", "list", "--bank", bank])
        #expect(listed.output.contains("42  smoke/incr_decr  INCR at the Int64 limits"))
        let tested = try HostHarness.run(["seeds", "test", "--bank", bank])
        #expect(tested.status == 0, "\(tested.output)")
        #expect(tested.output.contains("9 passed, 0 failed"))
        let planted = try HostHarness.run(["seeds", "test", "--bank", bank], environment: ["DST_PLANTED_DEFECT": "ignore_expire"])
        #expect(planted.status == 1)
        #expect(planted.output.contains("✗ 7 smoke/expire_on_virtual_clock"))
    }

    @Test func aMalformedBankNamesTheLine() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bank = folder.appendingPathComponent("bank.txt").path
        try "# comment\n12 smoke ok\nnot-a-seed smoke x\n".write(toFile: bank, atomically: true, encoding: .utf8)
        let result = try HostHarness.run(["seeds", "list", "--bank", bank])
        #expect(result.status == 2)
        #expect(result.error.contains("\(bank):3: 'not-a-seed' is not a seed"))
    }
}

/// Counts what a JUnit file contains.
private final class JUnitCounter: NSObject, XMLParserDelegate {
    var testcases = 0
    var failures = 0
    var rootAttributes: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "testsuites": rootAttributes = attributes
        case "testcase": testcases += 1
        case "failure": failures += 1
        default: break
        }
    }
}
