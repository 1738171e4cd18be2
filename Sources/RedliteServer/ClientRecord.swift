import Redlite

/// What the registry knows of one connected client: its transport facts, fixed at connect,
/// and its session as its handler last published it.
struct ClientRecord: Sendable {
    let id: Int64
    let address: String
    let localAddress: String
    let fileDescriptor: Int32
    let connectedAt: ContinuousClock.Instant
    var lastInteraction: ContinuousClock.Instant
    var queryBufferLength = 0
    var session = ClientSession()

    init(id: Int64, address: String, localAddress: String, fileDescriptor: Int32, now: ContinuousClock.Instant) {
        self.id = id
        self.address = address
        self.localAddress = localAddress
        self.fileDescriptor = fileDescriptor
        self.connectedAt = now
        self.lastInteraction = now
    }

    /// The client as CLIENT LIST shows it at `now`.
    func info(at now: ContinuousClock.Instant) -> ClientInfo {
        ClientInfo(id: id, address: address, localAddress: localAddress, fileDescriptor: fileDescriptor,
                   ageSeconds: Self.wholeSeconds(now - connectedAt), idleSeconds: Self.wholeSeconds(now - lastInteraction),
                   queryBufferLength: queryBufferLength, session: session)
    }

    private static func wholeSeconds(_ duration: Duration) -> Int64 {
        max(0, duration.components.seconds)
    }
}
