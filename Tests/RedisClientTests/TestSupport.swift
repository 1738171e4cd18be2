@preconcurrency import Glibc
import RESP
@testable import RedisClient

/// A command from text arguments.
func command(_ parts: String...) -> [[UInt8]] {
    parts.map { Array($0.utf8) }
}

/// A fresh server and a connection to it, for one test.
func startServer(timeoutMilliseconds: Int = 2000) throws -> (RedisServerProcess, RedisConnection) {
    let server = try RedisServerProcess()
    let connection = try RedisConnection(host: server.host, port: server.port, timeoutMilliseconds: timeoutMilliseconds)
    return (server, connection)
}

/// A TCP socket bound to a free port on 127.0.0.1, listening only when asked. Without
/// `listen`, connecting to its port is refused, and no other process can take the port while
/// the socket is open. With `listen`, the kernel completes connections without `accept`, so a
/// test can play a misbehaving server on one thread.
final class LoopbackSocket {
    let descriptor: Int32
    let port: Int

    init(listening: Bool) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard ok, !listening || listen(descriptor, 4) == 0 else {
            close(descriptor)
            throw TestFailure("bind/listen: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    /// The server side of the next (already completed) connection.
    func accept() throws -> Int32 {
        let client = Glibc.accept(descriptor, nil, nil)
        guard client >= 0 else { throw TestFailure("accept: \(String(cString: strerror(errno)))") }
        return client
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Milliseconds `body` took.
func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return (ContinuousClock.now - start) / .milliseconds(1)
}
