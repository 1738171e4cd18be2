import Redlite
import Synchronization

/// The server's clients, for CLIENT LIST and ids, `--max-clients` and the password: the
/// ``ClientDirectory`` every client's engine connection asks.
///
/// Each client's handler admits itself when it connects, publishes its session after each
/// read, and leaves when it closes, from its own event loop; any loop may list. One mutex
/// guards the table; the critical sections copy a few fields.
final class ClientRegistry: ClientDirectory {
    private struct Table {
        var clients: [Int64: ClientRecord] = [:]
        /// Redis numbers clients from 1 for the life of the server.
        var nextID: Int64 = 1
    }

    private let table = Mutex(Table())
    private let password: [UInt8]?
    private let maxClients: Int

    init(password: String?, maxClients: Int) {
        // An empty requirepass means no password in Redis too.
        self.password = password.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.maxClients = maxClients
    }

    /// Registers a new client and returns its id, or nil when `maxClients` are connected.
    func admit(address: String, localAddress: String, fileDescriptor: Int32) -> Int64? {
        let now = ContinuousClock.now
        return table.withLock { table in
            guard table.clients.count < maxClients else { return nil }
            let id = table.nextID
            table.nextID += 1
            table.clients[id] = ClientRecord(id: id, address: address, localAddress: localAddress,
                                             fileDescriptor: fileDescriptor, now: now)
            return id
        }
    }

    /// Records what a client's last read left behind.
    func publish(id: Int64, session: ClientSession, queryBufferLength: Int) {
        let now = ContinuousClock.now
        table.withLock { table in
            table.clients[id]?.session = session
            table.clients[id]?.queryBufferLength = queryBufferLength
            table.clients[id]?.lastInteraction = now
        }
    }

    /// Forgets a client that closed.
    func remove(id: Int64) {
        _ = table.withLock { $0.clients.removeValue(forKey: id) }
    }

    /// How many clients are connected.
    var count: Int { table.withLock { $0.clients.count } }

    // MARK: ClientDirectory

    var requiresPassword: Bool { password != nil }

    /// Compares every byte whatever the first difference, so the time taken does not tell an
    /// attacker how much of a guess was right (Redis compares in constant time too).
    func passwordMatches(_ candidate: [UInt8]) -> Bool {
        guard let password else { return true }
        var difference = UInt8(truncatingIfNeeded: candidate.count ^ password.count)
        for index in 0..<max(candidate.count, password.count) {
            let a = index < candidate.count ? candidate[index] : 0
            let b = index < password.count ? password[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && candidate.count == password.count
    }

    func connectedClients() -> [ClientInfo] {
        let now = ContinuousClock.now
        let records = table.withLock { Array($0.clients.values) }
        return records.sorted { $0.id < $1.id }.map { $0.info(at: now) }
    }
}
