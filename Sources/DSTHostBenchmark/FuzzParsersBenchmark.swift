import ArgumentParser
import Foundation
import Fuzz
import FuzzHarness
import Redlite
import RedisClient
import RESP

/// `dst-host-bench fuzz-parsers`: executions per second (one execution = one corpus entry from
/// scratch, as one fuzz input is) on the Fuzz suite's request corpus, side by side in one run:
/// Redlite's request parser alone, the whole RESP front end, hiredis's own reply parser, and
/// the two libFuzzer harness bodies without coverage instrumentation.
///
/// The corpus is client requests. Multibulk arrays of bulk strings are valid replies too, so
/// hiredis parses those entries whole; an inline command is not a reply, and hiredis stops
/// with a protocol error at its first byte (counted as an error). The multibulk subset is
/// therefore measured apart: there all three parsers read every byte.
struct FuzzParsersBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-parsers",
        abstract: "Executions per second of the request parsers on the fuzz corpus, next to hiredis's reply parser.")

    @Option(help: "Milliseconds per measurement, split into alternating slices.")
    var milliseconds: Int = 2000

    func validate() throws {
        guard milliseconds >= 40 else { throw ValidationError("--milliseconds must be at least 40") }
    }

    func run() throws {
        let all = RequestCorpus.entries.map(\.bytes)
        let multibulk = RequestCorpus.entries.filter { $0.name.hasSuffix("/multibulk") || $0.name.hasSuffix("/single") }
            .map(\.bytes)
        let engine = try RedliteConnection(.memory, clock: ManualClock(), random: SeededRandom(seed: 1), clientID: 1)
        let frontEnd = try FrontEndHarness(trustsDeclaredLengths: false)
        let handler = try CommandHandlerHarness()
        let argvCorpus = try SeedCorpus.files(for: .commandHandler, stream: handler.stream).map(\.bytes)

        print("dst-host-bench fuzz-parsers: the Fuzz corpus, \(all.count) entries (\(all.joined().count) bytes), "
              + "\(milliseconds) ms per line in \(Self.slices) alternating slices\n")
        print("| what | corpus | execs/s | MB/s | per exec | results |")
        print("|---|---|---:|---:|---:|---|")
        for (label, corpus) in [("all \(all.count)", all), ("multibulk \(multibulk.count)", multibulk)] {
            let sides: [Side] = [
                Side(name: "Redlite RequestParser alone") { parseRequests($0) },
                Side(name: "Redlite RESP front end (RESPSession + engine)") { runFrontEnd($0, on: engine) },
                Side(name: "hiredis 0.14 reply parser (redisReader)") { parseReplies($0) },
            ]
            let results = measure(sides, corpus: corpus)
            for (side, result) in zip(sides, results) { printRow(side.name, label, result) }
            let hiredis = results[2].execsPerSecond
            print("| execs/s relative to hiredis | \(label) | RequestParser \(format(results[0].execsPerSecond / hiredis, 2)), "
                  + "front end \(format(results[1].execsPerSecond / hiredis, 3)) | | | |")
        }
        let harnesses: [(String, [[UInt8]], Side)] = [
            ("resp_parser harness body (uninstrumented)", all, Side(name: "") { input in
                let outcome = frontEnd.run(input)
                return Tally(results: outcome.replies, errors: outcome.violations.count)
            }),
            ("command_handler harness body (uninstrumented)", argvCorpus, Side(name: "") { input in
                let outcome = handler.run(input)
                return Tally(results: outcome.commands, errors: outcome.violations.count)
            }),
        ]
        for (name, corpus, side) in harnesses {
            printRow(name, "\(corpus.count) \(corpus == all ? "requests" : "argv")", measure([side], corpus: corpus)[0],
                     errorWord: "violations")
        }
        print("\nOne exec = one corpus entry from scratch: a fresh parser, session (then FLUSHALL) or reader.")
        print("hiredis reads RESP replies: each inline entry ends in a protocol error at its first inline byte, so on")
        print("all 52 entries it does less work than the others; the multibulk rows compare like with like.")
    }

    static let slices = 4

    /// A way to run one input, and what it counts.
    struct Side {
        let name: String
        let body: ([UInt8]) -> Tally
    }

    struct Tally {
        var results = 0
        var errors = 0
    }

    struct Result {
        var execs = 0
        var bytes = 0
        var tally = Tally()
        var elapsed = Duration.zero
        var execsPerSecond: Double { Double(execs) / (nanoseconds(elapsed) / 1e9) }
    }

    /// Runs each side for its share of every slice in turn, so drift on a shared machine hits
    /// every side alike. Counts whole passes over the corpus.
    private func measure(_ sides: [Side], corpus: [[UInt8]]) -> [Result] {
        var results = Array(repeating: Result(), count: sides.count)
        let slice = Duration.milliseconds(milliseconds / Self.slices)
        let corpusBytes = corpus.joined().count
        for _ in 0..<Self.slices {
            for (index, side) in sides.enumerated() {
                let clock = ContinuousClock()
                let start = clock.now
                var passes = 0
                var tally = Tally()
                while clock.now - start < slice {
                    for input in corpus {
                        let one = side.body(input)
                        tally.results += one.results
                        tally.errors += one.errors
                    }
                    passes += 1
                }
                results[index].elapsed += clock.now - start
                results[index].execs += passes * corpus.count
                results[index].bytes += passes * corpusBytes
                // Per pass, so the figure does not depend on how many passes fitted.
                results[index].tally = Tally(results: tally.results / passes, errors: tally.errors / passes)
            }
        }
        return results
    }

    private func printRow(_ name: String, _ corpus: String, _ result: Result, errorWord: String = "errors") {
        let seconds = nanoseconds(result.elapsed) / 1e9
        let perExec = nanoseconds(result.elapsed) / Double(result.execs)
        let perExecText = perExec >= 10_000 ? "\(format(perExec / 1000, 1)) µs" : "\(format(perExec)) ns"
        print("| \(name) | \(corpus) | \(format(result.execsPerSecond)) | \(format(Double(result.bytes) / seconds / 1e6, 1)) "
              + "| \(perExecText) | \(result.tally.results) per pass, \(result.tally.errors) \(errorWord) |")
    }
}

/// Redlite's request parser: every command in the input, until it needs more bytes or fails.
private func parseRequests(_ input: [UInt8]) -> FuzzParsersBenchmark.Tally {
    var parser = RequestParser()
    parser.append(input)
    var tally = FuzzParsersBenchmark.Tally()
    do {
        while try parser.next() != nil { tally.results += 1 }
    } catch {
        tally.errors += 1
    }
    return tally
}

/// The engine's RESP front end: a fresh session over `engine`, the whole input at once, then
/// the data wiped, so every execution starts from the same state. Counts the commands run.
private func runFrontEnd(_ input: [UInt8], on engine: RedliteConnection) -> FuzzParsersBenchmark.Tally {
    var tally = FuzzParsersBenchmark.Tally()
    let session = RESPSession(connection: engine) { argv in
        tally.results += 1
        return engine.execute(argv)
    }
    _ = session.feed(input)
    session.close()
    _ = engine.execute("FLUSHALL")
    return tally
}

/// hiredis's reply parser: every reply in the input, until it needs more bytes or fails.
private func parseReplies(_ input: [UInt8]) -> FuzzParsersBenchmark.Tally {
    var tally = FuzzParsersBenchmark.Tally()
    do {
        let reader = try RedisReplyReader()
        try reader.feed(input)
        while try reader.skipNext() { tally.results += 1 }
    } catch {
        tally.errors += 1
    }
    return tally
}
