import DSTPluginAPI
import Foundation
import Glibc
import Redlite
import SimulatedDisk

/// The table of services behind `dst_host_api`: C-callable functions that find their run
/// through the `dst_context *` every call carries, and never trust a plugin's arguments.
public enum HostServices {
    /// The one table this host hands to every plugin; it lives as long as the process.
    nonisolated(unsafe) public static let table: UnsafePointer<dst_host_api> = {
        let table = UnsafeMutablePointer<dst_host_api>.allocate(capacity: 1)
        var api = dst_host_api()
        api.struct_size = MemoryLayout<dst_host_api>.size
        api.abi_major = DST_ABI_VERSION_MAJOR
        api.abi_minor = DST_ABI_VERSION_MINOR
        api.engine_open = { context, options, out in HostServices.engineOpen(context, options, out) }
        api.engine_execute = { context, engine, argc, argv, lengths, out in
            HostServices.engineExecute(context, engine, argc, argv, lengths, out)
        }
        api.reply_free = { _, reply in if let reply { ReplyMarshalling.free(reply) } }
        api.engine_close = { context, engine in
            guard let run = RunContext.from(context), let engine else { return }
            // First: a threaded engine may be closed from a plugin thread, which must not
            // touch the other (test-thread) registries.
            if run.threadedEngines.close(engine) { return }
            if run.targetEngines?.close(engine) == true { return }
            run.referenceEngines.removeValue(forKey: UnsafeMutableRawPointer(engine))
            run.engines.removeValue(forKey: UnsafeMutableRawPointer(engine))?.close()
        }
        api.engine_reopen = { context, engine in HostServices.engineReopen(context, engine) }
        api.random_next = { context in RunContext.from(context)?.random.next() ?? 0 }
        api.random_below = { context, bound in
            guard let run = RunContext.from(context), bound > 0 else { return 0 }
            // Lemire's method over the run's stream: no modulo bias.
            var product = run.random.next().multipliedFullWidth(by: bound)
            if product.low < bound {
                let threshold = (0 &- bound) % bound
                while product.low < threshold { product = run.random.next().multipliedFullWidth(by: bound) }
            }
            return product.high
        }
        api.clock_now_ms = { context in RunContext.from(context)?.clock.nowMilliseconds() ?? 0 }
        api.clock_advance_ms = { context, milliseconds in
            guard let run = RunContext.from(context), milliseconds > 0 else { return }
            if run.targetEngines != nil {
                _ = run.refuseOnTarget("clock_advance_ms", needs: "its virtual clock; a server keeps real time")
                return
            }
            run.clock.advance(milliseconds: milliseconds)
            run.feedTraceFramed(Array("advance \(milliseconds)".utf8))
            run.recordTraceLine("clock +\(milliseconds) ms")
        }
        api.log = { context, level, message in
            guard let run = RunContext.from(context), let message else { return }
            let prefix = level >= DST_LOG_WARNING ? "warning: " : (level <= DST_LOG_DEBUG ? "debug: " : "")
            run.log(prefix + String(cString: message))
        }
        api.check_failed = { context, message in
            RunContext.from(context)?.recordFailure(message.map { String(cString: $0) } ?? "(no message)")
        }
        api.metric = { context, name, value, unit in
            guard let run = RunContext.from(context), let name else { return }
            run.recordMetric(Metric(name: String(cString: name), value: value, unit: unit.map { String(cString: $0) } ?? ""))
        }
        api.artifact = { context, name, bytes, length in
            guard let run = RunContext.from(context), let name else { return DST_ERR_INVALID_ARGUMENT }
            guard length == 0 || bytes != nil else { return DST_ERR_INVALID_ARGUMENT }
            let data = length == 0 ? [] : Array(UnsafeBufferPointer(start: bytes, count: length))
            run.recordArtifact(Artifact(name: String(cString: name), bytes: data))
            return DST_OK
        }
        api.trace = { context, bytes, length in
            guard let run = RunContext.from(context), let bytes, length > 0 else { return }
            run.feedTrace(UnsafeBufferPointer(start: bytes, count: length))
        }
        api.param = { context, key in
            guard let run = RunContext.from(context), let key else { return nil }
            return run.parameterCString(String(cString: key))
        }
        api.cancelled = { context in RunContext.from(context)?.isCancelled == true ? 1 : 0 }
        // Minor 1: the simulated disk and concurrent execution.
        api.disk_set_plan = { context, plan in SimulationServices.setPlan(context, plan) }
        api.disk_crash = { context in SimulationServices.crash(context) }
        api.disk_stats = { context, out in SimulationServices.stats(context, out) }
        api.engine_execute_concurrent = { context, count, commands, commandSize, results, resultSize in
            SimulationServices.executeConcurrently(context, count, commands, commandSize, results, resultSize)
        }
        api.engine_check_integrity = { context, engine, out in SimulationServices.checkIntegrity(context, engine, out) }
        api.last_error = { context in RunContext.from(context)?.lastError }
        // Minor 3: raw RESP bytes through the engine's front end.
        api.engine_feed = { ProtocolServices.feed($0, $1, $2, $3, $4, $5, $6) }
        api.buffer_free = { _, buffer in ProtocolServices.freeBuffer(buffer) }
        api.resource_stats = { context, fileName, out in HostServices.resourceStats(context, fileName, out) }
        api.crash_artifact = { context, name, bytes, length in
            guard RunContext.from(context) != nil, length == 0 || bytes != nil else { return DST_ERR_INVALID_ARGUMENT }
            CrashArtifact.set(name: name.map { RunContext.plainFileName(String(cString: $0)) },
                              bytes: length == 0 ? [] : Array(UnsafeBufferPointer(start: bytes, count: length)))
            return DST_OK
        }
        api.wall_clock_ns = { _ in
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        }
        // Minor 5: connections that drop.
        api.engine_hang_up = { ProtocolServices.hangUp($0, $1, $2, $3) }
        table.initialize(to: api)
        return UnsafePointer(table)
    }()

    private static func engineOpen(_ context: OpaquePointer?, _ options: UnsafePointer<dst_engine_options>?,
                                   _ out: UnsafeMutablePointer<OpaquePointer?>?) -> dst_status {
        guard let run = RunContext.from(context), let out else { return DST_ERR_INVALID_ARGUMENT }
        out.pointee = nil
        // Read only the fields the plugin says it filled in.
        let given = options.map { CStructs.read($0, over: dst_engine_options()) } ?? dst_engine_options()
        if let target = given.target.map({ String(cString: $0) }), !target.isEmpty {
            guard target == DST_TARGET_REFERENCE else {
                run.serviceError("engine_open: unknown target '\(target)' (known: the embedded engine, \(DST_TARGET_REFERENCE))")
                return DST_ERR_UNSUPPORTED
            }
            do {
                out.pointee = OpaquePointer(try run.openReferenceEngine())
                return DST_OK
            } catch let unavailable as ReferenceUnavailable {
                run.serviceError("engine_open: \(unavailable.reason)")
                return DST_ERR_UNSUPPORTED
            } catch {
                run.serviceError("engine_open: cannot use the reference Redis server: \(error)")
                return DST_ERR_UNSUPPORTED
            }
        }
        guard given.protocol == 0 || given.protocol == 2 else {
            run.serviceError("engine_open: protocol \(given.protocol) is not 0 (the engine's replies) or 2 (RESP2)")
            return DST_ERR_UNSUPPORTED
        }
        if let targets = run.targetEngines { return openOnTarget(run, targets, given, out) }
        if given.threaded != 0 { return openThreaded(run, given, out) }
        var durability: StorageOptions.Durability = given.durability == DST_DURABILITY_FULL ? .full : .normal
        let vfs = given.vfs.map { String(cString: $0) }
        let storage: StorageOptions
        var traceName = "memory"
        switch given.storage {
        case DST_STORAGE_MEMORY:
            storage = StorageOptions(location: .memory, vfs: vfs == DST_VFS_SIMULATED ? nil : vfs)
        case DST_STORAGE_FILE where vfs == DST_VFS_SIMULATED:
            // A name on the run's simulated disk, not a path: nothing touches the real disk.
            let name = RunContext.plainFileName(given.file_name.map { String(cString: $0) })
            traceName = "file \(name) \(durability.rawValue)"
            if durability == .full && PlantedDefect.active == .skipSync { durability = .normal }
            var simulated = StorageOptions(location: .file(name), durability: durability, vfs: run.simulatedDisk().vfsName,
                                           pageChecksums: true)
            // The disk's VFS name carries a per-process counter: INFO says what the plugin asked for.
            simulated.reportedPath = name
            simulated.reportedVFS = DST_VFS_SIMULATED
            storage = simulated
        case DST_STORAGE_FILE:
            let name = given.file_name.map { String(cString: $0) } ?? "data.db"
            traceName = "file \(name) \(durability.rawValue)"
            do {
                var file = StorageOptions.file(try run.scratchPath(name), durability: durability, vfs: vfs)
                // The scratch folder differs run to run: INFO names the file as the plugin did.
                file.reportedPath = RunContext.plainFileName(name)
                storage = file
            } catch {
                run.serviceError("engine_open: cannot create the scratch folder: \(error)")
                return DST_ERR_ENGINE
            }
        default:
            return DST_ERR_UNSUPPORTED
        }
        do {
            let pointer = try run.openEngine(storage, traceName: traceName + " vfs \(vfs ?? "default")")
            run.engines[pointer]?.lowersRepliesToRESP2 = given.protocol == 2
            out.pointee = OpaquePointer(pointer)
            return DST_OK
        } catch {
            run.serviceError("engine_open failed: \(error)")
            return DST_ERR_ENGINE
        }
    }

    /// With a RESP target, an engine is a client of the target server: storage, durability and
    /// file name do not apply (the server has its own), a VFS cannot.
    private static func openOnTarget(_ run: RunContext, _ targets: TargetEngineRegistry, _ given: dst_engine_options,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>) -> dst_status {
        let threaded = given.threaded != 0
        if let vfs = given.vfs.map({ String(cString: $0) }) {
            // A threaded open may come from a plugin thread: it must not touch the run's state.
            if threaded { return DST_ERR_UNSUPPORTED }
            return run.refuseOnTarget("engine_open", needs: vfs == DST_VFS_SIMULATED ? "the simulated disk" : "the SQLite VFS '\(vfs)'")
        }
        do {
            out.pointee = OpaquePointer(try run.openTargetEngine(targets, threaded: threaded, inMemory: given.storage == DST_STORAGE_MEMORY))
            return DST_OK
        } catch {
            if !threaded { run.serviceError("engine_open: \(error)") }
            return DST_ERR_ENGINE
        }
    }

    /// A threaded engine (ABI 1.4): the embedded engine on a real file, SQLite's own VFS.
    /// It may be opened from a plugin thread, so this touches nothing but thread-safe state,
    /// and reports errors through the status alone (`last_error` is the test thread's).
    private static func openThreaded(_ run: RunContext, _ given: dst_engine_options,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>) -> dst_status {
        guard given.storage == DST_STORAGE_FILE, given.vfs == nil else { return DST_ERR_UNSUPPORTED }
        let name = given.file_name.map { String(cString: $0) } ?? "data.db"
        do {
            var file = StorageOptions.file(try run.scratchPath(name),
                                           durability: given.durability == DST_DURABILITY_FULL ? .full : .normal)
            file.reportedPath = RunContext.plainFileName(name)
            out.pointee = OpaquePointer(try run.threadedEngines.open(file, seed: run.seed, lowersRepliesToRESP2: given.protocol == 2))
            return DST_OK
        } catch {
            return DST_ERR_ENGINE
        }
    }

    private static func engineExecute(_ context: OpaquePointer?, _ engine: OpaquePointer?, _ argc: Int,
                                      _ argv: UnsafePointer<UnsafePointer<UInt8>?>?, _ lengths: UnsafePointer<Int>?,
                                      _ out: UnsafeMutablePointer<UnsafeMutablePointer<dst_reply>?>?) -> dst_status {
        guard let run = RunContext.from(context), let out else { return DST_ERR_INVALID_ARGUMENT }
        out.pointee = nil
        // Threaded engines first: their calls come from plugin threads and must not read the
        // test thread's registries.
        if let threaded = run.threadedEngines.engine(engine) {
            guard let arguments = readArguments(argc, argv, lengths) else { return DST_ERR_INVALID_ARGUMENT }
            guard let reply = threaded.execute(arguments) else { return DST_ERR_NOT_FOUND }
            out.pointee = ReplyMarshalling.make(reply)
            return DST_OK
        }
        if let target = run.targetEngines?.engine(engine) {
            guard let arguments = readArguments(argc, argv, lengths) else { return DST_ERR_INVALID_ARGUMENT }
            do {
                let reply = try target.execute(arguments)
                if !target.threaded { run.traceCommand(arguments, reply) }
                out.pointee = ReplyMarshalling.make(reply)
                return DST_OK
            } catch {
                if !target.threaded { run.serviceError("engine_execute: \(error)") }
                return DST_ERR_ENGINE
            }
        }
        if let reference = run.referenceEngine(engine) {
            guard let arguments = readArguments(argc, argv, lengths) else { return DST_ERR_INVALID_ARGUMENT }
            do {
                out.pointee = ReplyMarshalling.make(try reference.execute(arguments))
                return DST_OK
            } catch {
                run.serviceError("engine_execute: reference Redis server: \(error)")
                return DST_ERR_ENGINE
            }
        }
        guard let handle = run.engine(engine), let connection = handle.connection else { return DST_ERR_NOT_FOUND }
        guard let arguments = readArguments(argc, argv, lengths) else { return DST_ERR_INVALID_ARGUMENT }
        let reply = run.execute(arguments, on: connection)
        out.pointee = ReplyMarshalling.make(handle.lowersRepliesToRESP2 ? reply.loweredToRESP2 : reply)
        return DST_OK
    }

    /// A command's arguments, copied out of the plugin's memory; nil when malformed.
    static func readArguments(_ argc: Int, _ argv: UnsafePointer<UnsafePointer<UInt8>?>?,
                              _ lengths: UnsafePointer<Int>?) -> [[UInt8]]? {
        guard argc > 0, let argv, let lengths else { return nil }
        var arguments: [[UInt8]] = []
        arguments.reserveCapacity(argc)
        for index in 0..<argc {
            let length = lengths[index]
            if length == 0 {
                arguments.append([])
                continue
            }
            guard let bytes = argv[index] else { return nil }
            arguments.append(Array(UnsafeBufferPointer(start: bytes, count: length)))
        }
        return arguments
    }

    private static func resourceStats(_ context: OpaquePointer?, _ fileName: UnsafePointer<CChar>?,
                                      _ out: UnsafeMutablePointer<dst_resource_stats>?) -> dst_status {
        guard let run = RunContext.from(context), let out, out.pointee.struct_size >= MemoryLayout<Int>.size else {
            return DST_ERR_INVALID_ARGUMENT
        }
        let process = ProcessResources.current()
        let database = run.existingScratchPath(fileName.map { String(cString: $0) } ?? "data.db")
        var raw = dst_resource_stats()
        raw.struct_size = MemoryLayout<dst_resource_stats>.size
        raw.rss_bytes = process.residentBytes
        raw.peak_rss_bytes = process.peakResidentBytes
        raw.open_fds = process.openFileDescriptors
        raw.threads = process.threads
        raw.file_bytes = ProcessResources.fileSize(database)
        raw.wal_bytes = ProcessResources.fileSize(database.map { $0 + "-wal" })
        CStructs.write(raw, to: out, capacity: out.pointee.struct_size)
        return DST_OK
    }

    private static func engineReopen(_ context: OpaquePointer?, _ engine: OpaquePointer?) -> dst_status {
        guard let run = RunContext.from(context) else { return DST_ERR_NOT_FOUND }
        if let threaded = run.threadedEngines.engine(engine) {
            do {
                try threaded.reopen()
                return DST_OK
            } catch {
                return DST_ERR_ENGINE
            }
        }
        if let target = run.targetEngines?.engine(engine) {
            do {
                try target.reconnect()
                if !target.threaded { run.recordTraceLine("reconnect to the target") }
                return DST_OK
            } catch {
                if !target.threaded { run.serviceError("engine_reopen: \(error)") }
                return DST_ERR_ENGINE
            }
        }
        if let reference = run.referenceEngine(engine) {
            do {
                try reference.reconnect()
                return DST_OK
            } catch {
                run.serviceError("engine_reopen: reference Redis server: \(error)")
                return DST_ERR_ENGINE
            }
        }
        guard let handle = run.engine(engine) else { return DST_ERR_NOT_FOUND }
        handle.crash()
        do {
            try handle.open()
            run.feedTraceFramed(Array("reopen".utf8))
            run.recordTraceLine("reopen")
            return DST_OK
        } catch {
            run.serviceError("engine_reopen failed: \(error)")
            return DST_ERR_ENGINE
        }
    }
}
