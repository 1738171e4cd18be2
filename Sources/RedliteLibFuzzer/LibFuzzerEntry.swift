// The libFuzzer build's entry points: compiled only with `-D LIBFUZZER`, which
// scripts/libfuzzer.sh passes along with `--sanitize fuzzer`. libFuzzer's runtime then
// supplies `main`, and SwiftPM, seeing the fuzzer sanitizer, links the executable without
// one of its own.
//
// Why one executable target with two builds rather than a folder compiled by hand with
// swiftc: the same target is the corpus replayer in every normal build (so `swift build`,
// `swift test` and the tests that reproduce a crash input use it), SwiftPM builds the fuzz
// variant with its dependencies instrumented and the system libraries found as usual, and
// nothing outside the package manifest needs maintaining.
#if LIBFUZZER
import Foundation
import FuzzHarness

/// The harness of the target named on the command line; set once by `LLVMFuzzerInitialize`
/// before libFuzzer runs any input, and only read after.
nonisolated(unsafe) private var runner: HarnessRunner?

/// Reads `--target=NAME` (and `--write-corpus=DIR`, `--write-dict=FILE`) from the arguments
/// libFuzzer was given.
@_cdecl("LLVMFuzzerInitialize")
public func libFuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>,
                                _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let arguments = (1..<Int(argc.pointee)).compactMap { index in argv.pointee?[index].map { String(cString: $0) } }
    do {
        let options = try HarnessOptions(arguments)
        let target = options.target!
        if options.onlyWritesFiles {
            for line in try options.writeFiles() { print(line) }
            exit(0)
        }
        let harness = try HarnessRunner(target)
        if let defect = harness.plantedDefect { print("redlite-libfuzzer: PLANTED DEFECT \(defect) is on") }
        runner = harness
    } catch {
        FileHandle.standardError.write(Data("redlite-libfuzzer: \(error)\n".utf8))
        exit(2)
    }
    return 0
}

/// One input. A rule the engine broke is made a crash, which is what libFuzzer records and
/// saves the input for.
@_cdecl("LLVMFuzzerTestOneInput")
public func libFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
    let violations = runner!.violations(input)
    if !violations.isEmpty {
        fatalError("\(runner!.target.rawValue): " + violations.prefix(5).joined(separator: "; "))
    }
    return 0
}
#endif
