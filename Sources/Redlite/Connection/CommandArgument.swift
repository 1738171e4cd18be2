/// A value usable as a command argument in the typed API: its bytes on the wire.
public protocol CommandArgument {
    var commandBytes: [UInt8] { get }
}

extension Array: CommandArgument where Element == UInt8 {
    public var commandBytes: [UInt8] { self }
}

extension String: CommandArgument {
    public var commandBytes: [UInt8] { Array(utf8) }
}

extension Substring: CommandArgument {
    public var commandBytes: [UInt8] { Array(utf8) }
}

extension Int: CommandArgument {
    public var commandBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int64: CommandArgument {
    public var commandBytes: [UInt8] { Array(String(self).utf8) }
}

extension Double: CommandArgument {
    /// Scores and increments as Redis prints them (`%.17g`, `inf`, `-inf`).
    public var commandBytes: [UInt8] { Numbers.formatDouble(self) }
}
