/// An incremental decoder of RESP2 and RESP3 replies, as a client reads them from a server.
///
/// Feed it bytes with ``append(_:)`` and call ``next()`` until it returns nil. Partial
/// aggregates are kept on an explicit stack between calls, so a large reply trickling in is
/// parsed once in total, not once per read, and deep nesting cannot overflow the call stack.
///
/// Every RESP2 and RESP3 type Redis 7.0 sends maps onto ``Reply``, with these choices:
/// - `$-1` is ``Reply/null`` and `*-1` is ``Reply/nullArray``; RESP3 `_` is always `.null`,
///   so `.nullArray` does not survive a RESP3 round trip;
/// - blob errors (`!`) become ``Reply/error(_:)`` like simple errors;
/// - big numbers (`(`) become ``Reply/bulk(_:)`` of their digits, as the RESP3 specification
///   suggests for clients without a big-number type;
/// - attributes (`|`) are read and dropped: they annotate the reply that follows and carry
///   nothing a caller of this API needs;
/// - push frames (`>`) are rejected: ``Reply`` cannot tell them from a command's reply, and a
///   client that silently mistook one for the other would pair every later reply with the
///   wrong command.
///
/// Sizes read off the wire are checked against ``Limits`` and never used to reserve storage.
public struct ReplyDecoder: Sendable {
    /// Bounds on what a server may make the decoder buffer or build.
    public struct Limits: Equatable, Sendable {
        /// The longest header or simple line (bytes before its `\r`, type byte included).
        public var maxLineLength: Int
        /// The largest accepted bulk, verbatim or blob error length.
        public var maxBulkLength: Int
        /// The largest accepted element count of an array, set, map or attribute.
        public var maxAggregateCount: Int
        /// The deepest accepted nesting of aggregates; ``Reply`` values are recursive, and
        /// comparing or freeing a pathologically deep one would exhaust the stack.
        public var maxDepth: Int

        /// Limits with the given values; omitted ones are generous for any Redis reply.
        public init(
            maxLineLength: Int = 1024 * 1024,
            maxBulkLength: Int = 512 * 1024 * 1024,
            maxAggregateCount: Int = Int(Int32.max),
            maxDepth: Int = 128
        ) {
            self.maxLineLength = maxLineLength
            self.maxBulkLength = maxBulkLength
            self.maxAggregateCount = maxAggregateCount
            self.maxDepth = maxDepth
        }

        /// The default limits.
        public static let defaults = Limits()
    }

    /// The limits this decoder enforces.
    public let limits: Limits

    private var input = InputBuffer()
    /// Aggregates whose header was read but whose elements have not all arrived, outermost
    /// first.
    private var stack: [Frame] = []
    /// A `$`, `=` or `!` header already consumed whose payload has not fully arrived.
    private var pendingPayload: (type: UInt8, length: Int)?
    /// Set by the first error: the stream cannot be resynchronised after it.
    private var failure: ProtocolError?

    /// A decoder with the given limits.
    public init(limits: Limits = .defaults) {
        self.limits = limits
    }

    /// Adds bytes received from the server. Ignored once the decoder has failed.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        input.append(bytes)
    }

    /// Bytes received but not yet consumed.
    public var bufferedByteCount: Int { input.readableCount }

    /// The capacity of the internal buffer, for tests.
    var bufferCapacity: Int { input.capacity }

    /// The next complete reply, or nil if more bytes are needed.
    ///
    /// - Throws: ``ProtocolError`` for malformed input; after that every call throws the
    ///   same error.
    public mutating func next() throws(ProtocolError) -> Reply? {
        if let failure { throw failure }
        do throws(ProtocolError) {
            return try decodeNext()
        } catch {
            failure = error
            input.discardAll()
            stack = []
            throw error
        }
    }

    private struct Frame: Sendable {
        enum Kind: Sendable { case array, set, map, attribute }
        var kind: Kind
        /// Elements still expected; a map or attribute of N pairs expects 2N.
        var remaining: Int
        var elements: [Reply]
    }

    /// One step of decoding: a complete scalar, or the header of an aggregate.
    private enum Item {
        case value(Reply)
        case aggregate(Frame.Kind, count: Int)
    }

    private mutating func decodeNext() throws(ProtocolError) -> Reply? {
        reading: while true {
            guard let item = try readItem() else { return nil }
            var value: Reply
            switch item {
            case .value(let reply):
                value = reply
            case .aggregate(let kind, let count):
                if count > 0 {
                    guard stack.count < limits.maxDepth else { throw .nestedTooDeeply }
                    let expected = kind == .map || kind == .attribute ? count * 2 : count
                    var elements: [Reply] = []
                    // The count is only a claim: reserve a bounded amount.
                    elements.reserveCapacity(min(expected, 1024))
                    stack.append(Frame(kind: kind, remaining: expected, elements: elements))
                    continue reading
                }
                // An empty attribute annotates the next value; there is nothing to keep.
                if kind == .attribute { continue reading }
                value = Self.build(kind, from: [])
            }
            // Hand the finished value to its parent, closing every aggregate it completes.
            while !stack.isEmpty {
                let top = stack.count - 1
                stack[top].elements.append(value)
                stack[top].remaining -= 1
                if stack[top].remaining > 0 { continue reading }
                let frame = stack.removeLast()
                if frame.kind == .attribute { continue reading }
                value = Self.build(frame.kind, from: frame.elements)
            }
            return value
        }
    }

    private static func build(_ kind: Frame.Kind, from elements: [Reply]) -> Reply {
        switch kind {
        case .array:
            return .array(elements)
        case .set:
            return .set(elements)
        case .map, .attribute:
            return .map(stride(from: 0, to: elements.count, by: 2).map { ReplyPair(elements[$0], elements[$0 + 1]) })
        }
    }

    /// Reads the next scalar or aggregate header, or nil if it has not fully arrived.
    private mutating func readItem() throws(ProtocolError) -> Item? {
        if let pending = pendingPayload { return try readPayload(pending) }
        guard input.readableCount > 0 else { return nil }

        let lineEnd: Int
        switch input.findLine(terminator: UInt8(ascii: "\r"), maxLength: limits.maxLineLength) {
        case .found(let index): lineEnd = index
        case .needMore: return nil
        case .tooLong: throw .replyLineTooLong
        }
        guard lineEnd + 1 < input.bytes.count else { return nil }
        guard input.bytes[lineEnd + 1] == UInt8(ascii: "\n") else { throw .expectedCRLF }

        let type = input.bytes[input.readIndex]
        let line = input.bytes[(input.readIndex + 1)..<lineEnd]
        let item: Item?
        switch type {
        case UInt8(ascii: "+"):
            item = .value(.simple(String(decoding: line, as: UTF8.self)))
        case UInt8(ascii: "-"):
            item = .value(.error(String(decoding: line, as: UTF8.self)))
        case UInt8(ascii: ":"):
            guard let value = StrictInteger.parse(line) else { throw .invalidInteger }
            item = .value(.integer(value))
        case UInt8(ascii: ","):
            // Swift's parser accepts everything Redis prints: digits, exponents, inf, -inf, nan.
            guard !line.isEmpty, let value = Double(String(decoding: line, as: UTF8.self)) else {
                throw .invalidDouble
            }
            item = .value(.double(value))
        case UInt8(ascii: "#"):
            guard line.count == 1, line.first == UInt8(ascii: "t") || line.first == UInt8(ascii: "f") else {
                throw .invalidBoolean
            }
            item = .value(.boolean(line.first == UInt8(ascii: "t")))
        case UInt8(ascii: "_"):
            guard line.isEmpty else { throw .invalidNull }
            item = .value(.null)
        case UInt8(ascii: "("):
            guard Self.isBigNumber(line) else { throw .invalidBigNumber }
            item = .value(.bulk(Array(line)))
        case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
            let length = try parseLength(line, limit: limits.maxBulkLength)
            if length == -1 && type == UInt8(ascii: "$") {
                item = .value(.null)
            } else {
                guard length >= 0 else { throw .invalidLength }
                input.consume(lineEnd + 2 - input.readIndex)
                pendingPayload = (type, length)
                return try readPayload((type, length))
            }
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "|"):
            let count = try parseLength(line, limit: limits.maxAggregateCount)
            if count == -1 && type == UInt8(ascii: "*") {
                item = .value(.nullArray)
            } else {
                guard count >= 0 else { throw .invalidLength }
                let kind: Frame.Kind = switch type {
                case UInt8(ascii: "*"): .array
                case UInt8(ascii: "~"): .set
                case UInt8(ascii: "%"): .map
                default: .attribute
                }
                item = .aggregate(kind, count: count)
            }
        case UInt8(ascii: ">"):
            throw .pushNotSupported
        default:
            throw .unexpectedType(type)
        }
        input.consume(lineEnd + 2 - input.readIndex)
        return item
    }

    /// Reads the payload of a `$`, `=` or `!` whose header is consumed, once it has arrived.
    private mutating func readPayload(_ pending: (type: UInt8, length: Int)) throws(ProtocolError) -> Item? {
        // Written as a subtraction so a length near Int.max cannot overflow.
        guard input.readableCount - pending.length >= 2 else { return nil }
        let start = input.readIndex
        let end = start + pending.length
        guard input.bytes[end] == UInt8(ascii: "\r"), input.bytes[end + 1] == UInt8(ascii: "\n") else {
            throw .expectedCRLF
        }
        let payload = input.bytes[start..<end]
        let reply: Reply
        switch pending.type {
        case UInt8(ascii: "="):
            // "xxx:" then the text; Redis always writes a 3-byte format tag.
            guard payload.count >= 4, payload[start + 3] == UInt8(ascii: ":") else { throw .invalidVerbatim }
            reply = .verbatim(
                format: String(decoding: payload[start..<(start + 3)], as: UTF8.self),
                text: Array(payload[(start + 4)...])
            )
        case UInt8(ascii: "!"):
            reply = .error(String(decoding: payload, as: UTF8.self))
        default:
            reply = .bulk(Array(payload))
        }
        input.consume(pending.length + 2)
        pendingPayload = nil
        return .value(reply)
    }

    /// A length or count: a strict integer, -1 (null) or 0...limit.
    private func parseLength(_ digits: ArraySlice<UInt8>, limit: Int) throws(ProtocolError) -> Int {
        guard let value = StrictInteger.parse(digits), value >= -1, value <= Int64(limit) else {
            throw .invalidLength
        }
        return Int(value)
    }

    private static func isBigNumber(_ digits: ArraySlice<UInt8>) -> Bool {
        let body = digits.first == UInt8(ascii: "-") ? digits.dropFirst() : digits
        return !body.isEmpty && body.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

extension ProtocolError {
    // Replies have no Redis-defined error texts; these follow the style of the request ones.
    static let replyLineTooLong = ProtocolError("Protocol error: too big reply line")
    static let expectedCRLF = ProtocolError("Protocol error: expected CRLF")
    static let invalidInteger = ProtocolError("Protocol error: invalid integer")
    static let invalidDouble = ProtocolError("Protocol error: invalid double")
    static let invalidBoolean = ProtocolError("Protocol error: invalid boolean")
    static let invalidNull = ProtocolError("Protocol error: invalid null")
    static let invalidBigNumber = ProtocolError("Protocol error: invalid big number")
    static let invalidLength = ProtocolError("Protocol error: invalid length")
    static let invalidVerbatim = ProtocolError("Protocol error: invalid verbatim string")
    static let nestedTooDeeply = ProtocolError("Protocol error: replies nested too deeply")
    static let pushNotSupported = ProtocolError("Protocol error: RESP3 push replies are not supported")

    static func unexpectedType(_ byte: UInt8) -> ProtocolError {
        ProtocolError(bytes: Array("Protocol error: unexpected reply type '".utf8) + [byte, UInt8(ascii: "'")])
    }
}
