import RESP
import Testing
import RedisClient

/// hiredis's reply parser on its own: what the fuzz-parsers benchmark measures.
@Suite("RedisReplyReader")
struct RedisReplyReaderTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func parsesEveryRESP2Type() throws {
        let reader = try RedisReplyReader()
        try reader.feed(bytes("+OK\r\n-ERR bad\r\n:-7\r\n$3\r\na\u{0}b\r\n$-1\r\n*-1\r\n*2\r\n$0\r\n\r\n*1\r\n:1\r\n"))
        #expect(try reader.next() == .simple("OK"))
        #expect(try reader.next() == .error("ERR bad"))
        #expect(try reader.next() == .integer(-7))
        #expect(try reader.next() == .bulk([0x61, 0x00, 0x62]))
        // hiredis 0.14 has one nil for both.
        #expect(try reader.next() == .null)
        #expect(try reader.next() == .null)
        #expect(try reader.next() == .array([.bulk([]), .array([.integer(1)])]))
        #expect(try reader.next() == nil)
    }

    @Test func aClientRequestInMultibulkFormIsAReplyToo() throws {
        let reader = try RedisReplyReader()
        let request = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")
        // Byte by byte: nothing until the last byte arrives.
        for byte in request.dropLast() {
            try reader.feed([byte])
            #expect(try reader.next() == nil)
        }
        try reader.feed([request.last!])
        #expect(try reader.next() == .array([.bulk("SET"), .bulk("k"), .bulk("v")]))
    }

    @Test func anInlineCommandIsAProtocolErrorThatSticks() throws {
        let reader = try RedisReplyReader()
        try reader.feed(bytes("*1\r\n$4\r\nPING\r\nSET k v\r\n"))
        #expect(try reader.skipNext())
        let error = #expect(throws: RedisReplyReaderError.self) { try reader.skipNext() }
        guard case .protocol(let message) = error else {
            Issue.record("expected a protocol error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("\"S\""), "\(message)")
        // hiredis cannot find the next reply after an error: every later call fails alike.
        #expect(throws: error!) { try reader.feed(self.bytes("+OK\r\n")) }
        #expect(throws: error!) { try reader.next() }
    }

    @Test func skipNextCountsWithoutConverting() throws {
        let reader = try RedisReplyReader()
        try reader.feed(bytes(":1\r\n:2\r\n*2\r\n:3\r\n"))
        #expect(try reader.skipNext())
        #expect(try reader.skipNext())
        #expect(try !reader.skipNext())
        try reader.feed(bytes(":4\r\n"))
        #expect(try reader.skipNext())
    }
}
