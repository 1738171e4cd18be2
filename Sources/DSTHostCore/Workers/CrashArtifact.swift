import Foundation
import Glibc

/// The bytes a worker saves if it crashes (ABI 1.4 `crash_artifact`): kept as the finished
/// message line, so the signal handler only has to `write` it to the host.
///
/// Process-wide, because a signal handler can reach nothing else; a worker runs one seed at
/// a time, so one slot is enough.
public enum CrashArtifact {
    /// The encoded `crash-artifact` line, or nil. Replaced whole: the handler sees either the
    /// old line or the new one, never a half-written one.
    nonisolated(unsafe) private static var line: UnsafeMutableRawBufferPointer?
    nonisolated(unsafe) private static var descriptor: Int32 = -1
    /// The actions the handlers replaced, by signal number (an array: a handler must not hash).
    nonisolated(unsafe) private static var previous: [sigaction] = .init(repeating: .init(), count: 65)

    /// The signals that mean a crash: faults, Swift's traps (SIGILL, SIGTRAP), abort().
    private static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// Keeps `bytes` as the artifact `name` (nil clears it).
    static func set(name: String?, bytes: [UInt8]) {
        var made: UnsafeMutableRawBufferPointer?
        if let name {
            let encoded = WorkerProtocol.encodeCrashArtifact(name: name, bytes: bytes)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: encoded.count, alignment: 1)
            _ = buffer.initializeMemory(as: UInt8.self, from: encoded)
            made = buffer
        }
        let old = line
        line = made
        old?.deallocate()
    }

    /// Installs the handlers in a worker: on a crash signal, write the line to `descriptor`,
    /// then let the signal take its course (the previous handler, e.g. Swift's backtracer, or
    /// the default action).
    public static func installHandlers(writingTo descriptor: Int32) {
        Self.descriptor = descriptor
        for signal in crashSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in CrashArtifact.handle(signal) }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[Int(signal)] = old
        }
    }

    /// Async-signal-safe: `write`, `sigaction` and `raise` only, on memory made beforehand.
    private static func handle(_ signal: Int32) {
        if let line, descriptor >= 0 {
            _ = write(descriptor, line.baseAddress, line.count)
        }
        var old = previous[Int(signal)]
        sigaction(signal, &old, nil)
        // A fault runs its instruction again and meets the restored handler; a trap or an
        // abort does not come back, so it is raised again.
        if signal == SIGTRAP || signal == SIGABRT { raise(signal) }
    }

    /// Clears the slot at the end of a run.
    static func clear() { set(name: nil, bytes: []) }
}
