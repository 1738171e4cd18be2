import DSTPluginSDK

/// Rendering for reports. Models are arrays indexed by key number, never dictionaries or
/// sets: their iteration order follows a per-process hash seed, and nothing a seeded run
/// decides or prints may depend on it.
enum Text {
    /// A command as one would type it: byte-string arguments (values, members) quoted with
    /// C escapes, names, keys and numbers as they are. `RPUSH k1 "a" "b"`.
    static func command(_ arguments: [any CommandArgument]) -> String {
        arguments.map { argument -> String in
            if let bytes = argument as? [UInt8] { return Reply.quoted(bytes) }
            return String(decoding: argument.commandBytes, as: UTF8.self)
        }.joined(separator: " ")
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}

/// Small pieces the properties share.
enum Values {
    /// The key names `prefix0`, `prefix1`, ...
    static func keys(_ prefix: String, count: Int) -> [String] {
        (0..<count).map { "\(prefix)\($0)" }
    }

    /// A random binary value of 0 to `maximum` bytes; empty about one time in eight.
    static func randomBytes(_ run: TestRun, maximum: Int) -> [UInt8] {
        if run.random.chance(1, in: 8) { return [] }
        return run.random.bytes(count: run.random.int(in: 1...maximum))
    }
}
