@preconcurrency import Glibc
import RESP
import Synchronization

/// A real `redis-server` running as a child process on a free loopback port, with persistence
/// off and its files (only its log) in a fresh temporary directory. For tests, and as the
/// Oracle's reference server.
///
/// `init` returns once the server answers PING; ``stop()`` (or `deinit`) ends it and removes
/// the directory. If this process dies without stopping it, the server is left running (a
/// spawned child cannot ask to die with its parent) unless it was started with
/// `diesWithParent`, which runs it through util-linux's `setpriv --pdeathsig KILL`.
///
/// `Sendable`: everything is immutable except the stopped flag, which a mutex guards, so any
/// thread may call ``stop()``.
public final class RedisServerProcess: Sendable {
    /// Always `127.0.0.1`: the server listens on loopback only.
    public let host: String = "127.0.0.1"
    /// The port the server listens on.
    public let port: Int
    /// The server's process id.
    public let pid: pid_t
    /// The temporary directory holding the server's log (`redis.log`); removed by ``stop()``.
    public let directory: String
    private let stopped = Mutex(false)

    /// `127.0.0.1:port`.
    public var endpoint: String { "\(host):\(port)" }

    /// How many free ports to try when another process takes the chosen one between the
    /// check and the server's own bind.
    private static let portAttempts = 5

    /// Starts `executable` (by default `redis-server` found on `PATH`) and waits up to
    /// `startupTimeoutMilliseconds` for it to answer PING.
    ///
    /// With `diesWithParent` (and `setpriv` installed), the kernel kills the server when the
    /// thread that started it ends: start it from the main thread of a process that must not
    /// leave servers behind even when it is killed.
    public convenience init(executable: String? = nil, startupTimeoutMilliseconds: Int = 5000,
                            diesWithParent: Bool = false) throws(RedisServerError) {
        try self.init(executable: executable, startupTimeoutMilliseconds: startupTimeoutMilliseconds,
                      launcher: diesWithParent ? Self.parentDeathLauncher : [], choosePort: freeLoopbackPort)
    }

    /// `setpriv --pdeathsig KILL --`, which execs the server with the parent-death signal set
    /// (same pid); empty when setpriv is missing.
    private static let parentDeathLauncher: [String] =
        locateExecutable("setpriv").map { [$0, "--pdeathsig", "KILL", "--"] } ?? []

    /// `choosePort` is a seam for tests of the retry when the chosen port is taken.
    init(
        executable: String?,
        startupTimeoutMilliseconds: Int,
        launcher: [String] = [],
        choosePort: () throws(RedisServerError) -> Int
    ) throws(RedisServerError) {
        guard let path = executable ?? Self.locateExecutable() else { throw .notInstalled }
        let deadline = ContinuousClock.now + .milliseconds(startupTimeoutMilliseconds)
        var attempt = 1
        while true {
            let directory = try makeTemporaryDirectory()
            do throws(RedisServerError) {
                let port = try choosePort()
                let pid = try spawn(path, port: port, directory: directory, launcher: launcher)
                switch Self.waitUntilReady(
                    pid: pid, port: port, directory: directory,
                    deadline: deadline, startupTimeoutMilliseconds: startupTimeoutMilliseconds
                ) {
                case .ready:
                    self.port = port
                    self.pid = pid
                    self.directory = directory
                    return
                case .portTaken where attempt < Self.portAttempts:
                    attempt += 1
                    removeDirectory(directory)
                case .portTaken:
                    throw .didNotStart("\(Self.portAttempts) free ports were all taken before it could bind; log: \(logTail(directory))")
                case .exited(let reason):
                    throw .didNotStart("\(reason); log: \(logTail(directory))")
                case .silent(let reason):
                    terminate(pid)
                    throw .didNotStart("\(reason); log: \(logTail(directory))")
                }
            } catch {
                removeDirectory(directory)
                throw error
            }
        }
    }

    deinit {
        stop()
    }

    /// Ends the server: SIGTERM, up to 3 s for it to exit, then SIGKILL; reaps it and removes
    /// its directory. Calling it again does nothing.
    public func stop() {
        stopped.withLock { isStopped in
            guard !isStopped else { return }
            isStopped = true
            terminate(pid)
            removeDirectory(directory)
        }
    }

    /// The path of the first executable file called `name` in the directories of `PATH`, or
    /// `name` itself when it contains a slash and is executable.
    public static func locateExecutable(_ name: String = "redis-server") -> String? {
        if name.contains("/") { return isExecutableFile(name) ? name : nil }
        let searchPath = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // An empty entry means the current directory (POSIX).
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// How waiting for the server ended. After `portTaken` and `exited` the process is already
    /// reaped, and its pid must not be signalled: it may belong to someone else by now.
    private enum Startup {
        case ready
        case portTaken
        case exited(String)
        case silent(String)
    }

    /// Polls every 20 ms until the server answers PING, exits, or the deadline passes.
    private static func waitUntilReady(
        pid: pid_t, port: Int, directory: String,
        deadline: ContinuousClock.Instant, startupTimeoutMilliseconds: Int
    ) -> Startup {
        let ping: [[UInt8]] = [Array("PING".utf8)]
        let info: [[UInt8]] = [Array("INFO".utf8), Array("server".utf8)]
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                if logTail(directory).contains("Address already in use") { return .portTaken }
                return .exited("it \(describeExit(status)) before answering PING")
            }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                return .silent("no answer to PING on 127.0.0.1:\(port) within \(startupTimeoutMilliseconds) ms")
            }
            // A fresh server with no data answers at once; a short wait per try keeps a
            // stranger that took the port and never answers from eating the whole budget.
            let timeout = max(1, min(250, Int(remaining / .milliseconds(1))))
            if let connection = try? RedisConnection(host: "127.0.0.1", port: port, timeoutMilliseconds: timeout),
               let replies = try? connection.pipeline([ping, info]),
               replies.first == .simple("PONG"),
               case .bulk(let text) = replies[1] {
                // Another process may have taken the port after it was chosen: only a server
                // reporting this pid is ours (ours then fails to bind and exits).
                if String(decoding: text, as: UTF8.self).contains("process_id:\(pid)\r\n") { return .ready }
            }
            usleep(20_000)
        }
    }
}

/// A port no one is bound to on 127.0.0.1 right now: bind to port 0, read what the kernel
/// chose, close.
private func freeLoopbackPort() throws(RedisServerError) -> Int {
    // Close-on-exec: a server spawned meanwhile by another thread must not inherit the socket
    // (and with it the port).
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else { throw .spawnFailed("cannot create a socket: \(errnoMessage())") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
            bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
        }
    }
    guard bound else { throw .spawnFailed("cannot find a free port on 127.0.0.1: \(errnoMessage())") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Starts the server with no persistence, listening on `127.0.0.1:port`, everything it writes
/// in `directory`. Its standard error goes to the log too: configuration errors are printed
/// there before the log file is opened.
private func spawn(_ executable: String, port: Int, directory: String,
                   launcher: [String]) throws(RedisServerError) -> pid_t {
    let log = directory + "/redis.log"
    let arguments = launcher + [
        executable,
        "--port", String(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--dir", directory, "--logfile", log,
    ]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    // Descriptors opened without close-on-exec (by any library, at any moment on another
    // thread) would otherwise stay open in the server for its whole life.
    _ = addCloseFrom?(&actions, 3)
    // The spawning thread's signal mask and ignored signals would otherwise carry over.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard status == 0 else {
        throw .spawnFailed("\(executable): \(String(cString: strerror(status)))")
    }
    return pid
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time: spawn.h
/// declares it only under `_GNU_SOURCE`, which Swift's Glibc module does not define.
private let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? =
    dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    }

/// SIGTERM, up to 3 s for the process to exit, then SIGKILL; always reaps it.
private func terminate(_ pid: pid_t) {
    kill(pid, SIGTERM)
    let deadline = ContinuousClock.now + .seconds(3)
    var status: Int32 = 0
    while ContinuousClock.now < deadline {
        let result = waitpid(pid, &status, WNOHANG)
        // ECHILD: reaped elsewhere (a waitpid(-1), or SIGCHLD set to SIG_IGN).
        if result == pid || (result < 0 && errno != EINTR) { return }
        usleep(5_000)
    }
    kill(pid, SIGKILL)
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
}

/// "exited with status 1", "was killed by signal 9". The W* macros do not import into Swift;
/// these are their Linux definitions.
private func describeExit(_ status: Int32) -> String {
    let signal = status & 0x7f
    return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(signal)"
}

/// A new private directory under `$TMPDIR` (or `/tmp`).
private func makeTemporaryDirectory() throws(RedisServerError) -> String {
    let parent = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((parent + "/redis-server-XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
    guard created else {
        throw .spawnFailed("cannot create a temporary directory in \(parent): \(errnoMessage())")
    }
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

/// Removes the server's directory. It holds only files (its log, a dump if someone ran SAVE).
private func removeDirectory(_ path: String) {
    if let stream = opendir(path) {
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
        closedir(stream)
    }
    rmdir(path)
}

/// The last lines of the server's log on one line, or "(empty)".
private func logTail(_ directory: String, lines: Int = 5) -> String {
    let descriptor = open(directory + "/redis.log", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return "(none: \(errnoMessage()))" }
    defer { close(descriptor) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        contents.append(contentsOf: chunk[0..<count])
    }
    let tail = String(decoding: contents, as: UTF8.self)
        .split(whereSeparator: \.isNewline)
        .map { $0.trimmingPrefix(while: \.isWhitespace) }
        .filter { !$0.isEmpty }
        .suffix(lines)
    return tail.isEmpty ? "(empty)" : tail.joined(separator: " | ")
}

private func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
}

private func errnoMessage() -> String { String(cString: strerror(errno)) }
