import DSTPluginSDK
import Testing
@testable import Oracle

/// The Oracle's rules for "the same reply", on hand-made replies: each rule accepts what Redis
/// may legitimately answer differently and refuses a real difference.
struct ReplyComparisonTests {
    typealias R = DSTPluginSDK.Reply
    let bases = ReplyComparison.Bases(redisMilliseconds: 10_000, redliteMilliseconds: 5_000)

    @Test func queuedCommandsAreJudgedInsideExecByTheirOwnRule() {
        var comparator = ReplyComparator(bases: bases)
        let multi = OracleCommand(["MULTI"]), exec = OracleCommand(["EXEC"])
        let smembers = OracleCommand(["SMEMBERS", "s"], comparison: .unordered)
        let ttl = OracleCommand(["TTL", "k"], comparison: .ttlSeconds)
        #expect(comparator.difference(for: multi, redis: .ok, redlite: .ok) == nil)
        #expect(comparator.difference(for: smembers, redis: .status("QUEUED"), redlite: .status("QUEUED")) == nil)
        #expect(comparator.difference(for: ttl, redis: .status("QUEUED"), redlite: .status("QUEUED")) == nil)
        #expect(comparator.queuedModes == [.unordered, .ttlSeconds])
        #expect(comparator.difference(for: exec, redis: .array([.array([.bulk("a"), .bulk("b")]), .integer(99)]),
                                      redlite: .array([.array([.bulk("b"), .bulk("a")]), .integer(100)])) == nil)
        #expect(comparator.queuedModes == nil)
        _ = comparator.difference(for: multi, redis: .ok, redlite: .ok)
        _ = comparator.difference(for: smembers, redis: .status("QUEUED"), redlite: .status("QUEUED"))
        #expect(comparator.difference(for: exec, redis: .array([.array([.bulk("a")])]),
                                      redlite: .array([.array([.bulk("b")])])) != nil)
    }

    /// Redis's clock runs during a sequence and Redlite's stands still: Redis's remaining time
    /// may only be lower, by at most the stated tolerance. A truncating TTL reads higher on Redis.
    @Test func ttlsAreOneSided() {
        #expect(ReplyComparison.difference(redis: .integer(99), redlite: .integer(100), mode: .ttlSeconds) == nil)
        #expect(ReplyComparison.difference(redis: .integer(101), redlite: .integer(100), mode: .ttlSeconds) != nil)
        #expect(ReplyComparison.difference(redis: .integer(98), redlite: .integer(100), mode: .ttlSeconds) != nil)
        #expect(ReplyComparison.difference(redis: .integer(-2), redlite: .integer(0), mode: .ttlSeconds) != nil)
        #expect(ReplyComparison.difference(redis: .integer(99_200), redlite: .integer(100_000), mode: .ttlMilliseconds) == nil)
        #expect(ReplyComparison.difference(redis: .integer(100_001), redlite: .integer(100_000), mode: .ttlMilliseconds) != nil)
    }

    @Test func expireTimesAreMeasuredFromEachSidesBase() {
        #expect(ReplyComparison.difference(redis: .integer(110), redlite: .integer(105), mode: .expireTimeSeconds, bases: bases) == nil)
        #expect(ReplyComparison.difference(redis: .integer(110_500), redlite: .integer(105_000),
                                           mode: .expireTimeMilliseconds, bases: bases) == nil)
        #expect(ReplyComparison.difference(redis: .integer(109_500), redlite: .integer(105_000),
                                           mode: .expireTimeMilliseconds, bases: bases) != nil)
    }

    @Test func randomPicksByShapeAndScansByContent() {
        let all: R = .array([.bulk("a"), .bulk("1"), .bulk("b"), .bulk("2")])
        let swapped: R = .array([.bulk("b"), .bulk("2"), .bulk("a"), .bulk("1")])
        let wrong: R = .array([.bulk("b"), .bulk("1"), .bulk("a"), .bulk("2")])
        // A count covering the whole collection: the contents must match, in any order.
        #expect(ReplyComparison.difference(redis: all, redlite: swapped, mode: .shape(count: 5, withValues: true)) == nil)
        #expect(ReplyComparison.difference(redis: all, redlite: wrong, mode: .shape(count: 5, withValues: true)) != nil)
        // A partial pick: only its shape.
        #expect(ReplyComparison.difference(redis: all, redlite: wrong, mode: .shape(count: 2, withValues: true)) == nil)
        #expect(ReplyComparison.difference(redis: .bulk("x"), redlite: .null, mode: .shape(count: nil, withValues: false)) != nil)
        #expect(ReplyComparison.difference(redis: all, redlite: swapped, mode: .unorderedPairs) == nil)
        #expect(ReplyComparison.difference(redis: all, redlite: wrong, mode: .unorderedPairs) != nil)
        #expect(ReplyComparison.difference(redis: .array([.bulk("0"), all]), redlite: .array([.bulk("0"), swapped]),
                                           mode: .scan(pairs: true)) == nil)
        #expect(ReplyComparison.difference(redis: .array([.bulk("0"), all]), redlite: .array([.bulk("3"), swapped]),
                                           mode: .scan(pairs: true)) != nil)
    }

    @Test func exactMeansTypeAndBytes() {
        #expect(ReplyComparison.difference(redis: .bulk("1"), redlite: .integer(1), mode: .exact) != nil)
        #expect(ReplyComparison.difference(redis: .status("OK"), redlite: .bulk("OK"), mode: .exact) != nil)
        #expect(ReplyComparison.difference(redis: .array([.bulk("a"), .bulk("b")]), redlite: .array([.bulk("b"), .bulk("a")]),
                                           mode: .exact) != nil)
        #expect(ReplyComparison.difference(redis: .error("ERR x"), redlite: .error("ERR x"), mode: .exact) == nil)
    }
}

/// The generator: the same stream gives the same sequence, every sequence has the asked length,
/// never reaches outside its database, and never ends inside MULTI.
struct CommandGeneratorTests {
    @Test func theSameStreamGivesTheSameSequence() {
        var first = Draw(seed: 42), second = Draw(seed: 42), third = Draw(seed: 43)
        let sequence = CommandGenerator.commands(for: .mixed, count: 100, using: &first)
        #expect(sequence == CommandGenerator.commands(for: .mixed, count: 100, using: &second))
        #expect(sequence != CommandGenerator.commands(for: .mixed, count: 100, using: &third))
    }

    @Test(arguments: OracleGroup.allCases)
    func sequencesStayInsideTheirDatabaseAndCloseTheirTransactions(group: OracleGroup) {
        let forbidden: Set<String> = ["select", "flushall", "flushdb", "swapdb", "move", "debug", "config",
                                      "shutdown", "time", "hello"]
        for seed in 0..<500 {
            var random = Draw(seed: UInt64(seed))
            let sequence = CommandGenerator.commands(for: group, count: 37, using: &random)
            #expect(sequence.count == 37)
            var inMulti = false
            for command in sequence {
                if command.name == "multi" { inMulti = true }
                if command.name == "exec" || command.name == "discard" { inMulti = false }
                #expect(!forbidden.contains(command.name), "\(group) seed \(seed): \(command)")
            }
            #expect(!inMulti, "\(group) seed \(seed) ends inside MULTI")
        }
    }
}
