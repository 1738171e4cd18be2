import DSTPluginAPI
import Glibc
import Redlite

/// The services of ABI minor 3: raw RESP bytes through the engine's front end, as a client
/// connection would send them, and the buffers the host hands back.
enum ProtocolServices {
    static func feed(_ context: OpaquePointer?, _ engine: OpaquePointer?, _ bytes: UnsafePointer<UInt8>?, _ length: Int,
                     _ out: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                     _ closed: UnsafeMutablePointer<Int32>?) -> dst_status {
        guard let run = RunContext.from(context), let out, let outLength, let closed else { return DST_ERR_INVALID_ARGUMENT }
        out.pointee = nil
        outLength.pointee = 0
        closed.pointee = 0
        guard engine != nil, length >= 0, length == 0 || bytes != nil else { return DST_ERR_INVALID_ARGUMENT }
        if run.referenceEngine(engine) != nil {
            run.serviceError("engine_feed: the RESP front end is the embedded engine's, not for the reference server")
            return DST_ERR_UNSUPPORTED
        }
        let input = length == 0 ? [] : Array(UnsafeBufferPointer(start: bytes, count: length))
        if let target = run.targetEngines?.engine(engine) {
            return feedTarget(run, target, input, out, outLength, closed)
        }
        guard let handle = run.engine(engine), let connection = handle.connection else { return DST_ERR_NOT_FOUND }
        let session = handle.session ?? makeSession(run, connection)
        handle.session = session

        run.traceFeedInput(input)
        // Each command goes through the run (defects, trace, count) as it executes.
        let output = session.feed(input)
        run.traceFeedOutput(output, closed: session.isClosed)
        if session.isClosed { handle.session = nil }

        guard copyOut(run, output, out, outLength) != nil else { return DST_ERR_INTERNAL }
        closed.pointee = session.isClosed ? 1 : 0
        return DST_OK
    }

    /// `engine_feed` on a RESP target: the bytes go onto a real socket.
    private static func feedTarget(_ run: RunContext, _ target: TargetEngine, _ input: [UInt8],
                                   _ out: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, _ outLength: UnsafeMutablePointer<Int>,
                                   _ closed: UnsafeMutablePointer<Int32>) -> dst_status {
        let result: (output: [UInt8], closed: Bool)
        do {
            result = try target.feed(input)
        } catch {
            if !target.threaded { run.serviceError("engine_feed: \(error)") }
            return DST_ERR_ENGINE
        }
        if !target.threaded {
            run.traceFeedInput(input)
            run.traceFeedOutput(result.output, closed: result.closed)
        }
        guard let status = copyOut(run, result.output, out, outLength) else { return DST_ERR_INTERNAL }
        closed.pointee = result.closed ? 1 : 0
        return status
    }

    /// `engine_hang_up` (ABI 1.5): the fed client's connection drops after `bytes`.
    static func hangUp(_ context: OpaquePointer?, _ engine: OpaquePointer?, _ bytes: UnsafePointer<UInt8>?,
                       _ length: Int) -> dst_status {
        guard let run = RunContext.from(context), engine != nil, length >= 0, length == 0 || bytes != nil else {
            return DST_ERR_INVALID_ARGUMENT
        }
        let input = length == 0 ? [] : Array(UnsafeBufferPointer(start: bytes, count: length))
        if let target = run.targetEngines?.engine(engine) {
            do {
                try target.hangUp(after: input)
            } catch {
                if !target.threaded { run.serviceError("engine_hang_up: \(error)") }
                return DST_ERR_ENGINE
            }
            if !target.threaded { run.recordTraceLine("hang-up> " + TraceText.quoted(input)) }
            return DST_OK
        }
        if run.referenceEngine(engine) != nil {
            run.serviceError("engine_hang_up: the RESP front end is the embedded engine's, not for the reference server")
            return DST_ERR_UNSUPPORTED
        }
        guard let handle = run.engine(engine), let connection = handle.connection else { return DST_ERR_NOT_FOUND }
        let session = handle.session ?? makeSession(run, connection)
        run.feedTraceFramed(Array("hang-up".utf8))
        run.feedTraceFramed(input)
        // Whatever the bytes complete runs, as on a server that read them before the reset;
        // the replies are produced and go nowhere.
        let unread = session.feed(input)
        if PlantedDefect.active == .execOnDisconnect, !session.isClosed {
            // Outside MULTI this is only "ERR EXEC without MULTI", answered to no one.
            _ = run.execute([Array("EXEC".utf8)], on: connection)
        }
        session.close()
        handle.session = nil
        run.recordTraceLine("hang-up> " + TraceText.quoted(input) + " (\(unread.count) reply bytes unread)")
        return DST_OK
    }

    /// The replies in a malloc'd buffer for the plugin (nil out when empty); nil if out of memory.
    private static func copyOut(_ run: RunContext, _ output: [UInt8], _ out: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                                _ outLength: UnsafeMutablePointer<Int>) -> dst_status? {
        guard !output.isEmpty else { return DST_OK }
        guard let buffer = malloc(output.count)?.assumingMemoryBound(to: UInt8.self) else {
            run.serviceError("engine_feed: cannot allocate \(output.count) bytes for the replies")
            return nil
        }
        output.withUnsafeBufferPointer { buffer.initialize(from: $0.baseAddress!, count: output.count) }
        out.pointee = buffer
        outLength.pointee = output.count
        return DST_OK
    }

    /// A client connection on `connection` whose commands run the way `engine_execute`'s do.
    private static func makeSession(_ run: RunContext, _ connection: RedliteConnection) -> RESPSession {
        // The run owns the engine that owns the session: unowned breaks the cycle.
        RESPSession(connection: connection, trustsDeclaredLengths: PlantedDefect.active == .trustWireLength) {
            [unowned run] argv in run.execute(argv, on: connection)
        }
    }

    /// `buffer_free`: buffers the host returns come from malloc.
    static func freeBuffer(_ buffer: UnsafeMutableRawPointer?) {
        free(buffer)
    }
}
