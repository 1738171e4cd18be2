/// The run's simulated disk (ABI minor 1): every engine opened with
/// ``EngineOptions/simulated(_:durability:)`` keeps its files here.
///
/// Files live in memory with a durable image and pending writes; the fault plan injects seeded
/// faults; ``crash()`` is a power loss. Everything it decides comes from the run's seed.
public struct SimulatedDisk {
    let run: RunContext

    /// Replaces the fault plan, e.g. `"disk_full quota=65536; read_eio p=0.01 persistent"`;
    /// `""` clears it (see the README's "The simulated disk" for the grammar). A malformed plan
    /// throws `DST_ERR_INVALID_ARGUMENT` (the run's log says why).
    public func setPlan(_ plan: String) throws {
        let setPlan = try run.minor1(\.disk_set_plan, "disk_set_plan")
        let status = setPlan(run.context, plan)
        guard status == DST_OK else { throw run.error(status, "disk_set_plan(\(plan))") }
    }

    /// A power loss now (or the end of one a planned crash began): every engine on the disk
    /// closes, pending writes are resolved by the seed, and every engine reopens on what
    /// survived. ``Engine`` objects stay usable.
    public func crash() throws {
        let crash = try run.minor1(\.disk_crash, "disk_crash")
        let status = crash(run.context)
        guard status == DST_OK else { throw run.error(status, "disk_crash") }
    }

    /// What the disk has done so far.
    public func stats() throws -> DiskStats {
        let readStats = try run.minor1(\.disk_stats, "disk_stats")
        var raw = dst_disk_stats()
        raw.struct_size = MemoryLayout<dst_disk_stats>.size
        let status = readStats(run.context, &raw)
        guard status == DST_OK else { throw SDKError(status, "disk_stats") }
        return DiskStats(raw)
    }
}

/// Counters of the simulated disk (`dst_disk_stats`): calls SQLite made through the VFS for
/// every engine of the run.
public struct DiskStats: Sendable, Equatable {
    public var reads: UInt64
    public var writes: UInt64
    public var syncs: UInt64
    public var truncates: UInt64
    /// xLock, xUnlock and xShmLock calls.
    public var locks: UInt64
    /// Busy waits (xSleep).
    public var sleeps: UInt64
    /// Faults the plan injected.
    public var faults: UInt64
    /// Power losses resolved.
    public var crashes: UInt64
    /// A planned crash fired and ``SimulatedDisk/crash()`` has not recovered yet: every call
    /// to the disk fails.
    public var powerLost: Bool
    /// Bytes that would survive a power loss now.
    public var durableBytes: UInt64
    /// Bytes written but not yet synced.
    public var pendingBytes: UInt64
    public var files: UInt64
    /// Reads refused because a page's checksum did not match.
    public var checksumErrors: UInt64

    init(_ raw: dst_disk_stats) {
        reads = raw.reads
        writes = raw.writes
        syncs = raw.syncs
        truncates = raw.truncates
        locks = raw.locks
        sleeps = raw.sleeps
        faults = raw.faults
        crashes = raw.crashes
        powerLost = raw.power_lost != 0
        durableBytes = raw.durable_bytes
        pendingBytes = raw.pending_bytes
        files = raw.files
        checksumErrors = raw.checksum_errors
    }
}

/// One command of ``TestRun/executeConcurrently(_:)``.
public struct ConcurrentCommand {
    /// The connection that runs it.
    public var engine: Engine
    /// Its arguments.
    public var argv: [[UInt8]]

    public init(_ engine: Engine, _ arguments: [any CommandArgument]) {
        self.engine = engine
        self.argv = arguments.map(\.commandBytes)
    }

    public init(_ engine: Engine, argv: [[UInt8]]) {
        self.engine = engine
        self.argv = argv
    }
}

/// What became of one command of a concurrent batch.
public struct ConcurrentResult: Sendable, Equatable {
    /// The reply, or nil when the command never ran (the power was lost or the run cancelled).
    public var reply: Reply?
    /// When it was invoked, as a position in the batch's event order.
    public var invokedAt: UInt64
    /// When its reply returned, or nil when it was cut off before replying.
    public var returnedAt: UInt64?
}

/// A concurrent batch ended because no connection could make progress.
public struct DeadlockError: Error, CustomStringConvertible {
    /// What completed before the deadlock, in the order of the commands.
    public var results: [ConcurrentResult]
    public var description: String { "deadlock: no connection could make progress (DST_ERR_DEADLOCK)" }
}

extension TestRun {
    /// The run's simulated disk (needs a host of ABI minor 1).
    public var disk: SimulatedDisk { SimulatedDisk(run: run) }

    /// Runs commands at once (ABI minor 1): each engine's commands in order on its own
    /// thread, exactly one thread running at a time, the seed choosing who runs at every VFS
    /// call and busy wait. Results come back in the order of `commands`; a deadlock throws
    /// ``DeadlockError`` carrying what completed.
    public func executeConcurrently(_ commands: [ConcurrentCommand]) throws -> [ConcurrentResult] {
        let execute = try run.minor1(\.engine_execute_concurrent, "engine_execute_concurrent")
        let handles = try commands.map { try $0.engine.liveHandle() }
        // Every argument of every command in one buffer, so the addresses stay put for the call.
        var buffer: [UInt8] = [0]
        var offsets: [[Int]] = []
        for command in commands {
            var own: [Int] = []
            for argument in command.argv {
                own.append(buffer.count)
                buffer += argument
            }
            offsets.append(own)
        }
        let lengths: [[Int]] = commands.map { $0.argv.map(\.count) }
        var raw = [dst_command_result](repeating: dst_command_result(), count: commands.count)
        let status: dst_status = buffer.withUnsafeBufferPointer { bytes in
            let pointers: [[UnsafePointer<UInt8>?]] = offsets.map { $0.map { bytes.baseAddress! + $0 } }
            return withPointerArrays(pointers) { argvs in
                withPointerArrays(lengths) { lengthPointers in
                    var cCommands: [dst_command] = []
                    for index in commands.indices {
                        var command = dst_command()
                        command.struct_size = MemoryLayout<dst_command>.size
                        command.engine = handles[index]
                        command.argc = commands[index].argv.count
                        command.argv = argvs[index]
                        command.lengths = lengthPointers[index]
                        cCommands.append(command)
                    }
                    return cCommands.withUnsafeBufferPointer { commandBuffer in
                        raw.withUnsafeMutableBufferPointer { results in
                            execute(run.context, commands.count, commandBuffer.baseAddress,
                                    MemoryLayout<dst_command>.stride, results.baseAddress,
                                    MemoryLayout<dst_command_result>.stride)
                        }
                    }
                }
            }
        }
        var results: [ConcurrentResult] = []
        var decodeError: (any Error)?
        for item in raw {
            var reply: Reply?
            if let pointer = item.reply {
                do { reply = try Reply(decoding: pointer) } catch { decodeError = error }
                run.table.reply_free!(run.context, pointer)
            }
            results.append(ConcurrentResult(reply: reply, invokedAt: item.invoked_at,
                                            returnedAt: item.returned_at == UInt64.max ? nil : item.returned_at))
        }
        if status == DST_ERR_DEADLOCK { throw DeadlockError(results: results) }
        guard status == DST_OK else { throw SDKError(status, "engine_execute_concurrent(\(commands.count) commands)") }
        if let decodeError { throw decodeError }
        return results
    }
}

extension Engine {
    /// SQLite's `PRAGMA integrity_check` on this engine's database (ABI minor 1): nil when it
    /// is intact, else the problems (a storage error while checking is a problem too).
    public func checkIntegrity() throws -> String? {
        let handle = try liveHandle()
        let check = try run.minor1(\.engine_check_integrity, "engine_check_integrity")
        var reply: UnsafeMutablePointer<dst_reply>?
        let status = check(run.context, handle, &reply)
        defer { if let reply { run.table.reply_free!(run.context, reply) } }
        guard status == DST_OK, let reply else { throw SDKError(status < 0 ? status : DST_ERR_INTERNAL, "engine_check_integrity") }
        switch try Reply(decoding: reply) {
        case .status("OK"): return nil
        case .error(let message): return message
        case let other: return "unexpected integrity reply \(other)"
        }
    }
}

/// Lends `body` one stable pointer per inner array (nil for an empty one).
private func withPointerArrays<Element, Result>(_ arrays: [[Element]],
                                                _ body: ([UnsafePointer<Element>?]) -> Result) -> Result {
    // Copies into one allocation per array keep the pointers valid for the whole call.
    let copies: [UnsafeMutableBufferPointer<Element>] = arrays.map { array in
        let copy = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(array.count, 1))
        _ = copy.initialize(from: array)
        return copy
    }
    defer { for copy in copies { copy.deallocate() } }
    return body(copies.map { UnsafePointer($0.baseAddress) })
}

extension RunContext {
    /// A minor-1 slot of the host's table, or a thrown `DST_ERR_UNSUPPORTED` for an older host.
    func minor1<Function>(_ slot: KeyPath<dst_host_api, Function?>, _ name: String) throws -> Function {
        try self.slot(slot, name, minor: 1)
    }

    /// A slot of `minor` or later, or a thrown `DST_ERR_UNSUPPORTED` for an older host.
    func slot<Function>(_ slot: KeyPath<dst_host_api, Function?>, _ name: String, minor: UInt32) throws -> Function {
        try ensureActive()
        let end = MemoryLayout<dst_host_api>.offset(of: slot)! + MemoryLayout<Function?>.size
        guard table.abi_minor >= minor, tableSize >= end else {
            throw SDKError(DST_ERR_UNSUPPORTED, "\(name) needs a host of ABI 1.\(minor) or later (this host: 1.\(table.abi_minor))")
        }
        guard let function = table[keyPath: slot] else {
            throw SDKError(DST_ERR_UNSUPPORTED, "this host (ABI 1.\(table.abi_minor)) does not provide \(name)")
        }
        return function
    }

    /// The host's reason for the last failed call (ABI 1.2), for error messages; nil before 1.2.
    var lastError: String? {
        guard isActive, let function = try? slot(\.last_error, "last_error", minor: 2),
              let text = function(context) else { return nil }
        return String(cString: text)
    }

    /// An error for a failed call: its status, what was done, and the host's reason if it gave one
    /// (without the call's name when the host's reason starts with it too).
    func error(_ status: dst_status, _ what: String) -> SDKError {
        guard var reason = lastError else { return SDKError(status, what) }
        let call = what.prefix { $0 != "(" && $0 != ":" }
        if reason.hasPrefix(call + ": ") { reason.removeFirst(call.count + 2) }
        return SDKError(status, "\(what): \(reason)")
    }
}
