import Glibc

/// How a child process ended, decoded from waitpid's status (the W* macros do not import into
/// Swift; these are their Linux definitions).
public enum WaitStatus: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)
    case other(Int32)

    public init(raw: Int32) {
        let low = raw & 0x7f
        if low == 0 {
            self = .exited((raw >> 8) & 0xff)
        } else if low != 0x7f {
            self = .signaled(low)
        } else {
            self = .other(raw)
        }
    }

    /// "signal 11 (Segmentation fault)", "exit status 0".
    public var description: String {
        switch self {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal):
            let name = strsignal(signal).map { String(cString: $0) } ?? "unknown"
            return "signal \(signal) (\(name))"
        case .other(let raw): return "wait status \(raw)"
        }
    }
}
