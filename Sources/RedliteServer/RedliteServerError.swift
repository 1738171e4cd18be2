/// Why a ``RedliteServer`` could not start. Each description is one line for a person.
public enum RedliteServerError: Error, Equatable, CustomStringConvertible {
    /// The database could not be opened or created (a missing folder, no permission, not a
    /// database).
    case cannotOpenDatabase(path: String, reason: String)
    /// The address could not be bound (in use, not local, no permission).
    case cannotBind(host: String, port: Int, reason: String)
    /// ``RedliteServer/start()`` was called twice, or after ``RedliteServer/shutdown()``.
    case alreadyStarted

    public var description: String {
        switch self {
        case .cannotOpenDatabase(let path, let reason): "cannot open database '\(path)': \(reason)"
        case .cannotBind(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        case .alreadyStarted: "the server was already started"
        }
    }
}
