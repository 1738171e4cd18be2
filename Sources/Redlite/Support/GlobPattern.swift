/// Redis's glob matching (KEYS, SCAN MATCH, CONFIG GET): `*`, `?`, `[abc]`, `[^a-z]`, and `\`
/// to escape, over raw bytes, case-sensitive.
struct GlobPattern {
    let pattern: [UInt8]

    init(_ pattern: [UInt8]) { self.pattern = pattern }

    /// `true` when the pattern is `*`, which matches everything (a common fast path).
    var matchesEverything: Bool { pattern == [UInt8(ascii: "*")] }

    func matches(_ string: [UInt8]) -> Bool {
        if matchesEverything { return true }
        var giveUp = false
        return pattern.withUnsafeBufferPointer { p in
            string.withUnsafeBufferPointer { s in
                Self.match(p, 0, s, 0, &giveUp)
            }
        }
    }

    /// `giveUp` is set once a `*` has tried every suffix and failed: a longer match at an
    /// outer `*` cannot succeed either, which keeps patterns like `a*a*a*a*b` linear-ish
    /// instead of exponential.
    private static func match(_ p: UnsafeBufferPointer<UInt8>, _ pStart: Int,
                              _ s: UnsafeBufferPointer<UInt8>, _ sStart: Int,
                              _ giveUp: inout Bool) -> Bool {
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?"), open = UInt8(ascii: "[")
        let close = UInt8(ascii: "]"), backslash = UInt8(ascii: "\\"), caret = UInt8(ascii: "^")
        let dash = UInt8(ascii: "-")
        var pi = pStart, si = sStart
        let pEnd = p.count, sEnd = s.count
        while pi < pEnd && si < sEnd {
            switch p[pi] {
            case star:
                while pi + 1 < pEnd && p[pi + 1] == star { pi += 1 }
                if pi + 1 == pEnd { return true }
                while si < sEnd {
                    if match(p, pi + 1, s, si, &giveUp) { return true }
                    if giveUp { return false }
                    si += 1
                }
                giveUp = true
                return false
            case question:
                si += 1
            case open:
                pi += 1
                let negate = pi < pEnd && p[pi] == caret
                if negate { pi += 1 }
                var matched = false
                while true {
                    if pi < pEnd && p[pi] == backslash && pEnd - pi >= 2 {
                        pi += 1
                        if p[pi] == s[si] { matched = true }
                    } else if pi < pEnd && p[pi] == close {
                        break
                    } else if pi >= pEnd {
                        // Unterminated class: step back so the outer advance lands on the end.
                        pi -= 1
                        break
                    } else if pEnd - pi >= 3 && p[pi + 1] == dash {
                        var low = p[pi], high = p[pi + 2]
                        if low > high { swap(&low, &high) }
                        pi += 2
                        if s[si] >= low && s[si] <= high { matched = true }
                    } else if p[pi] == s[si] {
                        matched = true
                    }
                    pi += 1
                }
                if negate { matched.toggle() }
                if !matched { return false }
                si += 1
            case backslash where pEnd - pi >= 2:
                pi += 1
                if p[pi] != s[si] { return false }
                si += 1
            default:
                if p[pi] != s[si] { return false }
                si += 1
            }
            pi += 1
            if si == sEnd {
                while pi < pEnd && p[pi] == star { pi += 1 }
                break
            }
        }
        return pi == pEnd && si == sEnd
    }
}
