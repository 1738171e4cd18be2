import Foundation

/// Where plugins come from: `--plugin` paths, the folders and files in `DST_PLUGIN_PATH`, and
/// the folder beside the executable.
public enum PluginDiscovery {
    /// Candidate files, in priority order. Explicit ones must load; ones found in folders are
    /// skipped quietly when they are ordinary libraries (no entry function).
    public static func candidates(explicit: [String], environment: [String: String],
                                  executableFolder: String) -> [(path: String, explicit: Bool)] {
        var result: [(String, Bool)] = explicit.map { ($0, true) }
        var folders: [String] = []
        for entry in (environment["DST_PLUGIN_PATH"] ?? "").split(separator: ":").map(String.init) where !entry.isEmpty {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: entry, isDirectory: &isFolder), !isFolder.boolValue {
                result.append((entry, true))
            } else {
                folders.append(entry)
            }
        }
        folders.append(executableFolder)
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            // Sorted: the order plugins load in must not depend on the file system.
            for name in names.sorted() where name.hasPrefix("lib") && name.hasSuffix(".so") {
                result.append(((folder as NSString).appendingPathComponent(name), false))
            }
        }
        return result
    }
}
