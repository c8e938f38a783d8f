// Chapter: hyperparameter search. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
import Plot
import Report
import Runs
import Search

struct HyperparametersChapter: Chapter {
    static let name = "hyperparameters"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "Hyperparameter search on validation data: the notes' random search, its coarse-to-fine second round, and Bayesian optimisation.",
        discussion: """
            Writes <output>/hyperparameters/README.md with its figures, their CSV data and results.json. \
            With --shard i/n it runs only shard i of the independent trials (random search's) and writes \
            <output>/hyperparameters/shard-<i>-of-<n>.json instead; --merge FILE... then runs the rest \
            (coarse to fine's second rounds, Bayesian optimisation) and writes the report. Give --merge \
            the same options the shards ran with.
            """)

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions

    @Option(help: ArgumentHelp("Trials per method and seed (default 100; 12 with --quick).", valueName: "n"))
    var trials: Int?

    /// `--method`: one search method, or all of them.
    enum MethodChoice: String, CaseIterable, ExpressibleByArgument {
        case random, coarseToFine = "coarse-to-fine", bayes, all

        var methods: [SearchMethod] { self == .all ? SearchMethod.allCases : [SearchMethod(rawValue: rawValue)!] }
    }

    @Option(help: ArgumentHelp("Which search: random, coarse-to-fine, bayes or all.", valueName: "name"))
    var method = MethodChoice.all

    @Option(parsing: .unconditional, help: ArgumentHelp("Learning rates searched, as two powers of ten (default: the notes' -6,-2, 10⁻⁶ to 10⁻²).", valueName: "low,high"))
    var lrRange = NumberList([SearchSpace.notes.learningRate.lowerBound, SearchSpace.notes.learningRate.upperBound])

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight decays searched, as two powers of ten (default: the notes' -8,-4).", valueName: "low,high"))
    var wdRange = NumberList([SearchSpace.notes.weightDecay.lowerBound, SearchSpace.notes.weightDecay.upperBound])

    @Option(help: ArgumentHelp("Run only shard i of n of the independent trials and write them to a shard file, not a report.", valueName: "i/n"))
    var shard: Shard?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Build the report from these shard files (a complete set made with the same options).", valueName: "file"))
    var merge: [String] = []

    mutating func validate() throws {
        if let trials, trials < 2 { throw ValidationError("--trials must be at least 2, got \(trials)") }
        for (name, range) in [("--lr-range", lrRange), ("--wd-range", wdRange)] {
            guard range.values.count == 2, range.values[0] < range.values[1] else {
                throw ValidationError("\(name) takes two powers of ten, the lower first, got \(range)")
            }
        }
        if shard != nil && !merge.isEmpty { throw ValidationError("--shard and --merge do not go together") }
    }

    /// Everything that decides the numbers, from the command line.
    func settings(_ context: ChapterContext) -> SearchSettings {
        var settings = SearchSettings(methods: method.methods,
                                      trials: context.pick(trials, full: 100, quick: 12), epochs: context.pick(schedule.epochs, full: 50, quick: 10),
                                      seeds: context.seeds,
                                      space: SearchSpace(learningRate: lrRange.values[0]...lrRange.values[1], weightDecay: wdRange.values[0]...wdRange.values[1]),
                                      dataset: context.dataset.summary)
        settings.tuningImages = schedule.trainSize ?? 500
        return settings
    }

    /// The search these options ask for, once the dataset is known to hold its tuning images.
    func search(_ context: ChapterContext) throws -> HyperparameterSearch {
        let settings = self.settings(context)
        try context.requireTrainingImages(settings.tuningImages, option: "--train-size")
        return HyperparameterSearch(settings: settings, dataset: context.dataset, workers: context.workers, cache: context.cache)
    }

    func run() throws {
        guard let shard else { return try writeReport() }
        let context = ChapterContext(options: options, dataset: try options.loadDataset())
        let search = try self.search(context)
        let path = try search.writeShard(shard, into: (options.output as NSString).appendingPathComponent(Self.name))
        print("\(Self.chapterCommandName): wrote \(path) (\(search.runs(of: shard).count) trials); runs: \(context.cache.summary)")
    }

    func build(_ report: Report, context: ChapterContext) throws {
        let search = try self.search(context), settings = search.settings
        // Shard files are checked before anything is trained: a bad set is a one-line error.
        let fromShards = merge.isEmpty ? [] : try search.readShards(merge)

        report.title = "Hyperparameter search: choosing on validation data"
        report.paragraph("""
            The weights and biases are *parameters*: training finds them. The number of units, the batch \
            size, the learning rate, the strength of weight decay are *hyperparameters*: someone has to \
            choose them, and a network's accuracy can depend on them more than on anything else. This \
            chapter follows the notes' recipe for choosing two of them, the learning rate and the weight \
            decay, by random search on validation data and then a narrower second round, and sets \
            Bayesian optimisation beside it.
            """)

        // MARK: Validation data
        report.heading("Validation data, never the test set")
        let seed = settings.seeds[0]
        let split = context.dataset.tuningSplit(first: settings.tuningImages, validationFraction: settings.validationFraction, seed: seed)
        report.paragraph("""
            Choosing hyperparameters is itself a kind of fitting: try a hundred settings and keep the one \
            that scores best, and that score is partly luck of the draw on the images it was measured on. \
            Measure it on the test set and the test set stops being an honest estimate of accuracy on new \
            images, because it helped to choose. So the search scores its trials on *validation* data cut \
            from the training images, and the test set is looked at once, at the very end. Following the \
            course, the search uses the first \(settings.tuningImages) training images, shuffled, with \
            \(Int(settings.validationFraction * 100))% (\(split.validation.count) images) held out for validation and \
            \(split.training.count) to train on; each seed shuffles differently.
            """)
        let fileStart = Array(context.dataset.fileLabels.prefix(split.validation.count))
        func counts(_ labels: [Int]) -> [String] { (0...9).map { label in "\(labels.filter { $0 == label }.count)" } }
        let sorted = context.dataset.fileLabels == context.dataset.fileLabels.sorted()
        report.paragraph("""
            The notes insist on shuffling before the split, because data files are often ordered. The file \
            these \(context.dataset.items) come from \(sorted ? "is sorted by label" : "stores its classes mixed"): \
            its first \(split.validation.count) \(context.dataset.items) hold \(Set(fileStart).count) of the 10 classes. After \
            the shuffle every class is there:
            """)
        report.table(headers: ["validation images"] + (0...9).map { "\($0)" },
                     rows: [["first \(split.validation.count) of the file, as stored"] + counts(fileStart),
                            ["after the shuffle (seed \(seed))"] + counts(split.validation.labels)])
        report.claim(Self.shuffle, .parts([
            ("the file is ordered", .value(Double(Set(fileStart).count), .lower, 9.5, tolerance: 0, name: "classes among the first \(split.validation.count) of the file")),
            ("the shuffle brings every class", .value(Double(Set(split.validation.labels).count), .higher, 9.5, tolerance: 0, name: "classes among the validation images")),
        ]))

        // MARK: The search
        report.heading("Random search, as the notes describe it")
        report.paragraph("""
            Each trial trains the course's network (\(settings.network.summary), SGD, mini-batches of \
            \(settings.batchSize)) for \(settings.epochs) epochs on the \(split.training.count) training images and scores \
            it by its accuracy on the \(split.validation.count) validation images after the last epoch. Its learning \
            rate is $10^u$ and its weight decay $10^v$ with $u$ and $v$ drawn uniformly from \(settings.space.summary) \
            (the notes' ranges), so every decade gets the same share of trials. \(settings.trials) trials per \
            search, and the whole search over \(settings.seeds.count) seeds.
            """)
        let results = search.run(precomputed: fromShards)
        context.settings.record("search", "\(settings.trials) trials per method and seed, \(settings.epochs) epochs each; \(settings.space.summary); "
                                + "methods \(settings.methods.map(\.rawValue).joined(separator: ", "))"
                                + (merge.isEmpty ? "" : "; random trials from \(merge.count) shard files"))
        for method in settings.methods { report.series += results.bestSoFarSeries(method, label: method.rawValue) }
        report.describeMetric("best_val_so_far", "the best validation accuracy among a search's trials up to trial x, one series per method and seed")
        report.summary["trials"] = .array(results.methods.flatMap { results.trials($0).map(\.json) })

        if settings.methods.contains(.random) { try randomSearch(results, report: report, context: context) }
        if settings.methods.contains(.coarseToFine) { try coarseToFine(results, report: report) }
        if settings.methods.contains(.bayes) { try bayesian(results, report: report) }
        compareMethods(results, report: report)
        let wider = settings.methods.contains(.bayes) ? beyondTheBox(results, report: report, context: context) : nil
        try testOnce(results, wider: wider, report: report, context: context)
    }

    // MARK: - Random search

    func randomSearch(_ results: SearchResults, report: Report, context: ChapterContext) throws {
        let settings = results.settings, seed = settings.seeds[0]
        let trials = results.trials(.random, seed: seed)
        let failed = trials.filter(\.failed)
        let ranked = trials.filter { !$0.failed }.sorted { $0.score! > $1.score! }
        let shown = Array(ranked.prefix(20))
        // The search measured each trial only at the end; the curves are recomputed from the trials'
        // seeds, which reproduces each run exactly.
        let curves = context.train(shown.map { settings.run(.random, seed: seed, number: $0.number, $0.hyperparameters, curves: true) },
                                   title: "curves of the best trials")
        let reproduced = zip(shown, curves).allSatisfy { $0.score == $1.history.validationAccuracy.last }
        for curve in curves {
            report.series += [Metric.validationAccuracy, .trainAccuracy].map { metric in
                let c = curve.history.curve(metric)
                return Series(label: curve.run.label, seed: seed, metric: metric.rawValue, x: c.x, y: c.y)
            }
        }
        let grid = Figure.trialCurves(shown, curves: curves,
                                      title: "The best \(shown.count) random trials (seed \(seed)): validation (solid) and training (dashed) accuracy")
        let gridNumber = report.figure(grid, name: "best-trials",
                                       caption: "The \(shown.count) random-search trials of seed \(seed) with the best validation accuracy, best first, each titled with its learning rate and weight decay: validation accuracy (solid) and training accuracy (dashed) after every epoch.")
        let best = ranked.first
        let goodThreshold = 0.8 * (best?.score ?? 0)
        let good = ranked.filter { $0.score! >= goodThreshold }
        let goodRates = good.map { log10($0.hyperparameters.learningRate) }, goodDecays = good.map { log10($0.hyperparameters.weightDecay) }
        report.paragraph("""
            **What Figure \(gridNumber) shows.** Of seed \(seed)'s \(trials.count) trials, the best reaches \
            \(best.map { Format.percent($0.score!) } ?? "—") validation accuracy with \
            \(best?.hyperparameters.summary ?? "—"). \(good.count) trials reach at least 80% of that; their learning \
            rates lie between \(good.isEmpty ? "—" : Format.scientific(pow(10, goodRates.min()!))) and \(good.isEmpty ? "—" : Format.scientific(pow(10, goodRates.max()!))), \
            while their weight decays spread over \(good.isEmpty ? "—" : Format.scientific(pow(10, goodDecays.min()!)))–\(good.isEmpty ? "—" : Format.scientific(pow(10, goodDecays.max()!))): \
            in these ranges the learning rate decides and weight decay hardly matters: with SGD each step \
            shrinks every weight by the factor $1 - \\eta\\lambda$, and even the largest $\\eta\\lambda$ here, \
            \(Format.scientific(pow(10, settings.space.learningRate.upperBound + settings.space.weightDecay.upperBound))), shrinks a weight by \
            \(Format.percent(1 - pow(1 - pow(10, settings.space.learningRate.upperBound + settings.space.weightDecay.upperBound), Double(settings.epochs * settings.iterationsPerEpoch)), decimals: 2)) \
            over the \(settings.epochs * settings.iterationsPerEpoch) steps of a trial. With too small a learning rate the network has \
            barely moved after \(settings.epochs) epochs. \
            \(failed.isEmpty ? "No trial failed." : "\(failed.count) trials failed (the loss became NaN or infinite): " + failed.map { "#\($0.number) (\($0.hyperparameters.summary), epoch \($0.failedEpoch!))" }.joined(separator: ", ") + ".") \
            The curves were recomputed for this figure from the trials' seeds\(reproduced ? ", and each ends on exactly the validation accuracy its trial scored" : "; they do not all reproduce the search's scores, which is a bug").
            """)
    }

    // MARK: - Coarse to fine

    func coarseToFine(_ results: SearchResults, report: Report) throws {
        let settings = results.settings
        report.heading("Coarse to fine: the notes' step 4")
        report.paragraph("""
            The notes end their recipe with: repeat, then narrow the ranges to where the good results were. \
            Made into a rule: spend half the budget, \(settings.coarseRound) trials, at random over the whole box; take \
            the \(settings.coarseTop) best; draw the smallest box around them in log units, widened by a quarter of its \
            width (at least a quarter of a decade) on each side; spend the other \(settings.trials - settings.coarseRound) trials \
            at random in that box. The first round is the first half of random search, trial for trial, so \
            the two methods differ only in where the second half looks.
            """)
        try report.code(file: "Sources/Search/SearchSpace.swift", marker: "narrowing")
        let gains = settings.seeds.map { s -> Double in
            let curve = results.bestSoFar(.coarseToFine, seed: s)
            return curve.last! - curve[settings.coarseRound - 1]
        }
        report.table(headers: ["seed", "narrowed box", "best after round 1", "best after round 2", "gain"],
                     rows: settings.seeds.enumerated().map { index, s in
                         let curve = results.bestSoFar(.coarseToFine, seed: s)
                         return ["\(s)", results.narrowed[s]?.summary ?? "—", Format.percent(curve[settings.coarseRound - 1]),
                                 Format.percent(curve.last!), String(format: "%+.1f points", gains[index] * 100)]
                     })
        report.summary["coarse_to_fine_gain"] = .array(gains.map { .number($0) })
    }

    // MARK: - Bayesian optimisation

    func bayesian(_ results: SearchResults, report: Report) throws {
        let settings = results.settings
        report.heading("Bayesian optimisation, beyond the notes")
        report.paragraph("""
            The notes mention Bayesian optimisation in one line. The idea: instead of drawing trials \
            blindly, keep a statistical model of how validation accuracy depends on the hyperparameters, \
            and run each next trial where the model expects the most to gain. The model here is a \
            Gaussian process over the unit square (the search box in log units): a guess $m$ of the \
            accuracy plus a smooth deviation whose covariance between two points falls with their distance \
            $d$, scaled per axis by a length scale $\\ell_i$ (the Matérn 5/2 kernel):
            """)
        report.math("k(x, x') = \\sigma^2 \\Big(1 + \\sqrt{5}\\,d + \\tfrac{5}{3} d^2\\Big) e^{-\\sqrt{5}\\,d}, \\qquad d = \\sqrt{\\textstyle\\sum_i \\big((x_i - x'_i)/\\ell_i\\big)^2}")
        try report.code(file: "Sources/Search/GaussianProcess.swift", marker: "matern")
        report.paragraph("""
            Given the trials so far ($X$, with accuracies $y$ and noise $\\sigma^2\\eta$), its belief at a new point $x$ \
            is a normal distribution with mean $\\mu(x) = m + r^\\top (R + \\eta I)^{-1} (y - m)$ and variance \
            $\\sigma^2 (1 - r^\\top (R + \\eta I)^{-1} r)$, where $R$ holds the correlations between the trials and \
            $r$ those between them and $x$ (solved here through a Cholesky factor of $R + \\eta I$):
            """)
        try report.code(file: "Sources/Search/GaussianProcess.swift", marker: "posterior")
        report.paragraph("""
            The length scales (from 0.05 to 1.6 of the box, per axis) and the noise (from $10^{-6}$ to 0.1) are \
            those that make the measured accuracies most likely (the marginal likelihood, over a grid), with \
            $m$ the accuracies' mean and $\\sigma^2$ set to its most likely value. The next trial goes where the \
            *expected improvement* over the best accuracy $y^*$ so far is largest:
            """)
        report.math("\\text{EI}(x) = \\big(\\mu(x) - y^*\\big)\\,\\Phi(z) + \\sigma(x)\\,\\varphi(z), \\qquad z = \\frac{\\mu(x) - y^*}{\\sigma(x)}")
        try report.code(file: "Sources/Search/GaussianProcess.swift", marker: "expected-improvement")
        report.paragraph("""
            It is maximised over \(BayesianOptimization.candidates) random points of the box plus \
            \(BayesianOptimization.localCandidates) near each of the five best trials. Trials run side by side, so the \
            method proposes \(settings.bayesBatch) at a time: it takes the best candidate, pretends it was measured and \
            scored exactly what the model predicts, and asks again (the *kriging believer* rule). The batch is \
            always \(settings.bayesBatch), whatever the number of cores, so the proposals, and every number here, \
            do not depend on `--jobs`. The search starts from the first \(settings.warmUp) random-search trials; a \
            failed trial enters the model as the worst accuracy seen, so the model steers away from it.
            """)
        try report.code(file: "Sources/Search/BayesianOptimization.swift", marker: "propose")
    }

    // MARK: - The three methods side by side

    func compareMethods(_ results: SearchResults, report: Report) {
        let settings = results.settings
        let methods = settings.methods
        report.heading("Where each method looked, and how fast it found good settings")
        let seed = settings.seeds[0]
        var scatter = Figure(rows: 1, columns: methods.count, title: "Trials of seed \(seed) by learning rate and weight decay",
                             width: 360 * Double(methods.count) + 60, panelHeight: 380)
        for (column, method) in methods.enumerated() {
            var scale = ColorScale(range: 0...1, label: "validation accuracy")
            scale.showsBar = column == methods.count - 1
            scatter[0, column] = .trials(results.trials(method, seed: seed), method: method, in: settings.space,
                                         startsAfter: method == .coarseToFine ? settings.coarseRound : (method == .bayes ? settings.warmUp : Int.max),
                                         narrowed: method == .coarseToFine ? results.narrowed[seed] : nil, scale: scale,
                                         yLabel: column == 0 ? "weight decay" : nil)
        }
        report.describeMetric("trials", "one point per finished trial: x its learning rate, y its weight decay")
        report.describeMetric("trials_value", "the validation accuracy of each finished trial (x: its learning rate)")
        report.describeMetric("failed_trials", "trials whose loss became NaN or infinite: x their learning rate, y their weight decay")
        let scatterNumber = report.figure(scatter, name: "trials",
                                          caption: "Every trial of seed \(seed) at its learning rate and weight decay (log axes), coloured by validation accuracy; circles are random draws, squares the second round of coarse to fine or the proposals of Bayesian optimisation; the dashed box is coarse to fine's narrowed range; red crosses are failed trials.")

        var progressFigure = Figure(width: 900, panelHeight: 400)
        var panel = Panel.accuracy(title: nil, xLabel: "trials so far", yLabel: "best validation accuracy so far")
        for (index, method) in methods.enumerated() {
            let band = results.bestSoFarBand(method)
            panel.lineWithBand(band.x, mean: band.mean, lower: band.lower, upper: band.upper, label: method.rawValue, color: Palette.color(index),
                               dataName: "best_val_so_far")
        }
        let lowest = methods.flatMap { m in settings.seeds.flatMap { results.bestSoFar(m, seed: $0).filter(\.isFinite) } }.min() ?? 0
        panel.yLimits = max(0, floor(lowest * 10) / 10 - 0.05)...1.0
        progressFigure[0, 0] = panel
        let progressNumber = report.figure(progressFigure, name: "best-so-far",
                                           caption: "Best validation accuracy after each trial, mean over \(settings.seeds.count) seeds with the band from the lowest to the highest seed. The methods share their first trials: coarse to fine its first \(settings.coarseRound) with random search, Bayesian optimisation its first \(settings.warmUp).")
        let checkpoints = Array(Set([settings.warmUp, settings.trials / 4, settings.coarseRound, settings.trials].filter { $0 >= 1 })).sorted()
        report.table(headers: ["method"] + checkpoints.map { "best after \($0)" } + ["trials failed"],
                     rows: methods.map { method in
                         [method.rawValue] + checkpoints.map { percentWithRange(results.best(method, after: $0)) }
                            + ["\(results.failures(method))"]
                     })
        var sentences: [String] = []
        let final = Dictionary(uniqueKeysWithValues: methods.map { ($0, results.best($0, after: settings.trials)) })
        if let random = final[.random] {
            for method in methods where method != .random {
                let other = final[method]!
                let verdict = other.isClearlyAbove(random) ? "ahead of random search on every seed"
                    : other.isClearlyBelow(random) ? "behind random search on every seed" : "within the seed-to-seed noise of random search"
                sentences.append("\(method.rawValue) is \(verdict) (\(percentWithRange(other)) against \(percentWithRange(random)))")
            }
        }
        report.paragraph("""
            **What Figures \(scatterNumber) and \(progressNumber) show.** Random search spreads its trials evenly over \
            the box, most of them where the learning rate is too small to learn anything in \(settings.epochs) epochs. \
            Coarse to fine spends its second half inside the box around the first half's best, and Bayesian \
            optimisation moves towards the large learning rates after a few proposals. \
            \(sentences.isEmpty ? "" : "After \(settings.trials) trials " + sentences.joined(separator: "; ") + ".") \
            With \(settings.seeds.count) seeds and a validation set of \(settings.validationImages) images, \
            where one image is a point of accuracy, differences of a point or two are not evidence of anything.
            """)
        if final[.random] != nil {
            let margin = Margin.resolution(of: results.best(.random, after: settings.trials).mean, on: settings.validationImages, images: "validation images")
            for (method, claim) in [(SearchMethod.coarseToFine, Self.narrowing), (.bayes, Self.bayes)] where final[method] != nil {
                report.claim(claim, Decision.paired(results.best(method, after: settings.trials), results.best(.random, after: settings.trials), .higher,
                                                    margin: margin, scale: .accuracy, names: ("best of \(method.rawValue)", "best of random"))
                                .explained("paired over search seeds, not extended (each seed is a whole search of \(settings.distinctTrials) trainings): " + "holds when the 95% interval of the mean difference (Student's t) lies above the other by more than \(Format.number(margin.value * 100, digits: 2)) points (\(margin.reason)); does not hold when it lies no further; undecided in between"),
                             figures: ["best-so-far", "trials"])
            }
        }
    }

    // MARK: - Beyond the notes' box

    /// Bayesian optimisation again, with the learning-rate range moved two decades up: is the edge
    /// where the best trials sit a property of the problem or of the box?
    func beyondTheBox(_ results: SearchResults, report: Report, context: ChapterContext) -> SearchResults {
        let settings = results.settings
        var wide = settings
        wide.methods = [.bayes]
        wide.trials = max(2, settings.trials / 2)
        wide.space.learningRate = (settings.space.learningRate.lowerBound + 2)...(settings.space.learningRate.upperBound + 2)
        report.heading("Beyond the notes' box")
        let bests = settings.seeds.compactMap { results.best(.bayes, seed: $0)?.hyperparameters.learningRate }
        let atEdge = bests.filter { log10($0) > settings.space.learningRate.upperBound - 0.25 }.count
        report.paragraph("""
            The best trials crowd against the top of the learning-rate range: \(atEdge) of the \(bests.count) seeds' best \
            Bayesian trials lie within a quarter of a decade of its upper end, \(Format.scientific(pow(10, settings.space.learningRate.upperBound))). \
            The notes' own first step says to start from a rough, wide range; the course's code starts from \
            one whose best point is its edge. So once more, Bayesian optimisation with half the budget \
            (\(wide.trials) trials) and the learning-rate range moved two decades up, \(wide.space.summary):
            """)
        let found = HyperparameterSearch(settings: wide, dataset: context.dataset, workers: context.workers, cache: context.cache).run()
        context.settings.record("wider search", "Bayesian optimisation, \(wide.trials) trials, \(wide.space.summary)")
        report.series += found.bestSoFarSeries(.bayes, label: "bayes, \(wide.space.summary)")
        let narrow = results.best(.bayes, after: wide.trials), widened = found.best(.bayes, after: wide.trials)
        report.table(headers: ["search", "best validation accuracy after \(wide.trials) trials", "learning rate of the best trial (per seed)"],
                     rows: [["Bayesian optimisation, \(settings.space.summary)", percentWithRange(narrow),
                             settings.seeds.compactMap { results.best(.bayes, seed: $0).map { Format.scientific($0.hyperparameters.learningRate) } }.joined(separator: ", ")],
                            ["Bayesian optimisation, \(wide.space.summary)", percentWithRange(widened),
                             wide.seeds.compactMap { found.best(.bayes, seed: $0).map { Format.scientific($0.hyperparameters.learningRate) } }.joined(separator: ", ")]])
        let failures = found.failures(.bayes)
        report.paragraph("""
            With room above 10⁻² the search finds \(widened.isClearlyAbove(narrow) ? "better" : (widened.mean > narrow.mean ? "slightly better, though not on every seed," : "no better")) \
            settings (\(percentWithRange(widened)) against \(percentWithRange(narrow)) after the same \(wide.trials) trials)\
            \(failures > 0 ? ", and \(failures) of its trials failed: too large a rate makes the loss overflow, the other edge of the range" : ""). \
            The range is part of the search: a box drawn too tight decides the answer before any trial runs.
            """)
        return found
    }

    // MARK: - One look at the test set

    func testOnce(_ results: SearchResults, wider: SearchResults?, report: Report, context: ChapterContext) throws {
        let settings = results.settings
        report.heading("One look at the test set")
        report.paragraph("""
            Only now does the test set come in. Each method's best trial for each seed is trained once more, \
            with its learning rate and weight decay, on all \(settings.tuningImages) tuning images (training and \
            validation together) for \(settings.epochs) epochs with a fresh seed, and evaluated once on the \
            \(context.dataset.test.count) test images.
            """)
        var chosen: [(String, UInt64, TrialRecord)] = []
        for method in settings.methods {
            for s in settings.seeds { if let best = results.best(method, seed: s) { chosen.append((method.rawValue, s, best)) } }
        }
        for s in settings.seeds {
            if let wider, let best = wider.best(.bayes, seed: s) { chosen.append(("bayes, \(wider.settings.space.summary)", s, best)) }
        }
        let finals = context.train(chosen.map { settings.finalRun($0.2.method, seed: $0.1, $0.2.hyperparameters) },
                                   title: "the chosen settings on the test set")
        let test = finals.map { $0.finalTestAccuracy ?? .nan }
        var rows: [[String]] = []
        var entries: [JSONValue] = []
        for ((name, s, trial), accuracy) in zip(chosen, test) {
            let h = trial.hyperparameters, validation = trial.score!
            rows.append([name, "\(s)", "#\(trial.number)", Format.scientific(h.learningRate), Format.scientific(h.weightDecay),
                         Format.percent(validation), Format.percent(accuracy)])
            let entry: [String: JSONValue] = ["method": .string(name), "seed": .number(Double(s)), "trial": .number(Double(trial.number)),
                                              "learning_rate": .number(h.learningRate), "weight_decay": .number(h.weightDecay),
                                              "val_acc": .number(validation), "test_acc": .number(accuracy)]
            entries.append(.object(entry))
        }
        report.table(headers: ["method", "seed", "chosen trial", "learning rate", "weight decay", "validation accuracy (in the search)",
                               "test accuracy (once, at the end)"], rows: rows)
        let optimism = SeedSummary(zip(chosen, test).map { $0.2.score! - $1 })
        let above = optimism.present.filter { $0 > 0 }.count
        report.paragraph("""
            The best of a search's validation scores is itself a maximum over noisy numbers: on average it \
            stands \(percentagePoints(optimism)) above what the same setting then scores on the test set \
            (higher in \(above) of \(optimism.present.count) cases), even though the final runs train on a quarter more \
            images. That gap is what choosing by the test set would have hidden, and why the notes keep the \
            test set out of the search.
            """)
        report.claim(Self.testSetOverfit, .threshold(optimism, .higher, 0, levelText: "zero", scale: .accuracy,
                                                     name: "validation − test accuracy of the chosen settings, over methods and seeds"))
        report.summary["test"] = .array(entries)
        let bests = settings.methods.map { "\($0.rawValue) \(Format.percent(results.best($0, after: settings.trials).mean))" }
        report.summary["finding"] = .string("Best validation accuracy after \(settings.trials) trials (mean over seeds): \(bests.joined(separator: ", ")); "
            + "the chosen settings score \(percentagePoints(optimism)) lower on the test set than on validation.")
    }
}

extension HyperparametersChapter {
    static let shuffle = NotesClaim("hyperparameters.shuffle", quote: "データが並んでたりするので分離前にシャッフルすること．", claim: "Shuffle the training data before holding out validation data, because data files are often ordered.")
    static let narrowing = NotesClaim("hyperparameters.coarse-to-fine", quote: "それらの認識精度の結果がよかったものを参考に，ハイパーパラメータの範囲を狭めていく．", claim: "Narrowing the ranges around the best trials and searching again finds better settings.")
    static let bayes = NotesClaim("hyperparameters.bayes", quote: "ベイズの定理を使って効率よく最適化を行う`ベイズ最適化`なども使える．", claim: "Bayesian optimisation searches more efficiently than random search.")
    static let testSetOverfit = NotesClaim("hyperparameters.test-set", quote: "テストデータを使ってハイパーパラメータの値を調整してはいけない．テストデータに対して過学習することもあり得るから．", claim: "Choosing hyperparameters by the test set would overfit it: the score that chose a setting overstates how it does on new data.")
}

runChapter(HyperparametersChapter.self)
