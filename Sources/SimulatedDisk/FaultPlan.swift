/// What the simulated disk is told to do wrong: a list of fault entries parsed from text.
///
/// Grammar: entries separated by `;`, each `KIND key=value ... [transient|persistent]`, e.g.
/// `disk_full quota=65536; read_eio p=0.01 persistent; crash write=17`. The empty text is the
/// empty plan. Parsing is strict: an unknown kind, key or value is an error naming it.
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    /// One kind of fault.
    public enum Kind: String, Sendable, CaseIterable {
        /// Writes that would add more than `quota` bytes (from when the plan is set) fail with
        /// SQLITE_FULL.
        case diskFull = "disk_full"
        /// xWrite fails with SQLITE_IOERR_WRITE.
        case writeEIO = "write_eio"
        /// xRead fails with SQLITE_IOERR_READ.
        case readEIO = "read_eio"
        /// A read returns one bit flipped, at a position derived from the pristine sector (so a
        /// retry sees the same flip).
        case corruptRead = "corrupt_read"
        /// A write stores one bit flipped and answers OK.
        case corruptWrite = "corrupt_write"
        /// A write lands at another sector-aligned offset of the file and answers OK.
        case misdirectedWrite = "misdirected_write"
        /// A write stores only a seeded prefix of its sectors, and the power fails then.
        case tornWrite = "torn_write"
        /// xSync answers OK and makes nothing durable.
        case lyingFsync = "lying_fsync"
        /// I/O calls advance the virtual clock by `latency_ms`.
        case slowIO = "slow_io"
        /// xLock fails with SQLITE_IOERR_LOCK.
        case lockError = "lock_error"
        /// Power loss at the `write=N`-th xWrite, the `sync=N`-th xSync, or with probability `p`
        /// at each of either.
        case crash = "crash"
    }

    /// When an entry fires.
    public enum Trigger: Sendable, Equatable {
        /// Every call of its kind.
        case always
        /// Each call with this probability.
        case probability(Double)
        /// The N-th call of its kind (1-based, counted from when the plan was set).
        case nth(UInt64)
    }

    /// Which calls an entry watches.
    public enum Operation: String, Sendable {
        case read, write, sync, lock
    }

    /// Which files an entry applies to.
    public enum FileFilter: String, Sendable {
        case any, db, wal
    }

    /// One fault of the plan.
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        public var kind: Kind
        public var trigger: Trigger
        /// After firing once, keep firing on every later call of its kind until the plan changes.
        public var persistent: Bool
        public var file: FileFilter
        /// disk_full: bytes that may still be added.
        public var quota: UInt64
        /// slow_io: virtual milliseconds per call.
        public var latencyMilliseconds: Int64
        /// crash: the calls counted by `nth` (write or sync).
        public var crashOn: Operation

        /// The calls this entry is evaluated on.
        public var operations: [Operation] {
            switch kind {
            case .diskFull, .writeEIO, .corruptWrite, .misdirectedWrite, .tornWrite: return [.write]
            case .readEIO, .corruptRead: return [.read]
            case .lyingFsync: return [.sync]
            case .lockError: return [.lock]
            case .slowIO: return [.read, .write, .sync]
            case .crash:
                if case .nth = trigger { return [crashOn] }
                return [.write, .sync]
            }
        }

        public var description: String {
            var words = [kind.rawValue]
            switch trigger {
            case .always: break
            case .probability(let p): words.append("p=\(p)")
            case .nth(let n): words.append(kind == .crash ? "\(crashOn.rawValue)=\(n)" : "nth=\(n)")
            }
            if kind == .diskFull { words.append("quota=\(quota)") }
            if kind == .slowIO { words.append("latency_ms=\(latencyMilliseconds)") }
            if file != .any { words.append("file=\(file.rawValue)") }
            if persistent { words.append("persistent") }
            return words.joined(separator: " ")
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The plan in its canonical text (parses back to itself).
    public var description: String { entries.map(\.description).joined(separator: "; ") }

    /// A malformed plan: the message names the entry and what is wrong with it.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Parses `text` (see the type's documentation for the grammar).
    public init(parsing text: String) throws(ParseError) {
        var entries: [Entry] = []
        for rawEntry in text.split(separator: ";") {
            let words = rawEntry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            guard let first = words.first else { continue }
            guard let kind = Kind(rawValue: first) else {
                let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError(message: "unknown fault '\(first)' (known: \(known))")
            }
            var entry = Entry(kind: kind, trigger: .always, persistent: false, file: .any, quota: 0,
                              latencyMilliseconds: 0, crashOn: .write)
            var sawQuota = false, sawTrigger = false
            for word in words.dropFirst() {
                if word == "persistent" || word == "transient" {
                    entry.persistent = word == "persistent"
                    continue
                }
                guard let equals = word.firstIndex(of: "=") else {
                    throw ParseError(message: "\(first): expected key=value, transient or persistent, not '\(word)'")
                }
                let key = String(word[..<equals])
                let value = String(word[word.index(after: equals)...])
                func number() throws(ParseError) -> UInt64 {
                    guard let number = UInt64(value) else {
                        throw ParseError(message: "\(first): \(key) must be a whole number, not '\(value)'")
                    }
                    return number
                }
                switch key {
                case "p":
                    guard let p = Double(value), p >= 0, p <= 1 else {
                        throw ParseError(message: "\(first): p must be a probability in [0, 1], not '\(value)'")
                    }
                    entry.trigger = .probability(p)
                    sawTrigger = true
                case "nth", "write", "sync":
                    if key != "nth" && kind != .crash {
                        throw ParseError(message: "\(first): '\(key)=' is for crash; use nth=")
                    }
                    if key == "nth" && kind == .crash {
                        throw ParseError(message: "crash: say write=N or sync=N")
                    }
                    let n = try number()
                    guard n >= 1 else { throw ParseError(message: "\(first): \(key) counts from 1") }
                    entry.trigger = .nth(n)
                    if key == "sync" { entry.crashOn = .sync }
                    sawTrigger = true
                case "quota" where kind == .diskFull:
                    entry.quota = try number()
                    sawQuota = true
                case "latency_ms" where kind == .slowIO:
                    entry.latencyMilliseconds = Int64(clamping: try number())
                case "file":
                    guard let filter = FileFilter(rawValue: value) else {
                        throw ParseError(message: "\(first): file must be any, db or wal, not '\(value)'")
                    }
                    entry.file = filter
                default:
                    throw ParseError(message: "\(first): unknown key '\(key)'")
                }
            }
            if kind == .diskFull && !sawQuota { throw ParseError(message: "disk_full needs quota=BYTES") }
            if kind == .diskFull && sawTrigger { throw ParseError(message: "disk_full takes quota=, not a trigger") }
            if kind == .crash && !sawTrigger { throw ParseError(message: "crash needs write=N, sync=N or p=P") }
            entries.append(entry)
        }
        self.entries = entries
    }
}
