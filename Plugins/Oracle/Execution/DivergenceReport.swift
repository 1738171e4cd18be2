import DSTPluginSDK

/// A shrunk divergence as people read it: the minimal sequence with both replies side by side,
/// and the command that replays the seed.
struct DivergenceReport {
    let group: OracleGroup
    let seed: UInt64
    let original: Divergence
    let originalCount: Int
    let minimal: Execution
    let executions: Int
    let isMinimal: Bool

    var text: String {
        let divergedAt = minimal.divergence.map { $0.index + 1 } ?? minimal.steps.count
        var lines = [
            "Redlite diverges from Redis at command \(divergedAt) of \(minimal.steps.count) (shrunk from command \(original.index + 1) of \(originalCount), "
                + "\(executions) executions\(isMinimal ? ", 1-minimal" : ", budget spent")): \(minimal.divergence?.why ?? original.why)",
        ]
        let rows = minimal.steps.enumerated().map { index, step in
            ["\(index + 1)", step.command.rendered(baseMilliseconds: minimal.bases.redisMilliseconds),
             step.redis.description, step.redlite.description]
        }
        let header = ["#", "command (as sent to Redis)", "Redis said", "Redlite said"]
        let widths = header.indices.map { column in
            min(60, ([header] + rows).map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let cut = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                return cut + String(repeating: " ", count: widths[column] - cut.count)
            }.joined(separator: "  ")
        }
        lines.append(line(header))
        for (index, row) in rows.enumerated() {
            let marker = index == minimal.divergence?.index ? " <-" : ""
            lines.append(line(row) + marker)
        }
        // The table cuts long cells; the diverging replies are shown whole.
        if let divergence = minimal.divergence {
            lines.append("Redis said:   \(divergence.redis.description)")
            lines.append("Redlite said: \(divergence.redlite.description)")
        }
        lines.append("replay: dst-host replay --test oracle/\(group.rawValue) --seed \(seed)")
        return lines.joined(separator: "\n")
    }
}
