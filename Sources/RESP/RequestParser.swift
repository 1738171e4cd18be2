/// An incremental parser of client requests, byte-compatible with Redis 7.0's.
///
/// Feed it bytes as they arrive with ``append(_:)``, then call ``next()`` until it returns nil.
/// Both request forms are accepted: multibulk (`*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n`) and inline
/// (`ECHO hi\r\n`, split and unquoted as Redis's `sdssplitargs` does). A request whose first
/// byte is `*` is multibulk; anything else is inline.
///
/// Memory stays proportional to the bytes actually received: sizes read off the wire are
/// checked against ``RequestLimits`` and are never used to reserve storage, so
/// `$2147483647` costs nothing until the bytes themselves arrive (except in the parser
/// ``trustingDeclaredLengths()`` makes, a planted defect).
///
/// Quirks kept from Redis because clients can observe them:
/// - `*0` and `*-N` are accepted and produce no command, as does an empty inline line;
/// - the byte after the `\r` of a `*`/`$` header and the two bytes after a bulk payload are
///   skipped without checking that they are `\n` / `\r\n`.
///
/// Deliberate differences, both where Redis's own behaviour is accidental:
/// - a line longer than ``RequestLimits/maxInlineSize`` is rejected even when its terminator
///   arrives in the same read; Redis only checks between reads, so its verdict depends on how
///   the kernel happened to split the stream;
/// - a NUL byte in an inline request is an ordinary byte; Redis searches for the newline with
///   `strchr`, which stops at the NUL, so it waits until the line limit is hit.
public struct RequestParser: Sendable {
    /// The limits this parser enforces.
    public let limits: RequestLimits

    private var input = InputBuffer()
    /// Arguments of the multibulk request being read; kept across calls that run out of bytes.
    private var arguments: [[UInt8]] = []
    /// Arguments still expected by the current multibulk request; 0 between requests.
    private var remainingArguments = 0
    /// The length of the bulk whose header was read but whose payload has not fully arrived.
    private var pendingBulkLength: Int?
    /// Set by the first protocol error; the connection is unusable after it, as in Redis.
    private var failure: ProtocolError?
    /// Planted-defect hook: see ``trustingDeclaredLengths()``.
    private let trustsDeclaredLengths: Bool
    /// The pending bulk's storage, sized from its declared length; only when trusting.
    private var trustedPayload: [UInt8] = []

    /// A parser with the given limits (Redis 7.0's defaults unless stated).
    public init(limits: RequestLimits = .redisDefaults) {
        self.init(limits: limits, trustsDeclaredLengths: false)
    }

    private init(limits: RequestLimits, trustsDeclaredLengths: Bool) {
        self.limits = limits
        self.trustsDeclaredLengths = trustsDeclaredLengths
    }

    /// Planted-defect hook, for tests that must show a suite catches "a length trusted from
    /// the wire": a parser with no limits at all that reserves each bulk's storage from its
    /// declared length as soon as the `$` header is read, before any of the bytes arrive.
    /// `*1\r\n$9000000000000\r\n` then makes the process try to allocate 9 TB and die.
    /// Never use it outside such a test.
    package static func trustingDeclaredLengths() -> RequestParser {
        RequestParser(limits: RequestLimits(maxInlineSize: .max, maxBulkLength: .max, maxMultibulkCount: .max),
                      trustsDeclaredLengths: true)
    }

    /// True while the client must authenticate and has not: the smaller unauthenticated
    /// limits apply to the headers read from then on, as Redis checks them when it reads each
    /// header (so a request after a pipelined AUTH gets the full limits).
    public var isUnauthenticated = false

    /// Adds bytes received from the client. Ignored once the parser has failed.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        input.append(bytes)
    }

    /// Bytes received but not yet returned as part of a command: a server can cap this the
    /// way Redis applies `client-query-buffer-limit`.
    public var bufferedByteCount: Int { input.readableCount }

    /// The capacity of the internal buffers, so tests can check nothing was reserved from a
    /// size the client merely claimed.
    package var bufferCapacity: Int { input.capacity + trustedPayload.capacity }

    /// The capacity reserved for the arguments of a partly received command, so tests can
    /// check a claimed `*` count did not size it.
    package var pendingArgumentsCapacity: Int { arguments.capacity }

    /// The next complete command's arguments, or nil if more bytes are needed.
    ///
    /// Never returns an empty array: requests with no arguments are skipped.
    /// - Throws: the ``ProtocolError`` Redis would report; after that, every call throws the
    ///   same error, because the server is expected to reply with it and close the connection.
    public mutating func next() throws(ProtocolError) -> [[UInt8]]? {
        if let failure { throw failure }
        do throws(ProtocolError) {
            return try parseNext()
        } catch {
            failure = error
            input.discardAll()
            arguments = []
            trustedPayload = []
            throw error
        }
    }

    private mutating func parseNext() throws(ProtocolError) -> [[UInt8]]? {
        while true {
            if remainingArguments > 0 { return try readArguments() }
            guard input.readableCount > 0 else { return nil }
            if input.bytes[input.readIndex] == UInt8(ascii: "*") {
                // A count of zero or less leaves remainingArguments at 0: loop to the next request.
                guard try readMultibulkCount() else { return nil }
            } else {
                guard let inline = try readInline() else { return nil }
                if !inline.isEmpty { return inline }
            }
        }
    }

    /// Reads a `*<count>` header; false when it has not fully arrived.
    private mutating func readMultibulkCount() throws(ProtocolError) -> Bool {
        guard let lineEnd = try headerLineEnd(tooLong: .tooBigMultibulkCount) else { return false }
        let digits = input.bytes[(input.readIndex + 1)..<lineEnd]
        guard let count = StrictInteger.parse(digits), count <= Int64(limits.maxMultibulkCount) else {
            throw .invalidMultibulkLength
        }
        if isUnauthenticated && count > Int64(limits.maxUnauthenticatedMultibulkCount) {
            throw .unauthenticatedMultibulkLength
        }
        input.consume(lineEnd + 2 - input.readIndex)
        // Redis ignores empty and negative counts rather than rejecting them.
        guard count > 0 else { return true }
        remainingArguments = Int(count)
        arguments = []
        // The count is only a claim: reserve a bounded amount and let real arguments grow it.
        arguments.reserveCapacity(min(Int(count), 1024))
        return true
    }

    /// Reads as many `$<len>\r\n<payload>\r\n` arguments as have arrived; returns the command
    /// once all of them have.
    private mutating func readArguments() throws(ProtocolError) -> [[UInt8]]? {
        while remainingArguments > 0 {
            let length: Int
            if let pendingBulkLength {
                length = pendingBulkLength
            } else {
                guard let lineEnd = try headerLineEnd(tooLong: .tooBigBulkCount) else { return nil }
                let first = input.bytes[input.readIndex]
                guard first == UInt8(ascii: "$") else { throw .expectedDollar(got: first) }
                let digits = input.bytes[(input.readIndex + 1)..<lineEnd]
                guard let claimed = StrictInteger.parse(digits), claimed >= 0,
                      claimed <= Int64(limits.maxBulkLength) else {
                    throw .invalidBulkLength
                }
                if isUnauthenticated && claimed > Int64(limits.maxUnauthenticatedBulkLength) {
                    throw .unauthenticatedBulkLength
                }
                input.consume(lineEnd + 2 - input.readIndex)
                length = Int(claimed)
                pendingBulkLength = length
                // The planted defect: the claim sizes an allocation (the correct parser lets
                // only received bytes grow its storage).
                if trustsDeclaredLengths { trustedPayload.reserveCapacity(length) }
            }
            // Written as a subtraction so a length near Int.max cannot overflow.
            guard input.readableCount - length >= 2 else { return nil }
            let start = input.readIndex
            if trustsDeclaredLengths {
                trustedPayload.append(contentsOf: input.bytes[start..<(start + length)])
                arguments.append(trustedPayload)
                trustedPayload = []
            } else {
                arguments.append(Array(input.bytes[start..<(start + length)]))
            }
            input.consume(length + 2)
            pendingBulkLength = nil
            remainingArguments -= 1
        }
        let command = arguments
        arguments = []
        return command
    }

    /// The index of the `\r` ending the header line at the read position, once the byte after
    /// it has arrived too (Redis needs it present, though it never checks it is `\n`).
    private mutating func headerLineEnd(tooLong: ProtocolError) throws(ProtocolError) -> Int? {
        switch input.findLine(terminator: UInt8(ascii: "\r"), maxLength: limits.maxInlineSize) {
        case .found(let index):
            return index + 1 < input.bytes.count ? index : nil
        case .needMore:
            return nil
        case .tooLong:
            throw tooLong
        }
    }

    /// Reads one inline line; returns its arguments (possibly none) or nil if incomplete.
    private mutating func readInline() throws(ProtocolError) -> [[UInt8]]? {
        let newline: Int
        switch input.findLine(terminator: UInt8(ascii: "\n"), maxLength: limits.maxInlineSize) {
        case .found(let index): newline = index
        case .needMore: return nil
        case .tooLong: throw .tooBigInlineRequest
        }
        let start = input.readIndex
        var end = newline
        if end > start && input.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard let split = InlineArguments.split(input.bytes[start..<end]) else {
            throw .unbalancedQuotes
        }
        input.consume(newline + 1 - start)
        return split
    }
}
