import Logging
import NIOCore
import Redlite

/// One client's end of the server: request bytes from its socket go through the engine's
/// ``RESPSession`` (parsing, pipelining, QUIT, protocol errors) on the client's own
/// ``RedliteConnection``, and the replies go back.
///
/// Every command runs inline in `channelRead`, on the channel's event loop, in the order it
/// arrived: a command whose bytes were all received runs to completion and commits even if
/// the client has gone meanwhile, and the partial request of a client that hangs up is never
/// run. Replies are written as each read produces them and flushed once per burst of reads
/// (`channelReadComplete`). A ``BackPressureHandler`` in front stops reading while the socket
/// cannot take more replies, so a client that does not read cannot make the server buffer
/// without bound.
///
/// The handler opens the client's engine connection when the channel becomes active and
/// closes it (ending MULTI and WATCH, as Redis forgets a client that went away) when the
/// channel goes inactive, whatever the reason: QUIT, a protocol error, a reset, shutdown.
final class ClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let storage: StorageOptions
    private let registry: ClientRegistry
    private var logger: Logger
    /// Set while the client is connected and admitted.
    private var session: RESPSession?
    private var clientID: Int64?
    /// Replies written since the last flush.
    private var hasUnflushedReplies = false
    /// The session ended (QUIT, protocol error, shutdown): close once the replies are out.
    private var isClosing = false

    init(storage: StorageOptions, registry: ClientRegistry, logger: Logger) {
        self.storage = storage
        self.registry = registry
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        let channel = context.channel
        let descriptor = (try? channel.pipeline.syncOperations.withUnsafeTransportIfAvailable(of: NIOBSDSocket.Handle.self) { $0 }) ?? -1
        guard let id = registry.admit(address: Self.text(channel.remoteAddress),
                                      localAddress: Self.text(channel.localAddress),
                                      fileDescriptor: Int32(descriptor)) else {
            logger.warning("refused a client: max number of clients reached")
            closeAfter(Array("-ERR max number of clients reached\r\n".utf8), context: context)
            return
        }
        clientID = id
        logger[metadataKey: "client"] = "\(id)"
        do {
            let connection = try RedliteConnection(storage, clientID: id)
            connection.clientDirectory = registry
            session = RESPSession(connection: connection)
            logger.debug("client connected", metadata: ["address": "\(Self.text(channel.remoteAddress))"])
        } catch {
            logger.error("cannot open the client's database connection: \(error)")
            closeAfter(Array("-ERR storage error: \(error)\r\n".utf8), context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session, !isClosing else { return }
        let buffer = unwrapInboundIn(data)
        let replies = buffer.withUnsafeReadableBytes { session.feed($0) }
        if session.isClosed {
            // QUIT or a protocol error: the last replies go out, then the connection closes.
            closeAfter(replies, context: context)
        } else if !replies.isEmpty {
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: replies)), promise: nil)
            hasUnflushedReplies = true
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Published before the replies go out: a client that has its reply sees itself in
        // CLIENT LIST as it now is (its name, database, last command).
        if let session, let clientID {
            registry.publish(id: clientID, session: session.connection.session, queryBufferLength: session.bufferedByteCount)
        }
        if hasUnflushedReplies {
            hasUnflushedReplies = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // Shutdown. No command is running (they run inside channelRead, on this loop):
            // the replies written so far go out, a partial request is dropped unanswered.
            logger.debug("closing for shutdown")
            closeAfter([], context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        endClient()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a failed write: the client is gone. What it sent in full has run.
        logger.debug("client error: \(error)")
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        endClient()
    }

    /// Writes `bytes` and whatever is still unflushed, then closes once they are on the wire
    /// (closing at once would drop unsent writes). Reads stop now.
    private func closeAfter(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard !isClosing else { return }
        isClosing = true
        hasUnflushedReplies = false
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Ends the client's session (MULTI, WATCH) and closes its engine connection. Once only.
    private func endClient() {
        if let session {
            session.close()
            self.session = nil
        }
        if let clientID {
            registry.remove(id: clientID)
            self.clientID = nil
            logger.debug("client disconnected")
        }
    }

    /// `ip:port`, bracketed for IPv6, as Redis prints addresses; empty when unknown.
    private static func text(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

@available(*, unavailable)
extension ClientHandler: Sendable {}
