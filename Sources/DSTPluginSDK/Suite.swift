// DSTPluginSDK: write a dst-host test-suite plugin in Swift without touching a pointer.
//
// A plugin declares a type conforming to `Suite` and exports the ABI's entry function:
//
//     @_cdecl("dst_plugin_v1")
//     public func dstPluginEntry(_ host: UnsafePointer<dst_host_api>?,
//                                _ out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
//         MySuite.export(host: host, into: out)
//     }
//
// The SDK keeps no state of its own (no globals, no mutable static state): the host and every
// plugin each carry a separate copy of any Swift module, so state here would be per-plugin
// and invisible to the host anyway. Everything lives in what `export` allocates and in the
// values the trampoline builds for each run.

// Re-exported so that a plugin needs a single `import DSTPluginSDK`: its entry function still
// has to name the C types (`dst_host_api`, `dst_plugin_descriptor`, `dst_status`).
@_exported import DSTPluginAPI
import Glibc

/// One test of a suite: a name, what the host lists about it, and its body.
public struct TestCase: Sendable {
    /// Unique in the suite; `[a-z0-9_]+`.
    public let name: String
    /// One line.
    public let description: String
    /// E.g. "quick", "smoke", "nightly": the host selects tests by tag.
    public let tags: [String]
    /// How many seeds the host runs when the command line names none (at least 1).
    public let defaultSeeds: UInt32
    /// The test itself: deterministic for the run's seed (randomness from `run.random`, time
    /// from `run.clock`). Returning means passed unless a check failed; throwing ``Skip``
    /// skips; any other error fails the run with its description.
    public let body: @Sendable (TestRun) throws -> Void

    /// A test named `name` (`[a-z0-9_]+`), described by `description`.
    public init(_ name: String, _ description: String, tags: [String] = [], seeds: UInt32 = 1,
                _ body: @escaping @Sendable (TestRun) throws -> Void) {
        self.name = name
        self.description = description
        self.tags = tags
        self.defaultSeeds = seeds
        self.body = body
    }
}

/// A test suite: what one plugin exports.
public protocol Suite {
    /// The suite's name, e.g. "smoke"; `[a-z0-9_-]+`.
    static var name: String { get }
    /// The plugin's own version, e.g. "1.0.0".
    static var version: String { get }
    /// One line.
    static var description: String { get }
    /// The tests, in the order the host lists them.
    static var tests: [TestCase] { get }
}

extension Suite {
    /// The body of the plugin's `dst_plugin_v1`: checks the host's ABI version and fills the
    /// descriptor (no more than `out.pointee.struct_size` bytes of it).
    ///
    /// Returns `DST_ERR_INVALID_ARGUMENT` for a NULL argument or a descriptor too small to hold
    /// its own size, `DST_ERR_UNSUPPORTED` for a host of another major version, and
    /// `DST_ERR_INTERNAL` when the suite breaks the ABI's naming rules (the reason goes to
    /// standard error, since there is no run to log to yet).
    ///
    /// Every call builds a fresh descriptor and never frees it: the ABI requires it to stay
    /// valid while the plugin is loaded, and the host never unloads a plugin. A host calls the
    /// entry once, so this costs one small allocation per suite.
    public static func export(host: UnsafePointer<dst_host_api>?,
                              into out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
        exportSuite(name: name, version: version, description: description, tests: tests,
                    host: host, out: out)
    }
}

// MARK: - Building the descriptor

private func exportSuite(name: String, version: String, description: String, tests: [TestCase],
                         host: UnsafePointer<dst_host_api>?,
                         out: UnsafeMutablePointer<dst_plugin_descriptor>?) -> dst_status {
    guard let host, let out else { return DST_ERR_INVALID_ARGUMENT }
    // Raw loads: a host built against another version may pass shorter structs, and only the
    // leading fields are the same in every version.
    let majorOffset = MemoryLayout<dst_host_api>.offset(of: \.abi_major)!
    guard UnsafeRawPointer(host).load(as: Int.self) >= majorOffset + MemoryLayout<UInt32>.size else {
        return DST_ERR_INVALID_ARGUMENT
    }
    let hostMajor = UnsafeRawPointer(host).load(fromByteOffset: majorOffset, as: UInt32.self)
    guard hostMajor == DST_ABI_VERSION_MAJOR else { return DST_ERR_UNSUPPORTED }
    let readable = UnsafeRawPointer(out).load(as: Int.self)
    guard readable >= MemoryLayout<Int>.size else { return DST_ERR_INVALID_ARGUMENT }

    if let problem = problem(suite: name, tests: tests) {
        reportToStandardError("DSTPluginSDK: suite \"\(name)\" not exported: \(problem)")
        return DST_ERR_INTERNAL
    }

    let testArray = UnsafeMutablePointer<dst_test>.allocate(capacity: tests.count)
    for (index, test) in tests.enumerated() {
        var entry = dst_test()
        entry.struct_size = MemoryLayout<dst_test>.size
        entry.name = leakedCString(test.name)
        entry.description = leakedCString(test.description)
        if !test.tags.isEmpty {
            let tags = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: test.tags.count)
            for (tagIndex, tag) in test.tags.enumerated() {
                (tags + tagIndex).initialize(to: leakedCString(tag))
            }
            entry.tags = UnsafePointer(tags)
        }
        entry.tag_count = test.tags.count
        entry.default_seeds = test.defaultSeeds
        entry.run = { host, context, seed, user in runTest(host: host, context: context, seed: seed, user: user) }
        // Retained for good, like the descriptor: the host may run the test at any time.
        entry.user = Unmanaged.passRetained(TestBox(body: test.body)).toOpaque()
        (testArray + index).initialize(to: entry)
    }

    var descriptor = dst_plugin_descriptor()
    descriptor.struct_size = min(readable, MemoryLayout<dst_plugin_descriptor>.size)
    descriptor.abi_major = DST_ABI_VERSION_MAJOR
    descriptor.abi_minor = DST_ABI_VERSION_MINOR
    descriptor.name = leakedCString(name)
    descriptor.version = leakedCString(version)
    descriptor.description = leakedCString(description)
    descriptor.tests = UnsafePointer(testArray)
    descriptor.test_count = tests.count
    descriptor.test_size = MemoryLayout<dst_test>.stride
    let written = descriptor.struct_size
    withUnsafeBytes(of: &descriptor) { source in
        UnsafeMutableRawPointer(out).copyMemory(from: source.baseAddress!, byteCount: written)
    }
    return DST_OK
}

/// The first way the suite breaks the ABI's rules, or nil. The host checks these too, but
/// catching them here names the culprit to the plugin's author.
private func problem(suite: String, tests: [TestCase]) -> String? {
    func isName(_ text: String, allowingDash: Bool) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || (allowingDash && byte == UInt8(ascii: "-"))
        }
    }
    guard isName(suite, allowingDash: true) else { return "its name is not [a-z0-9_-]+" }
    var seen: [String] = []
    for test in tests {
        guard isName(test.name, allowingDash: false) else { return "test \"\(test.name)\": name is not [a-z0-9_]+" }
        guard !seen.contains(test.name) else { return "test \"\(test.name)\" appears twice" }
        guard test.defaultSeeds >= 1 else { return "test \"\(test.name)\": seeds must be at least 1" }
        guard !test.tags.contains(where: \.isEmpty) else { return "test \"\(test.name)\": an empty tag" }
        seen.append(test.name)
    }
    return nil
}

/// A NUL-terminated copy of `text` that is never freed (it lives as long as the descriptor).
private func leakedCString(_ text: String) -> UnsafePointer<CChar> {
    let utf8 = Array(text.utf8)
    let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
    for (index, byte) in utf8.enumerated() { (copy + index).initialize(to: CChar(bitPattern: byte)) }
    (copy + utf8.count).initialize(to: 0)
    return UnsafePointer(copy)
}

private func reportToStandardError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

// MARK: - Running a test

/// What a test's `user` pointer points at: the Swift closure a C function pointer cannot hold.
private final class TestBox: Sendable {
    let body: @Sendable (TestRun) throws -> Void
    init(body: @escaping @Sendable (TestRun) throws -> Void) { self.body = body }
}

/// The one C-callable `run` every test shares; the test's own body comes from `user`.
///
/// Nothing thrown may cross into C, so every error ends here: ``Skip`` becomes `DST_SKIP`
/// (with a log line), a failed `require` becomes `DST_FAIL` (already reported), the host's own
/// cancellation becomes `DST_ERR_CANCELLED`, and anything else is reported with
/// `check_failed("test threw: ...")` and becomes `DST_FAIL`.
private func runTest(host: UnsafePointer<dst_host_api>?, context: OpaquePointer?, seed: UInt64,
                     user: UnsafeMutableRawPointer?) -> dst_status {
    guard let host, let user else { return DST_ERR_INVALID_ARGUMENT }
    let run: RunContext
    do {
        run = try RunContext(host: host, context: context)
    } catch let error as SDKError {
        // The table may lack `log` itself, so this is the only place to say why.
        reportToStandardError("DSTPluginSDK: test not run: \(error)")
        return error.status
    } catch {
        return DST_ERR_INTERNAL
    }
    defer { run.end() }
    let box = Unmanaged<TestBox>.fromOpaque(user).takeUnretainedValue()
    let test = TestRun(run: run, seed: seed)
    do {
        try box.body(test)
        return DST_OK
    } catch let skip as Skip {
        test.log("skipped: \(skip.reason)")
        return DST_SKIP
    } catch is RequirementFailure {
        return DST_FAIL
    } catch let error as SDKError where error.isCancellation {
        test.log("stopped: \(error)")
        return DST_ERR_CANCELLED
    } catch {
        run.table.check_failed!(run.context, "test threw: \(error)")
        return DST_FAIL
    }
}
