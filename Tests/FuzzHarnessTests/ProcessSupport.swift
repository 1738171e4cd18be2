import Foundation

/// What a finished child process left.
struct ProcessResult {
    let status: Int32
    /// The process was killed by a signal (`status` is then the signal's number).
    let signaled: Bool
    let output: String
    let error: String
}

/// Runs `executable` to its end, with `environment` added to this process's own.
func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                directory: URL? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes to the end before waiting, on two threads, so neither can fill up.
    let errorData = ErrorPipeReader(error)
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                         output: String(decoding: outputData, as: UTF8.self),
                         error: String(decoding: errorData.wait(), as: UTF8.self))
}

/// Reads a pipe to its end on a thread of its own.
private final class ErrorPipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// The package's root folder (the one with Package.swift), above the test bundle.
func packageRoot() throws -> URL {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while folder.path != "/" {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
        folder.deleteLastPathComponent()
    }
    throw CocoaError(.fileNoSuchFile)
}

/// A new empty folder under the system's temporary folder.
func temporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
