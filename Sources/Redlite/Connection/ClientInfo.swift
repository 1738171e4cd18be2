/// One client as CLIENT LIST and CLIENT INFO describe it: what the transport knows (address,
/// descriptor, times, buffered bytes) and the client's session on its connection.
public struct ClientInfo: Sendable, Equatable {
    /// CLIENT ID.
    public var id: Int64
    /// The peer, `ip:port` (`addr`); empty for a connection with no socket.
    public var address: String
    /// The server's end, `ip:port` (`laddr`); empty for a connection with no socket.
    public var localAddress: String
    /// The socket's descriptor (`fd`); -1 for a connection with no socket.
    public var fileDescriptor: Int32
    /// Seconds since the client connected (`age`).
    public var ageSeconds: Int64
    /// Seconds since the client's last request (`idle`).
    public var idleSeconds: Int64
    /// Bytes received but not yet part of a complete request (`qbuf`).
    public var queryBufferLength: Int
    /// The client's state on its engine connection.
    public var session: ClientSession

    public init(id: Int64, address: String = "", localAddress: String = "", fileDescriptor: Int32 = -1,
                ageSeconds: Int64 = 0, idleSeconds: Int64 = 0, queryBufferLength: Int = 0,
                session: ClientSession = ClientSession()) {
        self.id = id
        self.address = address
        self.localAddress = localAddress
        self.fileDescriptor = fileDescriptor
        self.ageSeconds = ageSeconds
        self.idleSeconds = idleSeconds
        self.queryBufferLength = queryBufferLength
        self.session = session
    }

    /// The client's line, without its final newline, in Redis 7.0's field order.
    ///
    /// Fields Redlite has no counterpart for are fixed: no pub/sub (`sub`, `psub`, `ssub` 0),
    /// no replication (`redir=-1`), the only user is `default`, and per-client buffer memory is
    /// not tracked (`qbuf-free`, `argv-mem`, `rbs`, `rbp`, `obl`, `oll`, `omem`, `tot-mem` are
    /// 0). `multi-mem` counts the argument bytes of the queued commands, without Redis's
    /// per-object overhead.
    public var line: String {
        let flags = session.queuedCommandCount == nil ? "N" : "x"
        let name = String(decoding: session.name ?? [], as: UTF8.self)
        return "id=\(id) addr=\(address) laddr=\(localAddress) fd=\(fileDescriptor) name=\(name)"
            + " age=\(ageSeconds) idle=\(idleSeconds) flags=\(flags) db=\(session.database)"
            + " sub=0 psub=0 ssub=0 multi=\(session.queuedCommandCount ?? -1)"
            + " qbuf=\(queryBufferLength) qbuf-free=0 argv-mem=0 multi-mem=\(session.queuedBytes)"
            + " rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=\(session.lastCommand ?? "NULL")"
            + " user=default redir=-1 resp=\(session.protocolVersion.rawValue)"
    }
}

/// A client's state on its ``RedliteConnection``, as CLIENT LIST shows it.
public struct ClientSession: Sendable, Equatable {
    /// CLIENT SETNAME / HELLO SETNAME; nil when unnamed.
    public var name: [UInt8]?
    /// The selected database.
    public var database: Int64
    /// Commands queued since MULTI, or nil outside a transaction.
    public var queuedCommandCount: Int?
    /// The argument bytes of the queued commands.
    public var queuedBytes: Int
    /// RESP2 until `HELLO 3`.
    public var protocolVersion: ProtocolVersion
    /// The last command run, as Redis names it (`get`, `client|list`); nil before the first.
    public var lastCommand: String?

    public init(name: [UInt8]? = nil, database: Int64 = 0, queuedCommandCount: Int? = nil, queuedBytes: Int = 0,
                protocolVersion: ProtocolVersion = .resp2, lastCommand: String? = nil) {
        self.name = name
        self.database = database
        self.queuedCommandCount = queuedCommandCount
        self.queuedBytes = queuedBytes
        self.protocolVersion = protocolVersion
        self.lastCommand = lastCommand
    }
}
