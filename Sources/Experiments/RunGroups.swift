import Plot
import Report

/// The runs of one configuration across seeds ("Adam" with seeds 1, 2, 3).
public struct RunGroup: Sendable {
    public let label: String
    public let runs: [CompletedRun]

    /// Groups runs by label, in the order the labels first appear.
    public static func grouping(_ runs: [CompletedRun]) -> [RunGroup] {
        var order: [String] = []
        var byLabel: [String: [CompletedRun]] = [:]
        for run in runs {
            if byLabel[run.run.label] == nil { order.append(run.run.label) }
            byLabel[run.run.label, default: []].append(run)
        }
        return order.map { RunGroup(label: $0, runs: byLabel[$0]!) }
    }

    /// Iteration numbers 1...n of the longest run.
    public var iterations: [Double] { (1...max(runs.map(\.history.losses.count).max() ?? 1, 1)).map(Double.init) }

    /// Each seed's training loss smoothed as the course smooths it, reduced to mean and min-max.
    public var smoothedLoss: SeedBand {
        SeedBand(x: iterations, curves: runs.map { Smoothing.smooth($0.history.losses) })
    }

    /// The mean mini-batch loss over the `window` iterations ending at `iteration`, per seed.
    public func loss(at iteration: Int, window: Int = 50) -> SeedSummary {
        SeedSummary(runs.map { run in
            let losses = run.history.losses
            guard iteration <= losses.count, iteration > 0 else { return .nan }
            let slice = losses[max(0, iteration - window)..<iteration]
            return slice.reduce(0, +) / Double(slice.count)
        })
    }

    public var finalTestAccuracy: SeedSummary { SeedSummary(runs.map(\.finalTestAccuracy)) }

    public var divergedSeeds: [UInt64] { runs.filter(\.history.diverged).map(\.run.seed) }

    /// One `train_loss` series per seed, raw (not smoothed), for results.json.
    public var lossSeries: [Series] {
        runs.map { Series(label: label, seed: $0.run.seed, metric: "train_loss",
                          x: (1...max($0.history.losses.count, 1)).map(Double.init), y: $0.history.losses) }
    }

    /// The figure's own numbers: the smoothed mean and its band.
    public var smoothedLossSeries: [Series] {
        let band = smoothedLoss
        return [Series(label: label, metric: "train_loss_smoothed_mean", x: band.x, y: band.mean),
                Series(label: label, metric: "train_loss_smoothed_min", x: band.x, y: band.lower),
                Series(label: label, metric: "train_loss_smoothed_max", x: band.x, y: band.upper)]
    }
}

/// The panel every loss comparison uses: smoothed training loss per group, mean line over a
/// min-max band across seeds.
public func lossPanel(_ groups: [RunGroup], title: String? = nil, yLimits: ClosedRange<Double>) -> Panel {
    // The metric names the figure's CSV uses (see smoothedLossSeries) are described by `describeSmoothedLoss`.
    var panel = Panel(title: title, xLabel: "iteration", yLabel: "training loss (smoothed)")
    panel.yLimits = yLimits
    for group in groups {
        let band = group.smoothedLoss
        panel.lineWithBand(band.x, mean: band.mean, lower: band.lower, upper: band.upper, label: group.label)
    }
    return panel
}

/// "0.123 ± 0.004" (mean ± sample standard deviation across seeds).
public func meanAndSpread(_ s: SeedSummary, digits: Int = 3) -> String {
    guard s.values.count > 1 else { return Markdown.number(s.mean, digits: digits) }
    return Markdown.number(s.mean, digits: digits) + " ± " + Markdown.number(s.standardDeviation, digits: 2)
}

/// "93.1% (92.6–93.5)" (mean, then min–max across seeds).
public func percentWithRange(_ s: SeedSummary) -> String {
    guard s.values.count > 1 else { return Markdown.percent(s.mean) }
    return Markdown.percent(s.mean) + " (" + Markdown.percent(s.minimum).dropLast() + "–" + Markdown.percent(s.maximum) + ")"
}

/// Explains, in a report's data section, the metric names of `RunGroup.smoothedLossSeries`.
public func describeSmoothedLoss(in report: Report) {
    report.describeMetric("train_loss_smoothed_mean", "the training loss of each seed smoothed (Kaiser window of 11, β 2), then averaged over seeds")
    report.describeMetric("train_loss_smoothed_min", "the lowest of the seeds' smoothed losses at each iteration (lower edge of the band)")
    report.describeMetric("train_loss_smoothed_max", "the highest of the seeds' smoothed losses at each iteration (upper edge of the band)")
}
