/// Helpers for the byte strings every key, value and argument is.
enum Bytes {
    /// ASCII-lowercased copy, for matching command names and options case-insensitively.
    @inline(__always)
    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
    }

    /// `true` when `bytes` equals the lowercase ASCII `word`, ignoring case.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: [UInt8], _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
            if folded != pointer[index] { return false }
        }
        return true
    }

    /// Text for error messages: invalid UTF-8 is replaced, length capped as Redis caps `%.128s`.
    static func lossyText(_ bytes: [UInt8], limit: Int = .max) -> String {
        String(decoding: bytes.prefix(limit), as: UTF8.self)
    }

    /// `true` when `bytes` is valid UTF-8 (such keys are stored as TEXT, as upstream does).
    @inline(__always)
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        // Fast path: pure ASCII needs no decoding.
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
