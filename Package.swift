// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "dst-host",
    products: [
        .library(name: "Redlite", targets: ["Redlite"]),
        .library(name: "RESP", targets: ["RESP"]),
        .executable(name: "redlite-bench", targets: ["RedliteBenchmark"]),
        .executable(name: "dst-host", targets: ["DSTHost"]),
        .executable(name: "dst-host-bench", targets: ["DSTHostBenchmark"]),
        .executable(name: "redlite-libfuzzer", targets: ["RedliteLibFuzzer"]),
        .executable(name: "redlite-server", targets: ["RedliteServerMain"]),
        .library(name: "RedliteServer", targets: ["RedliteServer"]),
        .library(name: "DSTPluginSDK", targets: ["DSTPluginSDK"]),
        // Suite plugins: shared objects the host dlopens (libSmoke.so, ...).
        .library(name: "Smoke", type: .dynamic, targets: ["Smoke"]),
        .library(name: "Properties", type: .dynamic, targets: ["Properties"]),
        .library(name: "Chaos", type: .dynamic, targets: ["Chaos"]),
        .library(name: "Simulate", type: .dynamic, targets: ["Simulate"]),
        .library(name: "Oracle", type: .dynamic, targets: ["OracleEntry"]),
        .library(name: "Fuzz", type: .dynamic, targets: ["FuzzEntry"]),
        .library(name: "Stress", type: .dynamic, targets: ["StressEntry"]),
        .library(name: "Soak", type: .dynamic, targets: ["SoakEntry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        // The system SQLite (Debian: libsqlite3-dev), imported as a C module.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // hiredis (Debian: libhiredis-dev): the RESP client behind the Oracle's reference server
        // and RESP targets. No pkgConfig: its .pc adds -D_FILE_OFFSET_BITS=64, which SwiftPM
        // refuses (with a warning) and which the 64-bit headers do not need.
        .systemLibrary(
            name: "CHiredis",
            path: "Sources/CHiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        // libffi (Debian: libffi-dev): the host calls tests whose parameter lists are declared
        // at run time (typed test parameters).
        .systemLibrary(
            name: "CFFI",
            path: "Sources/CFFI",
            pkgConfig: "libffi",
            providers: [.apt(["libffi-dev"])]
        ),
        // Number formatting and parsing that must match Redis's C library calls bit for bit
        // (strtold/strtod, "%.17Lf", "%.17g").
        .target(name: "CRedliteSupport", path: "Sources/CRedliteSupport"),
        // A thin typed layer over the SQLite C API: one class per C handle, one error type.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // The RESP2/RESP3 wire protocol: reply values, an incremental request parser, an encoder.
        // Pure: no I/O, no SQLite.
        .target(name: "RESP"),
        // A simulated disk: a SQLite VFS whose files live in memory (durable image plus pending
        // writes), with seeded faults, power loss, page checksums, virtual time and a
        // deterministic scheduler for concurrent connections.
        .target(name: "SimulatedDisk", dependencies: ["CSQLite", "SQLite"]),
        // A typed Swift layer over hiredis, and a redis-server child process started on a free
        // loopback port.
        .target(name: "RedisClient", dependencies: ["CHiredis", "RESP"]),
        // The Redlite engine: Redis 7.0 command semantics on Redlite's SQLite schema.
        .target(name: "Redlite", dependencies: ["SQLite", "RESP", "CRedliteSupport"]),
        // The plugin ABI, version 1: a C header (plain C99) every plugin and the host compile against.
        .target(name: "DSTPluginAPI", path: "Sources/DSTPluginAPI"),
        // A thin, stateless Swift layer over the ABI for suite authors. Holds no globals: the host
        // and each plugin get their own copy of any Swift module.
        .target(name: "DSTPluginSDK", dependencies: ["DSTPluginAPI"]),
        // The host's machinery: loading and validating plugins, the services behind the ABI's
        // table (over the Redlite engine), running tests and reporting.
        .target(name: "DSTHostCore", dependencies: ["DSTPluginAPI", "Redlite", "SimulatedDisk", "CFFI", "RedisClient", "CSQLite", "SQLite",
                                                    .product(name: "Yams", package: "Yams")]),
        // The dst-host command line.
        .executableTarget(
            name: "DSTHost",
            dependencies: [
                "DSTHostCore", "Redlite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // dst-host-bench: the cost of the ABI and of isolation, and property runs per second.
        .executableTarget(
            name: "DSTHostBenchmark",
            dependencies: [
                "DSTHostCore", "DSTPluginAPI", "Redlite", "RESP", "RedisClient", "Fuzz", "FuzzHarness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "Smoke", dependencies: ["DSTPluginSDK"], path: "Plugins/Smoke"),
        .target(name: "Properties", dependencies: ["DSTPluginSDK"], path: "Plugins/Properties"),
        .target(name: "Chaos", dependencies: ["DSTPluginSDK"], path: "Plugins/Chaos"),
        .target(name: "Simulate", dependencies: ["DSTPluginSDK"], path: "Plugins/Simulate"),
        // Plugins with in-process unit tests keep their C entry point in a target of its own, so
        // that one test binary can link several of them.
        .target(name: "Oracle", dependencies: ["DSTPluginSDK"], path: "Plugins/Oracle"),
        .target(name: "OracleEntry", dependencies: ["Oracle", "DSTPluginSDK"], path: "Plugins/OracleEntry"),
        .target(name: "Fuzz", dependencies: ["DSTPluginSDK"], path: "Plugins/Fuzz"),
        .target(name: "FuzzEntry", dependencies: ["Fuzz", "DSTPluginSDK"], path: "Plugins/FuzzEntry"),
        // The Fuzz suite's two targets as libFuzzer bodies, over the engine in process (the
        // plugin itself never links the engine); its corpus and oracle come from Fuzz.
        .target(name: "FuzzHarness", dependencies: ["Fuzz", "Redlite", "RESP", "SQLite"]),
        // redlite-libfuzzer: the corpus replayer; built with `--sanitize fuzzer -Xswiftc
        // -DLIBFUZZER` (scripts/libfuzzer.sh), libFuzzer's coverage-guided fuzzer instead.
        .executableTarget(name: "RedliteLibFuzzer", dependencies: ["FuzzHarness"]),
        .target(name: "Stress", dependencies: ["DSTPluginSDK", .product(name: "Histogram", package: "hdrhistogram-swift")],
                path: "Plugins/Stress"),
        .target(name: "StressEntry", dependencies: ["Stress", "DSTPluginSDK"], path: "Plugins/StressEntry"),
        .target(name: "Soak", dependencies: ["DSTPluginSDK", .product(name: "Histogram", package: "hdrhistogram-swift")],
                path: "Plugins/Soak"),
        .target(name: "SoakEntry", dependencies: ["Soak", "DSTPluginSDK"], path: "Plugins/SoakEntry"),
        // The engine served over TCP (RESP2/RESP3) with SwiftNIO, as a type a test can start in
        // process.
        .target(
            name: "RedliteServer",
            dependencies: [
                "Redlite", "RESP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The redlite-server command line.
        .executableTarget(
            name: "RedliteServerMain",
            dependencies: [
                "RedliteServer", "Redlite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "RedliteBenchmark",
            dependencies: [
                "Redlite", "SQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "RedliteTests", dependencies: ["Redlite", "SQLite", "RESP", "CSQLite"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "RESP"]),
        // The Oracle's generator and reply rules, in process (the plugin end to end is in DSTHostTests).
        .testTarget(name: "OracleComparisonTests", dependencies: ["Oracle", "DSTPluginSDK"]),
        // The Fuzz suite's mutators, corpus and RESP validator, in process.
        .testTarget(name: "FuzzTests", dependencies: ["Fuzz", "DSTPluginSDK"]),
        // The libFuzzer harnesses in process, and the replayer binary end to end (the
        // dependency makes SwiftPM build it).
        .testTarget(name: "FuzzHarnessTests", dependencies: ["FuzzHarness", "Fuzz", "RedliteLibFuzzer"]),
        // The Stress and Soak suites' statistics, trend verdicts and charts, in process.
        .testTarget(name: "StressTests", dependencies: ["Stress", "DSTPluginSDK", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .testTarget(name: "SoakTests", dependencies: ["Soak", "DSTPluginSDK"]),
        .testTarget(name: "SimulatedDiskTests", dependencies: ["SimulatedDisk", "Redlite", "SQLite", "CSQLite"]),
        // End-to-end: runs the built redlite-bench binary (the dependency makes SwiftPM build it).
        .testTarget(name: "RedliteBenchmarkTests", dependencies: ["RedliteBenchmark"]),
        // The server in process (hiredis and raw sockets as clients), and the redlite-server
        // binary end to end, also under dst-host's suites (the dependencies make SwiftPM build
        // both binaries; the suites' libraries come from `swift build`).
        .testTarget(
            name: "RedliteServerTests",
            dependencies: ["RedliteServer", "RedliteServerMain", "DSTHost", "RedisClient", "RESP", "Redlite"]
        ),
        // End-to-end: runs the built dst-host binary against the built plugins.
        // The tests find libSmoke.so beside the test bundle (`swift build` builds it first) and
        // compile the C fixtures and the C example themselves.
        .testTarget(name: "DSTHostTests", dependencies: ["DSTHost", "DSTHostCore", "RedisClient", .product(name: "Yams", package: "Yams")],
                    exclude: ["Fixtures"]),
    ]
)
