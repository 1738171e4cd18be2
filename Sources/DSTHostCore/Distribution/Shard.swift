/// One of N disjoint slices of a run's seeds (`--shard K/N`), so N machines can share a run
/// and `dst-host merge` can put their reports back together.
///
/// A run's (test, seed) pairs, in the run's own order (tests as selected, each test's seeds
/// ascending), are dealt out in turn: the pair at position p goes to shard p mod N + 1. Every
/// pair lands in exactly one shard, and each shard gets a mix of every test. A timed run
/// (`--duration`) has no list to deal from, so its seeds are dealt by value: shard K runs the
/// seeds s with s mod N = K - 1.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    /// 1...count.
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (1 <= K <= N).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// This shard's part of `lists` (each test's seeds, in the run's order of tests).
    public func slice(_ lists: [(test: String, seeds: [UInt64])]) -> [(test: String, seeds: [UInt64])] {
        var position = 0
        return lists.map { list in
            let kept = list.seeds.filter { _ in
                defer { position += 1 }
                return position % count == index - 1
            }
            return (list.test, kept)
        }
    }

    /// Whether a timed run's seed belongs to this shard.
    public func includes(seed: UInt64) -> Bool { seed % UInt64(count) == UInt64(index - 1) }
}
