/// The typed Swift API for common commands: each call runs the same code path as
/// ``RedliteConnection/execute(_:)`` and decodes the reply. An error reply is thrown as a
/// ``CommandError`` carrying Redis's text.
extension RedliteConnection {
    /// Runs a command and throws its error reply.
    @discardableResult
    public func call(_ arguments: [any CommandArgument]) throws(CommandError) -> Reply {
        let reply = execute(arguments.map(\.commandBytes))
        if case .error(let message) = reply { throw CommandError(message) }
        return reply
    }

    private func integer(_ arguments: [any CommandArgument]) throws(CommandError) -> Int64 {
        guard case .integer(let value) = try call(arguments) else { throw .unexpectedReply(arguments) }
        return value
    }

    private func optionalBytes(_ arguments: [any CommandArgument]) throws(CommandError) -> [UInt8]? {
        switch try call(arguments) {
        case .bulk(let bytes): return bytes
        case .null: return nil
        default: throw .unexpectedReply(arguments)
        }
    }

    private func byteArray(_ arguments: [any CommandArgument]) throws(CommandError) -> [[UInt8]] {
        let elements: [Reply]
        switch try call(arguments) {
        case .array(let items), .set(let items): elements = items
        case .nullArray: return []
        default: throw .unexpectedReply(arguments)
        }
        var result: [[UInt8]] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard case .bulk(let bytes) = element else { throw .unexpectedReply(arguments) }
            result.append(bytes)
        }
        return result
    }

    // MARK: Strings and keys

    /// GET: the value, or nil when the key is missing.
    public func get(_ key: some CommandArgument) throws(CommandError) -> [UInt8]? {
        try optionalBytes(["GET", key])
    }

    /// SET, optionally with a time to live in milliseconds (PX).
    public func set(_ key: some CommandArgument, _ value: some CommandArgument, expireMilliseconds: Int64? = nil) throws(CommandError) {
        if let expireMilliseconds {
            try call(["SET", key, value, "PX", expireMilliseconds])
        } else {
            try call(["SET", key, value])
        }
    }

    /// INCRBY: the new value.
    @discardableResult
    public func increment(_ key: some CommandArgument, by amount: Int64 = 1) throws(CommandError) -> Int64 {
        try integer(["INCRBY", key, amount])
    }

    /// DEL: how many of the keys existed.
    @discardableResult
    public func delete(_ keys: any CommandArgument...) throws(CommandError) -> Int64 {
        try integer(["DEL"] + keys)
    }

    /// EXISTS: how many of the keys exist (repeats count).
    public func exists(_ keys: any CommandArgument...) throws(CommandError) -> Int64 {
        try integer(["EXISTS"] + keys)
    }

    /// PEXPIRE: `true` when the timeout was set.
    @discardableResult
    public func expire(_ key: some CommandArgument, milliseconds: Int64) throws(CommandError) -> Bool {
        try integer(["PEXPIRE", key, milliseconds]) == 1
    }

    /// PTTL: milliseconds left, -1 without expiry, -2 when missing.
    public func timeToLive(_ key: some CommandArgument) throws(CommandError) -> Int64 {
        try integer(["PTTL", key])
    }

    // MARK: Lists

    /// LPUSH: the list's new length.
    @discardableResult
    public func leftPush(_ key: some CommandArgument, _ values: any CommandArgument...) throws(CommandError) -> Int64 {
        try integer(["LPUSH", key] + values)
    }

    /// RPUSH: the list's new length.
    @discardableResult
    public func rightPush(_ key: some CommandArgument, _ values: any CommandArgument...) throws(CommandError) -> Int64 {
        try integer(["RPUSH", key] + values)
    }

    /// LRANGE with Redis's inclusive, negative-friendly indexes.
    public func range(_ key: some CommandArgument, _ start: Int64 = 0, _ stop: Int64 = -1) throws(CommandError) -> [[UInt8]] {
        try byteArray(["LRANGE", key, start, stop])
    }

    // MARK: Hashes

    /// HSET of one field: `true` when the field is new.
    @discardableResult
    public func hashSet(_ key: some CommandArgument, _ field: some CommandArgument, _ value: some CommandArgument) throws(CommandError) -> Bool {
        try integer(["HSET", key, field, value]) == 1
    }

    /// HGET: the field's value, or nil.
    public func hashGet(_ key: some CommandArgument, _ field: some CommandArgument) throws(CommandError) -> [UInt8]? {
        try optionalBytes(["HGET", key, field])
    }

    /// HGETALL as field/value pairs, in storage order.
    public func hashGetAll(_ key: some CommandArgument) throws(CommandError) -> [(field: [UInt8], value: [UInt8])] {
        guard case .map(let pairs) = try call(["HGETALL", key]) else { throw .unexpectedReply(["HGETALL", key]) }
        var result: [(field: [UInt8], value: [UInt8])] = []
        for pair in pairs {
            guard case .bulk(let field) = pair.key, case .bulk(let value) = pair.value else {
                throw .unexpectedReply(["HGETALL", key])
            }
            result.append((field, value))
        }
        return result
    }

    // MARK: Sets

    /// SADD: how many members were new.
    @discardableResult
    public func setAdd(_ key: some CommandArgument, _ members: any CommandArgument...) throws(CommandError) -> Int64 {
        try integer(["SADD", key] + members)
    }

    /// SMEMBERS.
    public func setMembers(_ key: some CommandArgument) throws(CommandError) -> [[UInt8]] {
        try byteArray(["SMEMBERS", key])
    }

    // MARK: Sorted sets

    /// ZADD of one member: `true` when it is new.
    @discardableResult
    public func sortedSetAdd(_ key: some CommandArgument, score: Double, member: some CommandArgument) throws(CommandError) -> Bool {
        try integer(["ZADD", key, score, member]) == 1
    }

    /// ZSCORE: the member's score, or nil.
    public func sortedSetScore(_ key: some CommandArgument, _ member: some CommandArgument) throws(CommandError) -> Double? {
        switch try call(["ZSCORE", key, member]) {
        case .double(let score): return score
        case .null: return nil
        case .bulk(let text): return Numbers.parseDouble(text)
        default: throw .unexpectedReply(["ZSCORE", key, member])
        }
    }

    /// ZRANGE by rank, members only.
    public func sortedSetRange(_ key: some CommandArgument, _ start: Int64 = 0, _ stop: Int64 = -1) throws(CommandError) -> [[UInt8]] {
        try byteArray(["ZRANGE", key, start, stop])
    }
}

extension CommandError {
    static func unexpectedReply(_ arguments: [any CommandArgument]) -> CommandError {
        let name = arguments.first.map { Bytes.lossyText($0.commandBytes) } ?? "?"
        return CommandError("ERR unexpected reply shape for \(name)")
    }
}
