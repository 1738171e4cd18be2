/// The families of commands the oracle draws sequences from. Each seed runs one group's
/// sequence on both servers; `mixed` draws every step from any group, so the families meet on
/// the same keys.
public enum OracleGroup: String, CaseIterable, Sendable {
    case strings
    case lists
    case hashes
    case sets
    case sortedSets = "sorted_sets"
    /// Generic key commands and expiration (TTLs, EXPIRE options, RENAME, COPY, SCAN).
    case keys
    /// MULTI/EXEC/DISCARD/WATCH/UNWATCH around commands of every family.
    case transactions
    case mixed
}
