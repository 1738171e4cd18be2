import ArgumentParser
import DSTHostCore

/// `--redis`: the real Redis server that differential suites (tests tagged `reference_server`,
/// e.g. the Oracle) compare the engine with.
struct ReferenceOptions: ParsableArguments {
    @Option(name: .customLong("redis"),
            help: ArgumentHelp("A Redis server to compare against, as host:port (default: start redis-server for each worker). Its data is erased (FLUSHALL) before every run, and seeds run one at a time.",
                               valueName: "host:port"))
    var redis: String?

    func validate() throws {
        if let redis, ReferenceEndpoint(parsing: redis) == nil {
            throw ValidationError("--redis must be host:port (port 1-65535), not '\(redis)'")
        }
    }

    /// Reference servers for `slots` processes when a test in `tests` needs one, else nil;
    /// says on the console where they run (or why there are none).
    func servers(for tests: [LoadedTest], slots: Int) -> ReferenceServers? {
        guard tests.contains(where: { $0.tags.contains(ReferenceServers.tag) }) else { return nil }
        let servers = ReferenceServers(given: redis.flatMap(ReferenceEndpoint.init(parsing:)), slots: slots)
        if servers.unavailableReason != nil {
            Console.error("dst-host: warning: \(servers.summary); tests that need it are skipped")
        } else {
            Console.error(Console.dim("dst-host: \(servers.summary)"))
        }
        return servers
    }
}
