/// Why a plugin file could not be loaded: one line naming the file and what is wrong.
public struct PluginLoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the user named it.
    public let path: String
    /// What is wrong, e.g. "plugin ABI major 2, this host supports 1".
    public let reason: String

    /// `true` when the file is a shared object without the entry function: an ordinary
    /// library, which discovery in a folder skips quietly.
    public let isMissingEntry: Bool

    public init(path: String, reason: String, isMissingEntry: Bool = false) {
        self.path = path
        self.reason = reason
        self.isMissingEntry = isMissingEntry
    }

    public var description: String { "\(path): \(reason)" }
}
