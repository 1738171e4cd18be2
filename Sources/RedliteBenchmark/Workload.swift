import Redlite

/// One benchmarked command: how to prepare the database, the engine call for operation `i`, and
/// the raw-SQLite equivalent.
struct Workload {
    let name: String
    /// Commands run (untimed) on the engine before the timed phase.
    let setup: (Int) -> [[[UInt8]]]
    /// The engine command for operation `i`.
    let command: (Int) -> [[UInt8]]
    /// The raw-SQLite equivalent of operation `i`.
    let raw: (RawSQLite, Int) throws -> Void

    /// The key operation `i` touches: spread over `keySpace` keys by a fixed permutation, so
    /// both sides touch the same keys in the same order.
    static func key(_ i: Int, _ keySpace: Int) -> [UInt8] {
        Array("key:\((i &* 7919) % keySpace)".utf8)
    }

    static func all(keySpace: Int) -> [Workload] {
        let value = Array(repeating: UInt8(ascii: "x"), count: 64)
        func setupStrings(_ operations: Int) -> [[[UInt8]]] {
            (0..<keySpace).map { [Array("SET".utf8), key($0, keySpace), value] }
        }
        return [
            Workload(
                name: "GET",
                setup: setupStrings,
                command: { [Array("GET".utf8), key($0, keySpace)] },
                raw: { raw, i in _ = try raw.get(key(i, keySpace)) }),
            Workload(
                name: "SET",
                setup: { _ in [] },
                command: { [Array("SET".utf8), key($0, keySpace), value] },
                raw: { raw, i in try raw.set(key(i, keySpace), value) }),
            Workload(
                name: "INCR",
                setup: { _ in [] },
                command: { [Array("INCR".utf8), key($0, keySpace)] },
                raw: { raw, i in try raw.incr(key(i, keySpace)) }),
            Workload(
                name: "LPUSH",
                setup: { _ in [] },
                command: { [Array("LPUSH".utf8), key($0, 100), value] },
                raw: { raw, i in try raw.lpush(key(i, 100), value) }),
            Workload(
                name: "HSET",
                setup: { _ in [] },
                command: { [Array("HSET".utf8), key($0, 100), Array("field:\($0 % 1000)".utf8), value] },
                raw: { raw, i in try raw.hset(key(i, 100), Array("field:\(i % 1000)".utf8), value) }),
            Workload(
                name: "ZADD",
                setup: { _ in [] },
                command: { [Array("ZADD".utf8), key($0, 100), Array(String($0 % 5000).utf8), Array("member:\($0 % 1000)".utf8)] },
                raw: { raw, i in try raw.zadd(key(i, 100), Double(i % 5000), Array("member:\(i % 1000)".utf8)) }),
            Workload(
                name: "ZRANGE",
                setup: { _ in
                    (0..<10).flatMap { k in
                        (0..<1000).map { m in
                            [Array("ZADD".utf8), key(k, 10), Array(String(m).utf8), Array("member:\(m)".utf8)]
                        }
                    }
                },
                command: { [Array("ZRANGE".utf8), key($0, 10), Array("0".utf8), Array("9".utf8)] },
                raw: { raw, i in _ = try raw.zrange(key(i, 10), count: 10) }),
        ]
    }
}
