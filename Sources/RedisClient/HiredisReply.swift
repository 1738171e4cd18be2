import CHiredis
import RESP

/// hiredis's reply objects as ``RESP/Reply`` values: one conversion for the socket client
/// (``RedisConnection``) and the bare parser (``RedisReplyReader``).
enum HiredisReply {
    /// A reply object hiredis should never produce.
    struct Unexpected: Error {
        let message: String
    }

    /// hiredis 0.14 parses `$-1` (missing string) and `*-1` (missing array, e.g. an EXEC
    /// aborted by WATCH) into the same REDIS_REPLY_NIL, so both become ``RESP/Reply/null``;
    /// ``RESP/Reply/nullArray`` never comes out of hiredis.
    static func convert(_ reply: UnsafePointer<redisReply>) throws(Unexpected) -> Reply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STATUS:
            return .simple(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(value.integer))
        case REDIS_REPLY_STRING:
            return .bulk(Array(bytes(value)))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [Reply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                guard let element = value.element[index] else {
                    throw Unexpected(message: "array element \(index) is missing")
                }
                elements.append(try convert(element))
            }
            return .array(elements)
        default:
            // The reader only produces the six types above; anything else is a hiredis change.
            throw Unexpected(message: "unknown hiredis reply type \(value.type)")
        }
    }

    private static func bytes(_ reply: redisReply) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: reply.str, count: reply.len)
    }
}
