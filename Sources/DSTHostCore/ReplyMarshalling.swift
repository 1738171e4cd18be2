import DSTPluginAPI
import Glibc
import Redlite

/// Turns engine replies into `dst_reply` trees for plugins, and frees them. Every node and
/// buffer is malloc'd by the host; `free(_:)` walks the same shape back.
enum ReplyMarshalling {
    static func make(_ reply: Reply) -> UnsafeMutablePointer<dst_reply> {
        let node = UnsafeMutablePointer<dst_reply>.allocate(capacity: 1)
        fill(node, reply)
        return node
    }

    private static func fill(_ node: UnsafeMutablePointer<dst_reply>, _ reply: Reply) {
        var value = dst_reply()
        value.struct_size = MemoryLayout<dst_reply>.size
        value.element_size = MemoryLayout<dst_reply>.stride
        func setBytes(_ bytes: [UInt8]) {
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { buffer.initialize(from: base, count: bytes.count) }
            }
            value.bytes = UnsafePointer(buffer)
            value.length = bytes.count
        }
        func setElements(_ elements: [Reply]) {
            let array = UnsafeMutablePointer<dst_reply>.allocate(capacity: max(elements.count, 1))
            for (index, element) in elements.enumerated() { fill(array + index, element) }
            value.elements = UnsafePointer(array)
            value.element_count = elements.count
        }
        switch reply {
        case .simple(let text):
            value.type = Int32(DST_REPLY_STATUS.rawValue)
            setBytes(Array(text.utf8))
        case .error(let text):
            value.type = Int32(DST_REPLY_ERROR.rawValue)
            setBytes(Array(text.utf8))
        case .integer(let number):
            value.type = Int32(DST_REPLY_INTEGER.rawValue)
            value.integer = number
        case .bulk(let bytes):
            value.type = Int32(DST_REPLY_BULK.rawValue)
            setBytes(bytes)
        case .null, .nullArray:
            value.type = Int32(DST_REPLY_NULL.rawValue)
        case .array(let elements):
            value.type = Int32(DST_REPLY_ARRAY.rawValue)
            setElements(elements)
        case .set(let elements):
            value.type = Int32(DST_REPLY_SET.rawValue)
            setElements(elements)
        case .map(let pairs):
            value.type = Int32(DST_REPLY_MAP.rawValue)
            setElements(pairs.flatMap { [$0.key, $0.value] })
        case .double(let number):
            value.type = Int32(DST_REPLY_DOUBLE.rawValue)
            value.number = number
            setBytes(ReplyEncoder.formatDouble(number))
        case .boolean(let flag):
            value.type = Int32(DST_REPLY_BOOLEAN.rawValue)
            value.integer = flag ? 1 : 0
        case .verbatim(_, let text):
            value.type = Int32(DST_REPLY_VERBATIM.rawValue)
            setBytes(text)
        }
        node.initialize(to: value)
    }

    /// Frees a tree made by ``make(_:)``.
    static func free(_ node: UnsafeMutablePointer<dst_reply>) {
        release(node.pointee)
        node.deallocate()
    }

    private static func release(_ value: dst_reply) {
        if let bytes = value.bytes { UnsafeMutablePointer(mutating: bytes).deallocate() }
        if let elements = value.elements {
            for index in 0..<value.element_count { release(elements[index]) }
            UnsafeMutablePointer(mutating: elements).deallocate()
        }
    }
}
