/// A violation of the RESP framing, found while parsing a request or decoding a reply.
///
/// For requests, ``message`` is the whole error reply Redis 7.0 sends before it closes the
/// connection (`ERR Protocol error: ...`), so a server can answer with
/// `Reply.error(error.message)` and then hang up.
public struct ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The error reply text as Redis sends it, without the leading `-` and the trailing CRLF.
    ///
    /// Never contains CR or LF: like Redis, they are replaced by spaces.
    public let message: String

    /// ``message`` as the exact bytes Redis would put on the wire.
    ///
    /// It differs from `Array(message.utf8)` only when the message quotes an offending byte
    /// that is not valid UTF-8 on its own (`expected '$', got '\xff'`): a `String` cannot hold
    /// that byte, so ``message`` shows U+FFFD there while this keeps the raw byte.
    public let messageBytes: [UInt8]

    /// The message, so logs and test failures show the text rather than its bytes.
    public var description: String { message }

    /// An error with the given text; CR and LF are replaced by spaces.
    public init(_ message: String) {
        self.init(bytes: Array(message.utf8))
    }

    /// An error from raw bytes, so an offending non-UTF-8 byte can be reported exactly.
    init(bytes: [UInt8]) {
        let cleaned = bytes.map { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 }
        self.messageBytes = cleaned
        self.message = String(decoding: cleaned, as: UTF8.self)
    }

    /// `ERR Protocol error: too big inline request`: an inline line longer than
    /// ``RequestLimits/maxInlineSize``.
    public static let tooBigInlineRequest = ProtocolError("ERR Protocol error: too big inline request")

    /// `ERR Protocol error: too big mbulk count string`: a `*` header line longer than
    /// ``RequestLimits/maxInlineSize``.
    public static let tooBigMultibulkCount = ProtocolError("ERR Protocol error: too big mbulk count string")

    /// `ERR Protocol error: too big bulk count string`: a `$` header line longer than
    /// ``RequestLimits/maxInlineSize``.
    public static let tooBigBulkCount = ProtocolError("ERR Protocol error: too big bulk count string")

    /// `ERR Protocol error: invalid multibulk length`: the `*` count is not a strict integer
    /// or exceeds ``RequestLimits/maxMultibulkCount``.
    public static let invalidMultibulkLength = ProtocolError("ERR Protocol error: invalid multibulk length")

    /// `ERR Protocol error: invalid bulk length`: the `$` length is not a strict integer, is
    /// negative, or exceeds ``RequestLimits/maxBulkLength``.
    public static let invalidBulkLength = ProtocolError("ERR Protocol error: invalid bulk length")

    /// `ERR Protocol error: unauthenticated multibulk length`: a `*` count above
    /// ``RequestLimits/maxUnauthenticatedMultibulkCount`` from a client that has yet to
    /// authenticate.
    public static let unauthenticatedMultibulkLength = ProtocolError("ERR Protocol error: unauthenticated multibulk length")

    /// `ERR Protocol error: unauthenticated bulk length`: a `$` length above
    /// ``RequestLimits/maxUnauthenticatedBulkLength`` from a client that has yet to
    /// authenticate.
    public static let unauthenticatedBulkLength = ProtocolError("ERR Protocol error: unauthenticated bulk length")

    /// `ERR Protocol error: unbalanced quotes in request`: an inline request whose quotes do
    /// not close, or whose closing quote is followed by something other than a space.
    public static let unbalancedQuotes = ProtocolError("ERR Protocol error: unbalanced quotes in request")

    /// `ERR Protocol error: expected '$', got 'X'`, where X is the raw byte found instead of
    /// the `$` that starts every argument of a multibulk request.
    public static func expectedDollar(got byte: UInt8) -> ProtocolError {
        ProtocolError(bytes: Array("ERR Protocol error: expected '$', got '".utf8) + [byte, UInt8(ascii: "'")])
    }
}
