/// The ways ``RequestMutator`` damages a request stream.
enum MutationKind: String, CaseIterable, Comparable {
    /// One to four bits flipped.
    case bitFlip = "bit_flip"
    /// Bytes inserted, biased toward the protocol's own (`\r`, `\n`, `*`, `$`, quotes, NUL).
    case byteInsert = "byte_insert"
    /// A run of bytes deleted.
    case byteDelete = "byte_delete"
    /// A slice of another corpus entry inserted, or this entry's head joined to another's tail.
    case splice
    /// A `*`/`$` count one more or one less than it should be.
    case lengthOffByOne = "length_off_by_one"
    /// A negative count (`-1`, `-2`, `-2147483648`, `-0`).
    case lengthNegative = "length_negative"
    /// A huge count (`9223372036854775807`, one past it, `2147483648`, `536870913`, twenty digits).
    case lengthHuge = "length_huge"
    /// A count dressed up: a leading `+`, space or zeros, a trailing space, hex, nothing at all.
    case lengthDecorated = "length_decorated"
    /// The stream cut short.
    case truncate
    /// A new request claiming a huge argument count or bulk length (`*1048577`,
    /// `*2147483647`, `$536870912`), followed by a little of what it promised.
    case hugeCount = "huge_count"
    /// Multibulk headers nested inside each other (`*1\r\n*1\r\n...`), up to a thousand deep.
    case nestedDepth = "nested_depth"
    /// An inline command with quotes and escapes, balanced or not.
    case inlineQuotes = "inline_quotes"
    /// A CR with no LF after it, or a CRLF turned into a bare LF or CR.
    case bareCR = "bare_cr"
    /// NUL bytes in a header, an inline line or a payload.
    case nulByte = "nul_byte"
    /// A slice repeated.
    case duplicate
    /// A line longer than Redis's 64 KiB inline limit (inline or a `*`/`$` header).
    case longLine = "long_line"

    static func < (lhs: MutationKind, rhs: MutationKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
