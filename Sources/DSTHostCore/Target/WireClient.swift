import RESP
import RedisClient

/// The raw-bytes client of a RESP target (`engine_feed`, `engine_hang_up`): what a test feeds
/// goes onto the socket unchanged, and what the server answers comes back unchanged.
///
/// A socket has no end of answer, so the client parses the bytes it sends the way the server
/// will (Redis's request rules and limits) to know how many replies to wait for: one per
/// complete request, one for a protocol error (after which the server must close), and one
/// for QUIT (likewise). A server that answers fewer within ``replyTimeoutMilliseconds`` is
/// reported as not answering.
final class WireClient {
    private let connection: WireConnection
    private var requests = RequestParser()
    private var replies = ReplyDecoder()
    /// The server is due to close the connection (after a protocol error or QUIT).
    private var closing = false

    /// How long the client waits for a reply it is owed (or for the close it is owed).
    static let replyTimeoutMilliseconds = 10_000

    /// The server's id for this connection (`CLIENT ID`), when it has CLIENT: after a drop, the
    /// id leaving `CLIENT LIST` says the server is done with whatever the connection sent.
    private(set) var serverClientID: Int64?

    init(target: RESPTarget) throws(TargetError) {
        do {
            connection = try WireConnection(host: target.host, port: target.port, timeoutMilliseconds: Self.replyTimeoutMilliseconds)
        } catch {
            throw TargetError("cannot connect to the target \(target): \(error)")
        }
        // Asked before the test's first byte, so its reply cannot mix with the test's.
        let asked = try feed(Array("*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n".utf8))
        // ":<id>\r\n". (Bytes, not Characters: "\r\n" is one Character in Swift.)
        let reply = asked.output
        if reply.count > 3, reply.first == UInt8(ascii: ":"), reply.suffix(2) == [13, 10] {
            serverClientID = Int64(String(decoding: reply.dropFirst().dropLast(2), as: UTF8.self))
        }
        // Count the test's replies from a clean slate.
        replies = ReplyDecoder()
    }

    /// Sends `bytes` and returns every byte the server answered to the requests they complete,
    /// and whether it then closed the connection.
    func feed(_ bytes: [UInt8]) throws(TargetError) -> (output: [UInt8], closed: Bool) {
        let owed = countReplies(owedFor: bytes)
        do {
            try connection.send(bytes)
        } catch {
            // The server may have closed already; what it sent before is still readable.
            if closing { return (try read(owed: owed), true) }
            throw TargetError("the target closed the connection: \(error)")
        }
        var output = try read(owed: owed)
        if closing && connection.isOpen {
            // Owed a close: wait for it, keeping anything sent before it.
            output += try read(owed: Int.max)
        }
        return (output, !connection.isOpen)
    }

    /// Sends `bytes` and drops the connection at once (a reset), reading nothing: a client
    /// vanishing mid-request, or mid-reply when the bytes complete a request.
    func hangUp(after bytes: [UInt8]) {
        if !bytes.isEmpty { try? connection.send(bytes) }
        connection.drop()
    }

    var isOpen: Bool { connection.isOpen }

    /// Replies the server owes for `bytes` on top of what it already owes.
    private func countReplies(owedFor bytes: [UInt8]) -> Int {
        guard !closing else { return 0 }
        requests.append(bytes)
        var owed = 0
        while true {
            do throws(ProtocolError) {
                guard let argv = try requests.next() else { return owed }
                owed += 1
                if let name = argv.first, name.count == 4, String(decoding: name, as: UTF8.self).lowercased() == "quit" {
                    closing = true
                    return owed
                }
            } catch {
                closing = true
                return owed + 1
            }
        }
    }

    /// Reads until `owed` complete replies arrived, or the server closed the connection.
    private func read(owed: Int) throws(TargetError) -> [UInt8] {
        var output: [UInt8] = []
        var received = 0
        while received < owed && connection.isOpen {
            let result: WireConnection.Received
            do {
                result = try connection.receive(timeoutMilliseconds: Self.replyTimeoutMilliseconds)
            } catch {
                throw TargetError("reading from the target: \(error)")
            }
            switch result {
            case .bytes(let bytes):
                output += bytes
                replies.append(bytes)
                do throws(ProtocolError) {
                    while try replies.next() != nil { received += 1 }
                } catch {
                    throw TargetError("the target answered bytes that are not RESP (\(error)) after \(received) of \(owed) replies: \(TraceText.quoted(output))")
                }
            case .closed:
                connection.close()
            case .timedOut:
                let what = owed == Int.max ? "close the connection" : "answer (\(received) of \(owed) replies came)"
                throw TargetError("the target did not \(what) within \(Self.replyTimeoutMilliseconds / 1000) s")
            }
        }
        return output
    }
}
