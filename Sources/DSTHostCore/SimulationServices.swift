import DSTPluginAPI
import Redlite
import SimulatedDisk

/// The services of ABI minor 1: the run's simulated disk (plan, crash, statistics), concurrent
/// execution under the deterministic scheduler, and integrity checks.
enum SimulationServices {
    static func setPlan(_ context: OpaquePointer?, _ text: UnsafePointer<CChar>?) -> dst_status {
        guard let run = RunContext.from(context), let text else { return DST_ERR_INVALID_ARGUMENT }
        if run.targetEngines != nil { return run.refuseOnTarget("disk_set_plan", needs: "the simulated disk") }
        do {
            let plan = try FaultPlan(parsing: String(cString: text))
            run.simulatedDisk().setPlan(plan)
            return DST_OK
        } catch {
            run.serviceError("disk_set_plan: \(error.message)")
            return DST_ERR_INVALID_ARGUMENT
        }
    }

    /// Power loss: close every engine on the disk as a crashed process would, resolve the
    /// pending writes, and reopen them all, in the order they were first opened.
    static func crash(_ context: OpaquePointer?) -> dst_status {
        guard let run = RunContext.from(context) else { return DST_ERR_INVALID_ARGUMENT }
        if run.targetEngines != nil { return run.refuseOnTarget("disk_crash", needs: "the simulated disk") }
        let disk = run.simulatedDisk()
        let engines = run.simulatedEngines
        disk.losePower()
        for engine in engines { engine.crash() }
        disk.recoverFromPowerLoss()
        run.recordTraceLine("power loss: \(engines.count) engines reopen")
        // The plan resumes once every engine is back (recovery runs with faults off).
        return disk.withoutFaults {
            for engine in engines {
                do {
                    try engine.open()
                } catch {
                    run.serviceError("disk_crash: engine \(engine.clientID) cannot reopen after the power loss: \(error)")
                    return DST_ERR_ENGINE
                }
            }
            return DST_OK
        }
    }

    static func stats(_ context: OpaquePointer?, _ out: UnsafeMutablePointer<dst_disk_stats>?) -> dst_status {
        guard let run = RunContext.from(context), let out else { return DST_ERR_INVALID_ARGUMENT }
        if run.targetEngines != nil { return run.refuseOnTarget("disk_stats", needs: "the simulated disk") }
        let statistics = run.simulatedDisk().currentStatistics
        var raw = dst_disk_stats()
        raw.struct_size = MemoryLayout<dst_disk_stats>.size
        raw.reads = statistics.reads
        raw.writes = statistics.writes
        raw.syncs = statistics.syncs
        raw.truncates = statistics.truncates
        raw.locks = statistics.locks
        raw.sleeps = statistics.sleeps
        raw.faults = statistics.faults
        raw.crashes = statistics.crashes
        raw.power_lost = statistics.powerLost ? 1 : 0
        raw.durable_bytes = statistics.durableBytes
        raw.pending_bytes = statistics.pendingBytes
        raw.files = statistics.files
        raw.checksum_errors = statistics.checksumErrors
        CStructs.write(raw, to: out, capacity: out.pointee.struct_size)
        return DST_OK
    }

    static func checkIntegrity(_ context: OpaquePointer?, _ engine: OpaquePointer?,
                               _ out: UnsafeMutablePointer<UnsafeMutablePointer<dst_reply>?>?) -> dst_status {
        guard let run = RunContext.from(context), let out else { return DST_ERR_INVALID_ARGUMENT }
        out.pointee = nil
        if let threaded = run.threadedEngines.engine(engine) {
            guard let reply = threaded.checkIntegrity() else { return DST_ERR_NOT_FOUND }
            out.pointee = ReplyMarshalling.make(reply)
            return DST_OK
        }
        if run.targetEngines?.engine(engine) != nil {
            // Not a refusal of the run: a load test checks integrity only where it can.
            run.serviceError("engine_check_integrity: a RESP target's database file is not the host's to check")
            return DST_ERR_UNSUPPORTED
        }
        guard let connection = run.engine(engine)?.connection else { return DST_ERR_NOT_FOUND }
        let reply = integrityReply(connection)
        run.feedTraceFramed(Array("integrity_check".utf8))
        run.feedTrace(reply)
        run.recordTraceLine("integrity_check < " + TraceText.reply(reply))
        out.pointee = ReplyMarshalling.make(reply)
        return DST_OK
    }

    /// `PRAGMA integrity_check` as a reply: OK, or an error listing (up to ten) problems.
    static func integrityReply(_ connection: RedliteConnection) -> Reply {
        do {
            let rows = try connection.database.strings("PRAGMA integrity_check")
            return rows == ["ok"] ? .simple("OK") : .error("ERR integrity check: " + rows.prefix(10).joined(separator: "; "))
        } catch {
            return .error("ERR integrity check failed: \(error.message) (SQLite code \(error.extendedCode))")
        }
    }

    /// One command of a batch, read from the plugin's array.
    private struct Command {
        let handle: EngineHandle
        let arguments: [[UInt8]]
    }

    /// What one command of a batch came to.
    private struct Outcome {
        var reply: Reply?
        var invokedAt: UInt64 = 0
        var returnedAt: UInt64?
    }

    /// State the batch's threads share. Only one of them runs at a time (the scheduler's
    /// hand-over is the synchronization), hence unchecked.
    private final class Batch: @unchecked Sendable {
        let run: RunContext
        let commands: [Command]
        /// Per engine, in order of first appearance: the indices of its commands.
        let lanes: [[Int]]
        var outcomes: [Outcome]
        var events: UInt64 = 0

        init(run: RunContext, commands: [Command], lanes: [[Int]]) {
            self.run = run
            self.commands = commands
            self.lanes = lanes
            self.outcomes = Array(repeating: Outcome(), count: commands.count)
        }
    }

    static func executeConcurrently(_ context: OpaquePointer?, _ count: Int, _ commands: UnsafePointer<dst_command>?,
                                    _ commandSize: Int, _ results: UnsafeMutablePointer<dst_command_result>?,
                                    _ resultSize: Int) -> dst_status {
        guard let run = RunContext.from(context) else { return DST_ERR_INVALID_ARGUMENT }
        if run.targetEngines != nil {
            return run.refuseOnTarget("engine_execute_concurrent", needs: "its deterministic interleaving of connections")
        }
        guard count > 0 else { return DST_OK }
        let headerSize = MemoryLayout<Int>.size
        guard let commands, let results, commandSize >= headerSize, resultSize >= headerSize else {
            return DST_ERR_INVALID_ARGUMENT
        }
        var parsed: [Command] = []
        var lanes: [[Int]] = []
        var laneOfEngine: [ObjectIdentifier: Int] = [:]
        for index in 0..<count {
            let command = CStructs.read(UnsafeRawPointer(commands) + index * commandSize, over: dst_command())
            guard let handle = run.engine(command.engine), handle.connection != nil else { return DST_ERR_NOT_FOUND }
            guard let arguments = HostServices.readArguments(command.argc, command.argv, command.lengths) else {
                return DST_ERR_INVALID_ARGUMENT
            }
            parsed.append(Command(handle: handle, arguments: arguments))
            let key = ObjectIdentifier(handle)
            if let lane = laneOfEngine[key] {
                lanes[lane].append(index)
            } else {
                laneOfEngine[key] = lanes.count
                lanes.append([index])
            }
        }

        let disk = run.simulatedDisk()
        let batch = Batch(run: run, commands: parsed, lanes: lanes)
        run.recordTraceLine("concurrent batch: \(count) commands on \(lanes.count) connections")
        let outcome = disk.runConcurrently(lanes: lanes.count) { lane in
            for index in batch.lanes[lane] {
                // A dead machine or an abandoned run invokes nothing more.
                if disk.powerLost || batch.run.isCancelled { break }
                let command = batch.commands[index]
                guard let connection = command.handle.connection else { break }
                batch.outcomes[index].invokedAt = batch.events
                batch.events += 1
                let reply = batch.run.execute(command.arguments, on: connection, label: "[\(command.handle.clientID)] ")
                batch.outcomes[index].reply = reply
                // A reply computed while the power failed never reached the client.
                if !disk.powerLost {
                    batch.outcomes[index].returnedAt = batch.events
                    batch.events += 1
                    disk.commandCompleted()
                }
                disk.yieldPointBetweenCommands()
            }
        }
        for index in 0..<count {
            var result = dst_command_result()
            result.struct_size = MemoryLayout<dst_command_result>.size
            let outcome = batch.outcomes[index]
            result.reply = outcome.reply.map(ReplyMarshalling.make)
            result.invoked_at = outcome.invokedAt
            result.returned_at = outcome.returnedAt ?? UInt64.max
            CStructs.write(result, to: UnsafeMutableRawPointer(results) + index * resultSize, capacity: resultSize)
        }
        if outcome.deadlocked {
            run.serviceError("deadlock: \(outcome.report)")
            return DST_ERR_DEADLOCK
        }
        return DST_OK
    }
}
