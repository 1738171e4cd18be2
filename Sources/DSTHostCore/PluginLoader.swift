import DSTPluginAPI
import Glibc

/// Loads plugin shared objects and validates what they describe, turning every way a plugin
/// can be wrong into a ``PluginLoadError`` rather than a crash.
///
/// Plugins are opened with `RTLD_NOW | RTLD_LOCAL` (every symbol resolved up front, none leaked
/// to other plugins) and never closed: their code may be referenced until the process exits.
public enum PluginLoader {
    /// The descriptor size this host reads: the plugin fills at most this much.
    static let descriptorSize = MemoryLayout<dst_plugin_descriptor>.size

    /// Loads the plugin at `path` and validates its descriptor.
    public static func load(_ path: String) throws(PluginLoadError) -> LoadedPlugin {
        func fail(_ reason: String) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }
        guard access(path, R_OK) == 0 else { throw fail("cannot read the file (\(String(cString: strerror(errno))))") }
        // A path without a slash would make dlopen search the library path instead.
        let openPath = path.contains("/") ? path : "./" + path
        guard let handle = dlopen(openPath, RTLD_NOW | RTLD_LOCAL) else {
            let message = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw fail("not a loadable shared object (\(Self.trimmed(message, path: openPath)))")
        }
        guard let symbol = dlsym(handle, DST_PLUGIN_ENTRY_NAME) else {
            throw PluginLoadError(path: path, reason: "no \(DST_PLUGIN_ENTRY_NAME) function: not a dst-host plugin (ABI version 1)",
                                  isMissingEntry: true)
        }
        let entry = unsafeBitCast(symbol, to: dst_plugin_entry_fn.self)
        var descriptor = dst_plugin_descriptor()
        descriptor.struct_size = descriptorSize
        let status = entry(HostServices.table, &descriptor)
        guard status == DST_OK else {
            if status == DST_ERR_UNSUPPORTED {
                throw fail("the plugin refused this host's ABI version \(DST_ABI_VERSION_MAJOR).\(DST_ABI_VERSION_MINOR) (status \(status))")
            }
            throw fail("\(DST_PLUGIN_ENTRY_NAME) failed with status \(status)")
        }
        return try validate(descriptor, path: path)
    }

    /// Checks everything the host relies on before it trusts the descriptor.
    static func validate(_ descriptor: dst_plugin_descriptor, path: String) throws(PluginLoadError) -> LoadedPlugin {
        func fail(_ reason: String) -> PluginLoadError { PluginLoadError(path: path, reason: reason) }
        guard descriptor.struct_size != 0 else { throw fail("malformed descriptor: struct_size is 0") }
        guard descriptor.struct_size >= MemoryLayout.offset(of: \dst_plugin_descriptor.test_size)! + MemoryLayout<Int>.size else {
            throw fail("malformed descriptor: struct_size \(descriptor.struct_size) is smaller than ABI 1.0's \(descriptorSize)")
        }
        guard descriptor.abi_major == DST_ABI_VERSION_MAJOR else {
            throw fail("plugin ABI major \(descriptor.abi_major), this host supports \(DST_ABI_VERSION_MAJOR)")
        }
        guard descriptor.abi_minor <= DST_ABI_VERSION_MINOR else {
            throw fail("plugin needs ABI 1.\(descriptor.abi_minor), this host has 1.\(DST_ABI_VERSION_MINOR): upgrade dst-host")
        }
        guard let namePointer = descriptor.name else { throw fail("malformed descriptor: the suite name is NULL") }
        let name = String(cString: namePointer)
        guard isIdentifier(name, allowingDash: true) else {
            throw fail("malformed descriptor: suite name '\(name)' must be [a-z0-9_-]+")
        }
        let version = descriptor.version.map { String(cString: $0) } ?? ""
        let description = descriptor.description.map { String(cString: $0) } ?? ""
        guard descriptor.test_count > 0 else { throw fail("malformed descriptor: the suite has no tests") }
        guard let testBase = descriptor.tests else { throw fail("malformed descriptor: tests is NULL") }
        let minimumTestSize = MemoryLayout.offset(of: \dst_test.user)! + MemoryLayout<UnsafeRawPointer>.size
        guard descriptor.test_size >= minimumTestSize else {
            throw fail("malformed descriptor: test_size \(descriptor.test_size) is smaller than ABI 1.0's \(MemoryLayout<dst_test>.size)")
        }
        guard descriptor.test_count <= 10_000 else {
            throw fail("malformed descriptor: \(descriptor.test_count) tests is more than any suite should have")
        }
        var tests: [LoadedTest] = []
        var names = Set<String>()
        for index in 0..<descriptor.test_count {
            let test = UnsafeRawPointer(testBase).advanced(by: index * descriptor.test_size)
                .loadUnaligned(as: dst_test.self)
            guard test.struct_size >= minimumTestSize else {
                throw fail("malformed descriptor: test #\(index) has struct_size \(test.struct_size)")
            }
            guard let testNamePointer = test.name else { throw fail("malformed descriptor: test #\(index) has a NULL name") }
            let testName = String(cString: testNamePointer)
            guard isIdentifier(testName, allowingDash: false) else {
                throw fail("malformed descriptor: test name '\(testName)' must be [a-z0-9_]+")
            }
            guard names.insert(testName).inserted else { throw fail("malformed descriptor: duplicate test name '\(testName)'") }
            guard let run = test.run else { throw fail("malformed descriptor: test '\(testName)' has no run function") }
            var tags: [String] = []
            if test.tag_count > 0 {
                guard let tagBase = test.tags else { throw fail("malformed descriptor: test '\(testName)' has tag_count \(test.tag_count) but no tags") }
                for tagIndex in 0..<test.tag_count {
                    guard let tag = tagBase[tagIndex] else { throw fail("malformed descriptor: test '\(testName)' has a NULL tag") }
                    tags.append(String(cString: tag))
                }
            }
            tests.append(LoadedTest(
                suite: name, name: testName,
                description: test.description.map { String(cString: $0) } ?? "",
                tags: tags, defaultSeeds: max(test.default_seeds, 1), run: run, user: test.user))
        }
        return LoadedPlugin(path: path, name: name, version: version, description: description,
                            abiMajor: descriptor.abi_major, abiMinor: descriptor.abi_minor, tests: tests)
    }

    private static func isIdentifier(_ text: String, allowingDash: Bool) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95 || (allowingDash && byte == 45)
        }
    }

    /// dlerror repeats the path; keep only the reason.
    private static func trimmed(_ message: String, path: String) -> String {
        message.replacingOccurrences(of: path + ": ", with: "")
    }
}

import Foundation
