/// The byte format of the `command_handler` target's inputs: a stream of commands, each
/// named by an index into the engine's command table, so that nearly every input libFuzzer
/// writes runs real commands and its coverage goes into their handlers rather than stopping
/// at "unknown command".
///
/// ```
/// stream   := command*                      (the first `maximumCommands` are run)
/// command  := selector count argument*
/// selector := one byte: 0xFF = the name is spelled out as the next argument (an unknown or
///             oddly cased name); otherwise names[selector % names.count]
/// count    := one byte: (count & 0x1F) arguments follow the name
/// argument := length bytes; length is one byte 0...0xFE, or 0xFF then two bytes big endian
/// ```
///
/// Every byte string decodes to something: an input that ends early ends its last argument,
/// or its last command, there. Length-prefixed rather than separated, so arguments stay
/// binary (NUL, CR, LF and 0xFF included), as the corpus's are.
///
/// The table is the engine's `COMMAND LIST`, sorted: an input means the same commands for as
/// long as the engine's table does not change.
public struct ArgvStream: Sendable {
    /// The selector that spells the name out instead of choosing it from the table.
    public static let spelledOut: UInt8 = 0xFF
    static let longLength: UInt8 = 0xFF
    static let countMask: UInt8 = 0x1F
    /// Bounds the time one input takes: a long input is more commands, not longer runs.
    public static let maximumCommands = 64

    /// Lowercase command names, sorted.
    public let names: [[UInt8]]

    /// A stream over `names` (sorted here, so their order never matters).
    public init(names: [[UInt8]]) {
        self.names = names.map { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The commands `bytes` spells.
    public func decode(_ bytes: some Collection<UInt8>) -> [[[UInt8]]] {
        var reader = Reader(bytes: Array(bytes))
        var commands: [[[UInt8]]] = []
        while commands.count < Self.maximumCommands, let selector = reader.byte() {
            var argv: [[UInt8]] = []
            if selector == Self.spelledOut || names.isEmpty {
                argv.append(reader.argument())
            } else {
                argv.append(names[Int(selector) % names.count])
            }
            let count = Int((reader.byte() ?? 0) & Self.countMask)
            for _ in 0..<count where !reader.isAtEnd { argv.append(reader.argument()) }
            commands.append(argv)
        }
        return commands
    }

    /// The bytes that decode to `commands` (the seed corpus's form). A name missing from the
    /// table is spelled out; more than 31 arguments, or an argument over 65,535 bytes, cannot
    /// be written and is an error.
    public func encode(_ commands: [[[UInt8]]]) throws(EncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        for argv in commands {
            guard let name = argv.first else { throw .emptyCommand }
            let arguments = argv.dropFirst()
            guard arguments.count <= Int(Self.countMask) else { throw .tooManyArguments(arguments.count) }
            let lowercase = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            if let index = names.firstIndex(of: lowercase), index < Int(Self.spelledOut) {
                bytes.append(UInt8(index))
            } else {
                bytes.append(Self.spelledOut)
                try Self.appendArgument(name, to: &bytes)
            }
            bytes.append(UInt8(arguments.count))
            for argument in arguments { try Self.appendArgument(argument, to: &bytes) }
        }
        return bytes
    }

    /// Why a command cannot be written in this format.
    public enum EncodingError: Error, Equatable {
        /// A command without even a name.
        case emptyCommand
        /// More arguments after the name than a count byte holds (31).
        case tooManyArguments(Int)
        /// An argument longer than 65,535 bytes.
        case argumentTooLong(Int)
    }

    private static func appendArgument(_ argument: [UInt8], to bytes: inout [UInt8]) throws(EncodingError) {
        switch argument.count {
        case 0..<Int(longLength):
            bytes.append(UInt8(argument.count))
        case ...Int(UInt16.max):
            bytes += [longLength, UInt8(argument.count >> 8), UInt8(argument.count & 0xFF)]
        default:
            throw .argumentTooLong(argument.count)
        }
        bytes += argument
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position >= bytes.count }

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func argument() -> [UInt8] {
            guard let first = byte() else { return [] }
            var length = Int(first)
            if first == ArgvStream.longLength {
                length = Int(byte() ?? 0) << 8 | Int(byte() ?? 0)
            }
            let end = min(position + length, bytes.count)
            defer { position = end }
            return Array(bytes[position..<end])
        }
    }
}
