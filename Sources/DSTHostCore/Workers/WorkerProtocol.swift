import Foundation

/// The line protocol between the host and its workers. Requests go to the worker's standard
/// input; messages come back on a dedicated descriptor (fd 3), so whatever a plugin prints on
/// its own cannot be mistaken for a message.
///
/// Host → worker: `run <seed> <suite/test>` (one seed at a time: the next is sent when the
/// result arrives). Worker → host: `start <seed> <suite/test>` before running it, `log <json
/// string>` as the test logs, `result <json TestResult>` at the end, and from the crash handler
/// `crash-artifact <hex name> <hex bytes>` (see ``CrashArtifact``).
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

    /// `crash-artifact <name> <bytes>`, both in hex: the line is made for every input a fuzzer
    /// feeds (JSON would spell each byte as a number), and hex keeps it one line whatever the
    /// bytes. It starts with a newline, so it stands alone even if the crash cut a message short.
    static func encodeCrashArtifact(name: String, bytes: [UInt8]) -> [UInt8] {
        var line = Array("\ncrash-artifact ".utf8)
        line.reserveCapacity(line.count + 2 * (name.utf8.count + bytes.count) + 2)
        appendHex(name.utf8, to: &line)
        line.append(UInt8(ascii: " "))
        appendHex(bytes, to: &line)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ bytes: some Sequence<UInt8>, to line: inout [UInt8]) {
        for byte in bytes {
            line.append(hexDigits[Int(byte >> 4)])
            line.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// The bytes `hex` spells, or nil if it is not an even run of hex digits.
    private static func bytes(fromHex hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
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
            let parts = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let name = bytes(fromHex: parts[0]), let content = bytes(fromHex: parts[1]) else { return nil }
            return .crashArtifact(Artifact(name: String(decoding: name, as: UTF8.self), bytes: content))
        default:
            return nil
        }
    }
}
