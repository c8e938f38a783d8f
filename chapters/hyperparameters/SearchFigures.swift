import Analysis
import ArgumentParser
import Claims
import Formatting
import Foundation
import Notebook
import NumericCore
import Plot
import Report
import Runs
import Search
import Statistics

// The hyperparameter search as a notebook shows it: its command-line values, its figures, and its
// trials as results.json rows.

extension Shard: ExpressibleByArgument {}

extension Figure {
    /// How many images of each class a set holds, one panel per set side by side (the same y axis),
    /// one bar per class: what a split cut from an ordered file looks like, before and after a shuffle.
    static func classCounts(_ sets: [(title: String, labels: [Int])], classes: Int) -> Figure {
        var figure = Figure(rows: 1, columns: sets.count, width: 380 * Double(sets.count), panelHeight: 300)
        let highest = sets.flatMap { set in (0..<classes).map { c in set.labels.filter { $0 == c }.count } }.max() ?? 1
        for (column, set) in sets.enumerated() {
            var panel = Panel(title: set.title, xLabel: "class", yLabel: column == 0 ? "images" : nil)
            panel.xTickLabels = (0..<classes).map { (Double($0), "\($0)") }
            panel.xLimits = -0.7...Double(classes) - 0.3
            panel.yLimits = 0...Double(highest) * 1.08
            panel.legend = .hidden
            let counts = (0..<classes).map { c in Double(set.labels.filter { $0 == c }.count) }
            panel.add(BarMark(x: (0..<classes).map(Double.init), heights: counts, width: 0.7,
                              color: Palette.color(column), label: set.title, dataName: SearchData.classCounts))
            figure[0, column] = panel
        }
        return figure
    }

    /// One panel per trial, in rows of four: the training (solid) and validation (dotted: held-out
    /// images, in the book's grammar of lines) accuracy after every epoch of each trial's `curve`,
    /// titled "Best-k" with its settings.
    public static func trialCurves(_ trials: [TrialRecord], curves: [RunResult], title: String) -> Figure {
        let grid = Figure.grid(trials.count, columns: 4, title: title, width: 832, panelHeight: 190) { k in
            let h = trials[k].hyperparameters
            var panel = Panel.accuracy(title: """
                Best-\(k + 1) \(h.summary)
                """,
                                       xLabel: "epoch", yLabel: "accuracy")
            let validation = curves[k].history.curve(.validationAccuracy)
            let training = curves[k].history.curve(.trainAccuracy)
            panel.line(training.x, training.y, label: "training", color: Quantity.training.color,
                       style: MeasuredOn.training.style, dataName: Metric.trainAccuracy.data)
            panel.line(validation.x, validation.y, label: "validation", color: Quantity.test.color,
                       style: MeasuredOn.heldOut.style, width: 2, dataName: Metric.validationAccuracy.data)
            if k != 0 { panel.legend = .hidden }
            return panel
        }
        return grid
    }

    /// One panel per method: the trials of search seed `seed` at their learning rate and weight
    /// decay, coloured by score, one colour bar for all; in rows of three.
    public static func trialMaps(_ results: SearchResults, seed: UInt64) -> Figure {
        let methods = results.methods, columns = min(3, methods.count)
        let title = "Trials of seed \(seed) by learning rate and weight decay"
        return Figure.grid(methods.count, columns: columns, title: title, width: 832, panelHeight: 330) { k in
            var scale = ColorScale(range: 0...1, label: "validation accuracy", unit: .percent)
            scale.showsBar = k == columns - 1   // at the right end of the first row
            return .trials(results, method: methods[k], seed: seed, scale: scale, yLabel: "weight decay")
        }
    }
}

extension Panel {
    /// The trials of one method and seed at their learning rate and weight decay (log axes, the box
    /// with a little room), coloured by score: circles for the random start, squares for the trials
    /// placed after it, for successive halving one shape per rung a setting stopped at (its score
    /// the one it stopped with), red crosses for failed trials, and coarse to fine's narrowed box.
    public static func trials(_ results: SearchResults, method: SearchMethod, seed: UInt64, scale: ColorScale,
                              yLabel: String?) -> Panel {
        let settings = results.settings, space = settings.space
        var panel = Panel(title: method.rawValue, xLabel: "learning rate", yLabel: yLabel)
        panel.xScale = .logarithmic
        panel.yScale = .logarithmic
        func padded(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
            let pad = 0.07 * (r.upperBound - r.lowerBound)
            return pow(10, r.lowerBound - pad)...pow(10, r.upperBound + pad)
        }
        panel.xLimits = padded(space[.learningRate]!)
        panel.yLimits = padded(space[.weightDecay]!)
        panel.colorScale = scale
        panel.legend = .below
        var trials = results.trials(method, seed: seed)
        if method == .hyperband {
            // Each setting once, where it stopped: its last (longest) trial.
            trials = Dictionary(grouping: trials,
                                by: \.trial.configuration).values.map { $0.max { $0.trial.stage < $1.trial.stage }! }
                .sorted { $0.trial.configuration < $1.trial.configuration }
        }
        let done = trials.filter { !$0.failed }, failed = trials.filter(\.failed)
        let groups: [([TrialRecord], MarkerShape, String)]
        switch method {
        case .hyperband:
            let shapes: [MarkerShape] = [.circle, .triangle, .diamond, .square]
            let lengths = Set(done.map { settings.epochs(of: $0.trial) }).sorted()
            groups = lengths.enumerated().map { index, epochs in
                (done.filter { settings.epochs(of: $0.trial) == epochs }, shapes[min(index, shapes.count - 1)],
                 epochs == settings.epochs ? "trained in full (\(epochs) epochs)" : """
                     stopped after \(epochs) epoch\(epochs == 1 ? "" : "s")
                     """)
            }
        case .coarseToFine, .bayes:
            groups = [(done.filter { $0.trial.stage == 0 }, .circle, "random start"),
                      (done.filter { $0.trial.stage > 0 }, .square,
                       method == .coarseToFine ? "second round" : "proposed")]
        case .random, .randomTwice:
            groups = [(done, .circle, "trials")]
        }
        for (group, shape, label) in groups where !group.isEmpty {
            panel.add(ScatterMark(x: group.map(\.hyperparameters[.learningRate]),
                                  y: group.map(\.hyperparameters[.weightDecay]),
                                  values: group.map { $0.score! }, size: 7, shape: shape, label: label,
                                  dataName: SearchData.trials))
        }
        if !failed.isEmpty {
            panel.add(ScatterMark(x: failed.map(\.hyperparameters[.learningRate]),
                                  y: failed.map(\.hyperparameters[.weightDecay]),
                                  color: .red, size: 9, shape: .cross, label: "failed (NaN)",
                                  dataName: SearchData.failedTrials))
        }
        if method == .coarseToFine, let box = results.narrowed[seed] {
            panel.add(RectangleMark(x: box.values(.learningRate)!, y: box.values(.weightDecay)!,
                                    color: .black, label: "narrowed box"))
        }
        return panel
    }

    /// Each method's best score so far, the mean over seeds, against the trials run (`byEpochs`
    /// false) or the epochs spent (true, log axis), with the y axis from just below the lowest.
    /// Methods that share their first trials share a stretch of line, so each is drawn thinner than
    /// the one under it and both stay visible; the spread over seeds is a bar at each line's end
    /// (lowest to highest seed), where bands would blend into colours of their own.
    public static func bestSoFar(_ results: SearchResults, methods: [SearchMethod], byEpochs: Bool,
                                 colors: [SearchMethod: Color]) -> Panel {
        var panel = Panel.accuracy(title: byEpochs ? "by epochs spent" : "by trials",
                                   xLabel: byEpochs ? "epochs trained so far" : "trials so far",
                                   yLabel: "best validation accuracy so far")
        if byEpochs { panel.xScale = .logarithmic }
        var lowest = 1.0
        for (index, method) in methods.enumerated() {
            let band: SeedBand
            if byEpochs {
                let total = results.totalEpochs(method), step = max(1, results.settings.epochs / 10)
                band = results.bestByEpochs(method, grid: Array(stride(from: step, through: total, by: step))
                    + (total % step == 0 ? [] : [total]))
            } else {
                band = results.bestSoFarBand(method)
            }
            lowest = min(lowest, band.lower.filter(\.isFinite).min() ?? 1)
            // Random search widest, then coarse to fine narrower on top of it, and the rest (random-2x
            // among them, which repeats random search's trials first) thinner still.
            let width = [SearchMethod.random: 6.5, .coarseToFine: 3.8][method] ?? 1.6
            panel.add(BandMark(x: band.x, lower: band.lower, upper: band.upper, color: colors[method], opacity: 0,
                               label: method.rawValue,
                               inLegend: false, dataName: byEpochs ? SearchData.bestByEpochs : SearchData.bestSoFar))
            panel.line(band.x, band.mean, label: method.rawValue, color: colors[method], width: width,
                       dataName: (byEpochs ? SearchData.bestByEpochs : SearchData.bestSoFar).mean,
                       colorKey: ColorKey(method))
            // At the line's own end: a method of fewer trials (Hyperband) ends before the axis does.
            if let last = band.x.indices.last(where: { band.lower[$0].isFinite && band.upper[$0].isFinite }) {
                let (x, low, high) = (band.x[last], band.lower[last], band.upper[last])
                // Side by side where several lines end together.
                let end = byEpochs ? x * pow(1.06, Double(index) - 2) : x + (Double(index) - 2) * 0.012 * x
                panel.line([end, end], [low, high], color: colors[method], width: 2.2, colorKey: ColorKey(method))
                // Caps, so that the bar reads as a range and not as a step of the line.
                let cap = byEpochs ? [end / 1.025, end * 1.025] : [end - 0.004 * x, end + 0.004 * x]
                for y in [low,
                          high] { panel.line(cap, [y, y], color: colors[method], width: 2.2,
                                             colorKey: ColorKey(method)) }
            }
        }
        panel.yLimits = max(0, floor(lowest * 10) / 10 - 0.05)...1.0
        return panel
    }
}

extension SearchResults {
    /// `best_val_so_far` of a method against the trial number, one series per seed, for results.json.
    public func bestSoFarSeries(_ method: SearchMethod, label: String, experiment: String) -> [Series] {
        settings.seeds.map { seed in
            let curve = bestSoFar(method, seed: seed)
            return Series(experiment: experiment, label: label, seed: seed, metric: SearchData.bestSoFar.name,
                          x: curve.indices.map { Double($0 + 1) }, y: curve)
        }
    }

    /// Every trial as a row of results.json's `trials` (and of the CSV beside it).
    public var rows: [JSONValue] {
        methods.flatMap { trials($0).map { $0.json(epochs: settings.epochs(of: $0.trial)) } }
    }

    /// The columns of those rows, for the CSV file.
    public static let columns = ["method", "seed", "trial", "round", "bracket", "configuration", "learning_rate",
                                 "weight_decay", "epochs", "val_acc", "train_acc", "diverged", "failed_in_epoch"]
}

extension TrialRecord {
    /// The trial as a row: method, seed, trial number, round (or rung) and bracket, the setting
    /// (with the number of its first trial), epochs trained, and its scores or where it failed.
    public func json(epochs: Int) -> JSONValue {
        var object: [String: JSONValue] = ["method": .string(method.rawValue), "seed": .number(Double(seed)),
                                           "trial": .number(Double(number)), "round": .number(Double(trial.stage)),
                                           "configuration": .number(Double(trial.configuration)),
                                           "learning_rate": .number(hyperparameters[.learningRate]),
                                           "weight_decay": .number(hyperparameters[.weightDecay]),
                                           "epochs": .number(Double(epochs)), "diverged": .bool(failed)]
        if let b = trial.bracket { object["bracket"] = .number(Double(b)) }
        if let v = score { object["val_acc"] = .number(v) }
        if let t = outcome.trainingScore { object["train_acc"] = .number(t) }
        if let e = failedEpoch { object["failed_in_epoch"] = .number(Double(e)) }
        return .object(object)
    }
}

/// The names of the search's numbers in its data files, with what they are.
enum SearchData {
    static let classCounts = DataName("class_counts", "how many images of class x the set holds")
    static let overstatement = DataName("overstatement", """
        one point per method and search seed: x the method (0, 1, ...), y the chosen setting's test accuracy minus its accuracy \
        on the unseen training images, in points
        """)
    static let earlyRanking = DataName("early_vs_final", """
        one point per full-length random trial: x its validation accuracy after the rung's epochs, y after the full length
        """)
    static let trials = DataName("trials", "one point per finished trial: x its learning rate, y its weight decay")
    static let failedTrials = DataName("failed_trials", """
        trials whose loss became NaN or infinite: x their learning rate, y their weight decay
        """)
    static let bestByEpochs = DataName("best_val_by_epochs", """
        the best validation accuracy once a method has trained x epochs in all
        """)
    static let bestSoFar = DataName("best_val_so_far",
                                    """
                                        the best validation accuracy among a search's trials up to trial x, one series \
                                        per method and seed
                                        """)
    static let importance = DataName("importance_mean",
                                     """
                                         the share of the variance each part explains, mean over seeds (x: 0 learning \
                                         rate, 1 weight decay, 2 both)
                                         """)
    static let importanceBySeed = DataName("importance_seed", """
        the share of the variance each part explains, for each seed
        """)
    static let fittedMean = DataName("fitted_mean",
                                     """
                                         the fitted mean of validation accuracy over the box: x the learning rate, one \
                                         row per weight decay (the label)
                                         """)
}
