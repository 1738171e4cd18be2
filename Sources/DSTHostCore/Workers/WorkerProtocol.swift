import Foundation

/// The line protocol between the host and its workers. Requests go to the worker's standard
/// input; messages come back on a dedicated descriptor (fd 3), so whatever a plugin prints on
/// its own cannot be mistaken for a message.
///
/// Host → worker: `run <seed> <suite/test>` (one seed at a time: the next is sent when the
/// result arrives). Worker → host: `start <seed> <suite/test>` before running it, `log <json
/// string>` as the test logs, `result <json TestResult>` at the end, and from the crash handler
/// `crash-artifact <json Artifact>` (see ``CrashArtifact``).
/// The message lines a worker writes (public: the worker command lives in the executable).
public enum WorkerMessages {
    public static func start(seed: UInt64, test: String) -> String { WorkerProtocol.encodeStart(seed: seed, test: test) }
    public static func log(_ line: String) -> String { WorkerProtocol.encodeLog(line) }
    public static func result(_ result: TestResult) -> String { WorkerProtocol.encodeResult(result) }

    /// A `run <seed> <suite/test>` request, or nil for anything else.
    public static func runRequest(_ line: String) -> (seed: UInt64, test: String)? {
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, parts[0] == "run", let seed = UInt64(parts[1]) else { return nil }
        return (seed, String(parts[2]))
    }
}

enum WorkerProtocol {
    /// The descriptor workers write messages to.
    static let messageDescriptor: Int32 = 3

    static func runRequest(seed: UInt64, test: String) -> String { "run \(seed) \(test)\n" }

    enum Message {
        case start(seed: UInt64, test: String)
        case log(String)
        case result(TestResult)
        /// Written by the crash handler: what the test asked to keep should it crash.
        case crashArtifact(Artifact)
    }

    static func encodeCrashArtifact(_ artifact: Artifact) -> String {
        let json = (try? JSONEncoder().encode(artifact)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Its own line even if the crash cut another message short.
        return "\ncrash-artifact \(json)\n"
    }

    static func encodeStart(seed: UInt64, test: String) -> String { "start \(seed) \(test)\n" }

    static func encodeLog(_ line: String) -> String {
        let json = (try? JSONEncoder().encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        return "log \(json)\n"
    }

    static func encodeResult(_ result: TestResult) -> String {
        let json = (try? JSONEncoder().encode(result)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "result \(json)\n"
    }

    static func decode(_ line: Substring) -> Message? {
        guard let space = line.firstIndex(of: " ") else { return nil }
        let kind = line[..<space], rest = line[line.index(after: space)...]
        switch kind {
        case "start":
            let parts = rest.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let seed = UInt64(parts[0]) else { return nil }
            return .start(seed: seed, test: String(parts[1]))
        case "log":
            return (try? JSONDecoder().decode(String.self, from: Data(rest.utf8))).map(Message.log)
        case "result":
            return (try? JSONDecoder().decode(TestResult.self, from: Data(rest.utf8))).map(Message.result)
        case "crash-artifact":
            return (try? JSONDecoder().decode(Artifact.self, from: Data(rest.utf8))).map(Message.crashArtifact)
        default:
            return nil
        }
    }
}
