/// What a server that hosts connections tells the engine about its clients: whether they
/// must authenticate, and who is connected. The engine asks it for AUTH, HELLO AUTH, the
/// NOAUTH gate and CLIENT LIST; the server sets it on every ``RedliteConnection`` it opens
/// (``RedliteConnection/clientDirectory``).
///
/// An engine used without a server has no directory and behaves like a stock Redis with no
/// `requirepass` and one client: every client is authenticated, `AUTH <password>` answers that
/// no password is configured, and CLIENT LIST shows the asking connection alone.
///
/// Connections on different threads call it at once: implementations must be thread-safe.
public protocol ClientDirectory: AnyObject, Sendable {
    /// True when the `default` user has a password (Redis's `requirepass`): a new client must
    /// then authenticate before any command but AUTH, HELLO and QUIT.
    var requiresPassword: Bool { get }

    /// Whether `password` is the `default` user's password. Asked only when
    /// ``requiresPassword`` is true.
    func passwordMatches(_ password: [UInt8]) -> Bool

    /// Every client connected now, ascending by id, as the server last saw it. The engine
    /// replaces the asking client's own session fields with their live values.
    func connectedClients() -> [ClientInfo]
}
