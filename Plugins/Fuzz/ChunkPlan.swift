import DSTPluginSDK

/// How an input is cut into feeds, so that requests (and headers, and CRLFs) cross feed
/// boundaries as they cross reads on a socket.
enum ChunkPlan {
    /// Chunk sizes summing to `total` (none for an empty input): all at once, byte by byte
    /// (inputs up to 4 KiB), small pieces, or random cuts.
    static func sizes(total: Int, using random: inout SplitMix64) -> [Int] {
        guard total > 0 else { return [] }
        let style = random.below(5)
        var sizes: [Int] = []
        var left = total
        while left > 0 {
            let size: Int
            switch style {
            case 0: size = left
            case 1: size = total <= 4096 ? 1 : random.int(in: 1...64)
            case 2: size = random.int(in: 1...16)
            case 3: size = random.int(in: 1...max(1, total / 3))
            default: size = random.chance(1, in: 4) ? random.int(in: 1...3) : random.int(in: 1...512)
            }
            let taken = min(size, left)
            sizes.append(taken)
            left -= taken
        }
        return sizes
    }
}
