// libProperties.so: the upstream spec's invariants as property tests. Each test draws a whole
// operation sequence from its seed, runs it against the engine and a plain Swift model,
// checks the property after every operation, and shrinks a failing sequence before
// reporting it (see Shrinker.swift).

import DSTPluginSDK

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    PropertiesSuite.export(host: host, into: out)
}

/// The properties suite: one test per invariant of the upstream spec. Sizes come from the
/// "ops" (default 100) and "keys" (default 8) parameters.
enum PropertiesSuite: Suite {
    static let name = "properties"
    static let version = "1.0.0"
    static let description = "Invariants as property tests: random operation sequences against a model, shrunk on failure"

    private static let quick = ["properties", "quick"]

    static let tests: [TestCase] = [
        TestCase("set_get_roundtrip", "SET k v; GET k => v for binary values, with overwrites and DELs",
                 tags: quick, seeds: 100) { try PropertyCheck.run(SetGetRoundtrip.self, $0) },
        TestCase("incr_monotonic", "INCR/INCRBY raise a counter by exactly the increment; overflow errors leave it unchanged",
                 tags: quick, seeds: 100) { try PropertyCheck.run(IncrMonotonic.self, $0) },
        TestCase("list_order_preserved", "LPUSH/RPUSH/LPOP/RPOP/LRANGE keep the order of an array model",
                 tags: quick, seeds: 100) { try PropertyCheck.run(ListOrderPreserved.self, $0) },
        TestCase("hash_fields_unique", "HSET/HDEL: HLEN counts distinct fields; HGETALL lists each once, as the model",
                 tags: quick, seeds: 100) { try PropertyCheck.run(HashFieldsUnique.self, $0) },
        TestCase("sorted_set_ordering", "ZADD/ZINCRBY/ZREM: ZRANGE WITHSCORES is ordered by (score, member) and is the model",
                 tags: quick, seeds: 100) { try PropertyCheck.run(SortedSetOrdering.self, $0) },
        TestCase("expire_removes_key", "On the virtual clock a key is visible while now <= its deadline and gone (GET nil, EXISTS 0) after",
                 tags: quick + ["virtual_clock"], seeds: 100) { try PropertyCheck.run(ExpireRemovesKey.self, $0) },
        TestCase("ttl_monotonic_decrease", "PTTL never grows as the clock advances without writes; TTL = (PTTL+500)/1000",
                 tags: quick + ["virtual_clock"], seeds: 100) { try PropertyCheck.run(TTLMonotonicDecrease.self, $0) },
        // Not quick: every write is fsynced.
        TestCase("crash_recovery_consistent", "A WAL file database restarted at random points keeps exactly the acknowledged writes",
                 tags: ["properties"], seeds: 100) { try PropertyCheck.run(CrashRecoveryConsistent.self, $0) },
    ]
}
