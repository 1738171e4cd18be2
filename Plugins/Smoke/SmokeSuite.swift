// libSmoke.so: quick sanity checks of the engine through the plugin ABI, one test per family
// of commands, each compared against a plain Swift model and deterministic from its seed.

import DSTPluginSDK

/// The entry point the host looks up with dlsym: everything else is reached through the
/// descriptor it fills in.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    SmokeSuite.export(host: host, into: out)
}

/// The smoke suite: the upstream spec's "smoke" scenarios (sizes as it gives them; the
/// "keys" and "ops" parameters override them).
enum SmokeSuite: Suite {
    static let name = "smoke"
    static let version = "1.0.0"
    static let description = "Quick sanity checks of strings, counters, lists, hashes, sets, sorted sets, TTLs and restarts"

    private static let tags = ["quick", "smoke"]

    static let tests: [TestCase] = [
        TestCase("basic_set_get", "SET random binary values on 100 keys and GET them back (1000 ops)",
                 tags: tags, seeds: 10, StringTests.basicSetGet),
        TestCase("incr_decr", "INCR/DECR/INCRBY/DECRBY on 50 keys, including overflow at the Int64 limits (500 ops)",
                 tags: tags, StringTests.incrDecr),
        TestCase("list_operations", "LPUSH/RPUSH/LPOP/RPOP/LRANGE/LLEN on 20 keys against an array model (500 ops)",
                 tags: tags, CollectionTests.listOperations),
        TestCase("hash_operations", "HSET/HGET/HDEL/HLEN/HGETALL on 20 keys against a model (500 ops)",
                 tags: tags, CollectionTests.hashOperations),
        TestCase("set_operations", "SADD/SREM/SISMEMBER/SCARD/SMEMBERS on 20 keys, compared as sets (500 ops)",
                 tags: tags, CollectionTests.setOperations),
        TestCase("sorted_set_ordering", "ZADD with tied scores, ZREM, ZSCORE; ZRANGE WITHSCORES sorted by (score, member) (500 ops)",
                 tags: tags, CollectionTests.sortedSetOrdering),
        TestCase("expire_on_virtual_clock", "SET EX/PX keys are visible at +TTL ms and gone at +TTL+1 ms on the virtual clock",
                 tags: tags + ["virtual_clock"], TimeAndRestartTests.expireOnVirtualClock),
        TestCase("persistence_across_reopen", "A FULL-durability file database keeps every acknowledged write across reopen",
                 tags: tags, TimeAndRestartTests.persistenceAcrossReopen),
    ]
}
