import DSTPluginSDK

/// Replies of both sides that do not agree, at `index` of the sequence.
struct Divergence: Error {
    let index: Int
    let command: OracleCommand
    let redis: Reply
    let redlite: Reply
    let why: String
}

/// One execution of a sequence on fresh databases: a new memory engine and the reference
/// server's database emptied, both answering in RESP2 shape. Stops at the first divergence
/// (the states differ from there on, so later replies would mean nothing).
struct Execution {
    /// Each command as sent to each side, with both replies, up to and including the divergence.
    struct Step {
        let command: OracleCommand
        let redisArgv: [[UInt8]]
        let redis: Reply
        let redlite: Reply
    }

    var steps: [Step] = []
    var divergence: Divergence?
    /// Each side's clock base: its own `TIME` (Redlite's is the run's virtual clock, or the
    /// server's real one when the engine is a RESP target).
    var bases = ReplyComparison.Bases.zero

    static func run(_ commands: [OracleCommand], _ run: TestRun) throws -> Execution {
        let reference: Engine
        do {
            reference = try run.openEngine(.reference)
        } catch let error as SDKError where error.isUnsupported {
            throw ReferenceUnavailable(reason: error.message)
        }
        defer { reference.close() }
        let redlite = try run.openEngine(EngineOptions.memory.replying(in: .resp2))
        defer { redlite.close() }

        var execution = Execution()
        execution.bases = ReplyComparison.Bases(redisMilliseconds: try serverMilliseconds(reference),
                                                redliteMilliseconds: try serverMilliseconds(redlite))
        var comparator = ReplyComparator(bases: execution.bases)
        for (index, command) in commands.enumerated() {
            let redisArgv = command.argv(baseMilliseconds: execution.bases.redisMilliseconds)
            let redisReply = try reference.execute(redisArgv)
            let redliteReply = try redlite.execute(command.argv(baseMilliseconds: execution.bases.redliteMilliseconds))
            execution.steps.append(Step(command: command, redisArgv: redisArgv, redis: redisReply, redlite: redliteReply))
            if let why = comparator.difference(for: command, redis: redisReply, redlite: redliteReply) {
                execution.divergence = Divergence(index: index, command: command, redis: redisReply,
                                                  redlite: redliteReply, why: why)
                break
            }
        }
        // A sequence cut short inside MULTI must not leave the connection queuing.
        if comparator.queuedModes != nil { _ = try? reference.execute("DISCARD") }
        return execution
    }

    /// A side's clock (`TIME`) in Unix milliseconds: the base its absolute expiries use.
    private static func serverMilliseconds(_ engine: Engine) throws -> Int64 {
        let reply = try engine.execute("TIME")
        guard let parts = reply.elements, parts.count == 2,
              let seconds = parts[0].text.flatMap({ Int64($0) }),
              let micros = parts[1].text.flatMap({ Int64($0) }) else {
            throw SDKError(DST_ERR_ENGINE, "TIME answered \(reply)")
        }
        return seconds * 1000 + micros / 1000
    }
}
