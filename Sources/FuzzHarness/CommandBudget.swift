import Redlite
import RESP

/// Commands a correct engine would honour by building something huge from one number: a
/// fuzzer finds them within seconds (`SETRANGE k 536870000 x` is a legal 512 MB string), and
/// then spends its time and memory on them, or reports the memory as a crash. They are
/// answered with an error instead of run, the way the seeded fuzzer's generator never draws
/// them (`ArgvGenerator`): offsets beyond 1 MiB, and negative pick counts (picks with
/// repetition) beyond 1024. The same numbers below those bounds still run.
enum CommandBudget {
    static let maximumOffset: Int64 = 1 << 20
    static let maximumRepeatedPicks: Int64 = 1024

    /// The reply a refused command gets: an ordinary error, so a pipeline still gets one
    /// reply per command.
    static let refusal = Reply.error("ERR fuzz harness: command skipped, it would build a huge value")

    /// True when `argv` is one of those commands with one of those numbers.
    static func refuses(_ argv: [[UInt8]]) -> Bool {
        guard argv.count >= 3 else { return false }
        switch String(decoding: argv[0], as: UTF8.self).lowercased() {
        case "setrange":
            return integer(argv[2]).map { $0 > maximumOffset } ?? false
        case "srandmember", "hrandfield", "zrandmember":
            return integer(argv[2]).map { $0 < -maximumRepeatedPicks } ?? false
        default:
            return false
        }
    }

    /// Runs `argv` on `connection` unless the budget refuses it.
    static func execute(_ argv: [[UInt8]], on connection: RedliteConnection) -> Reply {
        refuses(argv) ? refusal : connection.execute(argv)
    }

    /// The engine reads these numbers as Redis does (no spaces, no `+`); anything it would
    /// reject is harmless, so a plain parse is enough here.
    private static func integer(_ bytes: [UInt8]) -> Int64? {
        Int64(String(decoding: bytes, as: UTF8.self))
    }
}
