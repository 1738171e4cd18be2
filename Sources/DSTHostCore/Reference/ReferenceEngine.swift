import RedisClient
import RESP

/// An engine handle of target `DST_TARGET_REFERENCE`: one connection to the reference Redis
/// server, on this process's database.
final class ReferenceEngine {
    let endpoint: ReferenceEndpoint
    private var connection: RedisConnection?

    /// Connects, selects the database and empties it: every run starts from nothing.
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
        guard let connection else { throw .closed(endpoint: "\(endpoint.host):\(endpoint.port)", cause: "not connected") }
        return try connection.execute(arguments)
    }

    private func connect(flush: Bool) throws(RedisClientError) {
        let connection = try RedisConnection(host: endpoint.host, port: endpoint.port)
        if endpoint.database != 0 {
            try expectOK(connection.execute(["SELECT", String(endpoint.database)].map { Array($0.utf8) }), "SELECT")
        }
        if flush { try expectOK(connection.execute([Array("FLUSHDB".utf8)]), "FLUSHDB") }
        self.connection = connection
    }

    private func expectOK(_ reply: Reply, _ command: String) throws(RedisClientError) {
        guard reply == .ok else {
            throw .protocol(endpoint: "\(endpoint.host):\(endpoint.port)", message: "\(command) answered \(reply) instead of OK")
        }
    }
}
