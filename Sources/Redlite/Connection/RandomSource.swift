/// The randomness behind SPOP, SRANDMEMBER, RANDOMKEY, HRANDFIELD and ZRANDMEMBER.
/// Inject a ``SeededRandom`` to make them reproducible from a seed.
public protocol RedliteRandom: AnyObject {
    /// The next 64 random bits.
    func next() -> UInt64
}

extension RedliteRandom {
    /// A uniform integer in `0..<bound` (bound > 0), without modulo bias.
    public func uniform(below bound: Int) -> Int {
        precondition(bound > 0)
        let limit = UInt64(bound)
        // Lemire's multiply-shift with rejection.
        var product = next().multipliedFullWidth(by: limit)
        if product.low < limit {
            let threshold = (0 &- limit) % limit
            while product.low < threshold {
                product = next().multipliedFullWidth(by: limit)
            }
        }
        return Int(product.high)
    }
}

extension RedliteRandom {
    /// `count` (< items.count) distinct items, by a partial Fisher-Yates shuffle: each pick is
    /// uniform among the items not yet picked (SRANDMEMBER, SPOP, HRANDFIELD, ZRANDMEMBER).
    func distinctPicks<Item>(_ items: [Item], count: Int) -> [Item] {
        var pool = items
        for index in 0..<count {
            pool.swapAt(index, index + uniform(below: pool.count - index))
        }
        return Array(pool.prefix(count))
    }

    /// `count` independent uniform picks, which may repeat (a negative count in the same
    /// commands).
    func repeatedPicks<Item>(_ items: [Item], count: UInt64) -> [Item] {
        var picks: [Item] = []
        var remaining = count
        while remaining > 0 {
            picks.append(items[uniform(below: items.count)])
            remaining -= 1
        }
        return picks
    }
}

/// xoshiro256** seeded through SplitMix64: fast, small, and the same sequence for the same
/// seed on every platform.
public final class SeededRandom: RedliteRandom {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// The system's random generator, for production use.
public final class SystemRandom: RedliteRandom {
    private var generator = SystemRandomNumberGenerator()
    public init() {}
    public func next() -> UInt64 { generator.next() }
}
