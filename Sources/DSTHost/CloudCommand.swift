import ArgumentParser
import DSTHostCore
import Foundation

/// `dst-host cloud plan|run`: one run shared among N machines of an existing distributed
/// engine (Kubernetes, GitHub Actions, Fly Machines), one `--shard K/N` each, and their
/// reports merged; or the same plan as N local processes.
struct CloudCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "Share a run among N machines: write a cloud's manifests (plan), or run the shards locally (run --local).",
        subcommands: [CloudPlanCommand.self, CloudRunCommand.self])
}

/// The price options both cloud commands share.
struct PriceOptions: ParsableArguments {
    @Option(name: .customLong("price-per-core-hour"),
            help: ArgumentHelp("USD per core-hour for the cost estimate (default \(CostEstimate.defaultPricePerCoreHour): \(CostEstimate.defaultPriceSource)).",
                               valueName: "usd"))
    var pricePerCoreHour = CostEstimate.defaultPricePerCoreHour

    func validate() throws {
        if !(pricePerCoreHour >= 0) { throw ValidationError("--price-per-core-hour must be 0 or more") }
    }
}

/// `dst-host cloud plan --seeds 100000 --machines 10 --target kubernetes`: writes the target's
/// files into a folder and prints what the run will cost.
struct CloudPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the manifests that run N shards on Kubernetes, GitHub Actions or Fly Machines, and estimate the cost.",
        discussion: """
            The cost estimate needs the run's speed: give it with --seeds-per-core-second, or the planned \
            tests run here for 2 seconds on one core to measure it.
            """)

    @Option(help: "Machines, one shard each.")
    var machines: Int

    @Option(help: ArgumentHelp("Where the shards run: kubernetes, github-actions or fly.", valueName: "target"))
    var target: String

    @Option(help: ArgumentHelp("The folder to write the files into (default: cloud-plan/<target>).", valueName: "folder"))
    var out: String?

    @Option(help: "The image the machines run: one with dst-host, its plugins and /bin/sh (a placeholder to replace by default).")
    var image = CloudManifests.defaultImage

    @Option(name: .customLong("cores-per-machine"), help: "Cores per machine, each shard's --jobs (default: 2 for github-actions, whose runners have 2; 1 otherwise).")
    var coresPerMachine: Int?

    @Option(name: .customLong("seeds-per-core-second"), help: ArgumentHelp("The run's measured speed, for the cost estimate (default: measure it for 2 seconds here).", valueName: "rate"))
    var seedsPerCoreSecond: Double?

    @OptionGroup var price: PriceOptions

    @OptionGroup var options: CloudRunOptions

    func validate() throws {
        if machines < 1 { throw ValidationError("--machines must be at least 1") }
        if CloudManifests.Target(rawValue: target) == nil {
            throw ValidationError("--target must be \(CloudManifests.Target.allCases.map(\.rawValue).joined(separator: ", ")), not '\(target)'")
        }
        if let coresPerMachine, coresPerMachine < 1 { throw ValidationError("--cores-per-machine must be at least 1") }
        if let seedsPerCoreSecond, !(seedsPerCoreSecond > 0) { throw ValidationError("--seeds-per-core-second must be positive") }
    }

    func run() throws {
        let target = CloudManifests.Target(rawValue: self.target) ?? .kubernetes
        // The tests and seeds the plan covers, counted as `dst-host run` would select them.
        let command = try options.runCommand()
        let registry = try command.plugins.registry()
        let selected = try command.selectTests(registry)
        guard !selected.isEmpty else {
            Console.error("dst-host: no test matches (see `dst-host plugins`)")
            throw ExitCode(2)
        }
        let plannedSeeds = selected.reduce(0) { $0 + command.seedList(for: $1).count }
        let cores = coresPerMachine ?? (target == .githubActions ? 2 : 1)
        let manifests = CloudManifests(target: target, machines: machines, coresPerMachine: cores,
                                       runArguments: options.runArguments(), image: image)
        // One folder per target by default: their README.md files would overwrite each other.
        let out = self.out ?? "cloud-plan/\(target.rawValue)"
        let folder = URL(fileURLWithPath: out)
        do {
            for file in manifests.files {
                let url = folder.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
                if file.path.hasSuffix(".sh") { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
            }
        } catch {
            Console.error("dst-host: cannot write the plan to \(out): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        Console.line("dst-host: \(target.rawValue) plan for `\(manifests.runCommand)`: \(selected.count) test\(selected.count == 1 ? "" : "s"), \(plannedSeeds) seeds, "
                     + "\(machines) machines of \(cores) core\(cores == 1 ? "" : "s")")
        for file in manifests.files { Console.line("  \(folder.appendingPathComponent(file.path).relativePath)") }
        let rate = try seedsPerCoreSecond ?? calibrate()
        let estimate = CostEstimate(seedsPerCoreSecond: rate, pricePerCoreHour: price.pricePerCoreHour)
        estimate.lines(seeds: plannedSeeds, machines: machines, coresPerMachine: cores).forEach(Console.line)
        Console.line(Console.dim("  (\(seedsPerCoreSecond == nil ? "speed measured here for 2 s on 1 core" : "speed from --seeds-per-core-second"); "
                                 + "the price: \(price.pricePerCoreHour == CostEstimate.defaultPricePerCoreHour ? CostEstimate.defaultPriceSource : "--price-per-core-hour"); "
                                 + "seeds' run time only, no machine start-up)"))
    }

    /// Seeds per core-second of the planned tests: they run here on one core for 2 seconds.
    private func calibrate() throws -> Double {
        try withScratchFolder("dst-host-calibration") { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let report = folder.appendingPathComponent("calibration.json").path
            let arguments = options.runArguments(seeds: false) + ["--duration", "2", "--jobs", "1", "--format", "json", "--output", report]
            let outcome = try LocalShards.runChild(arguments, log: folder.appendingPathComponent("calibration.log").path)
            guard outcome.status <= 1, let figures = try? ReportMerger.load(file: report).totals.figures, figures.seeds > 0 else {
                Console.error("dst-host: the calibration run (dst-host \(arguments.joined(separator: " "))) failed (\(outcome.how)); "
                              + "give the speed with --seeds-per-core-second\n" + outcome.tail)
                throw ExitCode(2)
            }
            return figures.seedsPerSecondPerCore
        }
    }
}

/// `dst-host cloud run --local --machines 4 --seeds 2000 --test properties`: the plan as N
/// local child processes of one core each, their reports merged.
struct CloudRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the plan's N shards as local processes (--local) of one core each, and merge their reports.",
        discussion: """
            Exit status: 0 every seed passed, 1 some failed, 2 a usage error or a shard that crashed. Only \
            --local runs here: for a cloud, write its manifests with `dst-host cloud plan`.
            """)

    @Flag(help: "Run the shards as processes on this machine (required: the clouds' runs are `cloud plan`'s manifests).")
    var local = false

    @Option(help: "Machines (local processes), one shard each.")
    var machines: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Write the merged report: json, markdown or junit (to --output, or to standard output after the summary).")
    var format: String?

    @Option(help: "The merged report's file (needs --format).")
    var output: String?

    @Option(help: ArgumentHelp("Keep the shards' reports and logs in this folder (default: a temporary folder, removed).", valueName: "folder"))
    var reports: String?

    @OptionGroup var price: PriceOptions

    @OptionGroup var options: CloudRunOptions

    func validate() throws {
        if machines < 1 { throw ValidationError("--machines must be at least 1") }
        if let format, ReportFormat(rawValue: format) == nil { throw ValidationError("--format must be json, markdown or junit, not '\(format)'") }
        if output != nil && format == nil { throw ValidationError("--output needs --format json|markdown|junit") }
    }

    func run() throws {
        guard local else {
            Console.error("dst-host: cloud run only runs shards locally (--local); for Kubernetes, GitHub Actions or Fly, write their manifests with `dst-host cloud plan`")
            throw ExitCode(2)
        }
        _ = try options.runCommand()
        let arguments = options.runArguments()
        let merged: RunReport
        if let reports {
            merged = try LocalShards(arguments: arguments, machines: machines, folder: URL(fileURLWithPath: reports)).run()
        } else {
            merged = try withScratchFolder("dst-host-shards") { folder in
                try LocalShards(arguments: arguments, machines: machines, folder: folder).run()
            }
        }
        ReportOutput.consoleLines(merged).forEach(Console.line)
        if let estimate = CostEstimate(figures: merged.totals.figures, pricePerCoreHour: price.pricePerCoreHour) {
            estimate.lines().forEach(Console.line)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            if machines > cores {
                // Seeds waiting for a core count as run time: the per-core speed comes out low.
                Console.line(Console.dim("  (\(machines) machines shared \(cores) cores here, so seeds also waited for a core: a cloud core does better)"))
            }
        }
        if let format = format.flatMap(ReportFormat.init(rawValue:)) {
            try ReportOutput.write(merged, format: format, to: output)
        }
        if merged.totals.failed > 0 { throw ExitCode(1) }
    }
}
