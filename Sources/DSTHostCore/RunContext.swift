import DSTPluginAPI
import Foundation
import Redlite
import SimulatedDisk
import Synchronization

/// Everything one run of one test on one seed owns: its random stream, its virtual clock, the
/// engines it opened, and what it reported. Plugins see it only as the opaque `dst_context *`.
public final class RunContext {
    public let test: String
    public let seed: UInt64
    let random: SeededRandom
    let clock: ManualClock
    let parameters: [String: String]
    /// Parameter values as C strings, made on first request and freed with the context:
    /// `param` lends them for the rest of the run.
    private var parameterCStrings: [String: UnsafeMutablePointer<CChar>] = [:]
    private let scratchRoot: URL
    /// Made on first use; behind a lock because threaded engines open from plugin threads.
    private let scratchFolder = Mutex<URL?>(nil)
    private let deadline: ContinuousClock.Instant?

    /// Engines still open, by handle address (so a stale handle is refused, not followed).
    var engines: [UnsafeMutableRawPointer: EngineHandle] = [:]
    /// Engines driven from the plugin's own threads (ABI 1.4 `threaded`), under a lock of their own.
    let threadedEngines = ThreadedEngineRegistry()
    /// Engines of target `DST_TARGET_REFERENCE`: connections to a real Redis server.
    var referenceEngines: [UnsafeMutableRawPointer: ReferenceEngine] = [:]
    /// With a RESP target (`--target resp://host:port`): the clients that stand in for the
    /// embedded engine, under a lock of their own (threaded tests use them too).
    let targetEngines: TargetEngineRegistry?
    /// Why this run cannot be done on the RESP target (it asked for something only the
    /// embedded engine has: virtual time, the simulated disk...): the run ends as skipped.
    private(set) var targetRefusal: String?
    /// `last_error`'s answer: a C copy of the last service error, freed when replaced.
    private var lastErrorCString: UnsafeMutablePointer<CChar>?
    /// Engines opened so far in this run; each gets its own random stream, derived from the seed.
    private var enginesOpened: UInt64 = 0
    /// The run's simulated disk, made when a plugin first asks for it. Declared after
    /// `engines` is closed in `deinit`, so no connection outlives its VFS.
    private(set) var disk: SimulatedDisk?
    /// Commands the run's engines executed (a figure: simulated operations, or commands sent
    /// to a RESP target).
    private(set) var commandsExecuted: Int64 = 0

    public private(set) var failures: [String] = []
    public private(set) var logs: [String] = []
    public private(set) var metrics: [Metric] = []
    public private(set) var artifacts: [Artifact] = []
    public private(set) var trace = TraceHash()
    /// The trace as readable lines, when asked for (replay prints it).
    public private(set) var traceLines: [String]?

    /// The run's clock starts here: 2026-01-01T00:00:00Z, the same for every seed.
    public static let clockStart: Int64 = 1_767_225_600_000

    /// Receives every log line as it happens (a worker streams them to the host, so a crash
    /// still shows the last lines).
    private let onLog: ((String) -> Void)?

    /// A run outside the runner (benchmarks, harnesses): pass ``opaque`` as the `dst_context *`
    /// of calls into ``HostServices/table``.
    public init(test: String, seed: UInt64, parameters: [String: String] = [:], scratchRoot: URL,
                timeout: Duration? = nil, onLog: ((String) -> Void)? = nil, recordTrace: Bool = false) {
        self.onLog = onLog
        self.traceLines = recordTrace ? [] : nil
        self.test = test
        self.seed = seed
        self.random = SeededRandom(seed: seed)
        self.clock = ManualClock(milliseconds: Self.clockStart)
        self.parameters = parameters
        self.scratchRoot = scratchRoot
        self.deadline = timeout.map { ContinuousClock.now + $0 }
        self.targetEngines = RESPTarget.current().map(TargetEngineRegistry.init(target:))
    }

    deinit {
        threadedEngines.closeAll()
        targetEngines?.closeAll()
        for handle in engines.values { handle.close() }
        engines.removeAll()
        referenceEngines.removeAll()
        disk = nil
        for pointer in parameterCStrings.values { free(pointer) }
        free(lastErrorCString)
        if let folder = scratchFolder.withLock({ $0 }) { try? FileManager.default.removeItem(at: folder) }
    }

    /// The opaque pointer plugins receive. Valid while the run's `RunContext` lives.
    public var opaque: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    static func from(_ context: OpaquePointer?) -> RunContext? {
        guard let context else { return nil }
        return Unmanaged<RunContext>.fromOpaque(UnsafeRawPointer(context)).takeUnretainedValue()
    }

    // MARK: Services

    /// The run's private folder for database files, created on first use.
    func scratchPath(_ fileName: String) throws -> String {
        let name = "run-\(getpid())-\(UInt(bitPattern: ObjectIdentifier(self).hashValue))"
        let folder = try scratchFolder.withLock { folder -> URL in
            if let folder { return folder }
            let made = scratchRoot.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
            folder = made
            return made
        }
        return folder.appendingPathComponent(Self.plainFileName(fileName)).path
    }

    /// Where `fileName` would be in the scratch folder, or nil while there is no folder yet
    /// (nothing was written).
    func existingScratchPath(_ fileName: String) -> String? {
        scratchFolder.withLock { $0 }?.appendingPathComponent(Self.plainFileName(fileName)).path
    }

    /// The last component of a plugin's file name ("data.db" when it gives none): a plugin
    /// cannot reach outside its folder, on the real disk or the simulated one.
    static func plainFileName(_ fileName: String?) -> String {
        let name = fileName?.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty ? "data.db" : name
    }

    /// The open engine behind a plugin's handle, or nil for a stale or foreign one.
    func engine(_ handle: OpaquePointer?) -> EngineHandle? {
        handle.flatMap { engines[UnsafeMutableRawPointer($0)] }
    }

    /// The run's simulated disk, created on first use: its VFS is registered under a name
    /// unique in the process, its random stream comes from the seed, its time is the run's
    /// clock, and what it does goes into the trace.
    func simulatedDisk() -> SimulatedDisk {
        if let disk { return disk }
        let number = Self.disksCreated.withLock { $0 += 1; return $0 }
        let disk = SimulatedDisk(name: "dst-simulated-\(number)", seed: seed ^ 0xD15C_5EED_0000_0001, clock: clock)
        if PlantedDefect.active == .skipChecksum { disk.verifiesChecksums = false }
        disk.onEvent = { [unowned self] line in
            feedTraceFramed(Array("disk \(line)".utf8))
            recordTraceLine("disk: \(line)")
        }
        self.disk = disk
        return disk
    }

    private static let disksCreated = Mutex<Int>(0)

    /// Runs one command on an engine: the planted defect (if any) applies, and the command
    /// and its reply go into the trace. `connection` labels it in a concurrent batch.
    func execute(_ arguments: [[UInt8]], on connection: RedliteConnection, label: String = "") -> Reply {
        let reply = PlantedDefect.execute(arguments, on: connection)
        traceCommand(arguments, reply, label: label)
        return reply
    }

    /// A command and its reply into the trace (and the count of commands run): an embedded
    /// engine's, or a RESP target client's (a server's replies can depend on its real clock,
    /// so a target's trace is not the seed's alone).
    func traceCommand(_ arguments: [[UInt8]], _ reply: Reply, label: String = "") {
        commandsExecuted += 1
        for argument in arguments { feedTraceFramed(argument) }
        feedTrace(reply)
        recordTraceLine(label + "> " + TraceText.command(arguments))
        recordTraceLine(label + "< " + TraceText.reply(reply))
    }

    /// Bytes fed to a client connection into the trace, before the commands they complete.
    func traceFeedInput(_ input: [UInt8]) {
        feedTraceFramed(Array("feed".utf8))
        feedTraceFramed(input)
        recordTraceLine("feed> " + TraceText.quoted(input))
    }

    /// What the connection answered to a feed, after its commands.
    func traceFeedOutput(_ output: [UInt8], closed: Bool) {
        feedTraceFramed(output)
        feedTraceFramed(closed ? [1] : [0])
        recordTraceLine("feed< " + TraceText.quoted(output) + (closed ? " (closed)" : ""))
    }

    /// The engines on the simulated disk, in the order they were opened.
    var simulatedEngines: [EngineHandle] {
        guard let name = disk?.vfsName else { return [] }
        return engines.values.filter { $0.options.vfs == name }.sorted { $0.clientID < $1.clientID }
    }

    /// The end of the test body: the disk's final bytes go into the trace, so two runs of a
    /// seed must leave the same disk behind.
    public func finish() {
        guard let disk else { return }
        feedTraceFramed(Array("disk digest \(String(disk.contentDigest(), radix: 16))".utf8))
    }

    /// Simulated time so far, in microseconds of the run's clock.
    var simulatedMicroseconds: Int64 { clock.nowMicroseconds() - Self.clockStart * 1000 }

    /// - Parameter traceName: what the trace records for this open: what the plugin asked for,
    ///   never the scratch path, which differs from run to run.
    func openEngine(_ options: StorageOptions, traceName: String) throws -> UnsafeMutableRawPointer {
        enginesOpened += 1
        let handle = EngineHandle(options: options, clock: clock, randomSeed: seed ^ (enginesOpened &* 0x9E37_79B9_7F4A_7C15),
                                  clientID: Int64(enginesOpened))
        try handle.open()
        let pointer = Unmanaged.passUnretained(handle).toOpaque()
        engines[pointer] = handle
        trace.feedFramed(Array("open \(traceName)".utf8))
        traceLines?.append("open engine \(enginesOpened): \(traceName)")
        return pointer
    }

    /// The parameter that tells a test its engines are clients of a RESP target.
    static let targetParameter = "target"

    func parameterCString(_ key: String) -> UnsafePointer<CChar>? {
        if let existing = parameterCStrings[key] { return UnsafePointer(existing) }
        let hostValue = key == Self.targetParameter ? targetEngines.map { "\($0.target)" } : nil
        guard let value = hostValue ?? parameters[key], let copy = strdup(value) else { return nil }
        parameterCStrings[key] = copy
        return UnsafePointer(copy)
    }

    /// Past the deadline, or refused by the RESP target (nothing more is worth running).
    var isCancelled: Bool { targetRefusal != nil || (deadline.map { ContinuousClock.now >= $0 } ?? false) }

    /// Refuses a service the RESP target cannot provide: `last_error` says why, and the run
    /// will end as skipped with that reason (whatever the test then makes of the refusal).
    func refuseOnTarget(_ service: String, needs: String) -> dst_status {
        let target = targetEngines.map { "\($0.target)" } ?? "the RESP target"
        let reason = "needs the embedded engine (\(needs)), which \(target) does not have"
        if targetRefusal == nil { targetRefusal = reason }
        serviceError("\(service): \(reason)")
        return DST_ERR_UNSUPPORTED
    }

    /// Opens a client of the RESP target in place of an embedded engine.
    func openTargetEngine(_ targets: TargetEngineRegistry, threaded: Bool, inMemory: Bool) throws(TargetError) -> UnsafeMutableRawPointer {
        let pointer = try targets.open(threaded: threaded, inMemory: inMemory)
        if !threaded {
            trace.feedFramed(Array("open target".utf8))
            traceLines?.append("open engine on the target: \(targets.target)")
        }
        return pointer
    }

    /// A service call failed: the log says why, and so does `last_error` until the next one.
    func serviceError(_ message: String) {
        log(message)
        free(lastErrorCString)
        lastErrorCString = strdup(message)
    }

    var lastError: UnsafePointer<CChar>? { lastErrorCString.map { UnsafePointer($0) } }

    /// Opens a connection to this process's reference Redis server (emptying its database).
    func openReferenceEngine() throws -> UnsafeMutableRawPointer {
        let endpoint = try ReferenceServers.current().get()
        let engine = try ReferenceEngine(endpoint: endpoint)
        let pointer = Unmanaged.passUnretained(engine).toOpaque()
        referenceEngines[pointer] = engine
        // Which server is not part of the trace (its port changes run to run); that there is one is.
        trace.feedFramed(Array("open reference".utf8))
        traceLines?.append("open reference engine: \(endpoint)")
        return pointer
    }

    func referenceEngine(_ handle: OpaquePointer?) -> ReferenceEngine? {
        handle.flatMap { referenceEngines[UnsafeMutableRawPointer($0)] }
    }

    func recordFailure(_ message: String) {
        failures.append(message)
        log("check failed: \(message)")
    }

    /// Keeps the last lines only: they are what a failure report shows.
    func log(_ line: String) {
        onLog?(line)
        logs.append(line)
        if logs.count > 200 { logs.removeFirst(logs.count - 100) }
    }

    func recordMetric(_ metric: Metric) { metrics.append(metric) }
    func recordArtifact(_ artifact: Artifact) { artifacts.append(artifact) }
    func feedTrace(_ bytes: some Sequence<UInt8>) { trace.feed(bytes) }
    func feedTraceFramed(_ bytes: [UInt8]) { trace.feedFramed(bytes) }
    func feedTrace(_ reply: Reply) { trace.feed(reply) }

    /// Adds a readable line to the recorded trace (only when recording).
    func recordTraceLine(_ line: @autoclosure () -> String) {
        guard traceLines != nil else { return }
        traceLines!.append(line())
    }
}

/// A measurement a test reported.
public struct Metric: Codable, Sendable, Equatable {
    public let name: String
    public let value: Double
    public let unit: String
}

/// Bytes a test saved under a name (e.g. a minimized trace).
public struct Artifact: Codable, Sendable, Equatable {
    public let name: String
    public let bytes: [UInt8]
}

extension ManualClock: VirtualClock {
    public func advance(microseconds: Int64) { self.microseconds += max(microseconds, 0) }
}

/// One engine connection a plugin opened: `reopen` closes and opens the same database again.
final class EngineHandle {
    let options: StorageOptions
    let clock: ManualClock
    let randomSeed: UInt64
    let clientID: Int64
    private(set) var connection: RedliteConnection? {
        // A reopened or crashed engine is a new server: the fed client's socket is gone.
        didSet { session = nil }
    }
    /// Replies go to the plugin as a RESP2 client would see them (`protocol` 2).
    var lowersRepliesToRESP2 = false
    /// The RESP client connection `engine_feed` talks through: made by the first feed,
    /// dropped when it closes (so the next feed is a new client) and when the engine reopens.
    var session: RESPSession?

    init(options: StorageOptions, clock: ManualClock, randomSeed: UInt64, clientID: Int64) {
        self.options = options
        self.clock = clock
        self.randomSeed = randomSeed
        self.clientID = clientID
    }

    /// Opens (or reopens) the connection: the same seed-derived randomness and id every time,
    /// as a restarted server would have.
    func open() throws {
        connection = try RedliteConnection(options, clock: clock, random: SeededRandom(seed: randomSeed), clientID: clientID)
    }

    func close() { connection = nil }

    /// Closes the way a crashed process would: no checkpoint, the WAL left for the next open.
    func crash() {
        try? connection?.database.disableCheckpointOnClose()
        connection = nil
    }
}
