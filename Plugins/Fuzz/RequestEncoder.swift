/// Requests as a client writes them: multibulk (`*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n`) or inline
/// (`ECHO hi\r\n`, quoted the way Redis's `sdssplitargs` reads back).
enum RequestEncoder {
    /// The multibulk form of one command.
    static func multibulk(_ argv: [[UInt8]]) -> [UInt8] {
        var bytes = Array("*\(argv.count)\r\n".utf8)
        for argument in argv {
            bytes += Array("$\(argument.count)\r\n".utf8)
            bytes += argument
            bytes += [0x0D, 0x0A]
        }
        return bytes
    }

    /// The inline form of one command, ended by `terminator` (`\r\n`, or `\n` alone, which
    /// Redis accepts too). Arguments that are empty or hold spaces, quotes, backslashes or
    /// bytes outside printable ASCII are double-quoted with `\xHH` escapes.
    static func inline(_ argv: [[UInt8]], terminator: [UInt8] = [0x0D, 0x0A]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, argument) in argv.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: " ")) }
            bytes += quotedIfNeeded(argument)
        }
        return bytes + terminator
    }

    /// `argument` as one inline word.
    static func quotedIfNeeded(_ argument: [UInt8]) -> [UInt8] {
        let plain = !argument.isEmpty && argument.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'")
                && byte != UInt8(ascii: "\\")
        }
        if plain { return argument }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in argument {
            switch byte {
            case UInt8(ascii: "\""): bytes += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): bytes += Array("\\\\".utf8)
            case 0x20..<0x7F: bytes.append(byte)
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }
}
