// The normal build's entry point: the corpus replayer. Runs each input file given once
// through the same harness the libFuzzer build runs (which is how a crash input is
// reproduced without the fuzzer), or writes the seed corpus. Accepts the libFuzzer build's
// command line: arguments starting with `-` (libFuzzer's flags) are ignored.
#if !LIBFUZZER
import Foundation
import FuzzHarness

@main
struct Replayer {
    static let usage = """
        usage: redlite-libfuzzer --target=resp_parser|command_handler [--write-corpus=DIR] [--write-dict=FILE] [FILE|DIR ...]
        Runs each input file (each file of each folder) once; exit status 1 if any broke a rule.
        """

    static func main() {
        do {
            let options = try HarnessOptions(Array(CommandLine.arguments.dropFirst()))
            let target = options.target!
            if options.onlyWritesFiles {
                for line in try options.writeFiles() { say(line + "\n") }
                return
            }
            let runner = try HarnessRunner(target)
            if let defect = runner.plantedDefect { say("PLANTED DEFECT \(defect) is on\n") }
            let files = try inputFiles(options.rest.filter { !$0.hasPrefix("-") })
            var broken = 0
            for file in files {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                // Written first, unbuffered: if the input kills the process, the output ends
                // with its name.
                say("\(file) (\(bytes.count) bytes): ")
                let violations = runner.violations(bytes)
                say((violations.isEmpty ? "ok" : violations.joined(separator: "; ")) + "\n")
                if !violations.isEmpty { broken += 1 }
            }
            say("replayed \(files.count) \(target.rawValue) inputs: \(broken) broke a rule\n")
            exit(broken == 0 ? 0 : 1)
        } catch {
            FileHandle.standardError.write(Data("redlite-libfuzzer: \(error)\n\(usage)\n".utf8))
            exit(2)
        }
    }

    /// Standard output without a buffer in between.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The files named, with folders expanded to their regular files in name order.
    static func inputFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReplayError(description: "no such file or folder: \(path)")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            files += names.map { (path as NSString).appendingPathComponent($0) }.filter { file in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && !isFolder.boolValue
            }
        }
        return files
    }
}

struct ReplayError: Error, CustomStringConvertible {
    let description: String
}
#endif
