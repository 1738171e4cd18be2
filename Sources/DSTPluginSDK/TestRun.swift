/// What one run shares between its ``TestRun``, ``Random``, ``Clock`` and ``Engine`` values:
/// the host's service table and the run's context.
///
/// The table is copied once at the start of the run after checking that every minor-0 slot is
/// there, which is why the rest of the SDK may call those slots with `!`.
final class RunContext {
    let table: dst_host_api
    /// How many bytes of the table the host filled in (its `struct_size`).
    let tableSize: Int
    let context: OpaquePointer?
    /// Cleared when the run's `run` call returns: the context is dead from then on, so objects
    /// that escaped the test body (an ``Engine`` kept somewhere) must not touch it.
    private(set) var isActive = true

    /// Copies and checks the host's table.
    ///
    /// Reads no more than the table's `struct_size` (the ABI's rule for every struct), then
    /// requires every slot of minor 0: this SDK calls nothing newer.
    init(host: UnsafePointer<dst_host_api>, context: OpaquePointer?) throws {
        let raw = UnsafeRawPointer(host)
        let written = raw.load(as: Int.self)
        var table = dst_host_api()
        withUnsafeMutableBytes(of: &table) { destination in
            let count = min(max(written, 0), destination.count)
            destination.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: count))
        }
        guard table.abi_major == DST_ABI_VERSION_MAJOR else {
            throw SDKError(DST_ERR_UNSUPPORTED, "host ABI \(table.abi_major).\(table.abi_minor), "
                           + "plugin built for \(DST_ABI_VERSION_MAJOR).\(DST_ABI_VERSION_MINOR)")
        }
        let minor0End = MemoryLayout<dst_host_api>.offset(of: \.cancelled)!
            + MemoryLayout.size(ofValue: table.cancelled)
        let slots: [(String, Bool)] = [
            ("engine_open", table.engine_open != nil),
            ("engine_execute", table.engine_execute != nil),
            ("reply_free", table.reply_free != nil),
            ("engine_close", table.engine_close != nil),
            ("engine_reopen", table.engine_reopen != nil),
            ("random_next", table.random_next != nil),
            ("random_below", table.random_below != nil),
            ("clock_now_ms", table.clock_now_ms != nil),
            ("clock_advance_ms", table.clock_advance_ms != nil),
            ("log", table.log != nil),
            ("check_failed", table.check_failed != nil),
            ("metric", table.metric != nil),
            ("artifact", table.artifact != nil),
            ("trace", table.trace != nil),
            ("param", table.param != nil),
            ("cancelled", table.cancelled != nil),
        ]
        let missing = slots.filter { !$0.1 }.map(\.0)
        guard written >= minor0End, missing.isEmpty else {
            throw SDKError(DST_ERR_UNSUPPORTED, "host table of \(written) bytes lacks minor-0 services "
                           + (missing.isEmpty ? "(needs \(minor0End) bytes)" : missing.joined(separator: ", ")))
        }
        self.table = table
        self.tableSize = written
        self.context = context
    }

    func end() { isActive = false }

    func ensureActive() throws {
        guard isActive else {
            throw SDKError(DST_ERR_INVALID_ARGUMENT, "used after its test run ended")
        }
    }
}

/// The severity of a ``TestRun/log(_:level:)`` line.
public enum LogLevel: Sendable {
    /// Detail for digging into a failure.
    case debug
    /// Normal progress.
    case info
    /// Something odd that did not fail the run.
    case warning

    var code: Int32 {
        switch self {
        case .debug: return DST_LOG_DEBUG
        case .info: return DST_LOG_INFO
        case .warning: return DST_LOG_WARNING
        }
    }
}

/// The run's random stream (`random_next`, `random_below`), derived from the seed only.
///
/// Draw every random choice of a test from here, never from Swift's `random()` or from a
/// `Dictionary`'s order: that is what makes a seed reproduce its run.
///
/// It is also a `RandomNumberGenerator`, so `shuffle(using:)` and `Int.random(in:using:)` work;
/// but those turn bits into values with the standard library's algorithms, which a future
/// Swift may change. ``below(_:)`` and ``int(in:)`` are the host's own and stay stable.
public struct Random: RandomNumberGenerator {
    let run: RunContext

    /// The next 64 bits of the stream.
    public func next() -> UInt64 { run.table.random_next!(run.context) }

    /// A uniform value in `0..<bound`; 0 when `bound` is 0.
    public func below(_ bound: UInt64) -> UInt64 { run.table.random_below!(run.context, bound) }

    /// A uniform index in `0..<bound`, e.g. `keys[random.below(keys.count)]`; 0 when `bound`
    /// is 0 or less.
    public func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(run.table.random_below!(run.context, UInt64(bound)))
    }

    /// A uniform integer in `range`.
    public func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
        // A span that wrapped to 0 is the whole of Int: every 64-bit pattern is fair.
        let offset = span == 0 ? next() : below(span)
        return range.lowerBound &+ Int(truncatingIfNeeded: offset)
    }

    /// A fair coin.
    public func bool() -> Bool { next() & 1 == 1 }

    /// `true` with probability `numerator / denominator`, e.g. `chance(1, in: 10)`.
    public func chance(_ numerator: Int, in denominator: Int) -> Bool { below(denominator) < numerator }

    /// `count` random bytes.
    public func bytes(count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            var word = next()
            for _ in 0..<min(8, count - result.count) {
                result.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return result
    }
}

/// The run's virtual clock (`clock_now_ms`, `clock_advance_ms`): every engine's TTLs read it,
/// and nothing moves it but ``advance(_:)``.
public struct Clock {
    let run: RunContext

    /// The virtual time, in Unix milliseconds.
    public var nowMilliseconds: Int64 { run.table.clock_now_ms!(run.context) }

    /// Moves the clock forward; negative values are ignored (time never goes back).
    public func advance(_ milliseconds: Int64) { run.table.clock_advance_ms!(run.context, milliseconds) }
}

/// One run of one test on one seed: the test body's view of the host.
///
/// Valid only while the body runs: the host's context dies when the body returns.
public struct TestRun {
    let run: RunContext

    /// The seed of this run. The random stream is already derived from it: use ``random``.
    public let seed: UInt64
    /// The run's random stream.
    public var random: Random { Random(run: run) }
    /// The run's virtual clock.
    public var clock: Clock { Clock(run: run) }

    init(run: RunContext, seed: UInt64) {
        self.run = run
        self.seed = seed
    }

    // MARK: Engines

    /// Opens a connection to the engine; it closes when the returned object goes away.
    public func openEngine(_ options: EngineOptions = .memory) throws -> Engine {
        try Engine(run: run, options: options)
    }

    // MARK: Checks

    /// Records a failure when `condition` is false, and goes on: the run fails at the end.
    /// Returns `condition`, so a test can skip work that depends on it.
    ///
    /// The message is built only on failure; say what was expected and what came instead.
    @discardableResult
    public func check(_ condition: Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) -> Bool {
        if !condition { fail(message(), file: file, line: line) }
        return condition
    }

    /// Records a failure unless `actual == expected`, with both in the message:
    /// "GET key:7: expected "v", got (nil)". Returns whether they were equal.
    @discardableResult
    public func checkEqual<Value: Equatable>(_ actual: Value, _ expected: Value,
                                             _ what: @autoclosure () -> String,
                                             file: StaticString = #fileID, line: UInt = #line) -> Bool {
        if actual == expected { return true }
        fail("\(what()): expected \(expected), got \(actual)", file: file, line: line)
        return false
    }

    /// Like ``check(_:_:file:line:)``, but stops the test on failure (it throws), for when
    /// nothing after it would make sense.
    public func require(_ condition: Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) throws {
        if !condition {
            fail(message(), file: file, line: line)
            throw RequirementFailure()
        }
    }

    /// Like ``checkEqual(_:_:_:file:line:)``, but stops the test on failure (it throws).
    public func requireEqual<Value: Equatable>(_ actual: Value, _ expected: Value,
                                               _ what: @autoclosure () -> String,
                                               file: StaticString = #fileID, line: UInt = #line) throws {
        if actual == expected { return }
        fail("\(what()): expected \(expected), got \(actual)", file: file, line: line)
        throw RequirementFailure()
    }

    /// Records a failure (`check_failed`) and goes on; the message is prefixed with the
    /// source location.
    public func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) {
        run.table.check_failed!(run.context, "\(file):\(line): \(message)")
    }

    // MARK: Reporting

    /// A log line; the host shows the last ones when the run fails.
    public func log(_ message: String, level: LogLevel = .info) {
        run.table.log!(run.context, level.code, message)
    }

    /// Records a measurement, e.g. `metric("ops_per_second", 51234, unit: "ops/s")`.
    public func metric(_ name: String, _ value: Double, unit: String = "") {
        run.table.metric!(run.context, name, value, unit)
    }

    /// Saves `bytes` under `name` with the run's result.
    public func artifact(_ name: String, _ bytes: [UInt8]) throws {
        let status = bytes.withUnsafeBufferPointer { buffer in
            run.table.artifact!(run.context, name, buffer.baseAddress, buffer.count)
        }
        guard status >= 0 else { throw SDKError(status, "artifact(\(name))") }
    }

    /// Saves the UTF-8 of `text` under `name` with the run's result.
    public func artifact(_ name: String, text: String) throws {
        try artifact(name, Array(text.utf8))
    }

    /// Adds bytes to the run's trace, whose hash the determinism check compares. Engine calls
    /// and replies are in it already; add what else the test decided.
    public func trace(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            run.table.trace!(run.context, buffer.baseAddress, buffer.count)
        }
    }

    /// Adds the UTF-8 of `text` to the run's trace.
    public func trace(_ text: String) { trace(Array(text.utf8)) }

    // MARK: Parameters and cancellation

    /// A run parameter (`--param key=value`, or "ops", "keys", "faults" from the command
    /// line); nil when unset.
    public func parameter(_ key: String) -> String? {
        guard let value = run.table.param!(run.context, key) else { return nil }
        return String(cString: value)
    }

    /// An integer parameter, or `default` when unset. A value that is not an integer throws
    /// (ending the test as failed), rather than quietly running a different test.
    public func parameter(_ key: String, default defaultValue: Int) throws -> Int {
        guard let text = parameter(key) else { return defaultValue }
        guard let value = Int(text) else {
            throw SDKError(DST_ERR_INVALID_ARGUMENT, "parameter \(key)=\(text) is not an integer")
        }
        return value
    }

    /// A floating-point parameter, or `default` when unset; a malformed value throws.
    public func parameter(_ key: String, default defaultValue: Double) throws -> Double {
        guard let text = parameter(key) else { return defaultValue }
        guard let value = Double(text) else {
            throw SDKError(DST_ERR_INVALID_ARGUMENT, "parameter \(key)=\(text) is not a number")
        }
        return value
    }

    /// A boolean parameter ("1"/"0", "true"/"false", "yes"/"no", "on"/"off"), or `default`
    /// when unset; anything else throws.
    public func parameter(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = parameter(key) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw SDKError(DST_ERR_INVALID_ARGUMENT, "parameter \(key)=\(text) is not a boolean")
        }
    }

    /// `true` once the run passed its deadline or was cancelled: return promptly.
    public var isCancelled: Bool { run.table.cancelled!(run.context) != 0 }

    /// Throws a cancellation ``SDKError`` when ``isCancelled``; the run then ends quietly.
    /// Call it in long loops.
    public func checkCancellation() throws {
        if isCancelled { throw SDKError(DST_ERR_CANCELLED, "run cancelled") }
    }
}
