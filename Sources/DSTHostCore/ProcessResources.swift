import Foundation
import Glibc

/// What the process uses now, read from Linux's /proc: the figures load tests sample.
struct ProcessResources: Equatable {
    var residentBytes: UInt64 = 0
    var peakResidentBytes: UInt64 = 0
    var openFileDescriptors: UInt64 = 0
    var threads: UInt64 = 0

    /// The current process's figures (zero where /proc cannot be read).
    static func current() -> ProcessResources {
        var resources = ProcessResources()
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            resources.apply(status: status)
        }
        resources.openFileDescriptors = countOpenFileDescriptors()
        return resources
    }

    /// Reads VmRSS, VmHWM (kB) and Threads from the text of /proc/PID/status.
    mutating func apply(status: String) {
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let value = UInt64(fields[1]) else { continue }
            switch fields[0] {
            case "VmRSS:": residentBytes = value * 1024
            case "VmHWM:": peakResidentBytes = value * 1024
            case "Threads:": threads = value
            default: break
            }
        }
    }

    /// Entries of /proc/self/fd, less the one the listing itself holds open.
    private static func countOpenFileDescriptors() -> UInt64 {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count: UInt64 = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count > 0 ? count - 1 : 0
    }

    /// The size of the file at `path`, 0 when there is none.
    static func fileSize(_ path: String?) -> UInt64 {
        guard let path else { return 0 }
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }
}
