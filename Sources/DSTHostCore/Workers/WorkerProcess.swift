import Foundation
import Glibc

/// One worker: a child process running `dst-host worker`, with a pipe to its standard input
/// and one from its message descriptor. The object owns the pid and both descriptors.
final class WorkerProcess {
    let pid: pid_t
    private let requests: Int32
    private var requestsOpen = true
    let messages: Int32
    private var buffer: [UInt8] = []
    private(set) var finished = false

    /// The seed it is running (sent, not yet answered), with the log lines seen so far.
    var inFlight: (test: String, seed: UInt64, started: ContinuousClock.Instant, logs: [String], crashArtifacts: [Artifact])?

    /// Which of the pool's places it fills (a replacement takes the place of the worker it
    /// replaces, and with it that place's reference server).
    let slot: Int

    init(executable: String, arguments: [String], slot: Int = 0, environment extra: [String: String] = [:]) throws {
        self.slot = slot
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        // Close-on-exec: otherwise every later worker inherits this one's pipe ends, and the
        // worker never sees end-of-input when the host closes its side. dup2 into 0 and 3
        // gives the child copies without the flag.
        // (pipe2 is not visible to Swift; the host spawns from one thread, so setting the flag
        // right after creating the pipes leaves no window.)
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            throw WorkerError("pipe failed: \(String(cString: strerror(errno)))")
        }
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], WorkerProtocol.messageDescriptor)
        // A plugin's own output goes to the host's standard error, never into the report.
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        var environment = ProcessInfo.processInfo.environment
        // Swift's crash backtracer adds seconds and noise to every crash a plugin causes.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment.merge(extra) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw WorkerError("cannot start a worker (\(executable)): \(String(cString: strerror(status)))")
        }
        pid = child
        requests = toChild[1]
        messages = fromChild[0]
    }

    deinit {
        if requestsOpen { close(requests) }
        close(messages)
        if !finished {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// A dead worker is noticed by its closed message pipe, not here.
    func send(_ text: String) { writeFully(requests, text) }

    /// Reads what is available: the complete lines, or nil at end of file (the worker is gone).
    func readLines() -> [Substring]? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(messages, $0.baseAddress, $0.count) }
        if count < 0 { return errno == EINTR || errno == EAGAIN ? [] : nil }
        if count == 0 { return nil }
        buffer.append(contentsOf: chunk[0..<count])
        guard let lastNewline = buffer.lastIndex(of: 10) else { return [] }
        let text = String(decoding: buffer[...lastNewline], as: UTF8.self)
        buffer.removeSubrange(...lastNewline)
        return text.split(separator: "\n")
    }

    /// Kills the worker (a timeout) and reaps it.
    func kill() -> WaitStatus {
        Glibc.kill(pid, SIGKILL)
        return reap()
    }

    /// Waits for the worker to end and decodes how.
    func reap() -> WaitStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        finished = true
        return WaitStatus(raw: status)
    }

    /// Asks the worker to finish (end of its input) and reaps it.
    func stop() {
        if requestsOpen {
            close(requests)
            requestsOpen = false
        }
        _ = reap()
    }
}

/// Writes all of `text` to `descriptor`, retrying short and interrupted writes; gives up
/// quietly when the other end is gone (its reader notices that on its own).
public func writeFully(_ descriptor: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}

struct WorkerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
