import DSTPluginSDK

/// The soak's charts, saved as SVG artifacts (the host writes them with `--artifacts DIR` and
/// shows them in the Markdown report), and the samples as CSV.
struct SoakCharts {
    let outcome: SoakRun.Outcome
    let verdicts: SoakVerdicts
    let parameters: SoakParameters

    private static let mebibyte = 1.0 / (1024 * 1024)

    /// Every chart, by artifact name.
    var charts: [(name: String, chart: LineChart)] {
        let samples = outcome.samples
        let rss = LineChart(title: "Resident memory (RSS)", series: samples.rss.scaled(by: Self.mebibyte, unit: "MiB"),
                            trend: trend(verdicts.rss, scale: Self.mebibyte, text: DecimalText.bytes),
                            warmUpEnd: verdicts.rss.windowStart)
        let fds = LineChart(title: "Open file descriptors", series: samples.fds,
                            trend: trend(verdicts.fds, scale: 1) { DecimalText.format($0, decimals: 3) + " fds" },
                            warmUpEnd: verdicts.fds.windowStart)
        var throughputLines: [LineChart.ReferenceLine] = []
        if verdicts.throughput.mean > 0 {
            let cv = verdicts.throughput.coefficientOfVariation.map { DecimalText.format($0 * 100, decimals: 1) + "%" } ?? "n/a"
            throughputLines.append(.init(value: verdicts.throughput.mean,
                                         label: "mean \(DecimalText.format(verdicts.throughput.mean, decimals: 0)), CV \(cv)"))
        }
        let throughput = LineChart(title: "Throughput", series: samples.throughput,
                                   warmUpEnd: verdicts.rss.windowStart, referenceLines: throughputLines)
        let latency = LineChart(title: "Latency p99 per interval", series: samples.latencyP99)
        let walLimit = Double(verdicts.walBound.limitBytes) * Self.mebibyte
        let wal = LineChart(title: "Write-ahead log size", series: samples.walSize.scaled(by: Self.mebibyte, unit: "MiB"),
                            referenceLines: [.init(value: walLimit, label: "bound \(DecimalText.format(walLimit, decimals: 1)) MiB")])
        let database = LineChart(title: "Database file size", series: samples.databaseSize.scaled(by: Self.mebibyte, unit: "MiB"))
        return [("rss.svg", rss), ("fds.svg", fds), ("throughput.svg", throughput), ("latency_p99.svg", latency),
                ("wal.svg", wal), ("db_size.svg", database)]
    }

    /// Saves the charts and `samples.csv`.
    func save(to run: TestRun) throws {
        for (name, chart) in charts { try run.artifact(name, text: chart.svg()) }
        try run.artifact("samples.csv", text: outcome.samples.csv)
    }

    /// The fitted line of `assessment` in chart units (values × `scale`), labeled with its
    /// slope per time unit and the verdict.
    private func trend(_ assessment: LeakAssessment, scale: Double, text: (Double) -> String) -> LineChart.TrendLine? {
        guard let fit = assessment.trend, let slope = assessment.slope else { return nil }
        let per = assessment.criterion.secondsPerTimeUnit == 60 ? "/min" : "/s"
        var label = "trend \(slope >= 0 ? "+" : "")\(text(slope))\(per)"
        if let lower = assessment.lowerBound {
            label += ", \(DecimalText.format(assessment.criterion.confidence * 100, decimals: 0))% lower bound \(text(lower))\(per)"
        }
        switch assessment.verdict {
        case .leak: label += ": LEAK"
        case .noLeak: label += ": no leak"
        case .inconclusive: label += ": inconclusive"
        }
        return LineChart.TrendLine(slope: fit.slope * scale, intercept: fit.intercept * scale,
                                   from: assessment.windowStart, to: assessment.windowEnd, label: label)
    }
}
