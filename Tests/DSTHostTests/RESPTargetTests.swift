import Foundation
import RedisClient
import Testing

/// `--target resp://host:port` end to end: the real dst-host and the real suites against a
/// real server instead of the embedded engine. Here the server is a redis-server (the tests of
/// redlite-server itself run the same suites against it); what a server cannot do (virtual
/// time, the simulated disk) is skipped with the reason, never passed.
@Suite(.serialized) struct RESPTargetTests {
    @Test func smokeRunsAgainstARealServer() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let result = try HostHarness.run(["smoke", "--target", "resp://\(server.host):\(server.port)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("✓ smoke/basic_set_get  10/10 seeds"), "\(result.output)")
        #expect(result.output.contains("✓ smoke/persistence_across_reopen"), "\(result.output)")
        #expect(result.output.contains("- smoke/expire_on_virtual_clock  0/1 seeds passed, 1 skipped: needs the embedded engine (its verdict rests on the virtual clock"),
                "\(result.output)")
        #expect(result.output.contains("commands to the target"), "\(result.output)")
        #expect(result.error.contains("target resp://\(server.host):\(server.port) (redis_version 7."), "\(result.error)")
    }

    /// Every seed starts from an empty server, whatever was there.
    @Test func theTargetIsEmptiedBeforeEverySeed() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let client = try RedisConnection(host: server.host, port: server.port)
        _ = try client.execute(["SET", "left:over", "1"].map { Array($0.utf8) })
        let result = try HostHarness.run(["smoke", "--target", "basic_set_get", "--target", "resp://\(server.host):\(server.port)", "--seeds", "2"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(try client.execute(["EXISTS", "left:over"].map { Array($0.utf8) }) == .integer(0))
    }

    /// A test that needs the simulated disk is skipped on a server, with the reason.
    @Test func diskFaultsAreSkippedWithTheReason() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        let result = try HostHarness.run(["chaos", "--faults", "crash_mid_write,connection_drop", "--seeds", "5",
                                          "--target", "resp://\(server.host):\(server.port)"])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("- chaos/crash_mid_write  0/5 seeds passed, 5 skipped: needs the embedded engine (the simulated disk)"),
                "\(result.output)")
        // Connection drops need only a server: they run over real sockets.
        #expect(result.output.contains("✓ chaos/connection_drop  5/5 seeds"), "\(result.output)")
    }

    @Test(arguments: [
        ("resp://localhost", "is not resp://host:port"),
        ("http://127.0.0.1:80", "unknown target scheme 'http://'"),
        ("resp://127.0.0.1:1", "cannot connect to the target resp://127.0.0.1:1"),
    ])
    func aBadTargetIsAUsageError(target: String, message: String) throws {
        let result = try HostHarness.run(["smoke", "--target", target])
        #expect(result.status == 2, "\(result.output)\(result.error)")
        #expect(result.error.contains(message), "\(result.error)")
        #expect(!result.output.contains("seeds passed"))
    }
}
