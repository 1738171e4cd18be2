import Foundation

/// `--artifacts DIR`: every artifact of every seed, written as a file
/// `DIR/<suite>-<test>/seed-<N>/<name>`, so charts and minimized traces outlive the run.
public struct ArtifactFolder: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// Writes the results' artifacts; returns the written paths per test, in order.
    public func write(_ results: [TestResult]) throws -> [String: [String]] {
        var written: [String: [String]] = [:]
        for result in results where !result.artifacts.isEmpty {
            let folder = root.appendingPathComponent(result.test.replacingOccurrences(of: "/", with: "-"))
                .appendingPathComponent("seed-\(result.seed)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for artifact in result.artifacts {
                // A plugin names its artifacts; only the last path component is kept, so no
                // name reaches outside the folder.
                let name = artifact.name.split(separator: "/").last.map(String.init) ?? "artifact"
                let file = folder.appendingPathComponent(name == ".." || name == "." ? "artifact" : name)
                try Data(artifact.bytes).write(to: file)
                written[result.test, default: []].append(file.path)
            }
        }
        return written
    }
}
