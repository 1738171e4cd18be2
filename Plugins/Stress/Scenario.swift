/// One load: how many connections, over which keys, doing what, for how long.
struct Scenario: Sendable, Equatable {
    /// Prefixes its figures, e.g. "c100" gives "c100.ops_per_s".
    var name: String
    var connections: Int
    /// Keys `key:0` ... prefilled with values of `valueBytes` before the timed window.
    var keys: Int
    var valueBytes: Int
    /// Share of commands that are reads (GET), in percent.
    var readPercent: Int
    /// Of the writes, the share (percent) that are INCR of a hot counter (`hot:0` ... `hot:9`);
    /// 10% are INCR of the connection's own counter; the rest SET a key.
    var hotWritePercent: Int = 10
    /// Length of the timed window.
    var seconds: Double

    /// Hot counters: ten, the contention case.
    static let hotCounters = 10
}
