import Foundation
import Testing

/// Runs the built dst-host binary and compiles C plugins, as a user would.
enum HostHarness {
    /// The build folder: dst-host and libSmoke.so sit beside the test bundle.
    static let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let executable = binFolder.appendingPathComponent("dst-host").path
    static let smokePlugin = binFolder.appendingPathComponent("libSmoke.so").path
    /// The package root, found from this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let includeFolder = root.appendingPathComponent("Sources/DSTPluginAPI/include").path

    struct Result {
        let status: Int32
        let output: String
        let error: String
    }

    /// The plugins the package builds. `swift test` alone does not build library products, so
    /// the end-to-end tests need a `swift build` first (`scripts/test.sh` does both).
    static func requireBuiltPlugins() throws {
        for name in ["libSmoke.so", "libProperties.so", "libChaos.so", "libSimulate.so", "libOracle.so", "libFuzz.so", "libStress.so", "libSoak.so"] {
            let path = binFolder.appendingPathComponent(name).path
            try #require(FileManager.default.fileExists(atPath: path),
                         "\(path) is missing: run `swift build` before `swift test` (scripts/test.sh does)")
        }
    }

    /// - Parameter directory: the working directory (default: this process's).
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
        try requireBuiltPlugins()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["DST_PLUGIN_PATH"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        // Standard error goes to a file: two pipes read one after the other could deadlock
        // when the child fills the second.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("dst-host-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = output
        process.standardError = errorHandle
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let errorData = FileManager.default.contents(atPath: errorFile.path) ?? Data()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      error: String(decoding: errorData, as: UTF8.self))
    }

    /// Compiles C sources into a shared object with `cc`, against the ABI header only.
    static func compile(_ sources: [String], into library: String, subfolder: String = "fixtures") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dst-host-tests-\(getpid())/\(subfolder)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent(library).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-std=c99", "-fPIC", "-shared", "-I", includeFolder] + sources + ["-o", output]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "cc failed for \(sources)")
        return output
    }

    static func fixture(_ name: String) throws -> String {
        try compile([root.appendingPathComponent("Tests/DSTHostTests/Fixtures/\(name).c").path], into: "lib\(name).so")
    }

    static func cExample() throws -> String {
        // A folder of its own: DST_PLUGIN_PATH tests point at it, and the broken fixtures must
        // not be found there.
        try compile([root.appendingPathComponent("Examples/c-plugin/keyinfo_suite.c").path], into: "libkeyinfo.so", subfolder: "example")
    }
}
