extension Reply {
    /// The reply as a RESP2 client receives it: what ``ReplyEncoder`` sends for
    /// ``ProtocolVersion/resp2``, as a value. Maps become flat key/value arrays, sets arrays,
    /// doubles bulk strings (Redis's `%.17g`), booleans the integers 1 and 0, verbatim strings
    /// their text.
    ///
    /// Differential testing needs it: a RESP2 client of Redis (hiredis, redis-cli) never sees
    /// the logical shapes, so Redlite's replies are compared in the same shape.
    public var loweredToRESP2: Reply {
        switch self {
        case .simple, .error, .integer, .bulk, .null, .nullArray:
            return self
        case .array(let elements):
            return .array(elements.map(\.loweredToRESP2))
        case .double(let value):
            return .bulk(ReplyEncoder.formatDouble(value))
        case .boolean(let value):
            return .integer(value ? 1 : 0)
        case .map(let pairs):
            return .array(pairs.flatMap { [$0.key.loweredToRESP2, $0.value.loweredToRESP2] })
        case .set(let elements):
            return .array(elements.map(\.loweredToRESP2))
        case .verbatim(_, let text):
            return .bulk(text)
        }
    }
}
