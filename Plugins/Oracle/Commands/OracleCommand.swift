/// One command of a generated sequence, and how its reply is to be compared.
public struct OracleCommand: Hashable, Sendable, CustomStringConvertible {
    /// The command name first, then its arguments; times are placeholders (``OracleArgument``).
    public var arguments: [OracleArgument]
    /// How the two replies are compared when the command runs directly. Inside MULTI the
    /// immediate reply is `QUEUED` and this mode applies to the command's element of the EXEC
    /// array instead (``ReplyComparator`` tracks that).
    public var comparison: ReplyComparison.Mode

    /// A command compared with `comparison`.
    public init(_ arguments: [OracleArgument], comparison: ReplyComparison.Mode = .exact) {
        self.arguments = arguments
        self.comparison = comparison
    }

    /// The argv sent to a side whose clock base is `baseMilliseconds` (Unix ms).
    public func argv(baseMilliseconds: Int64) -> [[UInt8]] {
        arguments.map { $0.resolved(baseMilliseconds: baseMilliseconds) }
    }

    /// The command name in lowercase ASCII ("" when the first argument is not literal bytes).
    public var name: String {
        guard case .bytes(let bytes)? = arguments.first else { return "" }
        return String(decoding: bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The command as redis-cli would take it, times shown as `<base+Ns>` placeholders.
    public var description: String {
        arguments.map(\.description).joined(separator: " ")
    }

    /// The command as redis-cli would take it, times resolved against `baseMilliseconds`.
    public func rendered(baseMilliseconds: Int64) -> String {
        argv(baseMilliseconds: baseMilliseconds).map { OracleArgument.bytes($0).description }.joined(separator: " ")
    }
}
