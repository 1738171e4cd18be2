/// Where a reference Redis server listens, and which of its databases a process uses:
/// `host:port` or `host:port/db`.
public struct ReferenceEndpoint: Equatable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// The logical database (0–15) this process's reference engines select.
    public let database: Int

    public init(host: String, port: Int, database: Int = 0) {
        self.host = host
        self.port = port
        self.database = database
    }

    /// Parses `host:port` or `host:port/db`; nil when malformed (a missing host or port, a port
    /// outside 1–65535, a database outside 0–15).
    public init?(parsing text: String) {
        var rest = Substring(text)
        var database = 0
        if let slash = rest.lastIndex(of: "/") {
            guard let number = Int(rest[rest.index(after: slash)...]), (0...15).contains(number) else { return nil }
            database = number
            rest = rest[..<slash]
        }
        guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex,
              let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        self.init(host: String(rest[..<colon]), port: port, database: database)
    }

    /// The same server, another database.
    func selecting(_ database: Int) -> ReferenceEndpoint {
        ReferenceEndpoint(host: host, port: port, database: database)
    }

    /// `host:port/db`, the form ``init(parsing:)`` reads back.
    public var description: String { "\(host):\(port)/\(database)" }
}
