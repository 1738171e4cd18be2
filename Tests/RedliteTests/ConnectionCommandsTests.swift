import RESP
import Synchronization
import Testing
@testable import Redlite

/// AUTH, HELLO AUTH, the NOAUTH gate and CLIENT, with and without a ``ClientDirectory``. The
/// texts and the order of the checks were taken from redis-server 7.0.15 (`--requirepass
/// secret`, and without it) through redis-cli.
@Suite struct ConnectionCommandsTests {
    /// A directory with a fixed password and a fixed list of other clients.
    final class FixedDirectory: ClientDirectory {
        let password: [UInt8]?
        let clients: [ClientInfo]
        init(password: String?, clients: [ClientInfo] = []) {
            self.password = password.map { Array($0.utf8) }
            self.clients = clients
        }
        var requiresPassword: Bool { password != nil }
        func passwordMatches(_ candidate: [UInt8]) -> Bool { candidate == password }
        func connectedClients() -> [ClientInfo] { clients }
    }

    private static let noAuth = Reply.err("NOAUTH Authentication required.")
    private static let wrongPass = Reply.err("WRONGPASS invalid username-password pair or user is disabled.")

    private static func guarded() -> TestDatabase {
        let db = TestDatabase()
        db.connection.clientDirectory = FixedDirectory(password: "secret")
        return db
    }

    // MARK: Without a server: a stock Redis with no password

    @Test func authWithoutAPasswordConfigured() {
        let db = TestDatabase()
        #expect(db.connection.isAuthenticated)
        #expect(db("AUTH", "x") == .err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"))
        #expect(db("AUTH", "default", "anything") == .ok)
        #expect(db("AUTH", "DEFAULT", "anything") == Self.wrongPass)
        #expect(db("AUTH", "bob", "x") == Self.wrongPass)
        #expect(db("AUTH", "a", "b", "c") == .syntaxError)
        #expect(db("AUTH") == .arity("auth"))
        #expect(db("PING") == .simple("PONG"))
    }

    // MARK: With a password

    @Test func theGateRefusesAllButAuthHelloAndQuit() {
        let db = Self.guarded()
        #expect(!db.connection.isAuthenticated)
        #expect(db("PING") == Self.noAuth)
        #expect(db("GET", "a") == Self.noAuth)
        #expect(db("CLIENT", "ID") == Self.noAuth)
        // Existence and arity come first.
        #expect(db("NOSUCH") == .err("ERR unknown command 'NOSUCH', with args beginning with: "))
        #expect(db("GET") == .arity("get"))
        #expect(db("CLIENT") == .arity("client"))
        #expect(db("CLIENT", "FOO") == .err("ERR unknown subcommand 'FOO'. Try CLIENT HELP."))
        #expect(db("CLIENT", "SETNAME") == .arity("client|setname"))
        #expect(db("CONFIG", "BOGUS") == .err("ERR unknown subcommand 'BOGUS'. Try CONFIG HELP."))
        #expect(db("CONFIG", "GET") == .arity("config|get"))
        // Nothing ran.
        #expect(db.connection.lastCommand == "config|get")
    }

    @Test func authWithThePassword() {
        let db = Self.guarded()
        #expect(db("AUTH", "wrong") == Self.wrongPass)
        #expect(db("AUTH", "default", "wrong") == Self.wrongPass)
        #expect(db("AUTH", "DEFAULT", "secret") == Self.wrongPass)
        #expect(db("GET", "a") == Self.noAuth)
        #expect(db("AUTH", "secret") == .ok)
        #expect(db("SET", "a", "1") == .ok)
        // A later failure does not log the client out.
        #expect(db("AUTH", "wrong") == Self.wrongPass)
        #expect(db("GET", "a") == .bulk("1"))
        // A client that hangs up starts over unauthenticated.
        db.connection.endClient()
        #expect(db("GET", "a") == Self.noAuth)
        #expect(db("AUTH", "default", "secret") == .ok)
        #expect(db("GET", "a") == .bulk("1"))
    }

    @Test func helloAuthenticatesOrSaysHowTo() {
        let db = Self.guarded()
        let helloNoAuth = Reply.err("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
        #expect(db("HELLO") == helloNoAuth)
        #expect(db("HELLO", "3") == helloNoAuth)
        #expect(db.connection.protocolVersion == .resp2)
        #expect(db("HELLO", "4") == .err("NOPROTO unsupported protocol version"))
        #expect(db("HELLO", "3", "AUTH", "default", "wrong") == Self.wrongPass)
        #expect(db("HELLO", "3", "AUTH", "bob", "secret") == Self.wrongPass)
        // The name is checked while parsing, before the credentials.
        #expect(db("HELLO", "3", "AUTH", "default", "wrong", "SETNAME", "a b")
                == .err("ERR Client names cannot contain spaces, newlines or special characters."))
        #expect(db("HELLO", "3", "AUTH", "bob", "x", "FOO") == .err("ERR Syntax error in HELLO option 'FOO'"))
        guard case .map(let pairs) = db("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "me") else {
            Issue.record("HELLO must answer a map")
            return
        }
        #expect(pairs.contains(ReplyPair(.bulk("proto"), .integer(3))))
        #expect(db.connection.isAuthenticated)
        #expect(db("CLIENT", "GETNAME") == .bulk("me"))
    }

    @Test func noAuthRefusalsDoomExec() {
        let db = Self.guarded()
        #expect(db("MULTI") == Self.noAuth)
        #expect(db("EXEC") == .err("EXECABORT Transaction discarded because of: NOAUTH Authentication required."))
        // AUTH inside MULTI is queued and runs at EXEC.
        let open = TestDatabase()
        #expect(open("MULTI") == .ok)
        #expect(open("AUTH", "x") == .simple("QUEUED"))
        #expect(open("EXEC") == .array([.err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")]))
    }

    @Test func aRefusedExecEndsTheTransaction() {
        let db = TestDatabase()
        #expect(db("EXEC", "x") == .err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"))
        #expect(db("MULTI") == .ok)
        #expect(db("SET", "a", "1") == .simple("QUEUED"))
        #expect(db("EXEC", "x") == .err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"))
        #expect(db("EXEC") == .err("ERR EXEC without MULTI"))
        #expect(db("GET", "a") == .null)
        // A refused subcommand inside MULTI dooms the transaction, as a refused command does.
        #expect(db("MULTI") == .ok)
        #expect(db("CLIENT", "NOPE") == .err("ERR unknown subcommand 'NOPE'. Try CLIENT HELP."))
        #expect(db("EXEC") == .err("EXECABORT Transaction discarded because of previous errors."))
    }

    @Test func unauthenticatedClientsGetSmallerRequestLimits() {
        func serve(_ input: String) -> String {
            let session = RESPSession(connection: Self.guarded().connection)
            return String(decoding: session.feed(Array(input.utf8)), as: UTF8.self)
        }
        #expect(serve("*11\r\n") == "-ERR Protocol error: unauthenticated multibulk length\r\n")
        #expect(serve("*1\r\n$16385\r\n") == "-ERR Protocol error: unauthenticated bulk length\r\n")
        #expect(serve("*1\r\n$536870913\r\n") == "-ERR Protocol error: invalid bulk length\r\n")
        #expect(serve("PING\r\n*2147483648\r\n") == "-NOAUTH Authentication required.\r\n-ERR Protocol error: invalid multibulk length\r\n")
        // After AUTH, in the same stream, the full limits apply.
        let big = String(repeating: "v", count: 20_000)
        #expect(serve("AUTH secret\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n\(big)\r\n") == "+OK\r\n+OK\r\n")
        // Without a password nothing changes.
        let open = RESPSession(connection: TestDatabase().connection)
        #expect(open.feed(Array("*11\r\n".utf8)).isEmpty)
    }

    // MARK: CLIENT

    @Test func clientNames() {
        let db = TestDatabase()
        #expect(db("CLIENT", "GETNAME") == .null)
        #expect(db("CLIENT", "SETNAME", "a b") == .err("ERR Client names cannot contain spaces, newlines or special characters."))
        #expect(db.run([b("CLIENT"), b("SETNAME"), [0xC3, 0xA9]]) == .err("ERR Client names cannot contain spaces, newlines or special characters."))
        #expect(db("CLIENT", "SETNAME", "worker-1") == .ok)
        #expect(db("CLIENT", "GETNAME") == .bulk("worker-1"))
        #expect(db("CLIENT", "SETNAME", "") == .ok)
        #expect(db("CLIENT", "GETNAME") == .null)
        #expect(db("CLIENT", "GETNAME", "x") == .arity("client|getname"))
        #expect(db("CLIENT", "ID") == .integer(db.connection.clientID))
        #expect(db("CLIENT", "ID", "x") == .arity("client|id"))
        #expect(db("client", "kill", "1.2.3.4:5") == .err("ERR unknown subcommand 'kill'. Try CLIENT HELP."))
        guard case .array(let help) = db("CLIENT", "HELP") else { Issue.record("CLIENT HELP must answer an array"); return }
        #expect(help.first == .simple("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"))
        #expect(help.last == .simple("    Prints this help."))
    }

    @Test func clientListAloneShowsThisConnection() {
        let db = TestDatabase()
        #expect(db("SELECT", "3") == .ok)
        #expect(db("CLIENT", "SETNAME", "solo") == .ok)
        let id = db.connection.clientID
        let line = "id=\(id) addr= laddr= fd=-1 name=solo age=0 idle=0 flags=N db=3 sub=0 psub=0 ssub=0 multi=-1"
            + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r"
            + " cmd=client|list user=default redir=-1 resp=2\n"
        #expect(db("CLIENT", "LIST") == .verbatim(format: "txt", text: b(line)))
        #expect(db("CLIENT", "INFO") == .verbatim(format: "txt", text: b(line.replacingOccurrences(of: "client|list", with: "client|info"))))
        db.advance(milliseconds: 61_000)
        guard case .verbatim(_, let text) = db("CLIENT", "LIST") else { Issue.record("not text"); return }
        #expect(String(decoding: text, as: UTF8.self).contains(" age=61 "))
    }

    @Test func clientListFromTheDirectoryWithOptions() {
        let db = TestDatabase()
        let me = db.connection.clientID
        let other = ClientInfo(id: me + 1, address: "127.0.0.1:5000", localAddress: "127.0.0.1:6379", fileDescriptor: 9,
                               ageSeconds: 12, idleSeconds: 3, queryBufferLength: 4,
                               session: ClientSession(name: b("other"), database: 2, queuedCommandCount: 2, queuedBytes: 10,
                                                      protocolVersion: .resp3, lastCommand: "set"))
        let stale = ClientInfo(id: me, address: "127.0.0.1:4000", localAddress: "127.0.0.1:6379", fileDescriptor: 8,
                               ageSeconds: 5, idleSeconds: 5)
        db.connection.clientDirectory = FixedDirectory(password: nil, clients: [stale, other])
        #expect(db("MULTI") == .ok)
        #expect(db("GET", "k") == .simple("QUEUED"))
        #expect(db("EXEC") == .array([.null]))
        func lines(_ words: String...) -> [String] {
            guard case .verbatim("txt", let text) = db.connection.execute(words.map(b)) else { return ["not text"] }
            return String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        let all = lines("CLIENT", "LIST")
        #expect(all.count == 3)
        #expect(all.last == "")
        // The asking client's own line has its live session, not the directory's copy.
        #expect(all[0] == "id=\(me) addr=127.0.0.1:4000 laddr=127.0.0.1:6379 fd=8 name= age=5 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=client|list user=default redir=-1 resp=2")
        #expect(all[1] == "id=\(me + 1) addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=9 name=other age=12 idle=3 flags=x db=2 sub=0 psub=0 ssub=0 multi=2 qbuf=4 qbuf-free=0 argv-mem=0 multi-mem=10 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=set user=default redir=-1 resp=3")
        #expect(lines("CLIENT", "LIST", "ID", String(me + 1), "999", String(me)).map { $0.prefix(6) }.count == 3)
        #expect(lines("CLIENT", "LIST", "ID", "0") == [""])
        #expect(lines("CLIENT", "LIST", "TYPE", "NORMAL").count == 3)
        #expect(lines("CLIENT", "LIST", "TYPE", "pubsub") == [""])
        #expect(db("CLIENT", "LIST", "TYPE", "foo") == .err("ERR Unknown client type 'foo'"))
        #expect(db("CLIENT", "LIST", "ID", "x") == .err("ERR Invalid client ID"))
        #expect(db("CLIENT", "LIST", "ID") == .syntaxError)
        #expect(db("CLIENT", "LIST", "TYPE", "normal", "x") == .syntaxError)
        #expect(lines("CLIENT", "INFO").first?.hasPrefix("id=\(me) addr=127.0.0.1:4000 ") == true)
    }
}
