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
            // Read only the bytes the plugin's dst_test has: an older plugin's is shorter, and the
            // fields it lacks stay zero.
            var test = dst_test()
            let element = UnsafeRawPointer(testBase).advanced(by: index * descriptor.test_size)
            withUnsafeMutableBytes(of: &test) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: element, count: min(descriptor.test_size, MemoryLayout<dst_test>.size)))
            }
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
            let parameters = try parameterSpecs(test, testName: testName, path: path)
            var typedCall: TypedTestCall?
            if let function = test.run_with_parameters, !parameters.isEmpty {
                do {
                    typedCall = try TypedTestCall(function: unsafeBitCast(function, to: UnsafeRawPointer.self), parameters: parameters)
                } catch {
                    throw fail("test '\(testName)': \(error)")
                }
            }
            tests.append(LoadedTest(
                suite: name, name: testName,
                description: test.description.map { String(cString: $0) } ?? "",
                tags: tags, defaultSeeds: max(test.default_seeds, 1), parameters: parameters,
                run: run, user: test.user, typedCall: typedCall))
        }
        return LoadedPlugin(path: path, name: name, version: version, description: description,
                            abiMajor: descriptor.abi_major, abiMinor: descriptor.abi_minor, tests: tests)
    }

    /// The test's declared parameters, each checked: a valid unique name, a known type, a
    /// default that parses.
    private static func parameterSpecs(_ test: dst_test, testName: String, path: String) throws(PluginLoadError) -> [ParameterSpec] {
        func fail(_ reason: String) -> PluginLoadError { PluginLoadError(path: path, reason: "malformed descriptor: test '\(testName)' \(reason)") }
        guard test.struct_size >= MemoryLayout.offset(of: \dst_test.param_size)! + MemoryLayout<Int>.size, test.param_count > 0 else {
            return []
        }
        guard let base = test.params else { throw fail("declares \(test.param_count) parameters but params is NULL") }
        let minimum = MemoryLayout.offset(of: \dst_param_spec.description)! + MemoryLayout<UnsafeRawPointer>.size
        guard test.param_size >= minimum else { throw fail("has param_size \(test.param_size), smaller than ABI 1.0's") }
        guard test.param_count <= 64 else { throw fail("declares \(test.param_count) parameters (at most 64)") }
        var specs: [ParameterSpec] = []
        for index in 0..<test.param_count {
            var raw = dst_param_spec()
            let element = UnsafeRawPointer(base).advanced(by: index * test.param_size)
            withUnsafeMutableBytes(of: &raw) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: element, count: min(test.param_size, MemoryLayout<dst_param_spec>.size)))
            }
            guard let namePointer = raw.name else { throw fail("has a parameter with a NULL name") }
            let name = String(cString: namePointer)
            guard isIdentifier(name, allowingDash: false) else { throw fail("has parameter name '\(name)', not [a-z0-9_]+") }
            guard !specs.contains(where: { $0.name == name }) else { throw fail("declares parameter '\(name)' twice") }
            guard let kind = ParameterSpec.Kind(rawValue: raw.type) else { throw fail("gives parameter '\(name)' unknown type \(raw.type)") }
            let spec = ParameterSpec(name: name, kind: kind, defaultValue: raw.default_value.map { String(cString: $0) } ?? "",
                                     description: raw.description.map { String(cString: $0) } ?? "")
            if let problem = spec.problem(with: spec.defaultValue) { throw fail("has a bad default for '\(name)': \(problem)") }
            specs.append(spec)
        }
        return specs
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
