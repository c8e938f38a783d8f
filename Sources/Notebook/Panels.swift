import Analysis
import Claims
import Foundation
import Formatting
import NumericCore
import Plot
import Runs
import Statistics

/// What an accuracy figure's lines stand for besides a setting: the training set, the test set, the
/// gap between them. Each has one colour in every chapter, none of the palette's (which the
/// settings take), so that no setting's colour can displace it.
public enum Quantity: Hashable, Sendable {
    case training, test, gap

    public var color: Color {
        switch self {
        case .training: Color(hex: "#262626")
        case .test: Color(hex: "#6a3d9a")
        case .gap: Color(hex: "#b15928")
        }
    }
}

/// The one grammar of line styles in every figure of the book: a line's dashes say which images it
/// was measured on, never how close it runs to another line (colour tells settings apart).
public enum MeasuredOn: Sendable {
    /// The images the network trains on: solid.
    case training
    /// The test set: dashed.
    case test
    /// Images held out from training other than the test set (validation data, held-out pools): dotted.
    case heldOut
    /// One number drawn flat across the panel, as a level to compare with: dash-dotted.
    case level

    public var style: LineStyle {
        switch self {
        case .training: .solid
        case .test: .dashed
        case .heldOut: .dotted
        case .level: .dashDotted
        }
    }

    /// "solid: training images; dashed: test images; dotted: held-out images": for captions.
    public static let legend = "solid lines are measured on the training images, dashed on the test images, dotted on held-out images"
}

extension RunGroup {
    /// Whether the group's networks learnt nothing: every seed diverged, or its training accuracy
    /// ends at chance (below 15% on ten classes, where guessing gives 10%). Its gap is then not a
    /// small gap but no network, and figures put it in a lane of its own.
    public var failed: Bool {
        divergedSeeds.count == results.count || !(final(.trainAccuracy).mean >= Self.chanceCeiling)
    }

    /// The training accuracy below which a ten-class network counts as at chance.
    public static let chanceCeiling = 0.15
}

extension Panel {
    /// A lane under the accuracies for settings whose networks learnt nothing (see `RunGroup.failed`):
    /// a grey strip labelled "at chance or diverged" with a cross at each such x, so that their gap
    /// is not drawn as a gap of zero. The y axis's labels become percentages with the lane's name.
    public mutating func failureLane(at xs: [Double], across range: [Double], color: Color, setting: ColorKey? = nil, label: String) {
        guard !xs.isEmpty else { return }
        reserveFailureLane(across: range)
        var crosses = ScatterMark(x: xs, y: xs.map { _ in -0.11 }, color: color, size: 9, shape: .cross, label: label)
        crosses.colorKey = setting
        add(crosses)
    }

    /// Whether the panel has a lane for settings that learnt nothing.
    public var hasFailureLane: Bool { yTickLabels?.contains { $0.1 == Self.failureLaneName } == true }

    static let failureLaneName = "at chance or diverged"

    /// The lane without a cross in it: for a panel beside one that has crosses, so that the two
    /// share their axis.
    public mutating func reserveFailureLane(across range: [Double]) {
        guard let low = range.min(), let high = range.max(), !hasFailureLane else { return }
        yLimits = -0.2...(yLimits?.upperBound ?? 1.025)
        let ticks = stride(from: 0.0, through: 1.0, by: 0.25).map { ($0, Format.percent($0, decimals: 0)) }
        yTickLabels = ticks + [(-0.11, Self.failureLaneName)]
        add(BandMark(x: [low, high], lower: [-0.2, -0.2], upper: [-0.03, -0.03], color: Color(hex: "#eeeeee"), opacity: 1))
    }
}

extension Figure {
    /// Where one panel of the figure has a lane for settings that learnt nothing, every panel gets
    /// one, so that their accuracy axes line up; `range` is each panel's x values.
    public mutating func alignFailureLanes(across range: [Double]) {
        guard panels.contains(where: \.hasFailureLane) else { return }
        for index in panels.indices where !panels[index].isEmpty { panels[index].reserveFailureLane(across: range) }
    }
}

extension Panel {
    /// A panel for accuracies against epochs: y from 0 to 1, with a sliver of room above so that a
    /// curve at 100% stays visible instead of merging with the frame.
    public static func accuracy(title: String? = nil, xLabel: String? = "epoch", yLabel: String? = "accuracy") -> Panel {
        var panel = Panel(title: title, xLabel: xLabel, yLabel: yLabel)
        panel.yLimits = 0...1.025
        panel.yUnit = .percent
        return panel
    }

    /// A group's metric over time: the mean over seeds as a line over the band from the lowest to
    /// the highest seed (smoothed as the course smooths losses, if asked). The figure's data file
    /// gets the line and the band as `<metric>_mean`, `_min` and `_max`.
    /// The line takes the colour of the group's setting in every figure of a report.
    public mutating func plot(_ group: RunGroup, _ metric: Metric, label: String? = nil, color: Color? = nil,
                              style: LineStyle = .solid, smoothed: Bool = false, center: SeedBand.Center = .mean) {
        let band = group.band(metric, smoothed: smoothed, center: center)
        lineWithBand(band.x, mean: band.mean, lower: band.lower, upper: band.upper, label: label ?? group.label, color: color,
                     style: style, dataName: smoothed ? Metric.smoothedLoss : metric.data, colorKey: group.setting,
                     geometric: center == .geometricMean)
    }

    /// One value per configuration against the setting that varies (a final accuracy against λ):
    /// the mean over seeds with markers, over the band from the lowest to the highest seed. With
    /// `setting`, the line takes that setting's colour in every figure of a report.
    public mutating func plot(_ values: [SeedSummary], against x: [Double], label: String, color: Color? = nil,
                              style: LineStyle = .solid, marker: MarkerShape = .circle, data: DataName, setting: ColorKey? = nil) {
        lineWithBand(x, mean: values.map(\.mean), lower: values.map(\.minimum), upper: values.map(\.maximum), label: label,
                     color: color, style: style, markers: Markers(marker, size: 6), dataName: data, colorKey: setting)
    }

    /// A group's training accuracy (solid) and test accuracy (dashed) in one colour, labelled
    /// "<name> train" and "<name> test".
    public mutating func plotAccuracies(_ group: RunGroup, name: String? = nil, color: Color? = nil) {
        let name = name ?? group.label, color = color ?? Palette.color(0)
        plot(group, .trainAccuracy, label: "\(name) train", color: color, style: MeasuredOn.training.style)
        plot(group, .testAccuracy, label: "\(name) test", color: color, style: MeasuredOn.test.style)
    }

    /// Where runs end, against the setting that varies: final training accuracy, test accuracy and
    /// the gap between them, one point per group with its band over seeds. A setting whose networks
    /// learnt nothing (`RunGroup.failed`) has no gap: it is marked in a lane of its own.
    public static func endPoints(of groups: [RunGroup], against x: [Double], xLabel: String) -> Panel {
        var panel = Panel.accuracy(title: "where the runs end", xLabel: xLabel, yLabel: "accuracy / gap")
        // Below the plot: beside it, its six entries would squeeze the points into a sliver.
        panel.legend = .below
        let learnt = groups.map { !$0.failed }
        /// A gap where the networks learnt something; none where they did not.
        func gap(_ values: [SeedSummary]) -> [SeedSummary] {
            zip(values, learnt).map { $1 ? $0 : SeedSummary($0.values.map { _ in .nan }) }
        }
        panel.plot(groups.map { $0.final(.trainAccuracy) }, against: x, label: "training accuracy", color: Quantity.training.color,
                   data: Metric.trainAccuracy.final, setting: ColorKey(Quantity.training))
        panel.plot(groups.map { $0.final(.testAccuracy) }, against: x, label: "test accuracy", color: Quantity.test.color,
                   style: MeasuredOn.test.style, data: Metric.testAccuracy.final, setting: ColorKey(Quantity.test))
        panel.plot(gap(groups.map(\.finalGap)), against: x, label: "gap (training − test)", color: Quantity.gap.color,
                   style: MeasuredOn.test.style, marker: .square, data: Metric.finalGap, setting: ColorKey(Quantity.gap))
        // Where every run was also measured on its held-out images, those too (dotted): the gap the claims judge.
        var gaps = gap(groups.map(\.finalGap))
        if let images = groups.first?.heldOutImages, groups.allSatisfy({ $0.heldOutImages == images }) {
            panel.plot(groups.map(\.heldOutAccuracy), against: x, label: "held-out accuracy (\(images.formatted()) images)",
                       color: Quantity.test.color, style: MeasuredOn.heldOut.style, marker: .diamond,
                       data: DataName("final_heldout_acc", "accuracy on the \(images) held-out images where the runs end, one point per configuration"),
                       setting: ColorKey(Quantity.test))
            panel.plot(gap(groups.map(\.heldOutGap)), against: x, label: "gap (training − held-out)", color: Quantity.gap.color,
                       style: MeasuredOn.heldOut.style, marker: .diamond,
                       data: DataName("final_heldout_gap", "training minus held-out accuracy where the runs end, one point per configuration"),
                       setting: ColorKey(Quantity.gap))
            gaps += gap(groups.map(\.heldOutGap))
        }
        let failed = x.indices.filter { !learnt[$0] }.map { x[$0] }
        if !failed.isEmpty {
            panel.failureLane(at: failed, across: x, color: Quantity.gap.color, setting: ColorKey(Quantity.gap),
                              label: "no gap: at chance or diverged")
        }
        // A gap below zero (test above training) stays in view.
        let lowest = gaps.map { $0.present.min() ?? 0 }.min() ?? 0
        if lowest < 0 && failed.isEmpty { panel.yLimits = (lowest - 0.03)...1.025 }
        return panel
    }
}

extension Figure {
    /// One panel per group, side by side, each with its training (solid) and test (dashed) accuracy per epoch.
    public static func accuracies(of groups: [RunGroup]) -> Figure {
        var figure = Figure(rows: 1, columns: groups.count, width: 500 * Double(groups.count), panelHeight: 380)
        let titles = RunGroup.legendLabels(groups)
        for (column, group) in groups.enumerated() {
            var panel = Panel.accuracy(title: titles[column], yLabel: column == 0 ? "accuracy" : nil)
            panel.plotAccuracies(group, color: Palette.color(column))
            figure[0, column] = panel
        }
        return figure
    }
}

extension Figure {
    /// `count` panels in rows of `columns`, each made by `panel(index)`. Only panels on the outer
    /// edges keep their axis labels: x labels in the bottom row, y labels in the first column.
    public static func grid(_ count: Int, columns: Int, title: String? = nil, width: Double, panelHeight: Double,
                            panel: (Int) -> Panel) -> Figure {
        let rows = max(1, (count + columns - 1) / columns)
        var figure = Figure(rows: rows, columns: columns, title: title, width: width, panelHeight: panelHeight)
        for index in 0..<count {
            var made = panel(index)
            if index + columns < count { made.xLabel = nil }   // a panel below says it
            if index % columns != 0 { made.yLabel = nil }
            figure[index / columns, index % columns] = made
        }
        return figure
    }
}

extension Figure {
    /// Each group's training loss, smoothed as the course smooths it, as the geometric mean of the
    /// seeds over a band from the lowest to the highest seed (the geometric mean, because a log axis
    /// would show an arithmetic mean far above most seeds whenever one seed spikes), on the course's
    /// linear axis over `range`; with `logarithmic`, a second panel draws the same curves on a log
    /// axis, where curves that all look like zero on the first separate. Every line is solid: the
    /// training loss is measured on the training images. Where groups rest on different numbers of
    /// seeds, the legend says each one's n.
    /// `metric` is the loss drawn: before each update (the usual measure) or after it, on the batch
    /// just learned (the course's curve).
    public static func trainingLoss(_ groups: [RunGroup], _ metric: Metric = .trainLoss, range: ClosedRange<Double>,
                                    logarithmic: Bool) -> Figure {
        var figure = Figure(rows: 1, columns: logarithmic ? 2 : 1, width: logarithmic ? 1000 : 800, panelHeight: logarithmic ? 440 : 420)
        let labels = RunGroup.legendLabels(groups)
        func draw(_ panel: inout Panel) {
            for (group, label) in zip(groups, labels) { panel.plot(group, metric, label: label, smoothed: true, center: .geometricMean) }
        }
        let name = metric.displayName
        var linear = Panel(title: logarithmic ? "linear scale, as in the course" : nil, xLabel: "iteration", yLabel: "\(name) (smoothed)")
        linear.yLimits = range
        draw(&linear)
        figure[0, 0] = linear
        guard logarithmic else { return figure }
        var log = Panel(title: "the same on a log scale", xLabel: "iteration", yLabel: "\(name) (smoothed, log scale)")
        log.yScale = .logarithmic
        let lowest = groups.map { $0.band(metric, smoothed: true).lower.filter { $0 > 0 }.min() ?? 1 }.min() ?? 1e-4
        log.yLimits = pow(10, floor(log10(lowest)))...10
        draw(&log)
        figure[0, 1] = log
        // One legend across both panels, above them, where it hides no curve.
        figure.sharedLegend = true
        return figure
    }
}

extension Figure {
    /// One panel per setting, each with that setting's groups at every learning rate: the training
    /// loss (smoothed, geometric mean over seeds, band from the lowest to the highest seed) on a log
    /// axis, one colour per rate in every panel. A rate whose runs diverged on every seed has no curve;
    /// a note in its panel says so.
    public static func lossByRate(_ panels: [(title: String, groups: [(rate: Double, group: RunGroup)])], _ metric: Metric,
                                  columns: Int = 2) -> Figure {
        let all = panels.flatMap { $0.groups.map(\.group) }
        let lowest = all.map { $0.band(metric, smoothed: true).lower.filter { $0 > 0 }.min() ?? 1 }.min() ?? 1e-3
        // High enough that a rate whose loss climbed far above the loss of guessing is still drawn.
        let highest = all.map { $0.band(metric, smoothed: true, center: .geometricMean).mean.filter(\.isFinite).max() ?? 1 }.max() ?? 10
        var figure = Figure.grid(panels.count, columns: columns, width: 1000, panelHeight: 380) { index in
            var panel = Panel(title: panels[index].title, xLabel: "iteration", yLabel: "\(metric.displayName) (smoothed, log scale)")
            panel.yScale = .logarithmic
            panel.yLimits = pow(10, floor(log10(lowest)))...pow(10, ceil(log10(max(highest, 10))))
            var diverged: [Double] = []
            for (rate, group) in panels[index].groups {
                if group.divergedSeeds.count == group.results.count { diverged.append(rate) }
                let band = group.band(metric, smoothed: true, center: .geometricMean)
                panel.lineWithBand(band.x, mean: band.mean, lower: band.lower, upper: band.upper, label: "lr \(Format.compact(rate))",
                                   dataName: Metric.smoothedLoss, colorKey: ColorKey(RateKey(rate: rate)), geometric: true)
            }
            // The legend is shared: a rate that left no curve in this panel says so here.
            if !diverged.isEmpty, let end = panels[index].groups.first?.group.setup.length.end {
                panel.add(TextMark(x: Double(end) / 2, y: 2 * lowest.squareRoot(), text: "diverged on every seed: lr "
                                   + diverged.map { Format.compact($0) }.joined(separator: ", ")))
            }
            return panel
        }
        figure.sharedLegend = true
        return figure
    }

    /// A learning rate as a colour key of its own (not to be confused with another setting that is a number).
    struct RateKey: Hashable, Sendable { let rate: Double }
}

extension Panel {
    /// Two groups' training accuracy per epoch, both solid (they are measured on the training
    /// images) and told apart by colour, with a note placed away from the other curve wherever a
    /// group diverged on some seed.
    public static func trainingPair(_ a: RunGroup, _ b: RunGroup, names: (String, String), title: String, epochs: Int) -> Panel {
        var panel = Panel.accuracy(title: title, xLabel: "epoch", yLabel: "accuracy")
        panel.plot(a, .trainAccuracy, label: names.0, color: Palette.color(0))
        panel.plot(b, .trainAccuracy, label: names.1, color: Palette.color(1))
        for (group, other, name, color) in [(a, b, names.0, Palette.color(0)), (b, a, names.1, Palette.color(1))] where !group.divergedSeeds.isEmpty {
            // The note goes at the height farthest from the other arm's band over the middle of
            // the panel, where the note's text runs.
            let band = other.band(.trainAccuracy)
            let middle = band.x.indices.filter { band.x[$0] >= Double(epochs) * 0.15 && band.x[$0] <= Double(epochs) * 0.85 }
            let y = [0.85, 0.5, 0.2].max { first, second in
                func clearance(_ y: Double) -> Double {
                    middle.map { min(abs(band.lower[$0] - y), abs(band.upper[$0] - y), band.lower[$0] <= y && y <= band.upper[$0] ? 0 : 1) }
                        .min() ?? 1
                }
                return clearance(first) < clearance(second)
            }!
            let seeds = group.divergedSeeds.count == group.seeds.count ? "" : " (\(group.divergedSeeds.count) of \(group.seeds.count))"
            panel.add(TextMark(x: Double(epochs) / 2, y: y, text: "\(name): diverged\(seeds)", color: color))
        }
        return panel
    }
}

extension Figure {
    /// Training accuracy per epoch of two arms at each of several settings, one panel per setting
    /// (`titles`), the arms told apart by colour, in rows of `columns`, under one legend for all.
    public static func pairs(_ arms: (first: [RunGroup], second: [RunGroup]), names: (String, String), titles: [String], epochs: Int,
                             columns: Int, title: String) -> Figure {
        var figure = Figure.grid(titles.count, columns: columns, title: title, width: 1000, panelHeight: 200) { index in
            Panel.trainingPair(arms.first[index], arms.second[index], names: names, title: titles[index], epochs: epochs)
        }
        figure.sharedLegend = true
        return figure
    }

    /// Where two arms' runs end, against a setting on a log axis: one panel per metric, each line in
    /// the style of the images it is measured on, the first arm with circles, the second with
    /// squares, each over its band of seeds; a cross in a lane under the accuracies where every seed
    /// of the second arm diverged (no value to draw).
    public static func finals(_ arms: (first: [RunGroup], second: [RunGroup]), names: (String, String), against x: [Double], xLabel: String,
                              metrics: [Metric], after epochs: Int) -> Figure {
        var figure = Figure(rows: 1, columns: metrics.count, width: 1000, panelHeight: 360)
        for (column, metric) in metrics.enumerated() {
            var panel = Panel.accuracy(title: "\(metric.displayName) after \(epochs) epochs", xLabel: xLabel, yLabel: column == 0 ? "accuracy" : nil)
            panel.xScale = .logarithmic
            let style = metric == .trainAccuracy ? MeasuredOn.training.style : (metric == .testAccuracy ? MeasuredOn.test.style : MeasuredOn.heldOut.style)
            panel.plot(arms.first.map { $0.final(metric) }, against: x, label: names.0, color: Palette.color(0), style: style,
                       data: metric.final, setting: arms.first.first?.setting)
            panel.plot(arms.second.map { $0.final(metric) }, against: x, label: names.1, color: Palette.color(1), style: style,
                       marker: .square, data: metric.final, setting: arms.second.first?.setting)
            // A lane of its own under the accuracies, so that a run without a number is not read as one.
            let failed = x.indices.filter { arms.second[$0].final(metric).present.isEmpty }.map { x[$0] }
            panel.failureLane(at: failed, across: x, color: Palette.color(1), setting: arms.second.first?.setting,
                              label: "\(names.1): diverged on every seed")
            figure[0, column] = panel
        }
        figure.alignFailureLanes(across: x)
        figure.sharedLegend = true
        return figure
    }
}

extension Figure {
    /// One bar per group at the mean over seeds of `measure`, each seed's value a dot on it and the
    /// mean written above; the groups' labels under the bars, each in its setting's colour. For a
    /// claim about one measured number per setting (how many distinct units, how large a weight).
    public static func measurement(_ measure: Measure, of groups: [RunGroup], title: String, yLabel: String,
                                   yLimits: ClosedRange<Double>, data: DataName, seedData: DataName,
                                   format: (Double) -> String) -> Figure {
        var figure = Figure(width: min(Style.columnWidth, 200 + 150 * Double(groups.count)), panelHeight: 320)
        var panel = Panel(title: title, xLabel: nil, yLabel: yLabel)
        panel.xTickLabels = groups.indices.map { (Double($0), groups[$0].label) }
        panel.xLimits = -0.6...Double(groups.count) - 0.4
        // Room above the tallest bar for its value in words.
        panel.yLimits = yLimits.lowerBound...(yLimits.upperBound + 0.12 * (yLimits.upperBound - yLimits.lowerBound))
        panel.legend = .hidden
        for (index, group) in groups.enumerated() {
            let values = group.measurement(measure)
            var bar = BarMark(x: [Double(index)], heights: [values.mean], width: 0.6, color: Palette.color(index),
                              label: group.label, dataName: data)
            bar.colorKey = group.setting
            panel.add(bar)
            panel.add(TextMark(x: Double(index), y: max(values.mean, values.maximum) + 0.05 * (yLimits.upperBound - yLimits.lowerBound),
                               text: format(values.mean), described: false))
            panel.add(ScatterMark(x: values.values.map { _ in Double(index) }, y: values.values, color: .black, size: 5,
                                  dataName: seedData))
        }
        figure[0, 0] = panel
        return figure
    }
}
