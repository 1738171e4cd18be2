/// A plugin's own seeded random stream: SplitMix64 (Steele, Lea and Flood, 2014), seeded once,
/// for instance from one draw of ``TestRun/random``.
///
/// What a seed generates then depends only on the plugin's source: not on how a Swift release
/// turns random bits into `Int.random(in:)` or `shuffle()`, nor on host calls per draw. The
/// modulo in ``below(_:)`` has a bias of at most bound/2^64, negligible for the small bounds of
/// test generators.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The stream numbered `index` under `base`: item `index` of a sequence can be regenerated
    /// from `(base, index)` alone, without drawing the items before it.
    public static func derived(base: UInt64, index: Int) -> SplitMix64 {
        var mixer = SplitMix64(seed: base ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (0 when `bound` ≤ 0).
    public mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// `true` with probability `numerator / denominator`.
    public mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    public mutating func bool() -> Bool { next() & 1 == 1 }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    public mutating func bytes(count: Int) -> [UInt8] {
        (0..<max(count, 0)).map { _ in byte() }
    }

    /// Fisher-Yates with this stream.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, below(index + 1))
        }
    }
}
