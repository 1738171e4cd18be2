import Foundation

/// Test-only defects the host can plant in the engine, to prove a suite catches real bugs:
/// `DST_PLANTED_DEFECT=drop_last_rpush` or `=ignore_expire`. The host announces an active
/// defect on every run, so no one mistakes such a run for a real one.
public enum PlantedDefect: String, CaseIterable, Sendable {
    /// RPUSH with two or more values silently drops the last one.
    case dropLastRPush = "drop_last_rpush"
    /// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT and SET's EX/PX are ignored (the replies still
    /// claim success).
    case ignoreExpire = "ignore_expire"

    /// The defect named by `DST_PLANTED_DEFECT`, if any.
    public static let active: PlantedDefect? =
        ProcessInfo.processInfo.environment["DST_PLANTED_DEFECT"].flatMap(PlantedDefect.init(rawValue:))

    /// The command the engine actually runs, or nil to answer `reply` without running it.
    func rewrite(_ argv: [[UInt8]]) -> (argv: [[UInt8]], fakeReply: Reply?) {
        guard let name = argv.first.map({ String(decoding: $0, as: UTF8.self).lowercased() }) else { return (argv, nil) }
        switch self {
        case .dropLastRPush where name == "rpush" && argv.count >= 4:
            return (Array(argv.dropLast()), nil)
        case .ignoreExpire where ["expire", "pexpire", "expireat", "pexpireat"].contains(name):
            return (argv, .integer(1))
        case .ignoreExpire where name == "set":
            var kept: [[UInt8]] = []
            var index = 0
            while index < argv.count {
                let word = String(decoding: argv[index], as: UTF8.self).lowercased()
                if index >= 3 && ["ex", "px", "exat", "pxat"].contains(word) {
                    index += 2
                    continue
                }
                kept.append(argv[index])
                index += 1
            }
            return (kept, nil)
        default:
            return (argv, nil)
        }
    }
}

import Redlite
