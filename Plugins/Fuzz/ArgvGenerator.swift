import DSTPluginSDK

/// Draws the `command_handler` test's commands: a name from the catalog (in any letter case,
/// now and then one the engine does not know), a number of arguments that is right about half
/// the time and otherwise one short, one over, none or far too many, and arguments that are
/// keys shared by every family (so types collide), numbers at and past the integer limits and
/// not numbers at all, option words anywhere, empty and binary strings, and repeats of an
/// earlier argument (duplicated flags).
///
/// No count that a correct engine would honour by building something huge: negative counts
/// stay small (`SRANDMEMBER k -5`, not `-1000000000`), offsets stay below 512 MiB. Values an
/// engine must refuse (`9223372036854775807`, `-9223372036854775808`) are there.
///
/// Its word lists are public: the libFuzzer build's dictionaries are made of them.
public struct ArgvGenerator {
    let catalog: CommandCatalog

    func argv(using random: inout SplitMix64) -> [[UInt8]] {
        if catalog.commands.isEmpty || random.chance(1, in: 50) {
            return [random.pick(Self.unknownNames)] + arguments(count: random.int(in: 0...3), using: &random)
        }
        let command = random.pick(catalog.commands)
        let name = caseMangled(command.name, using: &random)
        var args = arguments(count: argumentCount(arity: command.arity, using: &random), using: &random)
        if Self.withSubcommands.contains(command.name), !args.isEmpty, random.chance(7, in: 10) {
            args[0] = Array(random.pick(Self.subcommands).utf8)
        }
        return [name] + args
    }

    /// Arguments after the name: valid for the arity about half the time.
    func argumentCount(arity: Int?, using random: inout SplitMix64) -> Int {
        guard let arity, arity != 0 else { return random.int(in: 0...8) }
        let minimum = abs(arity) - 1
        let valid = arity > 0 ? minimum : minimum + random.int(in: 0...6)
        switch random.below(20) {
        case 0..<9: return valid
        case 9..<12: return max(0, minimum - 1)
        case 12..<15: return valid + 1
        case 15..<17: return 0
        case 17..<19: return random.int(in: 8...40)
        default: return random.int(in: 100...300)
        }
    }

    func arguments(count: Int, using random: inout SplitMix64) -> [[UInt8]] {
        var args: [[UInt8]] = []
        for _ in 0..<count {
            switch random.below(20) {
            case 0..<6: args.append(Array(random.pick(Self.keys).utf8))
            case 6..<11: args.append(Array(random.pick(Self.numbers).utf8))
            case 11..<15: args.append(Array(caseMangled(random.pick(Self.options), using: &random)))
            case 15..<18: args.append(value(using: &random))
            default: args.append(args.isEmpty ? Array(random.pick(Self.options).utf8) : random.pick(args))
            }
        }
        return args
    }

    private func value(using random: inout SplitMix64) -> [UInt8] {
        switch random.below(10) {
        case 0..<3: return []
        case 3..<6: return Array(random.pick(["v", "hello", "a b", "*", "[a-", "\\", "x:y"]).utf8)
        case 6..<9: return random.bytes(count: random.int(in: 1...16))
        default: return Array(repeating: random.byte(), count: random.int(in: 100...2000))
        }
    }

    /// All lowercase, all uppercase (most often) or mixed.
    private func caseMangled(_ word: String, using random: inout SplitMix64) -> [UInt8] {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        switch random.below(4) {
        case 0: return word.utf8.map { isLetter($0) ? $0 | 0x20 : $0 }
        case 1, 2: return word.utf8.map { isLetter($0) ? $0 & ~0x20 : $0 }
        default: return word.utf8.map { isLetter($0) ? (random.bool() ? $0 | 0x20 : $0 & ~0x20) : $0 }
        }
    }

    static let unknownNames: [[UInt8]] = [
        Array("nosuchcommand".utf8), [], [0x00], Array("get\u{0}".utf8), Array("GET ".utf8), [0xFF, 0xFE],
        Array("config|get".utf8), Array(repeating: 0x61, count: 300),
    ]

    static let withSubcommands = ["config", "command", "hello", "object", "client", "memory", "info"]
    /// Subcommand words (CONFIG GET, COMMAND COUNT, HELLO 3, ...).
    public static let subcommands = ["GET", "SET", "RESETSTAT", "REWRITE", "LIST", "COUNT", "INFO", "DOCS", "HELP",
                              "*", "hz", "3", "2", "AUTH", "SETNAME", "keyspace", "all", ""]

    static let keys = ["a", "b", "c", "k", "l", "h", "s", "z", "", "a"]

    /// Numbers at and past every limit, and words that are not numbers.
    public static let numbers = [
        "0", "1", "-1", "2", "3", "5", "10", "100", "-5", "-2",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "abc", "1.5", "-0", "+1", " 1", "1 ", "1e3", "0x10", "inf", "-inf", "+inf", "nan", "1e400", "",
        "99999999999999999999", "4294967296", "2147483648", "(1", "(5", "[a", "(a", "-", "+", "007",
    ]

    /// Option words of every family.
    public static let options = [
        "EX", "PX", "EXAT", "PXAT", "NX", "XX", "GT", "LT", "CH", "INCR", "KEEPTTL", "GET", "WITHSCORES",
        "WITHVALUES", "LIMIT", "BYSCORE", "BYLEX", "REV", "MATCH", "COUNT", "TYPE", "WEIGHTS", "AGGREGATE",
        "SUM", "MIN", "MAX", "LEFT", "RIGHT", "BEFORE", "AFTER", "RANK", "MAXLEN", "REPLACE", "DB", "PERSIST",
        "IDLETIME", "ABSTTL", "STORE", "ALPHA", "DESC",
    ]
}
