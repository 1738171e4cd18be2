import RedisClient
import RESP

/// An engine handle of target `DST_TARGET_REFERENCE`: one connection to the reference Redis
/// server. A new connection carries no WATCH, MULTI or SELECT state.
final class ReferenceEngine {
    let endpoint: ReferenceEndpoint
    private var connection: RedisConnection?

    /// Connects and empties the server (every database: a run may `COPY ... DB n`): every run
    /// starts from nothing, on database 0 as the engine does.
    init(endpoint: ReferenceEndpoint) throws(RedisClientError) {
        self.endpoint = endpoint
        try connect(flush: true)
    }

    /// A fresh connection to the same database, keeping its data (`engine_reopen`).
    func reconnect() throws(RedisClientError) {
        connection = nil
        try connect(flush: false)
    }

    func execute(_ arguments: [[UInt8]]) throws(RedisClientError) -> Reply {
        guard let connection else { throw .closed(endpoint: endpoint.description, cause: "not connected") }
        return try connection.execute(arguments)
    }

    private func connect(flush: Bool) throws(RedisClientError) {
        let connection = try RedisConnection(host: endpoint.host, port: endpoint.port)
        if flush { try expectOK(connection.execute([Array("FLUSHALL".utf8)]), "FLUSHALL") }
        self.connection = connection
    }

    private func expectOK(_ reply: Reply, _ command: String) throws(RedisClientError) {
        guard reply == .ok else {
            throw .protocol(endpoint: endpoint.description, message: "\(command) answered \(reply) instead of OK")
        }
    }
}
