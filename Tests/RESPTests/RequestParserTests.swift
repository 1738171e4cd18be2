import Testing
@testable import RESP

@Suite("RequestParser: multibulk requests")
struct MultibulkRequestTests {
    @Test func parsesOneCommand() throws {
        var parser = RequestParser()
        parser.append(bytes("*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n"))
        #expect(try parser.next() == argv("ECHO", "hello"))
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func returnsNilUntilTheCommandIsComplete() throws {
        var parser = RequestParser()
        parser.append(bytes("*2\r\n$4\r\nECHO\r\n$5\r\nhel"))
        #expect(try parser.next() == nil)
        parser.append(bytes("lo\r"))
        #expect(try parser.next() == nil)
        parser.append(bytes("\n"))
        #expect(try parser.next() == argv("ECHO", "hello"))
    }

    @Test func emptyArgument() {
        #expect(parse(bytes("*2\r\n$3\r\nGET\r\n$0\r\n\r\n")).commands == [argv("GET", "")])
    }

    @Test func binaryPayloadsWithCRLFAndNUL() {
        let payload: [UInt8] = [0x00, 0x0D, 0x0A, 0xFF, 0x24, 0x2A, 0x0D, 0x0A, 0x00]
        let input = multibulk([bytes("SET"), bytes("k\r\n"), payload])
        let expected = ParseOutcome(commands: [[bytes("SET"), bytes("k\r\n"), payload]])
        #expect(parse(input) == expected)
        #expect(parse(input, chunkSize: 1) == expected)
    }

    @Test func pipelinedCommandsInOneBuffer() {
        let input = multibulk(argv("PING")) + multibulk(argv("SET", "a", "1")) + bytes("GET a\r\n")
            + multibulk(argv("INCR", "a"))
        #expect(parse(input).commands == [argv("PING"), argv("SET", "a", "1"), argv("GET", "a"), argv("INCR", "a")])
    }

    @Test func countOfZeroOrLessYieldsNoCommand() {
        let input = bytes("*0\r\n*-1\r\n*-5\r\n") + multibulk(argv("PING")) + bytes("*0\r\n")
        #expect(parse(input) == ParseOutcome(commands: [argv("PING")]))
        #expect(parse(input, chunkSize: 1) == ParseOutcome(commands: [argv("PING")]))
    }

    // Redis never checks the byte after a header's \r nor the two bytes after a payload; a
    // client relying on that would break if we were stricter.
    @Test func uncheckedTerminatorsAreSkippedLikeRedis() {
        #expect(parse(bytes("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n")).commands == [argv("PING"), argv("PING")])
        #expect(parse(bytes("*1\rX$4\r\nPING\r\n")).commands == [argv("PING")])
        #expect(parse(bytes("*1\r\n$4\rXPING\r\n")).commands == [argv("PING")])
        // "*1\r\r" is a complete header; the "\n" left over then starts the first argument.
        #expect(parse(bytes("*1\r\r\n")) == ParseOutcome())
        #expect(parse(bytes("*1\r\r\n$4\r\nPING\r\n")).error?.message == "ERR Protocol error: expected '$', got ' '")
    }

    @Test func headerWaitsForTheByteAfterCR() {
        #expect(parse(bytes("*1\r")) == ParseOutcome())
        #expect(parse(bytes("*1\r\n$4\r")) == ParseOutcome())
    }

    @Test func largestAcceptedNumbersWait() {
        // INT_MAX arguments and a 512 MiB bulk are legal: the parser just waits for them.
        #expect(parse(bytes("*2147483647\r\n")) == ParseOutcome())
        #expect(parse(bytes("*1\r\n$536870912\r\n")) == ParseOutcome())
    }
}

@Suite("RequestParser: every split of the input gives the same commands")
struct ChunkingTests {
    static let pipeline: [UInt8] =
        multibulk([bytes("SET"), bytes("key"), [0x00, 0x0D, 0x0A, 0x24]])
        + bytes("*0\r\n")
        + bytes("ECHO \"a\\x41\\n\" 'b\\'c'\r\n")
        + bytes("\r\n")
        + bytes("*-1\r\n")
        + multibulk([bytes("GET"), []])
        + bytes("PING\n")

    static let expected: [[[UInt8]]] = [
        [bytes("SET"), bytes("key"), [0x00, 0x0D, 0x0A, 0x24]],
        argv("ECHO", "aA\n", "b'c"),
        [bytes("GET"), []],
        argv("PING"),
    ]

    @Test func wholeBuffer() {
        #expect(parse(Self.pipeline) == ParseOutcome(commands: Self.expected))
    }

    @Test func oneByteAtATime() {
        #expect(parse(Self.pipeline, chunkSize: 1) == ParseOutcome(commands: Self.expected))
    }

    @Test func everyTwoWaySplit() {
        for split in 0...Self.pipeline.count {
            let outcome = parse(Self.pipeline, splitAt: split)
            #expect(outcome == ParseOutcome(commands: Self.expected), "split at \(split)")
        }
    }

    @Test(arguments: [2, 3, 5, 7, 16])
    func fixedChunkSizes(size: Int) {
        #expect(parse(Self.pipeline, chunkSize: size) == ParseOutcome(commands: Self.expected))
    }

    @Test func errorsAreTheSameWhateverTheSplit() {
        let input = multibulk(argv("PING")) + bytes("*2\r\n$3\r\nGET\r\n:1\r\n")
        let expected = ParseOutcome(commands: [argv("PING")], error: .expectedDollar(got: UInt8(ascii: ":")))
        for split in 0...input.count {
            #expect(parse(input, splitAt: split) == expected, "split at \(split)")
        }
        #expect(parse(input, chunkSize: 1) == expected)
    }
}

@Suite("RequestParser: protocol errors, byte for byte as Redis 7.0.15 sends them")
struct RequestErrorTests {
    @Test func errorTexts() {
        #expect(ProtocolError.tooBigInlineRequest.message == "ERR Protocol error: too big inline request")
        #expect(ProtocolError.tooBigMultibulkCount.message == "ERR Protocol error: too big mbulk count string")
        #expect(ProtocolError.tooBigBulkCount.message == "ERR Protocol error: too big bulk count string")
        #expect(ProtocolError.invalidMultibulkLength.message == "ERR Protocol error: invalid multibulk length")
        #expect(ProtocolError.invalidBulkLength.message == "ERR Protocol error: invalid bulk length")
        #expect(ProtocolError.unbalancedQuotes.message == "ERR Protocol error: unbalanced quotes in request")
        #expect(ProtocolError.expectedDollar(got: UInt8(ascii: "f")).message == "ERR Protocol error: expected '$', got 'f'")
    }

    @Test(arguments: [
        "*x\r\n", "*1x\r\n", "*\r\n", "*+1\r\n", "* 1\r\n", "*1 \r\n", "*01\r\n", "*-0\r\n", "*--1\r\n",
        "*2147483648\r\n", "*9223372036854775807\r\n", "*9223372036854775808\r\n",
        "*99999999999999999999\r\n", "*-9223372036854775809\r\n",
    ])
    func invalidMultibulkLength(input: String) {
        #expect(parse(bytes(input)) == ParseOutcome(error: .invalidMultibulkLength))
    }

    @Test(arguments: [
        "*1\r\n$\r\n", "*1\r\n$-1\r\n", "*1\r\n$-0\r\n", "*1\r\n$x\r\n", "*1\r\n$01\r\n", "*1\r\n$+1\r\n",
        "*1\r\n$ 1\r\n", "*1\r\n$1 \r\n", "*1\r\n$536870913\r\n", "*1\r\n$2147483647\r\n",
        "*1\r\n$99999999999999999999\r\n",
    ])
    func invalidBulkLength(input: String) {
        #expect(parse(bytes(input)) == ParseOutcome(error: .invalidBulkLength))
    }

    @Test func expectedDollar() {
        #expect(parse(bytes("*1\r\nfoo\r\n")).error?.message == "ERR Protocol error: expected '$', got 'f'")
        #expect(parse(bytes("*1\r\n:4\r\n")).error?.message == "ERR Protocol error: expected '$', got ':'")
        #expect(parse(bytes("*2\r\n$1\r\na\r\n*1\r\n")).error?.message == "ERR Protocol error: expected '$', got '*'")
        // Redis turns the CR it found into a space rather than breaking its own reply line.
        #expect(parse(bytes("*1\r\n\r\n")).error?.message == "ERR Protocol error: expected '$', got ' '")
    }

    @Test func expectedDollarQuotesARawNonUTF8Byte() throws {
        let error = try #require(parse([0x2A, 0x31, 0x0D, 0x0A, 0xFF, 0x0D, 0x0A]).error)
        #expect(error.messageBytes == bytes("ERR Protocol error: expected '$', got '") + [0xFF, 0x27])
        #expect(error.message == "ERR Protocol error: expected '$', got '\u{FFFD}'")
    }

    @Test func expectedDollarNeedsTheWholeLine() {
        // Like Redis, the header line must be complete before its first byte is judged.
        #expect(parse(bytes("*1\r\nfoo")) == ParseOutcome())
    }

    @Test func customLimits() {
        let limits = RequestLimits(maxInlineSize: 16, maxBulkLength: 5, maxMultibulkCount: 3)
        #expect(parse(bytes("*3\r\n"), limits: limits) == ParseOutcome())
        #expect(parse(bytes("*4\r\n"), limits: limits) == ParseOutcome(error: .invalidMultibulkLength))
        #expect(parse(bytes("*1\r\n$5\r\nhello\r\n"), limits: limits) == ParseOutcome(commands: [argv("hello")]))
        #expect(parse(bytes("*1\r\n$6\r\n"), limits: limits) == ParseOutcome(error: .invalidBulkLength))
        #expect(parse(bytes("0123456789abcdef\n"), limits: limits) == ParseOutcome(commands: [argv("0123456789abcdef")]))
        #expect(parse(bytes("0123456789abcdefg\n"), limits: limits) == ParseOutcome(error: .tooBigInlineRequest))
    }

    @Test func poisonedAfterAnError() throws {
        var parser = RequestParser()
        parser.append(multibulk(argv("PING")) + bytes("*x\r\n") + multibulk(argv("PING")))
        #expect(try parser.next() == argv("PING"))
        #expect(throws: ProtocolError.invalidMultibulkLength) { try parser.next() }
        parser.append(multibulk(argv("PING")))
        #expect(throws: ProtocolError.invalidMultibulkLength) { try parser.next() }
        #expect(parser.bufferedByteCount == 0)
    }
}

@Suite("RequestParser: line limits (PROTO_INLINE_MAX_SIZE = 64 KiB)")
struct LineLimitTests {
    static let limit = 64 * 1024

    @Test func inlineAtTheLimitWaitsThenParses() {
        let line = [UInt8](repeating: UInt8(ascii: "A"), count: Self.limit)
        #expect(parse(line) == ParseOutcome())
        #expect(parse(line + bytes("\n")) == ParseOutcome(commands: [[line]]))
        #expect(parse(line + bytes("\n"), chunkSize: 16 * 1024) == ParseOutcome(commands: [[line]]))
    }

    @Test func inlineOverTheLimit() {
        let line = [UInt8](repeating: UInt8(ascii: "A"), count: Self.limit + 1)
        #expect(parse(line) == ParseOutcome(error: .tooBigInlineRequest))
        // Rejected even if the newline arrives in the same read, so the verdict does not
        // depend on how the kernel split the stream.
        #expect(parse(line + bytes("\n")) == ParseOutcome(error: .tooBigInlineRequest))
        #expect(parse(line, chunkSize: 1000) == ParseOutcome(error: .tooBigInlineRequest))
    }

    @Test func multibulkCountLine() {
        let atLimit = bytes("*") + [UInt8](repeating: UInt8(ascii: "1"), count: Self.limit - 1)
        #expect(parse(atLimit) == ParseOutcome())
        #expect(parse(atLimit + bytes("1")) == ParseOutcome(error: .tooBigMultibulkCount))
        #expect(parse(atLimit + bytes("\r\n")) == ParseOutcome(error: .invalidMultibulkLength))
    }

    @Test func bulkCountLine() {
        let atLimit = bytes("*1\r\n$") + [UInt8](repeating: UInt8(ascii: "1"), count: Self.limit - 1)
        #expect(parse(atLimit) == ParseOutcome())
        #expect(parse(atLimit + bytes("1")) == ParseOutcome(error: .tooBigBulkCount))
        // A line that does not even start with '$' is first judged by its length, as in Redis.
        let garbage = bytes("*1\r\n") + [UInt8](repeating: UInt8(ascii: "x"), count: Self.limit + 1)
        #expect(parse(garbage) == ParseOutcome(error: .tooBigBulkCount))
    }

    @Test func payloadIsNotALine() {
        // Bulk payloads are bounded by maxBulkLength, not by the line limit.
        let big = [UInt8](repeating: 0x0D, count: Self.limit * 2)
        #expect(parse(multibulk([big])) == ParseOutcome(commands: [[big]]))
    }
}

@Suite("RequestParser: memory stays proportional to bytes received")
struct RequestMemoryTests {
    @Test func hugeDeclaredBulkIsRejectedByDefault() {
        #expect(parse(bytes("*1\r\n$2147483647\r\n")) == ParseOutcome(error: .invalidBulkLength))
    }

    @Test func hugeDeclaredBulkWaitsWithoutAllocating() throws {
        var parser = RequestParser(limits: RequestLimits(maxBulkLength: Int.max))
        parser.append(bytes("*1\r\n$9223372036854775807\r\n"))
        #expect(try parser.next() == nil)
        for _ in 0..<10 {
            parser.append([UInt8](repeating: 0x61, count: 100))
            #expect(try parser.next() == nil)
        }
        #expect(parser.bufferedByteCount == 1000)
        #expect(parser.bufferCapacity < 4096)
    }

    @Test func hugeDeclaredCountReservesABoundedArray() throws {
        var parser = RequestParser()
        parser.append(bytes("*2147483647\r\n$1\r\na\r\n"))
        #expect(try parser.next() == nil)
        // 1024 slots requested; the allocator may round up a little.
        #expect(parser.pendingArgumentsCapacity < 1100)
        #expect(parser.bufferCapacity < 4096)
    }

    @Test func longPipelineIsCompacted() throws {
        // A client that never stops pipelining must not grow the buffer without bound: the
        // consumed prefix is reclaimed as it goes.
        var parser = RequestParser()
        let command = multibulk(argv("SET", "key", "value"))
        let chunk = Array((0..<1000).map { _ in command }.joined())
        var parsed = 0
        for _ in 0..<200 {
            // Split each read mid-command so a partial command always stays buffered.
            parser.append(chunk[..<(chunk.count - 7)])
            while let command = try parser.next() {
                #expect(command.count == 3)
                parsed += 1
            }
            parser.append(chunk[(chunk.count - 7)...])
            while try parser.next() != nil { parsed += 1 }
            #expect(parser.bufferCapacity < 4 * chunk.count)
        }
        #expect(parsed == 200_000)
    }
}
