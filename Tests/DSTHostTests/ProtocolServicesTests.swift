import DSTHostCore
import DSTPluginAPI
import Foundation
import Testing

/// The ABI 1.3 service `engine_feed`, called through the host's C table as a plugin in any
/// language would.
@Suite struct ProtocolServicesTests {
    let api = HostServices.table.pointee

    /// A run with one in-memory engine.
    final class Session {
        let run: RunContext
        let api = HostServices.table.pointee
        var engine: OpaquePointer?

        init(seed: UInt64 = 1) throws {
            run = RunContext(test: "test/feed", seed: seed, scratchRoot: FileManager.default.temporaryDirectory,
                             recordTrace: true)
            var options = dst_engine_options()
            options.struct_size = MemoryLayout<dst_engine_options>.size
            options.storage = DST_STORAGE_MEMORY
            try #require(api.engine_open!(run.opaque, &options, &engine) == DST_OK && engine != nil)
        }

        /// What the engine's front end answered, and whether it closed the connection.
        struct Fed: Equatable {
            var status: dst_status
            var output: String
            var closed: Bool
        }

        func feed(_ text: String) -> Fed {
            feed(Array(text.utf8), on: engine)
        }

        func feed(_ bytes: [UInt8], on engine: OpaquePointer?) -> Fed {
            var out: UnsafeMutablePointer<UInt8>?
            var length = -1
            var closed: Int32 = -1
            let status = bytes.withUnsafeBufferPointer {
                api.engine_feed!(run.opaque, engine, $0.baseAddress, $0.count, &out, &length, &closed)
            }
            defer { api.buffer_free!(run.opaque, out) }
            // Empty output is NULL, never a zero-length buffer.
            #expect((out == nil) == (length == 0))
            let output = out.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            return Fed(status: status, output: output, closed: closed == 1)
        }
    }

    @Test func aPipelinedStreamGetsEveryReply() throws {
        let session = try Session()
        let fed = session.feed("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\nGET k\r\nRPUSH l a b c\r\n*4\r\n$6\r\nLRANGE\r\n$1\r\nl\r\n$1\r\n0\r\n$2\r\n-1\r\nINCR k\r\nPING\r\n")
        #expect(fed == .init(status: DST_OK, output: "+OK\r\n$2\r\nv1\r\n:3\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n-ERR value is not an integer or out of range\r\n+PONG\r\n", closed: false))
        // Each command went through the run: traced as engine_execute's are.
        let lines = session.run.traceLines ?? []
        #expect(lines.contains("> SET k v1"))
        #expect(lines.contains("< +PONG"))
        #expect(lines.first { $0.hasPrefix("feed> ") }?.hasPrefix("feed> \"*3\\r\\n$3\\r\\nSET") == true)
    }

    @Test func aCommandFedInTwoHalves() throws {
        let session = try Session()
        #expect(session.feed("*2\r\n$4\r\nECHO\r\n$11\r\nhello") == .init(status: DST_OK, output: "", closed: false))
        #expect(session.feed(" world\r\n") == .init(status: DST_OK, output: "$11\r\nhello world\r\n", closed: false))
        #expect(session.feed("") == .init(status: DST_OK, output: "", closed: false))
    }

    @Test func aProtocolErrorClosesAndTheNextFeedIsANewClient() throws {
        let session = try Session()
        #expect(session.feed("SET k v\r\nSELECT 2\r\nMULTI\r\n*1\r\n$-5\r\nGET k\r\n")
                == .init(status: DST_OK, output: "+OK\r\n+OK\r\n+OK\r\n-ERR Protocol error: invalid bulk length\r\n", closed: true))
        // Same data; the old client's MULTI and SELECT are gone with it.
        #expect(session.feed("GET k\r\n") == .init(status: DST_OK, output: "$1\r\nv\r\n", closed: false))
        #expect(session.feed("QUIT\r\nGET k\r\n") == .init(status: DST_OK, output: "+OK\r\n", closed: true))
        #expect(session.feed("GET k\r\n") == .init(status: DST_OK, output: "$1\r\nv\r\n", closed: false))
    }

    @Test func reopeningTheEngineDropsThePartialRequest() throws {
        let session = try Session()
        #expect(session.feed("ECHO hel").output == "")
        #expect(api.engine_reopen!(session.run.opaque, session.engine) == DST_OK)
        #expect(session.feed("PING\r\n") == .init(status: DST_OK, output: "+PONG\r\n", closed: false))
        // Without the reopen, the bytes join up.
        #expect(session.feed("ECHO hel").output == "")
        #expect(session.feed("lo\r\n").output == "$5\r\nhello\r\n")
    }

    @Test func badArgumentsAreRefused() throws {
        let session = try Session()
        let ping = Array("PING\r\n".utf8)
        #expect(session.feed(ping, on: nil).status == DST_ERR_INVALID_ARGUMENT)
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        var closed: Int32 = 0
        #expect(api.engine_feed!(session.run.opaque, session.engine, nil, 6, &out, &length, &closed) == DST_ERR_INVALID_ARGUMENT)
        #expect(api.engine_feed!(session.run.opaque, session.engine, nil, 0, nil, &length, &closed) == DST_ERR_INVALID_ARGUMENT)
        #expect(api.engine_feed!(nil, session.engine, nil, 0, &out, &length, &closed) == DST_ERR_INVALID_ARGUMENT)
        api.engine_close!(session.run.opaque, session.engine)
        #expect(session.feed(ping, on: session.engine).status == DST_ERR_NOT_FOUND)
        api.buffer_free!(session.run.opaque, nil)
    }

    @Test func theSameFeedsLeaveTheSameTrace() throws {
        func traced() throws -> TraceHash {
            let session = try Session(seed: 9)
            _ = session.feed("SET a 1\r\nINCR a\r\n*1\r\n$4\r\nPI")
            _ = session.feed("NG\r\n*1\r\n$x\r\n")
            _ = session.feed("GET a\r\n")
            return session.run.trace
        }
        #expect(try traced() == traced())
        let other = try Session(seed: 9)
        _ = other.feed("SET a 2\r\nINCR a\r\n*1\r\n$4\r\nPI")
        _ = other.feed("NG\r\n*1\r\n$x\r\n")
        _ = other.feed("GET a\r\n")
        #expect(try other.run.trace != traced())
    }
}
