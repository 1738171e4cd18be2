import ArgumentParser
import DSTHostCore
import Foundation

/// `dst-host probe`: loads plugin files in a child process for the parent, announcing each
/// before loading it, so a plugin that crashes while loading (in a static constructor or its
/// entry function) is named by the parent instead of killing it (internal).
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "Load plugins in isolation for a parent dst-host (internal).", shouldDisplay: false)

    @Argument var paths: [String] = []

    func run() throws {
        for path in paths {
            // Unbuffered, so the announcement is out before a crash can lose it.
            FileHandle.standardOutput.write(Data("probing \(path)\n".utf8))
            // Errors are the parent's to report, from its own load; only a crash matters here.
            _ = try? PluginLoader.load(path)
        }
    }
}

/// Runs `dst-host probe` on the candidates and names the one that crashed, if any.
enum PluginProbe {
    static func firstCrash(_ paths: [String]) -> PluginLoadError? {
        guard !paths.isEmpty else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Executor.executablePath)
        process.arguments = ["probe"] + paths
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .uncaughtSignal || process.terminationStatus != 0 else { return nil }
        let last = text.split(separator: "\n").last.map { String($0.dropFirst("probing ".count)) } ?? paths[0]
        let how = process.terminationReason == .uncaughtSignal
            ? WaitStatus.signaled(process.terminationStatus).description
            : "exit status \(process.terminationStatus)"
        return PluginLoadError(path: last, reason: "the plugin crashed while loading (\(how)); nothing was run")
    }
}
