import Foundation
@preconcurrency import Glibc
import Logging
import RESP
import RedisClient
import Redlite
import RedliteServer
import Testing

/// A command from text arguments.
func command(_ parts: String...) -> [[UInt8]] { parts.map { Array($0.utf8) } }

/// Bytes of text.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Text of bytes.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh private directory, removed (with its files) by ``remove()``.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/redlite-server-test-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) != nil }) else {
            throw TestFailure("mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit { remove() }
}

/// A ``RedliteServer`` in this process on a free loopback port, on a database file in a
/// temporary directory (or in memory). Stopped and cleaned up when released.
final class ServerFixture {
    let server: RedliteServer
    let port: Int
    let directory: TemporaryDirectory
    var databasePath: String { directory.path + "/data.db" }

    init(memory: Bool = false, password: String? = nil, maxClients: Int = 10_000, eventLoops: Int = 2) throws {
        directory = try TemporaryDirectory()
        var logger = Logger(label: "redlite-server-test")
        logger.logLevel = .warning
        let configuration = ServerConfiguration(
            port: 0, storage: memory ? .memory : .file(path: directory.path + "/data.db"),
            password: password, eventLoopCount: eventLoops, maxClients: maxClients)
        server = RedliteServer(configuration: configuration, logger: logger)
        port = try server.start()
    }

    deinit { server.shutdown() }

    /// A hiredis connection to the server.
    func connect(timeoutMilliseconds: Int = 5000) throws -> RedisConnection {
        try RedisConnection(host: "127.0.0.1", port: port, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// A raw socket to the server.
    func raw() throws -> RawClient { try RawClient(port: port) }
}

/// A byte-level client for exchanges the tests spell out: exactly what is sent, exactly what
/// comes back, and when the server closes. Over RedisClient's ``WireConnection``.
final class RawClient {
    private let connection: WireConnection

    init(port: Int) throws {
        connection = try WireConnection(host: "127.0.0.1", port: port)
    }

    func send(_ data: [UInt8]) throws { try connection.send(data) }

    func send(_ text: String) throws { try send(bytes(text)) }

    /// Reads until `count` bytes arrived, the server closed (or reset), or no byte came for
    /// five seconds: a test waits for a reply or an end, never forever.
    func read(count: Int) -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        while received.count < count {
            switch try? connection.receive(timeoutMilliseconds: 5000) {
            case .bytes(let chunk)?: received += chunk
            case .closed?: return (received, true)
            case .timedOut?, nil: return (received, false)
            }
        }
        return (received, false)
    }

    /// Reads until the server closes (or a read times out: then `closed` is false).
    func readToEnd() -> (bytes: [UInt8], closed: Bool) { read(count: .max) }

    /// Reads exactly the bytes of `expected` (or fewer if the server closes first).
    func read(like expected: String) -> String { text(read(count: expected.utf8.count).bytes) }

    /// Closes the socket; with `reset`, as a crashed client does (RST instead of FIN).
    func close(reset: Bool = false) {
        if reset { connection.drop() } else { connection.close() }
    }
}

/// Waits up to `seconds` for `condition`, checking every 10 ms.
func eventually(seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// The folder of the built products (the test bundle sits beside them).
let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

/// The redlite-server binary run as a child process, for end-to-end tests.
final class ServerBinary {
    let process = Process()
    let port: Int
    let readyLine: String
    private let errorPipe = Pipe()

    static var executable: URL { buildFolder.appendingPathComponent("redlite-server") }

    /// Starts `redlite-server --port 0 arguments...` and reads its ready line.
    init(_ arguments: [String]) throws {
        process.executableURL = Self.executable
        process.arguments = ["--port", "0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorPipe
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        try process.run()
        // One line, flushed at once: read byte by byte until the newline.
        var line: [UInt8] = []
        let handle = output.fileHandleForReading
        while line.last != UInt8(ascii: "\n") {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { break }
            line += byte
        }
        readyLine = text(line).trimmingCharacters(in: .newlines)
        guard let portText = readyLine.split(separator: " ").dropFirst(3).first?.split(separator: ":").last,
              let port = Int(portText) else {
            process.terminate()
            process.waitUntilExit()
            let error = text(Array(errorPipe.fileHandleForReading.readDataToEndOfFile()))
            throw TestFailure("no ready line, got '\(readyLine)'; stderr: \(error)")
        }
        self.port = port
    }

    /// Sends `signal` and waits for the exit; returns the status (or the signal for a kill)
    /// and what the server logged.
    func stop(signal: Int32 = SIGTERM) -> (status: Int32, reason: Process.TerminationReason, log: String) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let log = text(Array(errorPipe.fileHandleForReading.readDataToEndOfFile()))
        return (process.terminationStatus, process.terminationReason, log)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Runs the binary to completion (for argument and startup errors).
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try runToCompletion(executable, arguments)
    }
}

/// Runs a built program to its end and returns its exit status, standard output and standard
/// error. `environment` entries are added to this process's (nil values remove one).
func runToCompletion(_ executable: URL, _ arguments: [String],
                     environment changes: [String: String?] = [:]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    for (name, value) in changes { environment[name] = value }
    process.environment = environment
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Standard error stays small (a few lines), so reading standard output to its end first
    // cannot block the program.
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, text(Array(outputData)), text(Array(errorData)))
}
