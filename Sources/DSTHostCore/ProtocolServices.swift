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
        guard let handle = run.engine(engine), let connection = handle.connection else { return DST_ERR_NOT_FOUND }
        let input = length == 0 ? [] : Array(UnsafeBufferPointer(start: bytes, count: length))
        let session = handle.session ?? makeSession(run, connection)
        handle.session = session

        run.feedTraceFramed(Array("feed".utf8))
        run.feedTraceFramed(input)
        run.recordTraceLine("feed> " + TraceText.quoted(input))
        // Each command goes through the run (defects, trace, count) as it executes.
        let output = session.feed(input)
        run.feedTraceFramed(output)
        run.feedTraceFramed(session.isClosed ? [1] : [0])
        run.recordTraceLine("feed< " + TraceText.quoted(output) + (session.isClosed ? " (closed)" : ""))
        if session.isClosed { handle.session = nil }

        if !output.isEmpty {
            guard let buffer = malloc(output.count)?.assumingMemoryBound(to: UInt8.self) else {
                run.serviceError("engine_feed: cannot allocate \(output.count) bytes for the replies")
                return DST_ERR_INTERNAL
            }
            output.withUnsafeBufferPointer { buffer.initialize(from: $0.baseAddress!, count: output.count) }
            out.pointee = buffer
            outLength.pointee = output.count
        }
        closed.pointee = session.isClosed ? 1 : 0
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
