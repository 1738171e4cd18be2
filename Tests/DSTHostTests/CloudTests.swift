import DSTHostCore
import Foundation
import Testing
import Yams

/// `dst-host cloud plan` (its manifests parse, and say what the engines need) and
/// `dst-host cloud run --local` (the same totals as one run), through the real binary.
struct CloudTests {
    private func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-cloud-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes a plan into a fresh folder; the speed is given, so no calibration run.
    private func plan(_ target: String, machines: Int, extra: [String] = []) throws -> (folder: URL, output: String) {
        let folder = try scratch()
        let result = try HostHarness.run(["cloud", "plan", "--seeds", "100000", "--machines", "\(machines)", "--target", target,
                                          "--test", "properties", "--out", folder.path, "--seeds-per-core-second", "150"] + extra)
        #expect(result.status == 0, "\(result.error)")
        return (folder, result.output)
    }

    private func yaml(_ folder: URL, _ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "\(name) is not a YAML mapping")
    }

    @Test func kubernetesIndexedJob() throws {
        let (folder, output) = try plan("kubernetes", machines: 10, extra: ["--image", "registry.example/dst-host:1"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let job = try yaml(folder, "job.yaml")
        #expect(job["apiVersion"] as? String == "batch/v1")
        #expect(job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        #expect(spec["completions"] as? Int == 10)
        #expect(spec["parallelism"] as? Int == 10)
        #expect(spec["backoffLimit"] is Int)
        let pod = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(pod["restartPolicy"] as? String == "Never")
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        #expect(container["image"] as? String == "registry.example/dst-host:1")
        let command = try #require(container["command"] as? [String])
        #expect(command.prefix(2) == ["/bin/sh", "-c"])
        #expect(command[2].contains("JOB_COMPLETION_INDEX"))
        #expect(command[2].contains("--shard $((JOB_COMPLETION_INDEX + 1))/10"))
        #expect(command[2].hasPrefix("dst-host run properties --seeds 100000 "))
        #expect(command[2].contains("--output /reports/report-$((JOB_COMPLETION_INDEX + 1)).json"))
        #expect((container["volumeMounts"] as? [[String: Any]])?.first?["mountPath"] as? String == "/reports")
        let claim = try yaml(folder, "reports-pvc.yaml")
        #expect(claim["kind"] as? String == "PersistentVolumeClaim")
        let merge = try yaml(folder, "merge-job.yaml")
        #expect("\(merge)".contains("dst-host merge /reports/report-*.json"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path))
        #expect(output.contains("cost: 150 seeds per core-second: 667 core-seconds per 100K seeds, $0.0444 per 100K seeds"))
        #expect(output.contains("cost of this plan: 800000 seeds"))
    }

    @Test func githubActionsMatrixAndMergeJob() throws {
        let (folder, _) = try plan("github-actions", machines: 6)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workflow = try yaml(folder, "dst-host-shards.yml")
        #expect((workflow["on"] as? [String: Any])?["workflow_dispatch"] != nil)
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        let shard = try #require(jobs["shard"] as? [String: Any])
        let matrix = try #require((shard["strategy"] as? [String: Any])?["matrix"] as? [String: Any])
        #expect(matrix["shard"] as? [Int] == Array(1...6))
        let steps = try #require(shard["steps"] as? [[String: Any]])
        let run = try #require(steps.compactMap { $0["run"] as? String }.first)
        #expect(run.contains("--shard ${{ matrix.shard }}/6 --format json --output report-${{ matrix.shard }}.json"))
        #expect(steps.contains { ($0["uses"] as? String)?.hasPrefix("actions/upload-artifact") == true })
        let merge = try #require(jobs["merge"] as? [String: Any])
        #expect(merge["needs"] as? String == "shard")
        let mergeRuns = (merge["steps"] as? [[String: Any]] ?? []).compactMap { $0["run"] as? String }
        #expect(mergeRuns.contains("dst-host merge report-*.json --format junit --output report.xml"))
        #expect(mergeRuns.contains { $0.contains("$GITHUB_STEP_SUMMARY") })
    }

    @Test func flyMachineConfigsOnePerShard() throws {
        let (folder, _) = try plan("fly", machines: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        for index in 1...3 {
            let data = try Data(contentsOf: folder.appendingPathComponent("shard-\(index).json"))
            let config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((config["env"] as? [String: String])?["SHARD"] == "\(index)/3")
            #expect(config["auto_destroy"] as? Bool == true)
            #expect((config["restart"] as? [String: String])?["policy"] == "no")
            #expect(config["image"] as? String == CloudManifests.defaultImage)
            let command = try #require((config["init"] as? [String: Any])?["cmd"] as? [String])
            #expect(command.joined().contains("--shard \"$SHARD\""))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("shard-4.json").path))
        let script = try String(contentsOf: folder.appendingPathComponent("run-shards.sh"), encoding: .utf8)
        #expect(script.contains("fly machine run"))
        #expect(script.contains("--machine-config \"shard-$k.json\""))
    }

    @Test func planRefusesAnUnknownTarget() throws {
        let result = try HostHarness.run(["cloud", "plan", "--machines", "2", "--target", "mainframe", "--test", "properties"])
        #expect(result.status == 2)
        #expect(result.error.contains("--target must be kubernetes, github-actions, fly, not 'mainframe'"))
    }

    /// Without --seeds-per-core-second the plan measures the speed itself, for about 2 seconds.
    @Test func planMeasuresTheSpeedWhenNotGiven() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try HostHarness.run(["cloud", "plan", "--seeds", "1000", "--machines", "2", "--target", "kubernetes",
                                          "--test", "properties/incr_monotonic", "--out", folder.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("1 test, 1000 seeds, 2 machines of 1 core"))
        #expect(result.output.contains("speed measured here for 2 s on 1 core"))
        #expect(result.output.contains(" per 100K seeds at $0.2400 per core-hour"))
    }

    /// The local plan merges to what one run reports (the acceptance check uses 2,000 seeds;
    /// 200 keep the test short).
    @Test func localCloudRunEqualsOneRun() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let merged = folder.appendingPathComponent("merged.json").path
        let cloud = try HostHarness.run(["cloud", "run", "--local", "--machines", "4", "--seeds", "200", "--test", "properties",
                                         "--format", "json", "--output", merged, "--reports", folder.appendingPathComponent("shards").path])
        #expect(cloud.status == 0, "\(cloud.error)")
        #expect(cloud.output.contains("1600 passed, 0 failed"))
        #expect(cloud.output.contains("per 100K seeds"))
        let single = try HostHarness.run(["properties", "--seeds", "200", "--format", "json"])
        #expect(single.status == 0)
        let one = try JSONDecoder().decode(RunReport.self, from: Data(single.output.utf8))
        let shards = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: merged)))
        #expect(shards.command == one.command)
        let counts: (RunReport.Totals) -> [Int] = { [$0.runs, $0.passed, $0.failed, $0.skipped] }
        #expect(counts(shards.totals) == counts(one.totals))
        #expect(shards.tests.map(\.seeds) == one.tests.map(\.seeds))
        #expect(shards.tests.map(\.traceHashes) == one.tests.map(\.traceHashes))
        for index in 1...4 {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("shards/report-\(index).json").path))
        }
    }

    @Test func cloudRunNeedsLocal() throws {
        let result = try HostHarness.run(["cloud", "run", "--machines", "2", "--test", "properties"])
        #expect(result.status == 2)
        #expect(result.error == "dst-host: cloud run only runs shards locally (--local); for Kubernetes, GitHub Actions or Fly, write their manifests with `dst-host cloud plan`\n")
    }

    /// A shard that fails to run (here: every shard, on a suite that does not exist) is named
    /// with the end of its standard error, and the run exits 2.
    @Test func aCrashedShardIsNamedWithItsStandardError() throws {
        let result = try HostHarness.run(["cloud", "run", "--local", "--machines", "2", "--test", "nosuchsuite", "--seeds", "3"])
        #expect(result.status == 2)
        #expect(result.error.contains("dst-host: shard 1/2 crashed (exit status 2); its standard error ends:"))
        #expect(result.error.contains("no suite named 'nosuchsuite'"))
    }
}
