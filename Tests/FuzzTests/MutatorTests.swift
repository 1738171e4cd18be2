import DSTPluginSDK
import Testing
@testable import Fuzz

/// The mutators: deterministic per seed, every kind produced, every kind actually changing
/// its input, inputs bounded, and chunk plans that cover each input exactly.
struct MutatorTests {
    let mutator = RequestMutator()

    private func inputs(base: UInt64, count: Int) -> [FuzzInput] {
        (0..<count).map { index in
            var random = SplitMix64.forInput(base: base, index: index)
            return mutator.input(using: &random)
        }
    }

    @Test func sameSeedSameInputs() {
        let first = inputs(base: 42, count: 300)
        let second = inputs(base: 42, count: 300)
        #expect(first.map(\.bytes) == second.map(\.bytes))
        #expect(first.map(\.mutations) == second.map(\.mutations))
        #expect(inputs(base: 43, count: 300).map(\.bytes) != first.map(\.bytes))
        // Input n alone, without drawing the ones before it.
        var random = SplitMix64.forInput(base: 42, index: 250)
        #expect(mutator.input(using: &random).bytes == first[250].bytes)
    }

    @Test func everyKindOverAFewThousandDraws() {
        let all = inputs(base: 1, count: 3000)
        var counts: [MutationKind: Int] = [:]
        for input in all { for kind in input.mutations { counts[kind, default: 0] += 1 } }
        for kind in MutationKind.allCases {
            #expect(counts[kind, default: 0] >= 5, "\(kind.rawValue): \(counts[kind, default: 0])")
        }
        let clean = all.filter(\.isClean)
        #expect(clean.count > 150 && clean.count < 450)
        for input in clean {
            #expect(RequestFramer.frame(input.bytes).outcome == .complete)
        }
        #expect(all.allSatisfy { $0.bytes.count <= mutator.maximumSize })
        #expect(all.contains { $0.entries.count > 1 })
    }

    /// Each kind, applied alone to a corpus entry, changes it (nearly always: a splice can
    /// rebuild the same bytes by chance).
    @Test func everyKindChangesItsInput() {
        for kind in MutationKind.allCases {
            var random = SplitMix64(seed: UInt64(MutationKind.allCases.firstIndex(of: kind)!) &+ 99)
            var changed = 0
            for round in 0..<200 {
                let original = mutator.corpus[round % mutator.corpus.count].bytes
                var bytes = original
                #expect(mutator.apply(kind, to: &bytes, using: &random))
                if bytes != original { changed += 1 }
            }
            #expect(changed >= 190, "\(kind.rawValue) changed \(changed) of 200")
        }
    }

    @Test func lengthTricksRewriteHeaders() {
        let ping = RequestEncoder.multibulk([Array("ECHO".utf8), Array("hi".utf8)])
        #expect(RequestMutator.countFields(ping) == [1..<2, 5..<6, 15..<16])
        var random = SplitMix64(seed: 5)
        var sawHuge = false
        for _ in 0..<50 {
            var bytes = ping
            _ = mutator.apply(.lengthHuge, to: &bytes, using: &random)
            sawHuge = sawHuge || RequestMutator.hugeNumbers.contains { String(decoding: bytes, as: UTF8.self).contains($0) }
        }
        #expect(sawHuge)
        // An inline entry has no header: a PING request is put first to have one.
        var inline = Array("PING\r\n".utf8)
        _ = mutator.apply(.lengthOffByOne, to: &inline, using: &random)
        #expect(inline.first == UInt8(ascii: "*") && inline.count > 6 && inline.suffix(6) == Array("PING\r\n".utf8)[...])
        #expect(inline != Array("*1\r\n$4\r\nPING\r\nPING\r\n".utf8))
    }

    /// The framer (used for clean inputs) survives every mutated input without trapping.
    @Test func framerSurvivesMutatedInputs() {
        for input in inputs(base: 9, count: 1500) {
            _ = RequestFramer.frame(input.bytes)
            _ = RESPValidator().validate(input.bytes)
        }
    }

    @Test func chunkPlansCoverTheInput() {
        var random = SplitMix64(seed: 3)
        var styles = Set<Int>()
        for total in [0, 1, 2, 17, 300, 5000, 70_000] {
            for _ in 0..<20 {
                let sizes = ChunkPlan.sizes(total: total, using: &random)
                #expect(sizes.reduce(0, +) == total)
                #expect(sizes.allSatisfy { $0 > 0 })
                styles.insert(sizes.count)
            }
        }
        #expect(styles.contains(1) && styles.contains(300))
        var a = SplitMix64(seed: 11), b = SplitMix64(seed: 11)
        #expect(ChunkPlan.sizes(total: 1000, using: &a) == ChunkPlan.sizes(total: 1000, using: &b))
    }
}
