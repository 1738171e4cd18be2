// libOracle.so: differential testing against a real Redis server (ABI 1.2). Each test draws a
// seeded command sequence from one group, runs it on the embedded Redlite engine and on the
// host's reference Redis (`--redis`, or a redis-server the host starts), compares every reply
// (RESP2 shape on both sides; unordered replies as multisets, TTLs by absolute expiry), and
// shrinks a divergence to the shortest sequence that still diverges.

import DSTPluginSDK

/// Fills the host's descriptor with this suite. The plugin's C entry point (`dst_plugin_v1`)
/// lives in the `OracleEntry` target and calls this: with the entry kept apart, tests can link
/// this module beside other plugins' without two definitions of the one C symbol.
public func exportOracleSuite(host: UnsafePointer<dst_host_api>?, into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    OracleSuite.export(host: host, into: out)
}

/// The oracle suite: one test per command group. The `reference_server` tag makes the host
/// provide a real Redis; parameters "ops" (commands per seed, default 100) and "shrink_budget"
/// (executions spent shrinking a divergence, default 300).
enum OracleSuite: Suite {
    static let name = "oracle"
    static let version = "1.0.0"
    static let description = "Differential testing against a real Redis server: the same seeded commands, every reply compared"

    static let tests: [TestCase] = OracleGroup.allCases.map { group in
        TestCase(group.rawValue, group.summary, tags: ["oracle", "reference_server"], seeds: 50) { run in
            try DifferentialRun.run(group, run)
        }
    }
}

extension OracleGroup {
    /// One line for `dst-host plugins`.
    var summary: String {
        switch self {
        case .strings: return "Strings and counters: SET with every option, GETEX, INCRBYFLOAT overflow, ranges, binary values"
        case .lists: return "Lists: pushes, pops, LRANGE/LINDEX/LSET with negative and out-of-range indices, LPOS, LMOVE"
        case .hashes: return "Hashes: HSET/HINCRBY(FLOAT)/HRANDFIELD/HSCAN, empty and binary fields"
        case .sets: return "Sets: SADD/SPOP/SINTER(CARD)/SMISMEMBER/SSCAN, set algebra across keys"
        case .sortedSets: return "Sorted sets: ±inf and equal scores, ZADD flags, ZRANGE BYSCORE/BYLEX/REV/LIMIT, stores"
        case .keys: return "Keys and expiration: EXPIRE options, TTL/PTTL, RENAME, COPY, TYPE, SCAN, absolute expiries"
        case .transactions: return "MULTI/EXEC/DISCARD/WATCH/UNWATCH around commands of every family"
        case .mixed: return "Every family on the same keys: wrong types on purpose"
        }
    }
}
