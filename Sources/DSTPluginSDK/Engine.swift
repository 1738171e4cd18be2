/// How ``TestRun/openEngine(_:)`` opens a connection (the ABI's `dst_engine_options`).
public struct EngineOptions: Hashable, Sendable {
    /// Where the database lives.
    public enum Storage: Hashable, Sendable {
        /// A private in-memory database: empty again after ``Engine/reopen()``.
        case memory
        /// A file in the run's private scratch folder, in WAL mode. The same name in one run is
        /// the same file, so several engines can share it.
        case file(String)
    }

    /// What a file database promises to keep across a crash.
    public enum Durability: Hashable, Sendable {
        /// `synchronous=NORMAL`: survives a process crash; a power loss may roll back the last
        /// acknowledged commits.
        case normal
        /// `synchronous=FULL`: every acknowledged write survives a power loss.
        case full
    }

    /// Where the database lives.
    public var storage: Storage
    /// Ignored for memory databases.
    public var durability: Durability
    /// A SQLite VFS name (e.g. the host's simulated disk); nil for SQLite's default.
    public var vfs: String?

    /// Where commands go (ABI 1.2).
    public enum Target: Hashable, Sendable {
        /// The embedded Redlite engine.
        case embedded
        /// The run's reference Redis server (`DST_TARGET_REFERENCE`): a real Redis the host
        /// started or was given with `--redis`, emptied at open. The test needs the tag
        /// `reference_server` for the host to provide one; when none can be reached, opening
        /// throws an ``SDKError`` with `DST_ERR_UNSUPPORTED` and the host's reason.
        case reference
    }

    /// The shape of replies (ABI 1.2).
    public enum ReplyShape: Hashable, Sendable {
        /// The engine's own: maps, sets, doubles and booleans as such (RESP3 shapes).
        case engine
        /// As a RESP2 client receives them: flat arrays, doubles as bulk strings, booleans as
        /// 0/1. What a server target always gives; use it on both sides of a comparison.
        case resp2
    }

    /// Where commands go; storage, durability and VFS apply to the embedded engine only.
    public var target: Target = .embedded
    /// The shape of replies.
    public var replyShape: ReplyShape = .engine
    /// Driven from a thread the test starts (ABI 1.4): see ``threaded()``.
    public var isThreaded = false

    /// Options with the ABI's defaults: a memory database, NORMAL durability, default VFS.
    public init(storage: Storage = .memory, durability: Durability = .normal, vfs: String? = nil) {
        self.storage = storage
        self.durability = durability
        self.vfs = vfs
    }

    /// The run's reference Redis server (ABI 1.2), replies in RESP2 shape.
    public static var reference: EngineOptions {
        var options = EngineOptions()
        options.target = .reference
        options.replyShape = .resp2
        return options
    }

    /// These options with replies in RESP2 shape.
    public func replying(in shape: ReplyShape) -> EngineOptions {
        var options = self
        options.replyShape = shape
        return options
    }

    /// These options for an engine driven from a thread the test starts (ABI 1.4), for load
    /// tests where real threads contend for real locks. Only for ``file(_:durability:vfs:)``
    /// without a VFS. Its ``Engine`` may then be used from one other thread (open it, hand it
    /// over, use it there); its commands stay out of the trace, and it reads the real clock,
    /// so its keys expire in real time. Errors from it carry only the host's status.
    public func threaded() -> EngineOptions {
        var options = self
        options.isThreaded = true
        return options
    }

    /// The ABI minor the options need: a host before it would silently ignore them.
    var neededMinor: UInt32 { isThreaded ? 4 : (target != .embedded || replyShape != .engine) ? 2 : 0 }

    /// A private in-memory database.
    public static var memory: EngineOptions { EngineOptions() }

    /// The database file `name` on the run's simulated disk (ABI minor 1): in memory, with
    /// seeded faults and crashes driven through ``TestRun/disk``.
    public static func simulated(_ name: String = "data.db", durability: Durability = .normal) -> EngineOptions {
        EngineOptions(storage: .file(name), durability: durability, vfs: simulatedDiskVFS)
    }

    /// The VFS name of the run's simulated disk (`DST_VFS_SIMULATED`).
    public static let simulatedDiskVFS = DST_VFS_SIMULATED

    /// The database file `name` in the run's scratch folder.
    public static func file(_ name: String = "data.db", durability: Durability = .normal,
                            vfs: String? = nil) -> EngineOptions {
        EngineOptions(storage: .file(name), durability: durability, vfs: vfs)
    }

    /// Lends `body` the C form; its strings live only for the call, as the ABI allows.
    func withCOptions<Result>(_ body: (UnsafePointer<dst_engine_options>) -> Result) -> Result {
        var fileName: String?
        if case .file(let name) = storage { fileName = name }
        return withOptionalCString(fileName) { cFileName in
            withOptionalCString(vfs) { cVFS in
                withOptionalCString(target == .reference ? DST_TARGET_REFERENCE : nil) { cTarget in
                var options = dst_engine_options()
                options.struct_size = MemoryLayout<dst_engine_options>.size
                options.storage = fileName == nil ? DST_STORAGE_MEMORY : DST_STORAGE_FILE
                options.durability = durability == .full ? DST_DURABILITY_FULL : DST_DURABILITY_NORMAL
                options.file_name = cFileName
                options.vfs = cVFS
                options.target = cTarget
                options.protocol = replyShape == .resp2 ? 2 : 0
                options.threaded = isThreaded ? 1 : 0
                return withUnsafePointer(to: &options) { body($0) }
                }
            }
        }
    }

    /// A short label for error messages.
    var label: String {
        if target == .reference { return "reference Redis server" }
        switch storage {
        case .memory: return "memory"
        case .file(let name): return "file \(name), durability \(durability)\(isThreaded ? ", threaded" : "")"
        }
    }
}

private func withOptionalCString<Result>(_ text: String?,
                                         _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

/// One value that can be a command argument: its bytes are sent as they are (binary-safe).
///
/// Numbers are sent in their decimal text, as a Redis client would send them.
public protocol CommandArgument {
    /// The bytes sent to the engine.
    var commandBytes: [UInt8] { get }
}

extension String: CommandArgument {
    /// The UTF-8 of the string.
    public var commandBytes: [UInt8] { Array(utf8) }
}

extension Substring: CommandArgument {
    /// The UTF-8 of the substring.
    public var commandBytes: [UInt8] { Array(utf8) }
}

extension Array: CommandArgument where Element == UInt8 {
    /// The bytes themselves.
    public var commandBytes: [UInt8] { self }
}

extension Int: CommandArgument {
    /// Decimal text.
    public var commandBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int64: CommandArgument {
    /// Decimal text.
    public var commandBytes: [UInt8] { Array(String(self).utf8) }
}

extension UInt64: CommandArgument {
    /// Decimal text.
    public var commandBytes: [UInt8] { Array(String(self).utf8) }
}

extension Double: CommandArgument {
    /// Swift's shortest round-trip text ("1.5", "1e-07", "inf"), which Redis's strtod reads
    /// back to the same value.
    public var commandBytes: [UInt8] { Array(description.utf8) }
}

/// A connection to the host's engine (the ABI's `dst_engine`).
///
/// Closed when the object goes away, or by ``close()``. An engine is tied to the run that
/// opened it: after that run ends every call throws, and going away does nothing, because the
/// host has already closed what the run left open.
///
/// Sendable so that a threaded engine (``EngineOptions/threaded()``) can be handed to the
/// thread that drives it; the host serializes calls per engine, and allows calls from other
/// threads for threaded engines only. Join those threads before the test returns.
public final class Engine: @unchecked Sendable {
    let run: RunContext
    private var handle: OpaquePointer?
    /// The options it was opened with.
    public let options: EngineOptions

    init(run: RunContext, options: EngineOptions) throws {
        self.run = run
        self.options = options
        try run.ensureActive()
        if run.table.abi_minor < options.neededMinor {
            throw SDKError(DST_ERR_UNSUPPORTED, "engine_open(\(options.label)): these options need a host of ABI 1.\(options.neededMinor) or later (this host: 1.\(run.table.abi_minor))")
        }
        var opened: OpaquePointer?
        let status = options.withCOptions { run.table.engine_open!(run.context, $0, &opened) }
        guard status == DST_OK else {
            throw run.error(status < 0 ? status : DST_ERR_INTERNAL, "engine_open(\(options.label))")
        }
        guard let opened else {
            throw SDKError(DST_ERR_INTERNAL, "engine_open(\(options.label)) returned no engine")
        }
        self.handle = opened
    }

    deinit { close() }

    /// Closes the connection now (a later call throws); closing twice is harmless.
    public func close() {
        if let handle, run.isActive { run.table.engine_close!(run.context, handle) }
        handle = nil
    }

    /// Closes and reopens the same database with the same options: a restart. A memory
    /// database comes back empty; a file keeps what was committed.
    public func reopen() throws {
        let handle = try liveHandle()
        let status = run.table.engine_reopen!(run.context, handle)
        guard status >= 0 else { throw run.error(status, "engine_reopen(\(options.label))") }
    }

    /// Runs one command, e.g. `execute("SET", key, 42)`. An error reply is a ``Reply/error(_:)``
    /// value, not a thrown error: only a failure of the call itself throws.
    @discardableResult
    public func execute(_ arguments: any CommandArgument...) throws -> Reply {
        try execute(arguments.map(\.commandBytes))
    }

    /// Runs one command given as a list, for commands built at run time.
    @discardableResult
    public func execute(_ arguments: [any CommandArgument]) throws -> Reply {
        try execute(arguments.map(\.commandBytes))
    }

    /// Runs one command given as raw argument bytes (binary-safe).
    @discardableResult
    public func execute(_ argv: [[UInt8]]) throws -> Reply {
        let handle = try liveHandle()
        // One contiguous buffer keeps every argument's address stable for the whole call. The
        // trailing byte keeps it from being empty, so even an empty argument has a real address.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(argv.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(argv.count)
        for argument in argv {
            offsets.append(buffer.count)
            buffer += argument
        }
        buffer.append(0)
        let lengths = argv.map(\.count)

        var reply: UnsafeMutablePointer<dst_reply>?
        let status = buffer.withUnsafeBufferPointer { bytes in
            let pointers: [UnsafePointer<UInt8>?] = offsets.map { bytes.baseAddress! + $0 }
            return pointers.withUnsafeBufferPointer { argvPointer in
                lengths.withUnsafeBufferPointer { lengthsPointer in
                    run.table.engine_execute!(run.context, handle, argv.count, argvPointer.baseAddress,
                                              lengthsPointer.baseAddress, &reply)
                }
            }
        }
        defer { if let reply { run.table.reply_free!(run.context, reply) } }
        guard status >= 0 else { throw run.error(status, "engine_execute(\(Engine.commandName(argv)))") }
        guard let reply else {
            throw SDKError(DST_ERR_INTERNAL, "engine_execute(\(Engine.commandName(argv))) returned no reply")
        }
        return try Reply(decoding: reply)
    }

    /// The handle for the host's calls; throws once closed or after the run.
    func liveHandle() throws -> OpaquePointer {
        try run.ensureActive()
        guard let handle else { throw SDKError(DST_ERR_INVALID_ARGUMENT, "engine used after close()") }
        return handle
    }

    private static func commandName(_ argv: [[UInt8]]) -> String {
        guard let first = argv.first else { return "no arguments" }
        return String(decoding: first.prefix(32), as: UTF8.self)
    }
}
