import Foundation
import Glibc

/// A server the suites test instead of the embedded engine: `--target resp://host:port`.
///
/// Every engine a test opens (other than the reference server) becomes a client connection
/// to it, so the same suites can check redlite-server, upstream Redlite, Valkey or Redis
/// itself. Each run starts by emptying the server (FLUSHALL, once, at its first open), so runs
/// take it one at a time and it must be a server whose data may be erased.
public struct RESPTarget: Equatable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The scheme a `--target` value names a server with.
    public static let scheme = "resp://"

    /// True for a `--target` value that names a server (it has a scheme) rather than a test.
    public static func namesServer(_ value: String) -> Bool { value.contains("://") }

    /// Parses `resp://host:port`, or says in one line what is wrong with it.
    public static func parse(_ text: String) -> Result<RESPTarget, TargetError> {
        guard text.hasPrefix(scheme) else {
            let given = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
            return .failure(TargetError("unknown target scheme '\(given)://' in '\(text)' (known: resp://host:port)"))
        }
        let rest = String(text.dropFirst(scheme.count)).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let endpoint = rest.first.flatMap({ ReferenceEndpoint(parsing: String($0)) }), rest.count == 1 || rest[1].isEmpty else {
            return .failure(TargetError("'\(text)' is not resp://host:port (port 1-65535)"))
        }
        return .success(RESPTarget(host: endpoint.host, port: endpoint.port))
    }

    /// `resp://host:port`.
    public var description: String { "\(Self.scheme)\(host):\(port)" }

    /// The environment variable that gives worker processes the target.
    static let variable = "DST_RESP_TARGET"

    /// The environment a process running seeds against this target needs.
    public var environment: [String: String] { [Self.variable: "\(host):\(port)"] }

    /// Makes this the target of seeds run in this process (`--jobs 0`).
    public func exportToThisProcess() { setenv(Self.variable, "\(host):\(port)", 1) }

    /// The target of this process, if it has one.
    static func current() -> RESPTarget? {
        guard let value = getenv(variable).map({ String(cString: $0) }),
              let endpoint = ReferenceEndpoint(parsing: value) else { return nil }
        return RESPTarget(host: endpoint.host, port: endpoint.port)
    }
}

/// A `--target` value that cannot be used, or a target that cannot be reached.
public struct TargetError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension RESPTarget {
    /// Connects and checks the server answers PING; returns what it says it is (from INFO
    /// server: its Redis version, and Redlite's engine when it is one).
    public func probe() -> Result<String, TargetError> {
        do {
            let connection = try TargetEngine.connect(self)
            let pong = try? connection.execute([Array("PING".utf8)])
            guard pong == .simple("PONG") else {
                return .failure(TargetError("the target \(self) answered PING with \(pong.map { "\($0)" } ?? "nothing")"))
            }
            guard case .bulk(let info)? = try? connection.execute([Array("INFO".utf8), Array("server".utf8)]) else {
                return .success("answers PING")
            }
            let fields = String(decoding: info, as: UTF8.self).split(whereSeparator: \.isNewline)
            let wanted = ["redis_version", "valkey_version", "redlite_engine", "redlite_storage"]
            let identity = fields.filter { line in wanted.contains { line.hasPrefix($0 + ":") } }.map { $0.replacingOccurrences(of: ":", with: " ") }
            return .success(identity.isEmpty ? "answers PING" : identity.joined(separator: ", "))
        } catch {
            return .failure(error)
        }
    }
}
