import DSTHostCore
import DSTPluginAPI
import Foundation
import Testing

/// The ABI 1.1 services, called through the host's C table as a plugin in any language would.
@Suite(.serialized) struct SimulationServicesTests {
    let api = HostServices.table.pointee

    /// A run with engines on its simulated disk.
    final class Session {
        let run: RunContext
        let api = HostServices.table.pointee
        init(seed: UInt64) {
            run = RunContext(test: "test/simulation", seed: seed, scratchRoot: FileManager.default.temporaryDirectory,
                             recordTrace: true)
        }

        func open(_ name: String = "data.db", full: Bool = true) throws -> OpaquePointer {
            var options = dst_engine_options()
            options.struct_size = MemoryLayout<dst_engine_options>.size
            options.storage = DST_STORAGE_FILE
            options.durability = full ? DST_DURABILITY_FULL : DST_DURABILITY_NORMAL
            var engine: OpaquePointer?
            let status = name.withCString { file in
                DST_VFS_SIMULATED.withCString { vfs in
                    options.file_name = file
                    options.vfs = vfs
                    return api.engine_open!(run.opaque, &options, &engine)
                }
            }
            try #require(status == DST_OK && engine != nil)
            return engine!
        }

        /// Runs a command; answers the reply as text ("OK", "(integer) 3", "(error) ...").
        @discardableResult
        func execute(_ engine: OpaquePointer, _ words: String...) -> String {
            withCommand(words) { argc, argv, lengths in
                var reply: UnsafeMutablePointer<dst_reply>?
                _ = api.engine_execute!(run.opaque, engine, argc, argv, lengths, &reply)
                defer { api.reply_free!(run.opaque, reply) }
                return Self.text(reply)
            }
        }

        static func text(_ reply: UnsafeMutablePointer<dst_reply>?) -> String {
            guard let reply = reply?.pointee else { return "(none)" }
            let bytes = reply.bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: reply.length), as: UTF8.self) } ?? ""
            switch reply.type {
            case Int32(DST_REPLY_INTEGER.rawValue): return "(integer) \(reply.integer)"
            case Int32(DST_REPLY_ERROR.rawValue): return "(error) " + bytes
            case Int32(DST_REPLY_NULL.rawValue): return "(nil)"
            default: return bytes
            }
        }

        func stats() -> dst_disk_stats {
            var stats = dst_disk_stats()
            stats.struct_size = MemoryLayout<dst_disk_stats>.size
            _ = api.disk_stats!(run.opaque, &stats)
            return stats
        }
    }

    @Test func concurrentIncrementsLoseNothingAndReportTheirOrder() throws {
        let session = Session(seed: 3)
        let engines = try (0..<4).map { _ in try session.open() }
        var words: [[String]] = []
        var owners: [OpaquePointer] = []
        for round in 0..<10 {
            for engine in engines {
                words.append(["INCR", "counter"])
                owners.append(engine)
                if round % 3 == 0 { words.append(["RPUSH", "log", "x"]); owners.append(engine) }
            }
        }
        let replies = try runBatch(session, owners, words)
        #expect(replies.allSatisfy { $0.returnedAt != UInt64.max && $0.invokedAt < $0.returnedAt })
        #expect(session.execute(engines[0], "GET", "counter") == "40")
        #expect(session.execute(engines[1], "LLEN", "log") == "(integer) 16")
        // Increments answer distinct values, and a later-invoked one never answers less than
        // one that returned before it was invoked.
        let increments = replies.enumerated().filter { words[$0.offset][0] == "INCR" }.map(\.element)
        #expect(Set(increments.map(\.text)).count == 40)
        for a in increments {
            for b in increments where a.returnedAt < b.invokedAt {
                #expect(Int(a.text.dropFirst(10))! < Int(b.text.dropFirst(10))!)
            }
        }
        #expect(session.stats().locks > 0)
    }

    @Test func aPlannedCrashStopsTheDiskAndDiskCrashRecoversIt() throws {
        let session = Session(seed: 5)
        let engine = try session.open()
        session.execute(engine, "SET", "before", "1")
        #expect("crash write=3".withCString { api.disk_set_plan!(session.run.opaque, $0) } == DST_OK)
        var sawError = false
        for index in 0..<20 where session.execute(engine, "SET", "k\(index)", "v").hasPrefix("(error)") {
            sawError = true
            break
        }
        #expect(sawError)
        #expect(session.stats().power_lost == 1)
        #expect(api.disk_crash!(session.run.opaque) == DST_OK)
        #expect(session.stats().power_lost == 0 && session.stats().crashes == 1)
        #expect(session.execute(engine, "GET", "before") == "1")
        var integrity: UnsafeMutablePointer<dst_reply>?
        #expect(api.engine_check_integrity!(session.run.opaque, engine, &integrity) == DST_OK)
        #expect(Session.text(integrity) == "OK")
        api.reply_free!(session.run.opaque, integrity)
        #expect("crash sometimes".withCString { api.disk_set_plan!(session.run.opaque, $0) } == DST_ERR_INVALID_ARGUMENT)
    }

    /// INFO names a file and its VFS as the plugin asked for them, not by the run's scratch
    /// folder or the disk's per-process VFS name: two runs of one seed answer the same bytes.
    @Test(arguments: [true, false])
    func infoIsTheSameInEveryRun(simulated: Bool) throws {
        // Each run has its own scratch folder and (simulated) its own disk, registered under a
        // process-wide counter: both differ between the two runs below.
        func info() throws -> String {
            let session = Session(seed: 5)
            var options = dst_engine_options()
            options.struct_size = MemoryLayout<dst_engine_options>.size
            options.storage = DST_STORAGE_FILE
            var engine: OpaquePointer?
            let status = "dir/info.db".withCString { file in
                DST_VFS_SIMULATED.withCString { vfs in
                    options.file_name = file
                    options.vfs = simulated ? vfs : nil
                    return session.api.engine_open!(session.run.opaque, &options, &engine)
                }
            }
            try #require(status == DST_OK && engine != nil)
            return session.execute(engine!, "INFO", "server")
        }
        let first = try info()
        #expect(first.contains("redlite_path:info.db\r\n"), "\(first)")
        #expect(first.contains(simulated ? "redlite_vfs:simulated" : "redlite_vfs:default"), "\(first)")
        #expect(try info() == first)
    }

    @Test func theSameSeedGivesTheSameTraceAndDisk() throws {
        func trace(seed: UInt64) throws -> String {
            let session = Session(seed: seed)
            let engines = try (0..<3).map { _ in try session.open(full: false) }
            let words = (0..<30).map { ["HINCRBY", "h", "f\($0 % 4)", "1"] }
            let owners = (0..<30).map { engines[$0 % 3] }
            _ = try runBatch(session, owners, words)
            #expect(api.disk_crash!(session.run.opaque) == DST_OK)
            session.execute(engines[0], "HGETALL", "h")
            // (The disk's final digest is left out: other tests running SQLite in this process
            // meanwhile draw from SQLite's process-wide random generator, which sets WAL salts.
            // The end-to-end determinism checks run the real binary.)
            return session.run.trace.hex
        }
        #expect(try trace(seed: 11) == trace(seed: 11))
        #expect(try trace(seed: 11) != trace(seed: 12))
    }

    struct Outcome {
        var text: String
        var invokedAt: UInt64
        var returnedAt: UInt64
    }

    private func runBatch(_ session: Session, _ owners: [OpaquePointer], _ words: [[String]]) throws -> [Outcome] {
        // Keep every argument alive for the call.
        let storage = words.map { $0.map { Array($0.utf8) } }
        var pointers: [[UnsafePointer<UInt8>?]] = []
        var buffers: [UnsafeMutableBufferPointer<UInt8>] = []
        defer { for buffer in buffers { buffer.deallocate() } }
        for command in storage {
            pointers.append(command.map { argument in
                let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(argument.count, 1))
                _ = buffer.initialize(from: argument)
                buffers.append(buffer)
                return UnsafePointer(buffer.baseAddress)
            })
        }
        let lengths = storage.map { $0.map(\.count) }
        var results = [dst_command_result](repeating: dst_command_result(), count: words.count)
        let status: dst_status = withCommands(owners, pointers, lengths) { commands in
            results.withUnsafeMutableBufferPointer { out in
                api.engine_execute_concurrent!(session.run.opaque, commands.count, commands.baseAddress,
                                               MemoryLayout<dst_command>.stride, out.baseAddress,
                                               MemoryLayout<dst_command_result>.stride)
            }
        }
        try #require(status == DST_OK)
        defer { for result in results { api.reply_free!(session.run.opaque, result.reply) } }
        return results.map { Outcome(text: Session.text($0.reply), invokedAt: $0.invoked_at, returnedAt: $0.returned_at) }
    }
}

private func withCommand<Result>(_ words: [String], _ body: (Int, UnsafePointer<UnsafePointer<UInt8>?>, UnsafePointer<Int>) -> Result) -> Result {
    let arguments = words.map { Array($0.utf8) + [0] }
    let buffers = arguments.map { argument -> UnsafeMutableBufferPointer<UInt8> in
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: argument.count)
        _ = buffer.initialize(from: argument)
        return buffer
    }
    defer { for buffer in buffers { buffer.deallocate() } }
    let pointers: [UnsafePointer<UInt8>?] = buffers.map { UnsafePointer($0.baseAddress) }
    let lengths = arguments.map { $0.count - 1 }
    return pointers.withUnsafeBufferPointer { argv in
        lengths.withUnsafeBufferPointer { body(words.count, argv.baseAddress!, $0.baseAddress!) }
    }
}

private func withCommands<Result>(_ owners: [OpaquePointer], _ pointers: [[UnsafePointer<UInt8>?]], _ lengths: [[Int]],
                                  _ body: (UnsafeBufferPointer<dst_command>) -> Result) -> Result {
    let argvs = pointers.map { list -> UnsafeMutableBufferPointer<UnsafePointer<UInt8>?> in
        let buffer = UnsafeMutableBufferPointer<UnsafePointer<UInt8>?>.allocate(capacity: list.count)
        _ = buffer.initialize(from: list)
        return buffer
    }
    let lengthBuffers = lengths.map { list -> UnsafeMutableBufferPointer<Int> in
        let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: list.count)
        _ = buffer.initialize(from: list)
        return buffer
    }
    defer {
        for buffer in argvs { buffer.deallocate() }
        for buffer in lengthBuffers { buffer.deallocate() }
    }
    let commands = owners.indices.map { index -> dst_command in
        var command = dst_command()
        command.struct_size = MemoryLayout<dst_command>.size
        command.engine = owners[index]
        command.argc = pointers[index].count
        command.argv = UnsafePointer(argvs[index].baseAddress)
        command.lengths = UnsafePointer(lengthBuffers[index].baseAddress)
        return command
    }
    return commands.withUnsafeBufferPointer(body)
}
