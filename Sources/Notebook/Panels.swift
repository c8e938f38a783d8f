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

extension Panel {
    /// A panel for accuracies against epochs: y from 0 to 1, with a sliver of room above so that a
    /// curve at 100% stays visible instead of merging with the frame.
    public static func accuracy(title: String? = nil, xLabel: String? = "epoch", yLabel: String? = "accuracy") -> Panel {
        var panel = Panel(title: title, xLabel: xLabel, yLabel: yLabel)
        panel.yLimits = 0...1.025
        return panel
    }

    /// A group's metric over time: the mean over seeds as a line over the band from the lowest to
    /// the highest seed (smoothed as the course smooths losses, if asked). The figure's data file
    /// gets the line and the band as `<metric>_mean`, `_min` and `_max`.
    /// The line takes the colour of the group's setting in every figure of a report.
    public mutating func plot(_ group: RunGroup, _ metric: Metric, label: String? = nil, color: Color? = nil,
                              style: LineStyle = .solid, smoothed: Bool = false) {
        let band = group.band(metric, smoothed: smoothed)
        lineWithBand(band.x, mean: band.mean, lower: band.lower, upper: band.upper, label: label ?? group.label, color: color,
                     style: style, dataName: smoothed ? Metric.smoothedLoss : metric.data, colorKey: group.setting)
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
        plot(group, .trainAccuracy, label: "\(name) train", color: color)
        plot(group, .testAccuracy, label: "\(name) test", color: color, style: .dashed)
    }

    /// Where runs end, against the setting that varies: final training accuracy, test accuracy and
    /// the gap between them, one point per group with its band over seeds.
    public static func endPoints(of groups: [RunGroup], against x: [Double], xLabel: String) -> Panel {
        var panel = Panel.accuracy(title: "where the runs end", xLabel: xLabel, yLabel: "accuracy / gap")
        panel.plot(groups.map { $0.final(.trainAccuracy) }, against: x, label: "training accuracy", color: Quantity.training.color,
                   data: Metric.trainAccuracy.final, setting: ColorKey(Quantity.training))
        panel.plot(groups.map { $0.final(.testAccuracy) }, against: x, label: "test accuracy", color: Quantity.test.color,
                   data: Metric.testAccuracy.final, setting: ColorKey(Quantity.test))
        panel.plot(groups.map(\.finalGap), against: x, label: "gap (training − test)", color: Quantity.gap.color, marker: .square,
                   data: Metric.finalGap, setting: ColorKey(Quantity.gap))
        // Where every run was also measured on its held-out images, those too (dotted): the gap the claims judge.
        var gaps = groups.map(\.finalGap)
        if let images = groups.first?.heldOutImages, groups.allSatisfy({ $0.heldOutImages == images }) {
            panel.plot(groups.map(\.heldOutAccuracy), against: x, label: "held-out accuracy (\(images.formatted()) images)",
                       color: Quantity.test.color, style: .dotted, marker: .diamond,
                       data: DataName("final_heldout_acc", "accuracy on the \(images) held-out images where the runs end, one point per configuration"),
                       setting: ColorKey(Quantity.test))
            panel.plot(groups.map(\.heldOutGap), against: x, label: "gap (training − held-out)", color: Quantity.gap.color, style: .dotted,
                       marker: .diamond, data: DataName("final_heldout_gap", "training minus held-out accuracy where the runs end, one point per configuration"),
                       setting: ColorKey(Quantity.gap))
            gaps += groups.map(\.heldOutGap)
        }
        // A gap below zero (test above training) stays in view.
        let lowest = gaps.map { $0.present.min() ?? 0 }.min() ?? 0
        if lowest < 0 { panel.yLimits = (lowest - 0.03)...1.025 }
        return panel
    }
}

extension Figure {
    /// One panel per group, side by side, each with its training (solid) and test (dashed) accuracy per epoch.
    public static func accuracies(of groups: [RunGroup]) -> Figure {
        var figure = Figure(rows: 1, columns: groups.count, width: 500 * Double(groups.count), panelHeight: 380)
        for (column, group) in groups.enumerated() {
            var panel = Panel.accuracy(title: group.label, yLabel: column == 0 ? "accuracy" : nil)
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
    /// Each group's training loss, smoothed as the course smooths it (mean line over a min-max band
    /// of the seeds), on the course's linear axis over `range`; with `logarithmic`, a second panel
    /// draws the same curves on a log axis, where curves that all look like zero on the first
    /// separate. Lines that lie on one another are told apart by their dashes (`coincidenceStyles`).
    public static func trainingLoss(_ groups: [RunGroup], range: ClosedRange<Double>, logarithmic: Bool) -> Figure {
        var figure = Figure(rows: 1, columns: logarithmic ? 2 : 1, width: logarithmic ? 1000 : 800, panelHeight: logarithmic ? 440 : 420)
        let styles = RunGroup.coincidenceStyles(groups, .trainLoss)
        func draw(_ panel: inout Panel) {
            for (group, style) in zip(groups, styles) { panel.plot(group, .trainLoss, style: style, smoothed: true) }
        }
        var linear = Panel(title: logarithmic ? "linear scale, as in the course" : nil, xLabel: "iteration", yLabel: "training loss (smoothed)")
        linear.yLimits = range
        draw(&linear)
        figure[0, 0] = linear
        guard logarithmic else { return figure }
        var log = Panel(title: "the same on a log scale", xLabel: "iteration", yLabel: "training loss (smoothed, log scale)")
        log.yScale = .logarithmic
        let lowest = groups.map { $0.band(.trainLoss, smoothed: true).lower.filter { $0 > 0 }.min() ?? 1 }.min() ?? 1e-4
        log.yLimits = pow(10, floor(log10(lowest)))...10
        draw(&log)
        log.legend = .hidden
        figure[0, 1] = log
        return figure
    }
}

extension RunGroup {
    /// For a figure's caption: after which epochs the group's runs measured the training set and
    /// the held-out sets, as a sentence beginning with a space ("" for runs that record only their
    /// loss). The curves and the CSV files hold exactly those points.
    public var measuredNote: String {
        guard let n = setup.length.epochs, let every = setup.length.trainingEvery, let heldOutEvery = setup.length.heldOutEvery else { return "" }
        func when(_ k: Int) -> String { k <= 1 ? "after every epoch" : k >= n ? "before and after training only" : "every \(k) epochs (and after the last)" }
        let heldOutSets = setup.metrics.filter { $0 == .testAccuracy || $0 == .validationAccuracy }.map(\.displayName).joined(separator: " and ")
        if heldOutEvery == every { return " Accuracy measured \(when(every)); the CSV holds exactly those points." }
        return " Training accuracy measured \(when(every)), \(heldOutSets) \(when(heldOutEvery)); the CSV holds exactly those points."
    }

    /// Pairs of groups (by index, the earlier first) whose smoothed mean curves of `metric` lie
    /// within 10% of each other over the second half of the run: lines a reader cannot tell apart.
    public static func coinciding(_ groups: [RunGroup], _ metric: Metric) -> [(Int, Int)] {
        let means = groups.map { $0.band(metric, smoothed: metric == .trainLoss).mean }
        var pairs: [(Int, Int)] = []
        for a in groups.indices {
            for b in groups.indices where b > a {
                let n = min(means[a].count, means[b].count)
                let ratios = (n / 2..<n).compactMap { i -> Double? in
                    let (x, y) = (means[a][i], means[b][i])
                    return x > 0 && y > 0 ? abs(log(x / y)) : nil
                }.sorted()
                if !ratios.isEmpty && ratios[ratios.count / 2] < log(1.1) { pairs.append((a, b)) }
            }
        }
        return pairs
    }

    /// Lines of `metric` a reader cannot tell apart, gathered: each set holds the groups (by index,
    /// in order) joined by `coinciding` pairs, directly or through another; sets of one are left out.
    public static func coincidingSets(_ groups: [RunGroup], _ metric: Metric) -> [[Int]] {
        var set = Array(groups.indices)
        func root(_ i: Int) -> Int { set[i] == i ? i : root(set[i]) }
        for (a, b) in coinciding(groups, metric) { set[max(root(a), root(b))] = min(root(a), root(b)) }
        return Dictionary(grouping: groups.indices, by: root).values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// The line style of each group for `metric`: solid, except where lines coincide (see
    /// `coincidingSets`), where the second of a set is dashed, the third dotted, the fourth
    /// dash-dotted (and so on, in turn), so that lines on one another stay apart.
    public static func coincidenceStyles(_ groups: [RunGroup], _ metric: Metric) -> [LineStyle] {
        var styles = [LineStyle](repeating: .solid, count: groups.count)
        let turns: [LineStyle] = [.dashed, .dotted, .dashDotted]
        for set in coincidingSets(groups, metric) {
            for (place, index) in set.dropFirst().enumerated() { styles[index] = turns[place % turns.count] }
        }
        return styles
    }

    /// For a figure's caption: which lines of `metric` lie on one another and how they are drawn
    /// apart, one sentence per set of them, beginning with a space; empty when none do.
    public static func coincidingNote(_ groups: [RunGroup], _ metric: Metric) -> String {
        let styles = coincidenceStyles(groups, metric)
        let names: [LineStyle: String] = [.dashed: "dashed", .dotted: "dotted", .dashDotted: "dash-dotted"]
        return coincidingSets(groups, metric).map { set in
            let labels = set.map { groups[$0].label }
            let drawn = set.dropFirst().map { "\(groups[$0].label) \(names[styles[$0]]!)" }
            return " \(Format.list(labels)) lie within 10% of one another over the second half (\(Format.list(drawn)))."
        }.joined()
    }
}

extension Panel {
    /// Two groups' training accuracy per epoch, the first solid and the second dotted (dashed means
    /// a test set everywhere), with a note placed away from the other curve wherever a group
    /// diverged on some seed.
    public static func trainingPair(_ a: RunGroup, _ b: RunGroup, names: (String, String), title: String, epochs: Int) -> Panel {
        var panel = Panel.accuracy(title: title, xLabel: "epoch", yLabel: "accuracy")
        panel.plot(a, .trainAccuracy, label: names.0, color: Palette.color(0))
        panel.plot(b, .trainAccuracy, label: names.1, color: Palette.color(1), style: .dotted)
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
    /// (`titles`), the first arm solid and the second dotted, in rows of `columns`, under one legend
    /// for all.
    public static func pairs(_ arms: (first: [RunGroup], second: [RunGroup]), names: (String, String), titles: [String], epochs: Int,
                             columns: Int, title: String) -> Figure {
        var figure = Figure.grid(titles.count, columns: columns, title: title, width: 1000, panelHeight: 200) { index in
            Panel.trainingPair(arms.first[index], arms.second[index], names: names, title: titles[index], epochs: epochs)
        }
        figure.sharedLegend = true
        return figure
    }

    /// Where two arms' runs end, against a setting on a log axis: one panel per metric, the first
    /// arm solid with circles, the second dotted with squares, each over its band of seeds; a cross
    /// in a grey strip under the accuracies, labelled "diverged", where every seed of the second arm
    /// diverged (no value to draw).
    public static func finals(_ arms: (first: [RunGroup], second: [RunGroup]), names: (String, String), against x: [Double], xLabel: String,
                              metrics: [Metric], after epochs: Int) -> Figure {
        var figure = Figure(rows: 1, columns: metrics.count, width: 1000, panelHeight: 360)
        for (column, metric) in metrics.enumerated() {
            var panel = Panel.accuracy(title: "\(metric.displayName) after \(epochs) epochs", xLabel: xLabel, yLabel: column == 0 ? "accuracy" : nil)
            panel.xScale = .logarithmic
            panel.plot(arms.first.map { $0.final(metric) }, against: x, label: names.0, color: Palette.color(0), data: metric.final,
                       setting: arms.first.first?.setting)
            panel.plot(arms.second.map { $0.final(metric) }, against: x, label: names.1, color: Palette.color(1), style: .dotted,
                       marker: .square, data: metric.final, setting: arms.second.first?.setting)
            let failed = x.indices.filter { arms.second[$0].final(metric).present.isEmpty }
            if !failed.isEmpty {
                // A strip of its own under the accuracies, so that a run without a number is not read as one.
                panel.yLimits = -0.16...1.025
                panel.yTickLabels = [(0, "0"), (0.25, "0.25"), (0.5, "0.5"), (0.75, "0.75"), (1, "1"), (-0.09, "diverged")]
                panel.add(BandMark(x: [x.min()!, x.max()!], lower: [-0.16, -0.16], upper: [-0.03, -0.03], color: Color(hex: "#eeeeee"), opacity: 1))
                var crosses = ScatterMark(x: failed.map { x[$0] }, y: failed.map { _ in -0.09 }, color: Palette.color(1), size: 9,
                                          shape: .cross, label: "\(names.1): diverged on every seed")
                crosses.colorKey = arms.second.first?.setting
                panel.add(crosses)
            }
            figure[0, column] = panel
        }
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
