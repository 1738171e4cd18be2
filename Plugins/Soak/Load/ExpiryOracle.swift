import DSTPluginSDK
import Synchronization

/// Keys written with a known expiry, checked from every connection: never visible after they
/// expire, never gone before.
///
/// Time is the engine's own. A threaded engine reads the real clock (CLOCK_REALTIME), not the
/// run's virtual one, so the oracle asks the engine: `TIME` before and after each command
/// brackets the moment the command read its clock (once, at its start). Redis's rule is that a
/// key is expired once now > expire_at, in milliseconds:
/// - writing: TIME t0, `SET key value PX p`, `PEXPIRETIME key` = E, TIME t1. The SET ran at
///   some now in [t0, t1], so E must lie in [t0 + p, t1 + p];
/// - reading: TIME r0, a read of the key, TIME r1. If r0 > E, the read ran after the expiry and
///   must not see the key; if r1 <= E, it ran before and must see it whole. Between the two the
///   check proves nothing and is only counted. If r1 < r0 the real clock stepped back (NTP) and
///   the check is discarded.
/// Oracle keys (`soak:exp:<worker>:<n>`) are written once and touched by nothing else in the
/// workload, so only expiry (and the purge of expired keys) may remove them.
final class ExpiryOracle: Sendable {
    /// A key the oracle wrote.
    struct Entry: Sendable {
        let key: [UInt8]
        let value: [UInt8]
        /// PX given, ms.
        let ttl: Int64
        /// The expiry the engine reported (PEXPIRETIME), Unix ms.
        let expireAt: Int64
    }

    /// What the oracle saw, for the figures and the verdict.
    struct Tally: Sendable, Equatable {
        var writes = 0
        var checksAfterExpiry = 0
        var checksBeforeExpiry = 0
        var checksUndecided = 0
        /// Expired keys a read still saw: the defect this oracle exists for.
        var staleReads = 0
        /// Keys gone, or changed, before their expiry.
        var lostKeys = 0
        /// Writes whose PEXPIRETIME disagreed with PX.
        var wrongExpiries = 0
        /// The first problems, described.
        var problems: [String] = []

        var violations: Int { staleReads + lostKeys + wrongExpiries }
    }

    private struct State {
        var ring: [Entry] = []
        var next = 0
        var tally = Tally()
    }

    /// Keys kept for checking; older ones are forgotten. Small on purpose: the ring must be
    /// full well within the warm-up (at about 40 oracle writes a second, 256 take 6 s), or
    /// the test's own bookkeeping would grow the RSS it judges. 256 keys with TTLs of at most
    /// 2 s still hold mostly expired keys and some not yet expired.
    static let capacity = 256
    /// Checks drawn among the newest keys (those expiring around now) half of the time.
    static let recentWindow = 64
    private static let problemsKept = 10

    private let state = Mutex(State())

    /// What the oracle saw so far.
    var tally: Tally { state.withLock { $0.tally } }

    /// Writes the oracle key `soak:exp:<worker>:<serial>` with a TTL of `ttl` ms and records it.
    func write(on engine: Engine, worker: Int, serial: Int, ttl: Int64, value: [UInt8]) throws {
        let key = Array("soak:exp:\(worker):\(serial)".utf8)
        let t0 = try Self.engineTime(engine)
        let reply = try engine.execute(["SET".commandBytes, key, value, "PX".commandBytes, ttl.commandBytes])
        let reported = try engine.execute(["PEXPIRETIME".commandBytes, key])
        let t1 = try Self.engineTime(engine)
        guard reply == .ok else {
            record { $0.wrongExpiries += 1 } problem: { "SET \(Self.text(key)) PX \(ttl) answered \(reply)" }
            return
        }
        switch reported {
        case .integer(let expireAt) where expireAt >= t0 + ttl && expireAt <= t1 + ttl:
            state.withLock { state in
                let entry = Entry(key: key, value: value, ttl: ttl, expireAt: expireAt)
                if state.ring.count < Self.capacity { state.ring.append(entry) } else { state.ring[state.next] = entry }
                state.next = (state.next + 1) % Self.capacity
                state.tally.writes += 1
            }
        case .integer(-2) where t1 > t0 + ttl:
            // Expired before PEXPIRETIME ran (a stall longer than the TTL): nothing to check.
            break
        default:
            record { $0.wrongExpiries += 1 } problem: {
                "SET \(Self.text(key)) PX \(ttl) at engine time \(t0)..\(t1) ms: PEXPIRETIME answered \(reported), "
                    + "expected \(t0 + ttl)..\(t1 + ttl)"
            }
        }
    }

    /// Checks one recorded key: `pick` (any number the worker drew) chooses which and how.
    func check(on engine: Engine, pick: Int) throws {
        guard let entry = state.withLock({ state -> Entry? in
            guard !state.ring.isEmpty else { return nil }
            let count = state.ring.count
            if pick % 2 == 0 {
                // Among the newest: ring positions just before `next`.
                let back = 1 + (pick / 2) % min(Self.recentWindow, count)
                return state.ring[(state.next - back + count) % count]
            }
            return state.ring[(pick / 2) % count]
        }) else { return }

        let form = (pick / 7) % 4
        let command: [[UInt8]]
        switch form {
        case 0: command = ["GET".commandBytes, entry.key]
        case 1: command = ["EXISTS".commandBytes, entry.key]
        case 2: command = ["PTTL".commandBytes, entry.key]
        default: command = ["TYPE".commandBytes, entry.key]
        }
        let r0 = try Self.engineTime(engine)
        let reply = try engine.execute(command)
        let r1 = try Self.engineTime(engine)
        guard r1 >= r0 else { return }
        let visible: Bool?
        let whole: Bool
        switch (form, reply) {
        case (0, .bulk(let value)): (visible, whole) = (true, value == entry.value)
        case (0, .null): (visible, whole) = (false, true)
        case (1, .integer(let count)): (visible, whole) = (count == 1, true)
        case (2, .integer(let left)) where left >= 0: (visible, whole) = (true, left <= entry.ttl)
        case (2, .integer(-2)): (visible, whole) = (false, true)
        case (3, .status(let type)): (visible, whole) = (type != "none", type == "string" || type == "none")
        default: (visible, whole) = (nil, false)
        }
        let name = Self.text(command[0])
        if r0 > entry.expireAt {
            record({ state in
                state.checksAfterExpiry += 1
                if visible != false { state.staleReads += 1 }
            }, problem: visible == false ? nil : {
                "\(name) \(Self.text(entry.key)) answered \(reply) \(r0 - entry.expireAt) ms or more after its expiry "
                    + "(PEXPIRETIME \(entry.expireAt), read at engine time \(r0)..\(r1) ms)"
            })
        } else if r1 <= entry.expireAt {
            let good = visible == true && whole
            record({ state in
                state.checksBeforeExpiry += 1
                if !good { state.lostKeys += 1 }
            }, problem: good ? nil : {
                "\(name) \(Self.text(entry.key)) answered \(reply) \(entry.expireAt - r1) ms or more before its expiry "
                    + "(PEXPIRETIME \(entry.expireAt), read at engine time \(r0)..\(r1) ms)"
            })
        } else {
            state.withLock { $0.tally.checksUndecided += 1 }
        }
    }

    /// Updates the tally, and keeps the problem's description while there are few.
    private func record(_ update: (inout Tally) -> Void, problem: (() -> String)?) {
        state.withLock { state in
            update(&state.tally)
            if let problem, state.tally.problems.count < Self.problemsKept { state.tally.problems.append(problem()) }
        }
    }

    /// The engine's clock in Unix milliseconds, as its TTL decisions read it (`TIME`).
    static func engineTime(_ engine: Engine) throws -> Int64 {
        let reply = try engine.execute("TIME")
        guard let parts = reply.elements, parts.count == 2,
              let seconds = parts[0].text.flatMap({ Int64($0) }), let micros = parts[1].text.flatMap({ Int64($0) }) else {
            throw SDKError(DST_ERR_ENGINE, "TIME answered \(reply)")
        }
        return seconds * 1000 + micros / 1000
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
