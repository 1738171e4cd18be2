import DSTPluginSDK

/// Every series a soak samples, one point per interval.
struct SoakSamples: Sendable {
    var rss = Series(name: "RSS", unit: "bytes")
    var fds = Series(name: "open fds", unit: "fds")
    var databaseSize = Series(name: "database file", unit: "bytes")
    var walSize = Series(name: "WAL", unit: "bytes")
    /// Commands of the mixed workload per second (the oracle's own bookkeeping commands,
    /// TIME and PEXPIRETIME, are not counted).
    var throughput = Series(name: "throughput", unit: "commands/s")
    var latencyP50 = Series(name: "latency p50", unit: "µs")
    var latencyP99 = Series(name: "latency p99", unit: "µs")
    var latencyMax = Series(name: "latency max", unit: "µs")
    var errorReplies = Series(name: "error replies", unit: "replies")
    var threads = Series(name: "threads", unit: "threads")

    /// Adds the sample taken `time` seconds into the load, covering `elapsed` seconds since the
    /// previous one.
    mutating func append(time: Double, elapsed: Double, resources: ResourceStats, interval: IntervalRecorder.Interval) {
        rss.append(time: time, value: Double(resources.rssBytes))
        fds.append(time: time, value: Double(resources.openFileDescriptors))
        databaseSize.append(time: time, value: Double(resources.fileBytes))
        walSize.append(time: time, value: Double(resources.walBytes))
        threads.append(time: time, value: Double(resources.threads))
        throughput.append(time: time, value: elapsed > 0 ? Double(interval.commands) / elapsed : 0)
        errorReplies.append(time: time, value: Double(interval.errorReplies))
        // An interval without a command has no latency: no point, rather than a false zero.
        if interval.commands > 0 {
            latencyP50.append(time: time, value: Double(interval.latencies.valueAtPercentile(50)) / 1000)
            latencyP99.append(time: time, value: Double(interval.latencies.valueAtPercentile(99)) / 1000)
            latencyMax.append(time: time, value: Double(interval.latencies.max) / 1000)
        }
    }

    /// The samples as CSV, one row per sample, for people who want the numbers behind the
    /// charts.
    var csv: String {
        var lines = ["time_s,rss_bytes,open_fds,threads,db_bytes,wal_bytes,commands_per_s,p50_us,p99_us,max_us,error_replies"]
        func latency(_ series: Series, at time: Double) -> String {
            series.points.first { $0.time == time }.map { DecimalText.format($0.value, decimals: 1) } ?? ""
        }
        for (index, point) in rss.points.enumerated() {
            let time = point.time
            lines.append([
                DecimalText.format(time, decimals: 3),
                DecimalText.format(point.value, decimals: 0),
                DecimalText.format(fds.points[index].value, decimals: 0),
                DecimalText.format(threads.points[index].value, decimals: 0),
                DecimalText.format(databaseSize.points[index].value, decimals: 0),
                DecimalText.format(walSize.points[index].value, decimals: 0),
                DecimalText.format(throughput.points[index].value, decimals: 1),
                latency(latencyP50, at: time), latency(latencyP99, at: time), latency(latencyMax, at: time),
                DecimalText.format(errorReplies.points[index].value, decimals: 0),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
