import DSTPluginSDK

/// `connection_drop` (the upstream spec's fault "drop client connection mid-operation"): a
/// client sends the seeded workload as raw RESP requests, and at seeded points its connection
/// drops, either inside a request (mid-command) or right after one is complete, before its
/// reply is read (mid-reply). A second client of the same database checks after each drop:
///
/// - every acknowledged write is there (a write whose reply the client read);
/// - a request cut mid-command never happens, not even part of it (a MULTI whose EXEC never
///   arrived applies none of its queued commands);
/// - a request dropped mid-reply happens entirely or not at all: the keys it touches read back
///   as the model before it or as the model after it, nothing in between;
/// - the server keeps serving: the other client is answered, and the dropped client's next
///   request opens a new connection that works.
///
/// On the embedded engine the host's RESP front end (the code redlite-server runs per client)
/// takes the bytes, so the test is deterministic; with `--target resp://host:port` the bytes go
/// over a real socket that is reset, and a mid-reply request may or may not have run.
enum ConnectionDrop {
    static func run(_ run: TestRun) throws {
        let count = max(1, try run.parameter("ops", default: 200))
        let keys = max(6, try run.parameter("keys", default: 12))
        let mix = Mix.draw(run, reopens: false)
        // Swarm: how often connections drop, from rarely to every fourth request.
        let dropOneIn = [4, 8, 20][run.random.below(3)]
        let operations = WorkloadGenerator(run: run, keys: keys, mix: mix).operations(count)
        let names = (0..<keys).map { Kind(key: $0).letter + String($0) }
        run.log("connection_drop: \(count) operations on \(keys) keys, a drop in 1 of \(dropOneIn) requests; \(mix.summary)")

        let client = try run.openEngine(.file("drop.db"))
        let observer = try run.openEngine(.file("drop.db"))
        let check = DropCheck(run: run, observer: observer, names: names)
        var state = State(keys: keys)
        var midCommand = 0, midReply = 0, appliedMidReply = 0, acknowledged = 0

        for (index, operation) in operations.enumerated() {
            try run.checkCancellation()
            let commands: [Command]
            let isGroup: Bool
            switch operation {
            case .command(let command): (commands, isGroup) = ([command], false)
            case .group(let group): (commands, isGroup) = (group, true)
            case .reopen, .clearPlan: continue
            }
            let argvs = isGroup ? [[Array("MULTI".utf8)]] + commands.map { $0.arguments(names) } + [[Array("EXEC".utf8)]]
                                : [commands[0].arguments(names)]
            let request = argvs.flatMap(Self.multibulk)
            var after = state
            let expected = commands.map { $0.apply(to: &after) }
            let what = "op \(index): \(operation.describe(names))"
            let touched = Array(Set(commands.map(\.key))).sorted()

            if run.random.chance(1, in: dropOneIn) {
                // Half the drops come after a complete request (mid-reply), half inside one.
                let cut = run.random.bool() ? request.count : run.random.below(request.count)
                try client.hangUp(after: Array(request.prefix(cut)))
                if cut < request.count {
                    midCommand += 1
                    try check.keys(touched, equal: state, "\(what), dropped mid-command after \(cut) of \(request.count) bytes")
                } else {
                    midReply += 1
                    if try check.keys(touched, match: after) {
                        appliedMidReply += 1
                        state = after
                    } else {
                        try check.keys(touched, equal: state, "\(what), dropped mid-reply: neither all of it nor none of it")
                    }
                }
                try check.serving("after the drop at \(what)")
                continue
            }

            let fed = try client.feed(request)
            guard let decoded = Reply.decodeAll(fed.output), decoded.consumed == fed.output.count,
                  decoded.replies.count == argvs.count else {
                run.fail("\(what): expected \(argvs.count) replies, the server answered \(Reply.quoted(fed.output))")
                return
            }
            let reply = decoded.replies.last!
            let want: Expected = isGroup ? .all(expected) : expected[0]
            guard want.matches(reply) else {
                run.fail("\(what): expected \(want.rendered), got \(reply)")
                return
            }
            if isGroup {
                try run.requireEqual(decoded.replies.first, .ok, "\(what): MULTI")
                for queued in decoded.replies.dropFirst().dropLast() { try run.requireEqual(queued, .status("QUEUED"), "\(what): queued") }
            }
            if commands.contains(where: \.isWrite) { acknowledged += 1 }
            state = after
            if index % 25 == 24 { try check.keys(Array(0..<keys), equal: state, "every key after \(what)") }
        }
        try check.keys(Array(0..<keys), equal: state, "every key at the end")
        run.metric("drops_mid_command", Double(midCommand), unit: "count")
        run.metric("drops_mid_reply", Double(midReply), unit: "count")
        run.metric("mid_reply_applied", Double(appliedMidReply), unit: "count")
        run.metric("acknowledged_writes", Double(acknowledged), unit: "count")
        run.log("\(midCommand) drops mid-command, \(midReply) mid-reply (\(appliedMidReply) of them ran), \(acknowledged) writes acknowledged")
    }

    /// One RESP request: `*N` then each argument as a bulk string.
    static func multibulk(_ argv: [[UInt8]]) -> [UInt8] {
        var bytes = Array("*\(argv.count)\r\n".utf8)
        for argument in argv { bytes += Array("$\(argument.count)\r\n".utf8) + argument + [13, 10] }
        return bytes
    }
}

/// The second client's checks: what the keys hold, and that the server still answers.
private struct DropCheck {
    let run: TestRun
    let observer: Engine
    let names: [String]

    /// True when every key of `keys` holds what `model` says.
    func keys(_ keys: [Int], match model: State) throws -> Bool {
        for key in keys where try read(key) != model[key] { return false }
        return true
    }

    /// Fails the run unless every key of `keys` holds what `model` says.
    func keys(_ keys: [Int], equal model: State, _ what: String) throws {
        for key in keys {
            let actual = try read(key)
            try run.require(actual == model[key],
                            "\(what): \(names[key]) holds \(actual?.rendered ?? "(absent)"), expected \(model[key]?.rendered ?? "(absent)")")
        }
    }

    func serving(_ what: String) throws {
        try run.requireEqual(try observer.execute("PING"), .status("PONG"), "the other client's PING \(what)")
    }

    private func read(_ key: Int) throws -> Value? {
        let reply = try observer.execute(Command.read(key: key).arguments(names))
        switch ReadBack.value(kind: Kind(key: key), from: reply) {
        case .value(let value): return value
        case .error(let text):
            try run.require(false, "reading \(names[key]) back: \(text)")
            return nil
        case .malformed(let reply):
            try run.require(false, "reading \(names[key]) back: malformed reply \(reply)")
            return nil
        }
    }
}
