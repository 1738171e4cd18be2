import DSTPluginSDK

/// The `command_handler` test: random argv over every command name the engine lists, with
/// malformed arguments (``ArgvGenerator``), run with `Engine.execute` on a file database.
///
/// Oracles: no call throws (but for cancellation); every error reply, nested ones too, obeys
/// ``ErrorReplyRule``; SQLite's `integrity_check` passes after every `batch` commands and at
/// the end; the engine still answers PING at the end (after a DISCARD, in case the last
/// commands left a MULTI open).
///
/// Parameters: `ops` (commands per seed, default 2000), `batch` (default 100).
enum HandlerFuzz {
    /// At most this many bad replies are reported per seed; the rest are counted.
    static let reportedViolations = 5

    static func run(_ run: TestRun) throws {
        let ops = try run.parameter("ops", default: 2000)
        let batch = max(1, try run.parameter("batch", default: 100))
        var random = SplitMix64(seed: run.random.next())
        let engine = try run.openEngine(.file("fuzz.db"))
        // On a RESP target (the host says so), only commands safe to send a shared server.
        let catalog = try discoverCatalog(engine, onServer: run.parameter("target") != nil)
        run.log("command_handler: seed \(run.seed), \(ops) commands over \(catalog.commands.count) names (from \(catalog.source))")
        let generator = ArgvGenerator(catalog: catalog)

        var executed = 0, errorReplies = 0, integrityChecks = 0, violations = 0
        var errorCodes: [String: Int] = [:]
        defer {
            run.metric("commands", Double(executed), unit: "count")
            run.metric("error_replies", Double(errorReplies), unit: "count")
            run.metric("integrity_checks", Double(integrityChecks), unit: "count")
            run.metric("violations", Double(violations), unit: "count")
            run.metric("catalog_commands", Double(catalog.commands.count), unit: "count")
            for (code, count) in errorCodes.sorted(by: { $0.key < $1.key }) {
                run.metric("errors.\(code)", Double(count), unit: "count")
            }
        }

        for index in 0..<ops {
            try run.checkCancellation()
            let argv = generator.argv(using: &random)
            run.log("op \(index): \(render(argv))", level: .debug)
            // The command as a RESP request, saved by the host should it crash the worker.
            run.keepIfCrashing("crash-command.resp", RequestEncoder.multibulk(argv))
            let reply: Reply
            do {
                reply = try engine.execute(argv)
            } catch let error as SDKError where error.isCancellation {
                throw error
            } catch {
                run.fail("command_handler seed \(run.seed) op \(index): \(render(argv)) threw \(error)")
                return
            }
            executed += 1
            for text in errors(in: reply) {
                errorReplies += 1
                let violation = ErrorReplyRule.violation(Array(text.utf8))
                errorCodes[violation == nil ? String(text.prefix { $0 != " " }) : "INVALID", default: 0] += 1
                if let violation {
                    violations += 1
                    if violations <= reportedViolations {
                        run.fail("command_handler seed \(run.seed) op \(index): \(render(argv)): \(violation): "
                                 + Reply.quoted(Array(text.utf8)))
                    }
                }
            }
            if (index + 1) % batch == 0 {
                integrityChecks += 1
                try checkIntegrity(engine, run: run, after: "op \(index)")
            }
        }
        _ = try? engine.execute("DISCARD")
        integrityChecks += 1
        try checkIntegrity(engine, run: run, after: "the last command")
        let ping = try engine.execute("PING")
        run.check(ping == .status("PONG"), "command_handler seed \(run.seed): PING at the end answered \(ping)")
    }

    /// The engine's own list (`COMMAND`, else `COMMAND LIST`), else the built-in one.
    static func discoverCatalog(_ engine: Engine, onServer: Bool = false) throws -> CommandCatalog {
        if let catalog = CommandCatalog.fromCommandReply(try engine.execute("COMMAND"), onServer: onServer) { return catalog }
        if let catalog = CommandCatalog.fromCommandListReply(try engine.execute("COMMAND", "LIST"), onServer: onServer) { return catalog }
        return CommandCatalog.builtIn
    }

    /// Every error text in `reply`, nested ones included (EXEC's replies).
    static func errors(in reply: Reply) -> [String] {
        switch reply {
        case .error(let text): return [text]
        case .array(let elements), .set(let elements): return elements.flatMap(errors(in:))
        case .map(let pairs): return pairs.flatMap { errors(in: $0.key) + errors(in: $0.value) }
        default: return []
        }
    }

    private static func checkIntegrity(_ engine: Engine, run: TestRun, after: String) throws {
        do {
            if let problem = try engine.checkIntegrity() {
                run.fail("command_handler seed \(run.seed): integrity_check after \(after): \(problem)")
            }
        } catch let error as SDKError where error.isUnsupported {
            // A RESP target: its database file is the server's, not the host's to check.
        }
    }

    /// `SET "k" "\x00"`, each argument quoted and cut short.
    static func render(_ argv: [[UInt8]]) -> String {
        argv.prefix(12).map { Reply.quoted($0, limit: 40) }.joined(separator: " ")
            + (argv.count > 12 ? " ... (\(argv.count) arguments)" : "")
    }
}
