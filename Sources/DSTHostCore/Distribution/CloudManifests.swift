import Foundation

/// The files that run a sharded `dst-host` run on an existing distributed engine: a Kubernetes
/// Indexed Job, a GitHub Actions matrix workflow, or one Fly Machine per shard. Each machine
/// runs `dst-host <run arguments> --shard K/N --format json --output report-K.json`; the
/// reports are then combined by `dst-host merge`.
///
/// Pure text generation: nothing here talks to a cloud. What the user must fill in (the image,
/// storage, an app name) is marked `REPLACE` in the files and listed in their README.
public struct CloudManifests: Sendable {
    /// Where the shards run.
    public enum Target: String, CaseIterable, Sendable {
        case kubernetes
        case githubActions = "github-actions"
        case fly
    }

    /// A file to write, relative to the plan's folder.
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    /// The image placeholder: an image with dst-host, its plugins, /bin/sh (and curl for Fly).
    public static let defaultImage = "ghcr.io/OWNER/dst-host:latest"

    public var target: Target
    /// N: one shard per machine.
    public var machines: Int
    /// Cores each machine has; its `--jobs`.
    public var coresPerMachine: Int
    /// The arguments of the run after `dst-host` (e.g. `run properties --seeds 100000`).
    public var runArguments: [String]
    public var image: String

    public init(target: Target, machines: Int, coresPerMachine: Int, runArguments: [String], image: String = CloudManifests.defaultImage) {
        self.target = target
        self.machines = machines
        self.coresPerMachine = coresPerMachine
        self.runArguments = runArguments
        self.image = image
    }

    /// The run as a shell command, without its shard options.
    public var runCommand: String { (["dst-host"] + runArguments).map(Self.shellQuoted).joined(separator: " ") }

    /// A shard's command for the shell: `shard` and `report` are shell words (they may expand
    /// variables). Exit status 1 (some seeds failed) counts as success here: the report was
    /// written, and `dst-host merge` is what fails the run; a crash (2, a signal) still fails
    /// the machine, so the engine's retry applies to it.
    func shardCommand(shard: String, report: String) -> String {
        "\(runCommand) --shard \(shard) --format json --output \(report) --jobs \(coresPerMachine) || [ $? -eq 1 ]"
    }

    /// The files for ``target``.
    public var files: [File] {
        switch target {
        case .kubernetes: return kubernetesFiles
        case .githubActions: return githubActionsFiles
        case .fly: return flyFiles
        }
    }

    // MARK: Kubernetes

    private var kubernetesFiles: [File] {
        // Indexed Jobs set JOB_COMPLETION_INDEX to 0...N-1 in each pod; shards count from 1.
        let shard = "$((JOB_COMPLETION_INDEX + 1))/\(machines)"
        let report = "/reports/report-$((JOB_COMPLETION_INDEX + 1)).json"
        let cpu = Self.quoted(String(coresPerMachine))
        let job = """
            # N = \(machines) pods, one shard each: pod i runs shard i+1 of \(machines) and writes
            # /reports/report-(i+1).json on the shared volume (reports-pvc.yaml).
            # REPLACE the image with one holding dst-host and its plugins.
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: dst-host-shards
            spec:
              completionMode: Indexed
              completions: \(machines)
              parallelism: \(machines)
              # Retries for crashed pods only: a shard whose seeds fail still exits 0 (see the command).
              backoffLimit: \(machines)
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: dst-host
                      image: \(Self.quoted(image))
                      command: ["/bin/sh", "-c", \(Self.quoted(shardCommand(shard: shard, report: report)))]
                      resources:
                        requests: {cpu: \(cpu), memory: "1Gi"}
                        limits: {cpu: \(cpu), memory: "1Gi"}
                      volumeMounts:
                        - {name: reports, mountPath: /reports}
                  volumes:
                    - name: reports
                      persistentVolumeClaim: {claimName: dst-host-reports}

            """
        let claim = """
            # The volume every shard writes its report to, and the merge Job reads from: it must
            # be ReadWriteMany, since the pods run on several nodes. REPLACE the storage class
            # with one of your cluster's that supports it (NFS, EFS, Filestore, Azure Files...).
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: dst-host-reports
            spec:
              accessModes: [ReadWriteMany]
              storageClassName: REPLACE-with-a-ReadWriteMany-storage-class
              resources:
                requests: {storage: 1Gi}

            """
        let merge = """
            # After dst-host-shards completes: merges the \(machines) reports once (report.json on the
            # volume), then renders that as JUnit (report.xml) and Markdown (the pod's log). Fails
            # when some seed failed.
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: dst-host-merge
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: merge
                      image: \(Self.quoted(image))
                      command: ["/bin/sh", "-c", \(Self.quoted("dst-host merge /reports/report-*.json --format json --output /reports/report.json || [ $? -eq 1 ]; dst-host merge /reports/report.json --format junit --output /reports/report.xml; status=$?; dst-host merge /reports/report.json --format markdown; exit $status"))]
                      volumeMounts:
                        - {name: reports, mountPath: /reports}
                  volumes:
                    - name: reports
                      persistentVolumeClaim: {claimName: dst-host-reports}

            """
        let readme = """
            # dst-host on Kubernetes: \(machines) shards

            The run: `\(runCommand)`, split into \(machines) shards of \(coresPerMachine) core\(coresPerMachine == 1 ? "" : "s") each.

            Fill in first:
            - the image in `job.yaml` and `merge-job.yaml` (now `\(image)`): one with `dst-host`, its plugins and `/bin/sh`;
            - the storage class in `reports-pvc.yaml`: one that supports ReadWriteMany.

            Then:

                kubectl apply -f reports-pvc.yaml
                kubectl apply -f job.yaml
                kubectl wait --for=condition=complete job/dst-host-shards --timeout=24h
                kubectl apply -f merge-job.yaml
                kubectl wait --for=condition=complete job/dst-host-merge --timeout=10m; kubectl logs job/dst-host-merge

            The merge Job writes `report.json` and `report.xml` (JUnit) to the volume and prints the Markdown
            summary. Or copy the shards' reports out (`kubectl cp` from any pod mounting the volume) and run
            `dst-host merge report-*.json` where you are.

            """
        return [File(path: "reports-pvc.yaml", contents: claim), File(path: "job.yaml", contents: job),
                File(path: "merge-job.yaml", contents: merge), File(path: "README.md", contents: readme)]
    }

    // MARK: GitHub Actions

    private var githubActionsFiles: [File] {
        let shards = (1...machines).map(String.init).joined(separator: ", ")
        let workflow = """
            # dst-host in \(machines) shards: copy this file to .github/workflows/ and run it from the
            # Actions tab (workflow_dispatch). REPLACE the image with one holding dst-host and its
            # plugins (e.g. built and pushed by another workflow).
            name: dst-host shards
            "on":
              workflow_dispatch: {}
            jobs:
              shard:
                runs-on: ubuntu-latest
                container: \(Self.quoted(image))
                strategy:
                  fail-fast: false
                  matrix:
                    shard: [\(shards)]
                steps:
                  - name: Run shard ${{ matrix.shard }} of \(machines)
                    # Exit status 1 (failing seeds) still uploads the report: the merge job fails the run.
                    run: \(Self.quoted(shardCommand(shard: "${{ matrix.shard }}/\(machines)", report: "report-${{ matrix.shard }}.json")))
                  - uses: actions/upload-artifact@v4
                    with:
                      name: report-${{ matrix.shard }}
                      path: report-${{ matrix.shard }}.json
              merge:
                needs: shard
                runs-on: ubuntu-latest
                container: \(Self.quoted(image))
                steps:
                  - uses: actions/download-artifact@v4
                    with:
                      pattern: report-*
                      merge-multiple: true
                  - name: Summary
                    run: \(Self.quoted("dst-host merge report-*.json --format markdown >> \"$GITHUB_STEP_SUMMARY\" || [ $? -eq 1 ]"))
                  - name: Merge (fails when some seed failed)
                    run: dst-host merge report-*.json --format junit --output report.xml
                  - uses: actions/upload-artifact@v4
                    if: always()
                    with:
                      name: dst-host-report
                      path: report.xml

            """
        let readme = """
            # dst-host on GitHub Actions: \(machines) shards

            The run: `\(runCommand)`, split into \(machines) matrix jobs of \(coresPerMachine) core\(coresPerMachine == 1 ? "" : "s") each.

            Fill in first: the image in `dst-host-shards.yml` (now `\(image)`), one with `dst-host`, its plugins
            and `/bin/sh`. Then copy `dst-host-shards.yml` to `.github/workflows/` and start it from the Actions tab
            (or `gh workflow run dst-host-shards.yml`).

            Each matrix job uploads `report-K.json`; the merge job downloads them all, writes the Markdown summary to
            the run's page and uploads `report.xml` (JUnit). A matrix has at most 256 jobs.

            """
        return [File(path: "dst-host-shards.yml", contents: workflow), File(path: "README.md", contents: readme)]
    }

    // MARK: Fly

    private var flyFiles: [File] {
        var files: [File] = []
        for index in 1...machines {
            // The report goes to REPORT_UPLOAD_URL (set by run-shards.sh): a Machine's disk
            // vanishes with it (auto_destroy), and a Fly volume belongs to one Machine.
            let script = shardCommand(shard: "\"$SHARD\"", report: "/tmp/report.json")
                + "; curl --fail --silent --show-error --upload-file /tmp/report.json \"$REPORT_UPLOAD_URL/report-\(index).json\""
            let config: [String: Any] = [
                "image": image,
                "env": ["SHARD": "\(index)/\(machines)"],
                "init": ["entrypoint": ["/bin/sh", "-c"], "cmd": [script]],
                "auto_destroy": true,
                "restart": ["policy": "no"],
                "guest": ["cpu_kind": "shared", "cpus": coresPerMachine, "memory_mb": 1024],
            ]
            let data = (try? JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
            files.append(File(path: "shard-\(index).json", contents: String(decoding: data, as: UTF8.self) + "\n"))
        }
        let script = """
            #!/bin/sh
            # Starts \(machines) Fly Machines, one shard each (shard-K.json), which destroy themselves when done.
            # Fill in:
            #   FLY_APP            an app of yours to run them in (fly apps create NAME)
            #   REPORT_UPLOAD_URL  where each Machine PUTs report-K.json (curl --upload-file): an HTTP
            #                      endpoint you control that accepts PUT, e.g. a WebDAV folder, or an
            #                      object store behind a proxy; put any credentials in the URL.
            #   the image in shard-*.json (now \(image)): dst-host, its plugins, /bin/sh and curl,
            #   pushed where Fly can pull it (e.g. registry.fly.io/APP:TAG via fly deploy --build-only --push).
            # Then download report-1.json ... report-\(machines).json and run: dst-host merge report-*.json
            set -eu
            app="${FLY_APP:?set FLY_APP to your Fly app}"
            upload="${REPORT_UPLOAD_URL:?set REPORT_UPLOAD_URL to where the Machines upload their reports}"
            cd "$(dirname "$0")"
            for k in $(seq 1 \(machines)); do
              fly machine run \(Self.shellQuoted(image)) --app "$app" --machine-config "shard-$k.json" \\
                --env "REPORT_UPLOAD_URL=$upload" --name "dst-host-shard-$k" --rm --restart no --detach
            done

            """
        files.append(File(path: "run-shards.sh", contents: script))
        files.append(File(path: "README.md", contents: """
            # dst-host on Fly Machines: \(machines) shards

            The run: `\(runCommand)`, split into \(machines) Machines (`shared-cpu`, \(coresPerMachine) CPU\(coresPerMachine == 1 ? "" : "s"), 1 GB each).

            `shard-K.json` is each Machine's config (image, `SHARD=K/\(machines)`, the command, `auto_destroy`,
            restart policy `no`); `run-shards.sh` starts them with `fly machine run --machine-config`. What to fill in is
            at the top of `run-shards.sh`: the app, the upload URL, the image. When every Machine is gone
            (`fly machine list --app APP`), fetch the reports from the upload URL and run `dst-host merge report-*.json`.

            """))
        return files
    }

    // MARK: Quoting

    /// A YAML scalar: JSON's double-quoted string is also YAML's.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// A word for the POSIX shell: as is when it is plain, else in single quotes.
    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "_-./:=,+@%".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
