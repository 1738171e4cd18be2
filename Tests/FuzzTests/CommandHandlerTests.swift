import DSTPluginSDK
import Testing
@testable import Fuzz

/// The command_handler test's catalog and argv generator.
struct CommandHandlerTests {
    typealias R = DSTPluginSDK.Reply

    @Test func catalogFromTheEnginesReplies() {
        let reply = R.array([.array([.bulk("set"), .integer(-3)]), .array([.bulk("GET"), .integer(2)]),
                             .array([.bulk("shutdown"), .integer(-1)]), .array([.bulk("get"), .integer(2)]),
                             .array([.bulk("monitor"), .integer(1)])])
        let catalog = CommandCatalog.fromCommandReply(reply)
        #expect(catalog?.commands == [.init(name: "get", arity: 2), .init(name: "set", arity: -3)])
        #expect(catalog?.source == "COMMAND")
        #expect(CommandCatalog.fromCommandReply(.error("ERR unknown command")) == nil)
        #expect(CommandCatalog.fromCommandReply(.array([.bulk("get")])) == nil)
        let list = CommandCatalog.fromCommandListReply(.array([.bulk("ping"), .bulk("echo")]))
        #expect(list?.commands == [.init(name: "echo", arity: nil), .init(name: "ping", arity: nil)])
        #expect(CommandCatalog.builtIn.commands.count >= 130)
        #expect(CommandCatalog.builtIn.commands.allSatisfy { $0.arity != nil })
    }

    @Test func argvIsDeterministicAndMalformedOften() {
        let generator = ArgvGenerator(catalog: CommandCatalog.builtIn)
        var a = SplitMix64(seed: 77), b = SplitMix64(seed: 77)
        let first = (0..<5000).map { _ in generator.argv(using: &a) }
        let second = (0..<5000).map { _ in generator.argv(using: &b) }
        #expect(first == second)

        let arities = Dictionary(uniqueKeysWithValues: CommandCatalog.builtIn.commands.map { ($0.name, $0.arity!) })
        var wrongArity = 0, unknown = 0, empty = 0, binary = 0, duplicated = 0
        var names = Set<String>()
        for argv in first {
            let name = String(decoding: argv[0], as: UTF8.self).lowercased()
            guard let arity = arities[name] else { unknown += 1; continue }
            names.insert(name)
            if arity > 0 ? argv.count != arity : argv.count < -arity { wrongArity += 1 }
            if argv.dropFirst().contains(where: \.isEmpty) { empty += 1 }
            if argv.dropFirst().contains(where: { $0.contains { $0 >= 0x80 || $0 == 0 } }) { binary += 1 }
            if Set(argv.dropFirst()).count < argv.count - 1 { duplicated += 1 }
        }
        #expect(names.count == CommandCatalog.builtIn.commands.count)
        #expect(wrongArity > 1000 && wrongArity < 3500)
        #expect(unknown > 30)
        #expect(empty > 300)
        #expect(binary > 300)
        #expect(duplicated > 300)
        #expect(first.contains { $0[0] == Array("GET".utf8) } && first.contains { $0[0] == Array("get".utf8) })
    }

    @Test func nestedErrorsAreFound() {
        let reply = R.array([.ok, .error("ERR a"), .array([.error("WRONGTYPE b")]), .map([.init(.bulk("k"), .error("X c"))])])
        #expect(HandlerFuzz.errors(in: reply) == ["ERR a", "WRONGTYPE b", "X c"])
    }
}
