import Foundation
import RedisClient
import Testing

/// dst-host's suites against the redlite-server binary over real sockets (`--target
/// resp://127.0.0.1:PORT`): the same engine as the embedded default, reached through NIO,
/// the server's sessions and hiredis instead of in process.
@Suite(.serialized) struct SuitesOverTheWireTests {
    @Test func smokePassesOverTheWire() throws {
        let (server, folder) = try Self.startServer()
        defer { _ = server.stop(); folder.remove() }
        let result = try Self.dstHost(["smoke", "--target", "resp://127.0.0.1:\(server.port)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("16 passed, 0 failed, 1 skipped"), "\(result.output)")
        #expect(result.error.contains("redlite_engine swift"), "\(result.error)")
    }

    /// Connections reset mid-command and mid-reply: nothing acknowledged lost, nothing half done,
    /// and the server still serves.
    @Test func connectionDropsOverTheWire() throws {
        let (server, folder) = try Self.startServer()
        defer { _ = server.stop(); folder.remove() }
        let result = try Self.dstHost(["chaos", "--faults", "connection_drop", "--seeds", "10",
                                       "--target", "resp://127.0.0.1:\(server.port)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ chaos/connection_drop  10/10 seeds"), "\(result.output)")
        let replay = try Self.dstHost(["replay", "--seed", "0", "--test", "chaos/connection_drop", "--quiet",
                                       "--target", "resp://127.0.0.1:\(server.port)"])
        #expect(replay.output.contains("metric: drops_mid_reply = "), "\(replay.output)")
        #expect(!replay.output.contains("metric: drops_mid_reply = 0.0"), "\(replay.output)")
    }

    /// The seeded RESP fuzzer's inputs sent to the running server: every answer well-formed, the
    /// server still up after them.
    @Test func theParserFuzzerOverTheWire() throws {
        let (server, folder) = try Self.startServer()
        defer { _ = server.stop(); folder.remove() }
        let result = try Self.dstHost(["fuzz", "--target", "resp_parser", "--seeds", "3",
                                       "--target", "resp://127.0.0.1:\(server.port)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ fuzz/resp_parser  3/3 seeds"), "\(result.output)")
        let client = try RedisConnection(host: "127.0.0.1", port: server.port)
        #expect(try client.execute(command("PING")) == .simple("PONG"))
    }

    @Test func stressMeasuresTheServer() throws {
        let (server, folder) = try Self.startServer()
        defer { _ = server.stop(); folder.remove() }
        let result = try Self.dstHost(["stress", "--target", "load", "--connections", "20", "--keys", "1000",
                                       "--param", "seconds=0.5", "--target", "resp://127.0.0.1:\(server.port)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("load.ops_per_s = "), "\(result.output)")
        #expect(result.output.contains("load.client_rss_mb = "), "\(result.output)")
    }

    static func startServer() throws -> (ServerBinary, TemporaryDirectory) {
        let folder = try TemporaryDirectory()
        return (try ServerBinary(["--db", folder.path + "/wire.db"]), folder)
    }

    /// Runs the built dst-host, which finds the built suites beside it.
    static func dstHost(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try runToCompletion(buildFolder.appendingPathComponent("dst-host"), arguments,
                            environment: ["NO_COLOR": "1", "DST_PLUGIN_PATH": nil])
    }
}
