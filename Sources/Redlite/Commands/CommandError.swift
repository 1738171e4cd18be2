/// An error a command answers with: the whole error line, as Redis 7.0 sends it.
///
/// Command handlers throw these; the dispatcher turns them into `-...` replies after rolling
/// back the command's SQLite transaction.
public struct CommandError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The full text, including the code, e.g. `ERR syntax error`.
    public let message: String

    /// CR and LF become spaces, as Redis does for errors that quote user input: an error reply
    /// is one line.
    public init(_ message: String) {
        if message.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            self.message = String(decoding: message.utf8.map { $0 == 13 || $0 == 10 ? 32 : $0 }, as: UTF8.self)
        } else {
            self.message = message
        }
    }

    public var description: String { message }

    public static let syntax = CommandError("ERR syntax error")
    public static let wrongType = CommandError("WRONGTYPE Operation against a key holding the wrong kind of value")
    public static let notInteger = CommandError("ERR value is not an integer or out of range")
    public static let notFloat = CommandError("ERR value is not a valid float")
    public static let overflow = CommandError("ERR increment or decrement would overflow")
    public static let noSuchKey = CommandError("ERR no such key")
    public static let indexOutOfRange = CommandError("ERR index out of range")
    public static let dbIndexOutOfRange = CommandError("ERR DB index is out of range")
    public static let minMaxNotFloat = CommandError("ERR min or max is not a float")
    public static let minMaxNotValidString = CommandError("ERR min or max not valid string range item")
    public static let notPositive = CommandError("ERR value is out of range, must be positive")
    public static let nanOrInfinity = CommandError("ERR increment would produce NaN or Infinity")
    public static let nanScore = CommandError("ERR resulting score is not a number (NaN)")
    public static let authenticationRequired = CommandError("NOAUTH Authentication required.")
    public static let wrongPassword = CommandError("WRONGPASS invalid username-password pair or user is disabled.")

    /// `ERR wrong number of arguments for 'get' command`.
    public static func arity(_ name: String) -> CommandError {
        CommandError("ERR wrong number of arguments for '\(name)' command")
    }

    /// `ERR invalid expire time in 'set' command`.
    public static func invalidExpireTime(_ name: String) -> CommandError {
        CommandError("ERR invalid expire time in '\(name)' command")
    }

    /// `ERR unknown subcommand 'x'. Try CONFIG HELP.`
    public static func unknownSubcommand(_ subcommand: [UInt8], of command: String) -> CommandError {
        CommandError("ERR unknown subcommand '\(Bytes.lossyText(subcommand, limit: 128))'. Try \(command.uppercased()) HELP.")
    }
}
