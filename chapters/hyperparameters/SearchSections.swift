import Analysis
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

extension Figure {
    /// Hyperband's premise: each full-length random trial's validation accuracy after a rung's
    /// epochs against its accuracy at the end, one panel per rung, seeds in their own colours, the
    /// rank correlation in the title.
    public static func earlyRanking(_ rankings: [EarlyRanking], seeds: [UInt64], fullLength: Int) -> Figure {
        Figure.grid(rankings.count, columns: rankings.count, title: "How short trials rank the settings",
                    width: 832, panelHeight: 280) { k in
            let r = rankings[k]
            let early = HyperparametersChapter.epochs(r.epochs)
            var panel = Panel(title: "after \(early): ρ \(Format.number(r.correlation.mean, digits: 2))",
                              xLabel: "validation accuracy after \(early)", yLabel: "after \(fullLength) epochs")
            panel.xLimits = 0...1
            panel.yLimits = 0...1
            panel.xUnit = .percent
            panel.yUnit = .percent
            for (index, seed) in seeds.enumerated() {
                let mine = r.points.filter { $0.seed == seed }
                panel.add(ScatterMark(x: mine.map(\.early), y: mine.map(\.final), color: Palette.color(index), size: 4,
                                      label: "search seed \(seed)", dataName: SearchData.earlyRanking))
            }
            panel.line([0, 1], [0, 1], color: Color(hex: "#9a9a9a"), width: 1)
            if k != 0 { panel.legend = .hidden }
            return panel
        }
    }

    /// The test of choosing by the test set: per method, each search seed's overstatement (test minus
    /// unseen accuracy, in points) of the setting chosen by validation and of the one chosen by test.
    public static func choosingByTest(methods: [String], byValidation: [[Double]], byTest: [[Double]]) -> Figure {
        var figure = Figure(width: 640, panelHeight: 300)
        var panel = Panel(title: "how far the chosen setting's test score overstates", xLabel: nil,
                          yLabel: "test − unseen accuracy (points)")
        panel.xTickLabels = methods.indices.map { (Double($0), methods[$0]) }
        panel.xLimits = -0.6...Double(methods.count) - 0.4
        for (offset, values, label, shape) in [(-0.15, byValidation, "chosen by validation", MarkerShape.circle),
                                               (0.15, byTest, "chosen by the test set", .square)] {
            let points = values.enumerated().flatMap { m, seeds in seeds.map { (Double(m) + offset, $0 * 100) } }
            let color = Palette.color(offset < 0 ? 0 : 1)
            panel.add(ScatterMark(x: points.map(\.0), y: points.map(\.1), color: color, size: 6, shape: shape,
                                  label: label, dataName: SearchData.overstatement))
        }
        panel.line([-0.6, Double(methods.count) - 0.4], [0, 0], color: Color(hex: "#9a9a9a"), width: 1)
        // Zero in view, and room around the points so that none sits on the frame.
        let all = (byValidation + byTest).joined().map { $0 * 100 }.filter(\.isFinite) + [0]
        let (low, high) = (all.min()!, all.max()!), pad = max(0.1 * (high - low), 0.2)
        panel.yLimits = (low - pad)...(high + pad)
        figure[0, 0] = panel
        return figure
    }

    /// How much of the variation of the score each hyperparameter explains, one bar per part
    /// (learning rate alone, weight decay alone, the two together) at its mean over seeds, written
    /// above it, with each seed's share as a dot.
    public static func importance(_ importances: [Importance]) -> Figure {
        var figure = Figure(width: 560, panelHeight: 340)
        var panel = Panel(title: "share of the variance of the fitted mean", xLabel: nil,
                          yLabel: "share of the variance (log scale)")
        // A log axis: the small shares are the point of the figure, and on a linear one they vanish.
        panel.yScale = .logarithmic
        panel.yTickLabels = [(1e-4, "0.01%"), (1e-3, "0.1%"), (1e-2, "1%"), (0.1, "10%"), (1, "100%")]
        let sides = importances.first?.parameters ?? []
        let parts: [(String, (Importance) -> Double)] = sides.map { side in (side.name, { $0.share(side) }) }
            + [("together", \.interaction)]
        panel.xTickLabels = parts.indices.map { (Double($0), parts[$0].0) }
        panel.xLimits = -0.6...Double(parts.count) - 0.4
        panel.yLimits = 1e-4...3   // room for the share over the tallest bar
        panel.legend = .hidden
        for (index, part) in parts.enumerated() {
            let shares = importances.map(part.1), mean = shares.reduce(0, +) / Double(max(shares.count, 1))
            panel.add(BarMark(x: [Double(index)], heights: [mean], width: 0.6,
                              color: Palette.color(index), label: part.0, dataName: SearchData.importance))
            // The share in words above its bar: a bar near zero is otherwise not seen at all.
            let top = min(max(mean, shares.max() ?? 0, 1e-4) * 1.9, 2.2)
            panel.add(TextMark(x: Double(index), y: top, text: Format.percent(mean), described: false))
            // A share below the axis's floor sits on it.
            let floored = shares.map { max($0, 1.2e-4) }
            panel.add(ScatterMark(x: shares.map { _ in Double(index) }, y: floored, color: .black, size: 5,
                                  dataName: SearchData.importanceBySeed))
        }
        figure[0, 0] = panel
        return figure
    }

    /// The fitted mean of the score over the box (learning rate × weight decay, log axes), with
    /// the trials on top in the same colours.
    public static func surface(_ importance: Importance, space: SearchSpace, trials: [TrialRecord],
                               title: String) -> Figure {
        var figure = Figure(width: 620, panelHeight: 460)
        var panel = Panel(title: title, xLabel: "learning rate", yLabel: "weight decay")
        panel.xScale = .logarithmic
        panel.yScale = .logarithmic
        panel.colorScale = ColorScale(range: 0...1, label: "validation accuracy", unit: .percent)
        let size = importance.mean.count
        let centres = (0..<size).map { (Double($0) + 0.5) / Double(size) }
        let x = centres.map { space.point(at: [$0, 0])[.learningRate] }
        let y = centres.map { space.point(at: [0, $0])[.weightDecay] }
        // The box with a little room around it, so that trials on its edge stay whole.
        func padded(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
            let pad = 0.04 * (log10(r.upperBound) - log10(r.lowerBound))
            return pow(10, log10(r.lowerBound) - pad)...pow(10, log10(r.upperBound) + pad)
        }
        panel.xLimits = padded(space.values(.learningRate)!)
        panel.yLimits = padded(space.values(.weightDecay)!)
        panel.add(HeatmapMark(x: x, y: y, values: importance.mean, dataName: SearchData.fittedMean))
        let done = trials.filter { !$0.failed }
        panel.add(ScatterMark(x: done.map(\.hyperparameters[.learningRate]),
                              y: done.map(\.hyperparameters[.weightDecay]),
                              values: done.map { $0.score! }, size: 7, shape: .circle, label: "trials",
                              dataName: SearchData.trials, rim: .white))
        if let best = done.max(by: { $0.score! < $1.score! }) {
            panel.add(ScatterMark(x: [best.hyperparameters[.learningRate]], y: [best.hyperparameters[.weightDecay]],
                                  color: .red, size: 14, shape: .plus,
                                  label: "the best trial (\(Format.percent(best.score!)))", rim: .white))
        }
        panel.legend = .below
        figure[0, 0] = panel
        return figure
    }
}

/// A method's chosen setting on one search seed, trained once more and measured on the test set.
public struct FinalCheck: Sendable {
    public let name: String
    public let seed: UInt64
    public let trial: TrialRecord
    public let testAccuracy: Double
}

extension ChapterContext {
    /// Each best trial trained once more with its learning rate and weight decay on all the tuning
    /// images (training and validation together) for the search's full length, with a fresh seed,
    /// and evaluated once on the test set; written as a table, and into the summary as `test`.
    public func lookAtTheTestSet(_ chosen: [(name: String, method: SearchMethod, seed: UInt64, trial: TrialRecord)],
                                 settings: SearchSettings,
                                 report: Report) -> [FinalCheck] {
        let finals = train(chosen.map { settings.finalRun($0.method, seed: $0.seed, $0.trial.hyperparameters) },
                           title: "the chosen settings on the test set")
        let checks = zip(chosen,
                         finals).map { FinalCheck(name: $0.name, seed: $0.seed, trial: $0.trial,
                                                  testAccuracy: $1.finalTestAccuracy ?? .nan) }
        report.table(headers: ["method", "seed", "chosen trial", "learning rate", "weight decay",
                               "validation accuracy (in the search)",
                               "test accuracy (once, at the end)"],
                     rows: checks.map { c in
                         [c.name, "\(c.seed)", "#\(c.trial.number)",
                          Format.rate(c.trial.hyperparameters[.learningRate]),
                          Format.rate(c.trial.hyperparameters[.weightDecay]), Format.percent(c.trial.score!),
                          Format.percent(c.testAccuracy)]
                     })
        report.summary["test"] = .array(checks.map { c in
            .object(["method": .string(c.name), "seed": .number(Double(c.seed)),
                     "trial": .number(Double(c.trial.number)),
                     "learning_rate": .number(c.trial.hyperparameters[.learningRate]),
                     "weight_decay": .number(c.trial.hyperparameters[.weightDecay]),
                     "val_acc": .number(c.trial.score!), "test_acc": .number(c.testAccuracy)])
        })
        return checks
    }
}

extension ChapterContext {
    /// The best `count` trials of `method` for search seed `seed` trained again with their accuracy
    /// measured after every epoch (the same runs: the search measured them only at the end), drawn
    /// as a grid, their curves in results.json. Returns the figure's number, the trials, and
    /// whether every curve ends on exactly its trial's score.
    public func bestTrialCurves(_ results: SearchResults, method: SearchMethod, seed: UInt64, count: Int = 20,
                                report: Report) -> (figure: FigureRef, trials: [TrialRecord], reproduced: Bool) {
        let settings = results.settings
        let finished = results.trials(method, seed: seed).filter { !$0.failed }
        let shown = Array(finished.sorted { $0.score! > $1.score! }.prefix(count))
        let curves = train(shown.map { settings.run($0.trial, curves: true) }, title: "curves of the best trials")
        for metric in [Metric.validationAccuracy, .trainAccuracy] {
            report.add(curves.map { curve in
                let c = curve.history.curve(metric)
                return Series(experiment: "search", label: curve.run.label, seed: seed, metric: metric.rawValue,
                              x: c.x, y: c.y)
            }, described: metric.data)
        }
        let title = """
            The best \(shown.count) \(method.rawValue) trials (seed \(seed)): training (solid) and validation (dotted) \
            accuracy
            """
        let number = report.figure(.trialCurves(shown, curves: curves, title: title), name: "best-trials", caption: """
            The \(shown.count) \(method.rawValue) trials of seed \(seed) with the best validation accuracy, best first, each titled \
            with its learning rate and weight decay: training accuracy (solid, black) and validation accuracy (dotted, purple) \
            after every epoch.
            """)
        return (number, shown, zip(shown, curves).allSatisfy { $0.score == $1.history.validationAccuracy.last })
    }

    /// The same search with the learning-rate range moved `decades` up, Bayesian optimisation only,
    /// half the trials; its best-so-far series in results.json.
    public func widerSearch(_ results: SearchResults, decades: Double, report: Report) -> SearchResults {
        var wide = results.settings
        wide.methods = [.bayes]
        wide.trials = max(2, wide.trials / 2)
        let rates = wide.space[.learningRate]!
        wide.space[.learningRate] = (rates.lowerBound + decades)...(rates.upperBound + decades)
        let found = HyperparameterSearch(settings: wide, dataset: dataset, workers: workers, cache: cache,
                                         observer: TrialLog(search: "wider range")).run()
        settings.record("wider search", "Bayesian optimisation, \(wide.trials) trials, \(wide.space.summary)")
        report.add(found.bestSoFarSeries(.bayes, label: "bayes, \(wide.space.summary)", experiment: "wider search"),
                   described: SearchData.bestSoFar)
        return found
    }
}

extension Report {
    /// Where each method looked (one map per method, search seed `seed`) and how fast it found good
    /// settings, by trials and by epochs (with random search at twice the budget), and a table of
    /// both. Returns the two figures' numbers.
    public func searchProgress(_ results: SearchResults, seed: UInt64) -> (maps: FigureRef, progress: FigureRef) {
        let settings = results.settings, methods = results.methods
        let colors = Dictionary(uniqueKeysWithValues: SearchMethod.allCases.enumerated().map { ($1,
                Palette.color($0)) })
        let maps = figure(.trialMaps(results, seed: seed), name: "trials",
                          caption: """
                              Every trial of seed \(seed) at its learning rate and weight decay (log axes), coloured \
                              by validation accuracy. Circles are random draws; squares the second round of coarse to \
                              fine or the proposals of Bayesian optimisation; for Hyperband each setting once, shaped \
                              by the rung it stopped at; the box is coarse to fine's narrowed range; red crosses are \
                              failed trials.
                              """)
        var both = Figure(rows: 1, columns: 2, width: 1100, panelHeight: 420)
        both[0, 0] = .bestSoFar(results, methods: methods, byEpochs: false, colors: colors)
        both[0, 1] = .bestSoFar(results, methods: methods, byEpochs: true, colors: colors)
        both[0, 0].legend = .hidden
        let progress = figure(both, name: "best-so-far",
                              caption: """
                                  Best validation accuracy so far, mean over \(settings.seeds.count) seeds, against \
                                  the trials run (left) and against the epochs trained (right, log axis); the bar at \
                                  the end of each line runs from the lowest to the highest seed. Coarse to fine and \
                                  Bayesian optimisation start from random search's first trials, and random-2x (random \
                                  search given twice the budget) repeats all of random search's before going on, so \
                                  their lines lie on random search's for a stretch: random search is drawn widest and \
                                  the others narrower on top of it, so that where lines coincide the one underneath \
                                  still shows. Hyperband's trials are mostly short: by trials it looks slow, by epochs fast.
                                  """)
        table(headers: ["method", "trials", "epochs trained", "best after \(settings.trials / 4) trials",
                        "best at the end", "trials failed"],
              rows: methods.map { m in [m.rawValue, "\(results.trials(m, seed: seed).count)",
                                        results.totalEpochs(m).formatted(),
                                        percentWithRange(results.best(m, after: settings.trials / 4)),
                                        percentWithRange(results.best(m, after: results.trials(m, seed: seed).count)),
                                        "\(results.failures(m))"] })
        return (maps, progress)
    }

    /// Which hyperparameter matters, from each seed's trials of `method`: the shares of the variance
    /// of a fitted Gaussian process's mean, and the fitted surface of the first seed with its trials.
    public func importance(_ results: SearchResults, method: SearchMethod)
        -> (importances: [Importance], bars: FigureRef, surface: FigureRef) {
        let settings = results.settings, seed = settings.seeds[0]
        let importances = settings.seeds.map { s in
            let trials = results.trials(method, seed: s)
            return Importance(parameters: settings.space.sides.map(\.parameter),
                              positions: trials.map { settings.space.position(of: $0.hyperparameters) },
                              scores: trials.map(\.score))
        }
        let bars = figure(.importance(importances), name: "importance",
                          caption: """
                              How much of the variation of validation accuracy over the box each hyperparameter \
                              explains: the variance of a Gaussian process's mean, fitted to each seed's \
                              \(settings.trials) \(method.rawValue) trials, split into the part that varies with the \
                              learning rate alone, with the weight decay alone, and with both together, on a log axis so \
                              that the small shares show. Bars: mean over seeds; dots: each seed.
                              """)
        let surface = figure(.surface(importances[0], space: settings.space, trials: results.trials(method, seed: seed),
                                      title: "fitted validation accuracy, seed \(seed)"),
                             name: "surface", caption: """
                                 The Gaussian process's mean of validation accuracy over learning rate × weight decay \
                                 (log axes) for seed \(seed), with its \(method.rawValue) trials on top in the same \
                                 colours.
                                 """)
        return (importances, bars, surface)
    }
}

extension SearchResults {
    /// Each method's best trial on each seed, for one look at the test set (random search at twice
    /// the budget left out: its first half is random search).
    public var chosen: [(name: String, method: SearchMethod, seed: UInt64, trial: TrialRecord)] {
        methods.filter { $0 != .randomTwice }.flatMap { m in settings.seeds.compactMap { s in best(m,
                seed: s).map { (m.rawValue, m, s, $0) } } }
    }
}

extension ChapterContext {
    /// Runs a search (taking the runs of shard and stage files as trained), and records it: the
    /// settings in the provenance, every method's best-so-far in results.json, and every trial in
    /// results.json's `trials` and in `every-trial.csv`.
    public func run(_ search: HyperparameterSearch, after known: [RunResult], report: Report) -> SearchResults {
        let results = search.run(precomputed: known), s = search.settings
        settings.record("search", """
            \(s.trials) trials per method and seed, \(s.epochs) epochs each; \(s.space.summary); 
            """
                        + """
                            methods \(s.methods.map(\.rawValue).joined(separator: ", "))
                            """ + (known.isEmpty ? "" : "; \(known.count) runs from shard or stage files"))
        for method in s.methods {
            report.add(results.bestSoFarSeries(method, label: method.rawValue, experiment: "search"),
                       described: SearchData.bestSoFar)
        }
        report.trials = (results.rows, "every-trial.csv", SearchResults.columns)
        return results
    }
}

/// A search's seeds grown for the claims that compare its methods: a claim looks at the search's own
/// seeds, then at 5, 10 and 20 while it is undecided (the plan every claim follows), and the seeds a
/// look adds are searched then, once, with every method a grown claim reads. A seed's search depends on nothing
/// but its seed, so a grown seed finds the trials it would have found in the first search.
final class GrownSearch {
    let first: SearchResults
    /// The methods the added seeds search: every method of the first search but random search at
    /// twice the budget, which no grown claim reads.
    let methods: [SearchMethod]
    private let context: ChapterContext
    private var added: [SearchResults] = []

    init(_ first: SearchResults, context: ChapterContext) {
        self.first = first; methods = first.settings.methods.filter { $0 != .randomTwice }; self.context = context
    }

    /// The first `count` seeds of the chapter (the search's own first).
    func seeds(_ count: Int) -> [UInt64] { (0..<UInt64(count)).map { context.options.seed &+ $0 } }

    /// Seeds searched so far.
    var searched: [UInt64] { ([first] + added).flatMap(\.settings.seeds) }

    /// The search that holds seed `seed`, searching the seeds up to it that no search holds yet.
    func results(for seed: UInt64) -> SearchResults {
        if let found = ([first] + added).first(where: { $0.settings.seeds.contains(seed) }) { return found }
        var more = first.settings
        more.methods = methods
        more.seeds = seeds(Int(seed &- context.options.seed) + 1).filter { !searched.contains($0) }
        let found = HyperparameterSearch(settings: more, dataset: context.dataset, workers: context.workers,
                                         cache: context.cache, observer: TrialLog(search: "more seeds")).run()
        added.append(found)
        return found
    }

    /// `method`'s chosen setting on each of the first `count` seeds, among its first `trials` trials
    /// when given.
    func chosen(_ method: SearchMethod, seeds count: Int, first trials: Int? = nil) -> Chosen {
        Chosen(runs: seeds(count).map { seed in Chosen.run(results(for: seed), method, seed: seed, first: trials) })
    }

    /// What the added seeds were, for the provenance table; nil when none were needed.
    func recordSettings() {
        guard !added.isEmpty else { return }
        context.settings.record("more search seeds", """
            seeds \(added.flatMap(\.settings.seeds).map(String.init).joined(separator: ", ")) searched with \
            \(methods.map(\.rawValue).joined(separator: ", ")), for the claims that grow their seeds
            """)
    }
}

/// A method's chosen setting on each search seed (its best full-length trial on validation), as the
/// trained run, which the probes measured on the unseen training images.
struct Chosen {
    /// Seed by seed; nil where a seed has no full-length trial.
    let runs: [RunResult?]

    /// The chosen run of `method` on seed `seed` of `results`, among its first `count` trials (all by
    /// default).
    static func run(_ results: SearchResults, _ method: SearchMethod, seed: UInt64,
                    first count: Int? = nil) -> RunResult? {
        results.chosen(method, seed: seed, first: count)?.outcome.result
    }

    /// `method`'s choice on every seed of `results`, among its first `count` trials.
    init(_ results: SearchResults, _ method: SearchMethod, first count: Int? = nil) {
        runs = results.settings.seeds.map { Self.run(results, method, seed: $0, first: count) }
    }

    init(runs: [RunResult?]) { self.runs = runs }

    /// Accuracy on the unseen training images, seed by seed.
    var unseen: SeedSummary { SeedSummary(runs.map { $0?.measurements[.unseenAccuracy] ?? .nan }) }

    /// Records the chosen runs' marks in correctness.json, each under its trial's label and its
    /// search seed (`seeds[i]` for `runs[i]`).
    func recordCorrectness(seeds: [UInt64], report: Report) {
        report.recordSearchCorrectness(zip(seeds, runs).compactMap { seed, run in run.map { (seed, $0) } })
    }

    /// The noise of a difference with `other`'s choices on the same `images` unseen images, seed by seed.
    func margin(against other: Chosen, images: Int) -> Margin {
        Margin.difference(runs.map { $0?.marks[.unseenAccuracy] }, other.runs.map { $0?.marks[.unseenAccuracy] },
                          accuracies: (unseen, other.unseen), on: images, images: "unseen training images")
    }
}

extension Report {
    /// Adds chosen trials to correctness.json: which test and unseen images each got right, under
    /// its trial's label ("bayes #37") and its search seed, the unit every claim on the search pairs over.
    func recordSearchCorrectness(_ chosen: [(seed: UInt64, result: RunResult)]) {
        addCorrectness("hyperparameter search", chosen.map { seed, result in
            (setting: result.run.label, seed: seed,
             sets: ["test": result.marks[.testSetAccuracy], "unseen": result.marks[.unseenAccuracy]]
                .compactMapValues { $0 })
        })
    }
}
