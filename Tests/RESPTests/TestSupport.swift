@testable import RESP

/// The UTF-8 bytes of `text`, for writing wire data as string literals.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Arguments given as strings, for comparing against parsed argv.
func argv(_ items: String...) -> [[UInt8]] { items.map(bytes) }

/// What a parser made of some input: every command it returned, then either the error it
/// threw or nothing (it ran out of bytes).
struct ParseOutcome: Equatable, CustomStringConvertible {
    var commands: [[[UInt8]]] = []
    var error: ProtocolError?

    var description: String {
        let rendered = commands.map { $0.map { String(decoding: $0, as: UTF8.self).debugDescription } }
        return "commands: \(rendered), error: \(error?.message ?? "none")"
    }
}

/// Drains every command available now, recording a protocol error instead of throwing it.
func drain(_ parser: inout RequestParser, into outcome: inout ParseOutcome) {
    do {
        while let command = try parser.next() { outcome.commands.append(command) }
    } catch {
        outcome.error = error
    }
}

/// Feeds `input` in pieces of the given sizes (the last piece takes the rest), draining
/// after each piece, as a server does after each read.
func parse(_ input: [UInt8], limits: RequestLimits = .redisDefaults, chunkSize: Int? = nil) -> ParseOutcome {
    var parser = RequestParser(limits: limits)
    var outcome = ParseOutcome()
    let size = chunkSize ?? max(input.count, 1)
    var start = 0
    repeat {
        let end = min(start + size, input.count)
        parser.append(input[start..<end])
        drain(&parser, into: &outcome)
        start = end
    } while start < input.count && outcome.error == nil
    return outcome
}

/// Feeds `input` in two pieces split at `split`.
func parse(_ input: [UInt8], splitAt split: Int, limits: RequestLimits = .redisDefaults) -> ParseOutcome {
    var parser = RequestParser(limits: limits)
    var outcome = ParseOutcome()
    parser.append(input[..<split])
    drain(&parser, into: &outcome)
    if outcome.error == nil {
        parser.append(input[split...])
        drain(&parser, into: &outcome)
    }
    return outcome
}

/// A multibulk request for the given arguments, as a client library would encode it.
func multibulk(_ arguments: [[UInt8]]) -> [UInt8] {
    var out = bytes("*\(arguments.count)\r\n")
    for argument in arguments {
        out += bytes("$\(argument.count)\r\n") + argument + bytes("\r\n")
    }
    return out
}
