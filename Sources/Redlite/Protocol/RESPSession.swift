import RESP

/// One client connection's protocol state over a ``RedliteConnection``: request bytes in,
/// reply bytes out, as Redis 7.0 would exchange them on a socket.
///
/// The session owns a ``RequestParser`` (Redis's limits unless told otherwise) and encodes
/// each reply in the protocol the connection speaks at that moment, so `HELLO 3` answers in
/// RESP3 and so does everything after it. It does no I/O: a transport (a socket server, or
/// the test host's `engine_feed`) hands it whatever bytes arrived and writes back what
/// ``feed(_:)`` returns.
///
/// As in Redis:
/// - every complete request in the input runs, in order (pipelining); a partial one waits
///   for the next ``feed(_:)``;
/// - a protocol error is answered with Redis's exact text (`-ERR Protocol error: ...`) after
///   the replies to the requests before it, and closes the session;
/// - `QUIT` (with any arguments, even inside MULTI) is answered `+OK` and closes the session;
///   the requests after it are not run.
/// - a client that must authenticate and has not gets Redis's smaller request limits (10
///   arguments, 16 KiB per argument) until it does.
///
/// Closing ends the client's state on the connection (MULTI, WATCH, the selected database,
/// the protocol version, the client name), as Redis forgets a client that went away, so a
/// later session on the same connection starts the way a new client would.
///
/// A session is used by one thread at a time, like its connection.
public final class RESPSession {
    /// The connection the commands run on.
    public let connection: RedliteConnection

    /// True after a protocol error, `QUIT` or ``close()``: ``feed(_:)`` then returns nothing.
    public private(set) var isClosed = false

    private var parser: RequestParser
    private let execute: ([[UInt8]]) -> Reply

    /// A session over `connection`.
    /// - Parameters:
    ///   - connection: where commands run; its protocol version decides how replies are encoded.
    ///   - limits: the request limits; Redis 7.0's by default.
    ///   - trustsDeclaredLengths: the planted defect "a length trusted from the wire", for
    ///     tests only: `limits` are ignored, nothing is limited, and each bulk's storage is
    ///     reserved from its declared length before its bytes arrive.
    ///   - execute: runs one parsed command; nil runs it with `connection.execute`. A host
    ///     passes its own to trace or instrument commands; it must run them on `connection`.
    public init(connection: RedliteConnection, limits: RequestLimits = .redisDefaults,
                trustsDeclaredLengths: Bool = false, execute: (([[UInt8]]) -> Reply)? = nil) {
        self.connection = connection
        self.parser = trustsDeclaredLengths ? .trustingDeclaredLengths() : RequestParser(limits: limits)
        self.execute = execute ?? { connection.execute($0) }
    }

    /// Bytes received but not yet part of a complete request.
    public var bufferedByteCount: Int { parser.bufferedByteCount }

    /// What the parser has reserved, so tests can check a declared length sized nothing.
    var parserCapacity: Int { parser.bufferCapacity }

    /// Takes the bytes a client sent, runs every request they complete, and returns the
    /// replies' bytes (empty when no request completed, or when the session is closed).
    public func feed(_ bytes: some Collection<UInt8>) -> [UInt8] {
        guard !isClosed else { return [] }
        parser.append(bytes)
        var output: [UInt8] = []
        while true {
            let argv: [[UInt8]]
            do throws(ProtocolError) {
                parser.isUnauthenticated = !connection.isAuthenticated
                guard let next = try parser.next() else { break }
                argv = next
            } catch {
                output.append(UInt8(ascii: "-"))
                output.append(contentsOf: error.messageBytes)
                output.append(contentsOf: [0x0D, 0x0A])
                close()
                break
            }
            // Redis 7.0 answers QUIT before looking the command up: arguments and MULTI do
            // not matter.
            if Bytes.equalsIgnoringCase(argv[0], "quit") {
                output.append(contentsOf: [0x2B, 0x4F, 0x4B, 0x0D, 0x0A])  // +OK\r\n
                close()
                break
            }
            let reply = execute(argv)
            // Read after the command: HELLO's own reply is in the protocol it switched to.
            ReplyEncoder.encode(reply, protocol: connection.protocolVersion, into: &output)
        }
        return output
    }

    /// Closes the session as if the client hung up: nothing more is parsed or run, and the
    /// client's state on the connection ends. Does nothing if already closed.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        // Frees whatever the client sent after QUIT or the error.
        parser = RequestParser()
        connection.endClient()
    }
}
