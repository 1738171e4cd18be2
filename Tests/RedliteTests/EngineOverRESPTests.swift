import RESP
import Testing
@testable import Redlite

/// The engine behind the RESP codec, as a server will run it: request bytes in, reply bytes out.
@Suite struct EngineOverRESPTests {
    /// Feeds `input` to a parser, runs each command, and encodes each reply in the protocol the
    /// connection speaks at that moment.
    private func serve(_ db: TestDatabase, _ input: String) throws -> String {
        var parser = RequestParser()
        parser.append(Array(input.utf8))
        var output: [UInt8] = []
        while let argv = try parser.next() {
            let reply = db.connection.execute(argv)
            ReplyEncoder.encode(reply, protocol: db.connection.protocolVersion, into: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func resp2Replies() throws {
        let db = TestDatabase()
        let output = try serve(db, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\nGET nope\r\nZADD z 1.1 m\r\nZSCORE z m\r\nHSET h f v\r\nHGETALL h\r\nEXEC\r\n")
        #expect(output == "+OK\r\n$1\r\nv\r\n$-1\r\n:1\r\n$18\r\n1.1000000000000001\r\n:1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n-ERR EXEC without MULTI\r\n")
    }

    @Test func resp3AfterHello() throws {
        let db = TestDatabase()
        let hello = try serve(db, "HELLO 3\r\n")
        #expect(hello.hasPrefix("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"))
        let output = try serve(db, "GET nope\r\nZADD z 1.1 m\r\nZSCORE z m\r\nHSET h f v\r\nHGETALL h\r\nSADD s a\r\nSMEMBERS s\r\nZRANGE z 0 -1 WITHSCORES\r\n")
        #expect(output == "_\r\n:1\r\n,1.1000000000000001\r\n:1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n:1\r\n~1\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\nm\r\n,1.1000000000000001\r\n")
    }

    @Test func protocolErrorsComeFromTheParser() {
        var parser = RequestParser()
        parser.append(Array("*1\r\n$x\r\n".utf8))
        #expect(throws: ProtocolError.invalidBulkLength) { _ = try parser.next() }
    }
}
