// libFuzz.so: seeded, reproducible mutation fuzzing of the engine's RESP front end
// (`resp_parser`, through Engine.feed, ABI 1.3) and of its command handler (`command_handler`,
// through Engine.execute on a file database). Every input is a function of the seed (and its
// index): a failing seed replays exactly.

import DSTPluginSDK

/// Fills the host's descriptor with this suite. The plugin's C entry point (`dst_plugin_v1`)
/// lives in the `FuzzEntry` target and calls this: with the entry kept apart, tests can link
/// this module beside other plugins' without two definitions of the one C symbol.
public func exportFuzzSuite(host: UnsafePointer<dst_host_api>?, into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
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
