// libFuzz.so: seeded, reproducible mutation fuzzing of the engine's RESP front end
// (`resp_parser`, through Engine.feed, ABI 1.3) and of its command handler (`command_handler`,
// through Engine.execute on a file database). Every input is a function of the seed (and its
// index): a failing seed replays exactly.

import DSTPluginSDK

/// The entry point the host looks up with dlsym.
@_cdecl("dst_plugin_v1")
public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
                           _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    FuzzSuite.export(host: host, into: out)
}

/// The fuzz suite. Parameters: `inputs` and `ping_every` (resp_parser), `ops` and `batch`
/// (command_handler).
enum FuzzSuite: Suite {
    static let name = "fuzz"
    static let version = "1.0.0"
    static let description = "Seeded mutation fuzzing of the RESP front end and the command handler"

    static let tests: [TestCase] = [
        TestCase("resp_parser",
                 "Mutated RESP request streams (bit flips, splices, length tricks, truncation, nesting, inline quoting) fed in random chunks; replies well-formed",
                 tags: ["fuzz"], seeds: 20) { run in
            try ParserFuzz.run(run)
        },
        TestCase("command_handler",
                 "Random argv over every command with malformed arguments on a file database; error texts, integrity_check per batch",
                 tags: ["fuzz"], seeds: 10) { run in
            try HandlerFuzz.run(run)
        },
    ]
}
