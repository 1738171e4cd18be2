import DSTPluginSDK

/// One generated input of the `resp_parser` test.
struct FuzzInput {
    /// The corpus entries it started from, in order.
    let entries: [Int]
    /// The bytes to feed.
    let bytes: [UInt8]
    /// The mutations applied, in order; empty for a clean input (valid requests only).
    let mutations: [MutationKind]

    var isClean: Bool { mutations.isEmpty }

    /// `strings/inline+keys/mixed bit_flip,splice (412 bytes)`, for logs.
    func summary(_ corpus: [CorpusEntry]) -> String {
        let names = entries.map { corpus[$0].name }.joined(separator: "+")
        let kinds = isClean ? "clean" : mutations.map(\.rawValue).joined(separator: ",")
        return "\(names) \(kinds) (\(bytes.count) bytes)"
    }
}

/// Draws inputs from the corpus and damages them, every decision from a ``SplitMix64``.
///
/// An input is one to three corpus entries back to back, then (nine times in ten) one to four
/// mutations applied in turn; the rest stay clean, so the front end's handling of valid
/// pipelines split at random points is checked too. Inputs are capped at ``maximumSize``.
struct RequestMutator {
    let corpus: [CorpusEntry]
    var maximumSize = 256 * 1024
    /// The mutations drawn from (all of them unless narrowed, e.g. by a test).
    var kinds: [MutationKind] = MutationKind.allCases

    init(corpus: [CorpusEntry] = RequestCorpus.entries) {
        self.corpus = corpus
    }

    func input(using random: inout SplitMix64) -> FuzzInput {
        var entries = [random.below(corpus.count)]
        // More entries only after one that keeps the connection open.
        while entries.count < 3, !corpus[entries.last!].endsWithQuit, random.chance(1, in: 4) {
            entries.append(random.below(corpus.count))
        }
        var bytes = entries.flatMap { corpus[$0].bytes }
        var applied: [MutationKind] = []
        if !random.chance(1, in: 10) {
            let count = random.pick([1, 1, 1, 2, 2, 3, 4])
            while applied.count < count {
                var kind = random.pick(kinds)
                // Long lines cost 64 KiB each: a quarter as often as the rest.
                if kind == .longLine && kinds.count > 1 && !random.chance(1, in: 4) {
                    kind = random.pick(kinds.filter { $0 != .longLine })
                }
                if apply(kind, to: &bytes, using: &random) {
                    applied.append(kind)
                } else if apply(.byteInsert, to: &bytes, using: &random) {
                    applied.append(.byteInsert)
                }
            }
        }
        if bytes.count > maximumSize { bytes.removeLast(bytes.count - maximumSize) }
        return FuzzInput(entries: entries, bytes: bytes, mutations: applied)
    }

    // MARK: Mutations

    /// Applies `kind`; false when it had nothing to work on (e.g. deleting from nothing).
    func apply(_ kind: MutationKind, to bytes: inout [UInt8], using random: inout SplitMix64) -> Bool {
        switch kind {
        case .bitFlip:
            guard !bytes.isEmpty else { return false }
            for _ in 0..<random.int(in: 1...4) {
                bytes[random.below(bytes.count)] ^= UInt8(1) << UInt8(random.below(8))
            }
        case .byteInsert:
            let inserted = (0..<random.int(in: 1...8)).map { _ in
                random.bool() ? random.pick(Self.interestingBytes) : random.byte()
            }
            bytes.insert(contentsOf: inserted, at: random.below(bytes.count + 1))
        case .byteDelete:
            guard !bytes.isEmpty else { return false }
            let start = random.below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + random.int(in: 1...8)))
        case .splice:
            let other = corpus[random.below(corpus.count)].bytes
            let from = random.below(other.count)
            if random.bool() {
                let slice = other[from..<min(other.count, from + random.int(in: 1...64))]
                bytes.insert(contentsOf: slice, at: random.below(bytes.count + 1))
            } else {
                bytes = Array(bytes.prefix(random.below(bytes.count + 1))) + other[from...]
            }
        case .lengthOffByOne:
            replaceCount(in: &bytes, using: &random) { digits, random in
                let value = RESPValidator.strictInteger(digits[...]) ?? 1
                let changed = random.bool() ? value &+ 1 : value &- 1
                return Array(String(changed).utf8)
            }
        case .lengthNegative:
            replaceCount(in: &bytes, using: &random) { _, random in
                Array(random.pick(["-1", "-2", "-0", "-2147483648", "-9223372036854775808", "-1048577"]).utf8)
            }
        case .lengthHuge:
            replaceCount(in: &bytes, using: &random) { _, random in
                Array(random.pick(Self.hugeNumbers).utf8)
            }
        case .lengthDecorated:
            replaceCount(in: &bytes, using: &random) { digits, random in
                switch random.below(9) {
                case 0: return Array("+".utf8) + digits
                case 1: return Array(" ".utf8) + digits
                case 2: return Array("0".utf8) + digits
                case 3: return Array("000".utf8) + digits
                case 4: return digits + Array(" ".utf8)
                case 5: return Array("\t".utf8) + digits
                case 6: return Array("0x".utf8) + digits
                case 7: return digits + Array(".0".utf8)
                default: return []
                }
            }
        case .truncate:
            guard !bytes.isEmpty else { return false }
            bytes.removeLast(bytes.count - random.below(bytes.count))
        case .hugeCount:
            insertAtBoundary(random.pick(Self.hugeRequests), into: &bytes, using: &random)
        case .nestedDepth:
            let depth = random.pick([2, 3, 10, 100, 1000])
            var nested = Array(repeating: Array(random.pick(["*1\r\n", "*2\r\n", "*1\r\n*0\r\n"]).utf8), count: depth).flatMap { $0 }
            if random.bool() { nested += Array("$4\r\nPING\r\n".utf8) }
            insertAtBoundary(nested, into: &bytes, using: &random)
        case .inlineQuotes:
            var line = Array(random.pick(["ECHO", "SET k", "PING", "HSET h f", "RPUSH l", "GET"]).utf8)
            for _ in 0..<random.int(in: 1...3) {
                line += [UInt8(ascii: " ")] + Array(random.pick(Self.quotedWords).utf8)
            }
            line += Array(random.pick(["\r\n", "\r\n", "\n", "\r", ""]).utf8)
            insertAtBoundary(line, into: &bytes, using: &random)
        case .bareCR:
            let crlfs = bytes.indices.dropLast().filter { bytes[$0] == 0x0D && bytes[$0 + 1] == 0x0A }
            if crlfs.isEmpty || random.bool() {
                bytes.insert(0x0D, at: random.below(bytes.count + 1))
            } else {
                let at = random.pick(crlfs)
                bytes.replaceSubrange(at..<at + 2, with: random.pick([[0x0A], [0x0D], [0x0A, 0x0D], [0x0D, 0x0D, 0x0A]]))
            }
        case .nulByte:
            let count = random.int(in: 1...3)
            if !bytes.isEmpty && random.bool() {
                for _ in 0..<count { bytes[random.below(bytes.count)] = 0 }
            } else {
                bytes.insert(contentsOf: Array(repeating: 0, count: count), at: random.below(bytes.count + 1))
            }
        case .duplicate:
            guard !bytes.isEmpty else { return false }
            let start = random.below(bytes.count)
            let slice = Array(bytes[start..<min(bytes.count, start + random.int(in: 1...64))])
            bytes.insert(contentsOf: slice, at: random.below(bytes.count + 1))
        case .longLine:
            let length = 64 * 1024 + random.int(in: -2...4096)
            var line: [UInt8]
            switch random.below(3) {
            case 0: line = Array(repeating: UInt8(ascii: "a"), count: length) + (random.bool() ? [0x0D, 0x0A] : [])
            case 1: line = [UInt8(ascii: "*")] + Array(repeating: UInt8(ascii: "1"), count: length)
            default: line = Array("*1\r\n$".utf8) + Array(repeating: UInt8(ascii: "9"), count: length)
            }
            insertAtBoundary(line, into: &bytes, using: &random)
        }
        return true
    }

    /// Bytes that mean something to the parser.
    static let interestingBytes: [UInt8] = [0x0D, 0x0A, 0x00, 0x2A, 0x24, 0x22, 0x27, 0x5C, 0x20, 0x2D, 0x2B,
                                            0x30, 0x31, 0x39, 0xFF, 0x09, 0x78]

    static let hugeNumbers = ["9223372036854775807", "9223372036854775808", "2147483647", "2147483648",
                              "536870912", "536870913", "1048577", "4294967296", "99999999999999999999",
                              "18446744073709551616"]

    /// Whole requests that claim far more than they send.
    static let hugeRequests: [[UInt8]] = [
        Array("*1048577\r\n$4\r\nPING\r\n$4\r\nPING\r\n".utf8),
        Array("*2147483647\r\n$3\r\nGET\r\n".utf8),
        Array("*2147483648\r\n$3\r\nGET\r\n".utf8),
        Array("*1\r\n$536870912\r\nabc".utf8),
        Array("*1\r\n$536870913\r\nabc".utf8),
        Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870911\r\nvalue".utf8),
        Array("*65536\r\n".utf8) + Array(repeating: Array("$1\r\nx\r\n".utf8), count: 100).flatMap { $0 },
        Array("*9223372036854775807\r\n".utf8),
        Array("*1\r\n$9223372036854775807\r\n".utf8),
    ]

    /// Inline words with quotes and escapes, valid and not.
    static let quotedWords = [
        "\"a b\"", "'c d'", "\"\\x41\\x4a\"", "\"\\xZZ\"", "\"\\x4\"", "\"esc \\\" \\\\ \\n \\r \\t\"", "'it\\'s'",
        "\"unterminated", "'unterminated", "\"a\"b", "'a'b", "\"\"", "''", "\\\\", "\"\\\"", "plain", "\"\\x00\"",
        "\"\\", "x\"y\"", "'\\x41'",
    ]

    /// Replaces the digits of one `*`/`$` header (found at the stream's start or after a
    /// LF) with `replacement(digits)`; with no header, first puts a PING request at the start.
    private func replaceCount(in bytes: inout [UInt8], using random: inout SplitMix64,
                              _ replacement: ([UInt8], inout SplitMix64) -> [UInt8]) {
        var headers = Self.countFields(bytes)
        if headers.isEmpty {
            bytes.insert(contentsOf: RequestEncoder.multibulk([Array("PING".utf8)]), at: 0)
            headers = Self.countFields(bytes)
        }
        let field = random.pick(headers)
        bytes.replaceSubrange(field, with: replacement(Array(bytes[field]), &random))
    }

    /// The digit fields of `*N` and `$N` headers.
    static func countFields(_ bytes: [UInt8]) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        for index in bytes.indices where bytes[index] == UInt8(ascii: "*") || bytes[index] == UInt8(ascii: "$") {
            guard index == 0 || bytes[index - 1] == 0x0A else { continue }
            let start = index + 1
            var end = start
            while end < bytes.count, end - start < 24, bytes[end] != 0x0D { end += 1 }
            if end > start { fields.append(start..<end) }
        }
        return fields
    }

    /// Inserts `piece` at the start, the end or just after a LF.
    private func insertAtBoundary(_ piece: [UInt8], into bytes: inout [UInt8], using random: inout SplitMix64) {
        var boundaries = [0]
        for index in bytes.indices where bytes[index] == 0x0A { boundaries.append(index + 1) }
        if boundaries.last != bytes.count { boundaries.append(bytes.count) }
        bytes.insert(contentsOf: piece, at: random.pick(boundaries))
    }
}
