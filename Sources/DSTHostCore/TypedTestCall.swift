@preconcurrency import CFFI
import DSTPluginAPI

/// A test parameter a plugin declared, and a value for it.
public struct ParameterSpec: Sendable, Equatable {
    public enum Kind: Int32, Sendable {
        case int64 = 1, double = 2, string = 3

        var name: String {
            switch self {
            case .int64: "an integer"
            case .double: "a number"
            case .string: "a string"
            }
        }
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: String
    public let description: String

    /// Checks `text` parses as this parameter's type; nil when it does, else why not.
    public func problem(with text: String) -> String? {
        switch kind {
        case .int64: return Int64(text) == nil ? "'\(text)' is not \(kind.name) (int64)" : nil
        case .double: return Double(text) == nil ? "'\(text)' is not \(kind.name)" : nil
        case .string: return nil
        }
    }
}

/// Calls a test's `run_with_parameters`, whose parameter list is known only from the
/// descriptor, through libffi: `dst_status f(host, ctx, seed, user, p1, p2, ...)`.
///
/// The call interface (`ffi_cif`) and its argument-type array are built once per test and
/// owned by this object.
final class TypedTestCall: @unchecked Sendable {  // immutable after init
    private var cif = ffi_cif()
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    private let parameters: [ParameterSpec]
    private let function: UnsafeRawPointer

    init(function: UnsafeRawPointer, parameters: [ParameterSpec]) throws {
        self.function = function
        self.parameters = parameters
        let count = 4 + parameters.count
        argumentTypes = .allocate(capacity: count)
        // host, ctx, seed, user, then one per declared parameter.
        argumentTypes[0] = withUnsafeMutablePointer(to: &ffi_type_pointer) { $0 }
        argumentTypes[1] = withUnsafeMutablePointer(to: &ffi_type_pointer) { $0 }
        argumentTypes[2] = withUnsafeMutablePointer(to: &ffi_type_uint64) { $0 }
        argumentTypes[3] = withUnsafeMutablePointer(to: &ffi_type_pointer) { $0 }
        for (index, parameter) in parameters.enumerated() {
            switch parameter.kind {
            case .int64: argumentTypes[4 + index] = withUnsafeMutablePointer(to: &ffi_type_sint64) { $0 }
            case .double: argumentTypes[4 + index] = withUnsafeMutablePointer(to: &ffi_type_double) { $0 }
            case .string: argumentTypes[4 + index] = withUnsafeMutablePointer(to: &ffi_type_pointer) { $0 }
            }
        }
        let status = ffi_prep_cif(&cif, FFI_DEFAULT_ABI, UInt32(count),
                                  withUnsafeMutablePointer(to: &ffi_type_sint32) { $0 }, argumentTypes)
        guard status == FFI_OK else {
            argumentTypes.deallocate()
            throw TypedCallError(message: "libffi cannot describe the call (status \(status.rawValue))")
        }
    }

    deinit { argumentTypes.deallocate() }

    /// Calls the test with `values` (already validated, one per parameter, as text).
    func call(host: UnsafePointer<dst_host_api>, context: OpaquePointer, seed: UInt64,
              user: UnsafeMutableRawPointer?, values: [String]) -> dst_status {
        // Storage for every argument, alive for the whole call.
        var hostArgument: UnsafeRawPointer? = UnsafeRawPointer(host)
        var contextArgument: UnsafeRawPointer? = UnsafeRawPointer(context)
        var seedArgument = seed
        var userArgument: UnsafeRawPointer? = user.map { UnsafeRawPointer($0) }
        let slots = UnsafeMutableRawPointer.allocate(byteCount: max(values.count, 1) * 8, alignment: 8)
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer {
            slots.deallocate()
            strings.forEach { free($0) }
        }
        for (index, parameter) in parameters.enumerated() {
            let slot = slots.advanced(by: index * 8)
            switch parameter.kind {
            case .int64: slot.storeBytes(of: Int64(values[index]) ?? 0, as: Int64.self)
            case .double: slot.storeBytes(of: Double(values[index]) ?? 0, as: Double.self)
            case .string:
                let copy = strdup(values[index])!
                strings.append(copy)
                slot.storeBytes(of: UnsafeRawPointer(copy), as: UnsafeRawPointer.self)
            }
        }
        var result: Int64 = 0  // ffi_arg-sized: libffi widens small integer returns
        withUnsafeMutablePointer(to: &hostArgument) { hostPointer in
            withUnsafeMutablePointer(to: &contextArgument) { contextPointer in
                withUnsafeMutablePointer(to: &seedArgument) { seedPointer in
                    withUnsafeMutablePointer(to: &userArgument) { userPointer in
                        var arguments: [UnsafeMutableRawPointer?] = [
                            UnsafeMutableRawPointer(hostPointer), UnsafeMutableRawPointer(contextPointer),
                            UnsafeMutableRawPointer(seedPointer), UnsafeMutableRawPointer(userPointer),
                        ]
                        for index in parameters.indices { arguments.append(slots.advanced(by: index * 8)) }
                        arguments.withUnsafeMutableBufferPointer { buffer in
                            ffi_call(&cif, unsafeBitCast(function, to: (@convention(c) () -> Void).self), &result, buffer.baseAddress)
                        }
                    }
                }
            }
        }
        return dst_status(truncatingIfNeeded: result)
    }
}

struct TypedCallError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

import Glibc
