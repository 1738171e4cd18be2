/// Where a reference Redis server listens: `host:port`.
///
/// No database number: every run empties the whole server and may address any database
/// (`COPY ... DB 1`), so the run, not the endpoint, decides which database is in use.
public struct ReferenceEndpoint: Equatable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; nil when malformed (a missing host or port, a port outside 1–65535).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }

    /// `host:port`, the form ``init(parsing:)`` reads back.
    public var description: String { "\(host):\(port)" }
}
