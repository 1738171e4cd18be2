import Testing
@testable import FuzzHarness

/// The command_handler input format.
struct ArgvStreamTests {
    private let stream = ArgvStream(names: ["get", "SET", "del"].map { Array($0.utf8) })
    private func words(_ items: String...) -> [[UInt8]] { items.map { Array($0.utf8) } }

    @Test func namesAreSortedAndLowercase() {
        #expect(stream.names == words("del", "get", "set"))
    }

    @Test func roundTripsCommandsWithBinaryAndLongArguments() throws {
        let long = [UInt8](repeating: 0xFF, count: 10_000)
        let commands: [[[UInt8]]] = [
            words("SET", "k", "v"), [Array("get".utf8), [0x00, 0x0D, 0x0A, 0xFF]], words("NOSUCHCOMMAND", "x"),
            [Array("set".utf8), Array("big".utf8), long], words("DEL"),
        ]
        let bytes = try stream.encode(commands)
        // Known names come back lowercase (the table's spelling); unknown ones as written.
        #expect(stream.decode(bytes) == [
            words("set", "k", "v"), [Array("get".utf8), [0x00, 0x0D, 0x0A, 0xFF]], words("NOSUCHCOMMAND", "x"),
            [Array("set".utf8), Array("big".utf8), long], words("del"),
        ])
        #expect(bytes.starts(with: [2, 2, 1, 0x6B, 1, 0x76]))
    }

    @Test func everyByteStringDecodesToSomething() {
        // A selector wraps around the table; a missing count is zero arguments.
        #expect(stream.decode([4]) == [words("get")])
        // An argument cut short by the end keeps what there is.
        #expect(stream.decode([2, 2, 1, 0x6B, 9, 0x76]) == [words("set", "k", "v")])
        // A spelled-out name with nothing after it is empty.
        #expect(stream.decode([0xFF]) == [[[]]])
        // A count past the end: only the arguments that start before the end.
        #expect(stream.decode([1, 0x1F, 0]) == [[Array("get".utf8), []]])
        #expect(stream.decode([]) == [])
    }

    @Test func decodesAtMostTheCommandLimit() {
        let bytes = [UInt8](repeating: 0, count: 500)
        // Each command is a selector and a zero count: 250 spelled, 64 run.
        #expect(stream.decode(bytes).count == ArgvStream.maximumCommands)
    }

    @Test func refusesWhatItCannotWrite() {
        #expect(throws: ArgvStream.EncodingError.emptyCommand) { try stream.encode([[]]) }
        let many = [Array("set".utf8)] + Array(repeating: [UInt8](), count: 32)
        #expect(throws: ArgvStream.EncodingError.tooManyArguments(32)) { try stream.encode([many]) }
        let huge = [Array("set".utf8), [UInt8](repeating: 0, count: 70_000)]
        #expect(throws: ArgvStream.EncodingError.argumentTooLong(70_000)) { try stream.encode([huge]) }
    }
}
