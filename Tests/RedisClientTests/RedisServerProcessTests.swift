@preconcurrency import Glibc
import RESP
import Testing
@testable import RedisClient

@Suite("RedisServerProcess")
struct RedisServerProcessTests {
    @Test func startsOnLoopbackWithoutPersistence() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        #expect(server.host == "127.0.0.1")
        #expect(server.endpoint == "127.0.0.1:\(server.port)")
        #expect(server.port > 0)
        #expect(kill(server.pid, 0) == 0)
        let redis = try RedisConnection(host: server.host, port: server.port)
        #expect(try redis.execute(command("CONFIG", "GET", "save")) == .array([.bulk("save"), .bulk("")]))
        #expect(try redis.execute(command("CONFIG", "GET", "appendonly")) == .array([.bulk("appendonly"), .bulk("no")]))
        #expect(try redis.execute(command("CONFIG", "GET", "bind")) == .array([.bulk("bind"), .bulk("127.0.0.1")]))
        // Its files live in its own directory, not in the current one.
        #expect(try redis.execute(command("CONFIG", "GET", "dir")) == .array([.bulk("dir"), .bulk(server.directory)]))
        #expect(access(server.directory + "/redis.log", F_OK) == 0)
    }

    @Test func twoServersAreIndependent() throws {
        let first = try RedisServerProcess()
        let second = try RedisServerProcess()
        defer {
            first.stop()
            second.stop()
        }
        #expect(first.port != second.port)
        #expect(first.pid != second.pid)
        let a = try RedisConnection(host: first.host, port: first.port)
        let b = try RedisConnection(host: second.host, port: second.port)
        #expect(try a.execute(command("SET", "k", "first")) == .ok)
        #expect(try b.execute(command("GET", "k")) == .null)
    }

    @Test func stopEndsTheProcessAndFreesEverything() throws {
        let server = try RedisServerProcess()
        let (pid, port, directory) = (server.pid, server.port, server.directory)
        #expect(kill(pid, 0) == 0)
        server.stop()
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
        #expect(access(directory, F_OK) == -1)
        let error = #expect(throws: RedisClientError.self) {
            try RedisConnection(host: "127.0.0.1", port: port, timeoutMilliseconds: 500)
        }
        #expect(error == .connect(endpoint: "127.0.0.1:\(port)", message: "Connection refused"))
        server.stop()  // idempotent
        #expect(kill(pid, 0) == -1)
    }

    @Test func deinitStopsTheServer() throws {
        var server: RedisServerProcess? = try RedisServerProcess()
        let pid = server!.pid
        #expect(kill(pid, 0) == 0)
        server = nil
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aServerThatExitsFailsQuickly() throws {
        var error: RedisServerError?
        let elapsed = milliseconds {
            error = #expect(throws: RedisServerError.self) {
                try RedisServerProcess(executable: "/bin/false", startupTimeoutMilliseconds: 5000)
            }
        }
        #expect(elapsed < 1000)
        guard case .didNotStart(let reason)? = error else {
            Issue.record("expected .didNotStart, got \(String(describing: error))")
            return
        }
        #expect(reason == "it exited with status 1 before answering PING; log: (empty)")
    }

    @Test func aBadConfigurationReportsTheLog() throws {
        let error = #expect(throws: RedisServerError.self) {
            try RedisServerProcess(executable: "/bin/sh", startupTimeoutMilliseconds: 2000)
        }
        // /bin/sh takes "--port" for an option it does not know, says so on standard error
        // (which goes to the log, as redis-server's configuration errors do) and exits 2.
        guard case .didNotStart(let reason)? = error else {
            Issue.record("expected .didNotStart, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("it exited with status 2 before answering PING; log: "))
        #expect(!reason.hasSuffix("(empty)"))
    }

    @Test func missingExecutableIsASpawnFailure() {
        #expect(throws: RedisServerError.spawnFailed("/nonexistent/redis-server: No such file or directory")) {
            try RedisServerProcess(executable: "/nonexistent/redis-server")
        }
    }

    @Test func descriptionsAreOneLine() {
        #expect(RedisServerError.notInstalled.description == "redis-server is not installed (apt-get install -y redis-server)")
        #expect(!RedisServerError.didNotStart("x").description.contains("\n"))
        #expect(RedisClientError.emptyCommand.description == "a redis command needs at least one argument (its name)")
    }

    @Test func locatesExecutablesOnPath() {
        let found = RedisServerProcess.locateExecutable()
        #expect(found?.hasSuffix("/redis-server") == true)
        #expect(RedisServerProcess.locateExecutable("sh") != nil)
        #expect(RedisServerProcess.locateExecutable("no-such-program-anywhere") == nil)
        #expect(RedisServerProcess.locateExecutable("/bin/sh") == "/bin/sh")
        // A directory is not an executable, even though it is "executable".
        #expect(RedisServerProcess.locateExecutable("/bin") == nil)
    }
}

@Suite("RedisServerProcess: inherited descriptors")
struct InheritedDescriptorTests {
    /// A descriptor opened without close-on-exec must not stay open in the server.
    @Test func theServerInheritsOnlyItsStandardStreams() throws {
        let leaky = open("/dev/null", O_RDONLY)
        #expect(leaky > 2)
        defer { close(leaky) }
        let server = try RedisServerProcess()
        defer { server.stop() }
        #expect(openDescriptors(of: server.pid, pointingAt: "/dev/null") == [0, 1])
    }

    /// The server's standard error is its log.
    @Test func standardErrorIsTheLog() throws {
        let server = try RedisServerProcess()
        defer { server.stop() }
        #expect(openDescriptors(of: server.pid, pointingAt: server.directory + "/redis.log").contains(2))
    }

    private func openDescriptors(of pid: pid_t, pointingAt target: String) -> Set<Int32> {
        guard let stream = opendir("/proc/\(pid)/fd") else { return [] }
        defer { closedir(stream) }
        var found: Set<Int32> = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let descriptor = Int32(name) else { continue }
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/\(pid)/fd/\(name)", &buffer, buffer.count - 1)
            guard count > 0 else { continue }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link == target { found.insert(descriptor) }
        }
        return found
    }
}

@Suite("RedisServerProcess: startup failures")
struct StartupFailureTests {
    /// Another process takes the chosen port before the server binds it: the server exits
    /// with "Address already in use" and the next free port is tried.
    @Test func aTakenPortIsRetried() throws {
        // Bound, not listening: what a racing process holds right after its own bind.
        let taken = try LoopbackSocket(listening: false)
        var choices: [Int] = []
        let server = try RedisServerProcess(executable: nil, startupTimeoutMilliseconds: 5000) { () throws(RedisServerError) -> Int in
            choices.append(choices.isEmpty ? taken.port : try freePort())
            return choices.last!
        }
        defer { server.stop() }
        #expect(choices.count == 2)
        #expect(choices.first == taken.port)
        #expect(server.port == choices.last)
        let redis = try RedisConnection(host: server.host, port: server.port)
        #expect(try redis.execute(command("PING")) == .simple("PONG"))
    }

    @Test func givesUpWhenEveryPortIsTaken() throws {
        let taken = try LoopbackSocket(listening: false)
        var attempts = 0
        let error = #expect(throws: RedisServerError.self) {
            try RedisServerProcess(executable: nil, startupTimeoutMilliseconds: 5000) { () throws(RedisServerError) -> Int in
                attempts += 1
                return taken.port
            }
        }
        #expect(attempts == 5)
        guard case .didNotStart(let reason)? = error else {
            Issue.record("expected .didNotStart, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("5 free ports were all taken"))
        #expect(reason.contains("Address already in use"))
    }

    /// A process that runs but never answers is ended when the startup timeout passes.
    @Test func aSilentServerTimesOut() throws {
        let script = try TemporaryScript("#!/bin/sh\necho silent-server-was-here >&2\nexec sleep 30\n")
        var error: RedisServerError?
        let elapsed = milliseconds {
            error = #expect(throws: RedisServerError.self) {
                try RedisServerProcess(executable: script.path, startupTimeoutMilliseconds: 300)
            }
        }
        #expect(elapsed >= 300 && elapsed < 2000)
        guard case .didNotStart(let reason)? = error else {
            Issue.record("expected .didNotStart, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("no answer to PING on 127.0.0.1:"))
        #expect(reason.contains(" within 300 ms; "))
        #expect(reason.hasSuffix("log: silent-server-was-here"))
    }
}

/// A port no one holds, as a port chooser returns it.
private func freePort() throws(RedisServerError) -> Int {
    do { return try LoopbackSocket(listening: false).port } catch { throw .spawnFailed("\(error)") }
}

/// An executable shell script in a temporary file, removed on deinit.
final class TemporaryScript {
    let path: String
    private let directory: String

    init(_ text: String) throws {
        var template = Array("/tmp/redis-client-test-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw TestFailure("mkdtemp: \(String(cString: strerror(errno)))")
        }
        directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        path = directory + "/script"
        // Close-on-exec: a child spawned meanwhile by another test holding it open for writing
        // would make running the script fail with "Text file busy".
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o700)
        guard descriptor >= 0 else { throw TestFailure("open \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = write(descriptor, bytes, bytes.count)
        close(descriptor)
        guard written == bytes.count else { throw TestFailure("cannot write \(path)") }
    }

    deinit {
        unlink(path)
        rmdir(directory)
    }
}
