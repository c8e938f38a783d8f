// Chapter: hyperparameter search. Reads top to bottom like the notebook it replaces.
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

struct HyperparametersChapter: Chapter {
    static let name = "hyperparameters"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: """
            Hyperparameter search on validation data: the notes' random search, its coarse-to-fine second round, \
            Bayesian optimisation and Hyperband, by trials and by epochs spent.
            """,
        discussion: """
            Writes <output>/hyperparameters/README.md with its figures, their CSV data and results.json. A search \
            runs in stages (each depends only on those before it) and can be spread over machines: --shard i/n trains \
            shard i of the next stage into <output>/hyperparameters/stage-<k>-shard-<i>-of-<n>.json; --combine FILE... \
            gathers a complete stage into stage-<k>.json, which the next stage's shards take with --after; --merge \
            FILE... trains whatever remains and writes the report. Give every piece the same options.
            """)

    /// The course's search: 100 trials of 50 epochs on 500 tuning images.
    enum Defaults: ChapterDefaults {
        static let length = 50, quickLength = 10
        static let trainingImages: Int? = 500
        static let trials = 100, quickTrials = 12
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions<Defaults>
    @OptionGroup var search: SearchOptions

    func build(_ report: Report, context: ChapterContext) throws {
        let hyperparameterSearch = try self.hyperparameterSearch(context), settings = hyperparameterSearch.settings
        let known = try precomputed(hyperparameterSearch)
        report.title = "Hyperparameter search: choosing on validation data"
        report.paragraph("""
            The weights and biases are *parameters*: training finds them. The number of units, the batch size, the \
            learning rate, the strength of weight decay are *hyperparameters*: someone has to choose them, and a \
            network's accuracy can depend on them more than on anything else. This chapter follows the notes' recipe \
            for choosing two of them, the learning rate and the weight decay, by random search on validation data and \
            a narrower second round (\(report.cite(.bergstra2012))); then sets two methods beyond the notes beside it, Bayesian \
            optimisation (\(report.cite(.snoek2012))) and Hyperband (\(report.cite(.li2018))), and compares all of them by the \
            trials they ran and by the epochs they trained.
            """)
        validationData(report, context: context, settings: settings)
        report.heading("Random search, as the notes describe it")
        report.paragraph("""
            Each trial trains the course's network (\(settings.network.summary), SGD, mini-batches of \(settings.batchSize)) \
            for \(settings.epochs) epochs on the \(settings.tuningImages - settings.validationImages) training images and scores it by \
            its accuracy on the \(settings.validationImages) validation images after the last epoch. Its learning rate is $10^u$ and \
            its weight decay $10^v$ with $u$ and $v$ drawn uniformly from \(settings.space.summary) (the notes' ranges), so every \
            decade gets the same share of trials. \(settings.trials) trials per search, and the whole search over \(settings.seeds.count) seeds.
            """)
        report.paragraph("""
            Every trial of one search seed, whatever its method, draws the same mini-batches in the same order (*common random \
            numbers*, the same idea as the paired seeds of the other chapters); trials differ only in their setting and their \
            initial weights. A difference between two trials is then not partly the luck of which images each happened to \
            see when, so the comparison the search makes between settings is cleaner, and two trials can share the drawing and \
            gathering of each batch.
            """)
        let results = context.run(hyperparameterSearch, after: known, report: report)
        if settings.methods.contains(.random) { randomSearch(results, report: report, context: context) }
        if settings.methods.contains(.coarseToFine) { try coarseToFine(results, report: report) }
        if settings.methods.contains(.bayes) { try bayesian(report, settings: settings) }
        if settings.methods.contains(.hyperband) { hyperband(report, settings: settings) }
        let (grown, progress) = compare(results, report: report, context: context)
        if settings.methods.contains(.random) { importance(results, report: report) }
        let wider = settings.methods.contains(.bayes) ? beyondTheBox(results, report: report, context: context) : nil
        testOnce(results, grown: grown, wider: wider, report: report, context: context)
        grown?.recordSettings()
        func verdict(_ claim: NotesClaim) -> String { report.verdict(claim)?.predicate ?? "was not checked" }
        let bests = results.methods.filter { $0 != .randomTwice }.map { method -> String in
            let trials = results.trials(method, seed: settings.seeds[0]).count
            return "\(method.rawValue) \(Format.percent(results.best(method, after: trials).mean))"
        }
        report.lead("""
            Searched on validation data, as the notes ask, the best settings reach (mean over search seeds) \
            \(Format.list(bests)). Scored on training images no trial sees, the claim that Bayesian optimisation finds better \
            settings than random search \(verdict(Self.bayes)), and that the notes' coarse-to-fine second round does \
            \(verdict(Self.narrowing)). Choosing a setting by the test set, the notes warn, overstates it: that \
            \(verdict(Self.testSetOverfit)).
            """, claim: Self.bayes.id, figure: progress)
    }

    // MARK: - Validation data

    func validationData(_ report: Report, context: ChapterContext, settings: SearchSettings) {
        report.heading("Validation data, never the test set")
        let seed = settings.seeds[0], dataset = context.dataset
        let split = dataset.tuningSplit(first: settings.tuningImages, validationFraction: settings.validationFraction,
                                        seed: seed)
        report.paragraph("""
            Choosing hyperparameters is itself a kind of fitting: try a hundred settings and keep the one that scores \
            best, and that score is partly luck of the draw on the images it was measured on. Measure it on the test set \
            and the test set stops being an honest estimate of accuracy on new images, because it helped to choose. So \
            the search scores its trials on *validation* data cut from the training images, and the test set is looked \
            at once, at the very end. Following the course, the search uses the first \(settings.tuningImages) training \
            images, shuffled, with \(split.validation.count) held out for validation and \(split.training.count) to train on; \
            each seed shuffles differently.
            """)
        let fileStart = Array(dataset.fileLabels.prefix(split.validation.count))
        // Where the file is not ordered, the notes' reason does not apply to it, and the report says so.
        let mixedNote = Set(fileStart).count == 10 ? """
             On this file, then, validation images cut from its start would hold every class without a shuffle: the \
            notes' reason does not apply here, though it does to an ordered file, such as the 5,000 digits embedded for \
            offline use, which are sorted by label.
            """ : ""
        func counts(_ labels: [Int]) -> [String] { (0...9).map { label in "\(labels.filter { $0 == label }.count)" } }
        report.paragraph("""
            The notes insist on shuffling before the split, because data files are often ordered. The file these \
            \(dataset.items) come from \(dataset.fileLabels == dataset.fileLabels.sorted() ? "is sorted by label" : "stores its classes mixed"): \
            its first \(split.validation.count) \(dataset.items) hold \(Set(fileStart).count) of the 10 classes.\(mixedNote) \
            After the shuffle:
            """)
        report.table(headers: ["validation images"] + (0...9).map { "\($0)" },
                     rows: [["""
                         first \(split.validation.count) of the file, as stored
                         """] + counts(fileStart), ["after the shuffle (seed \(seed))"] + counts(split.validation.labels)])
        let sets = [("first \(split.validation.count) of the file, as stored", fileStart),
                    ("validation images after the shuffle (seed \(seed))", split.validation.labels)]
        let counts = report.figure(.classCounts(sets, classes: 10),
                                   name: "validation-classes", caption: """
            How many of the \(split.validation.count) validation images belong to each class: cut from the start of the file \
            as it is stored (left), and after the shuffle (right).
            """)
        // A shuffle of hundreds of images brings every class by construction: shown beside; whether the
        // file is ordered, which the notes give as the reason, decides.
        report.claim(Self.shuffle, .parts([
            ("the file is ordered", .value(Double(Set(fileStart).count), .lower, 9.5, tolerance: 0, name: """
                classes among the first \(split.validation.count) of the file
                """)),
        ]).beside([
            ("the shuffle brings every class (certain by construction)",
             .value(Double(Set(split.validation.labels).count), .higher, 9.5, tolerance: 0,
                    name: "classes among the validation images")),
        ]), figures: [counts])
    }

    // MARK: - Random search and coarse to fine

    func randomSearch(_ results: SearchResults, report: Report, context: ChapterContext) {
        let settings = results.settings, seed = settings.seeds[0], trials = results.trials(.random, seed: seed)
        let (number, shown, reproduced) = context.bestTrialCurves(results, method: .random, seed: seed, report: report)
        let good = shown.filter { $0.score! >= 0.8 * (shown.first?.score
            ?? 0) }.map(\.hyperparameters), failed = trials.filter(\.failed)
        report.paragraph("""
            **What Figure \(number) shows.** Of seed \(seed)'s \(trials.count) trials, the best reaches \
            \(shown.first.map { Format.percent($0.score!) } ?? "—") validation accuracy with \(shown.first?.hyperparameters.summary ?? "—"). \
            Of the best \(shown.count), \(good.count) reach at least 80% of that; their learning rates lie between \
            \(good.map { $0[.learningRate] }.min().map(Format.rate) ?? "—") and \(good.map { $0[.learningRate] }.max().map(Format.rate) ?? "—"), while \
            their weight decays spread over \(good.map { $0[.weightDecay] }.min().map(Format.rate) ?? "—")–\(good.map { $0[.weightDecay] }.max().map(Format.rate) ?? "—"). \
            With too small a learning rate the network has barely moved after \(settings.epochs) epochs. \
            \(failed.isEmpty ? "No trial failed." : "\(failed.count) trials failed (the loss became NaN or infinite): " + failed.map { "#\($0.number) (epoch \($0.failedEpoch!))" }.joined(separator: ", ") + ".") \
            Each curve ends on \(reproduced ? "exactly the score its trial had in the search: the runs are reproducible" : "a score other than its trial's, which is a bug").
            """)
        context.showCourse(.hyperparameters, [
            CourseRow("best validation accuracy of \(settings.trials) random trials",
                      course: context.course(.hyperparameters, "best_val_acc"),
                      here: results.best(.random, after: settings.trials), isAccuracy: true),
        ], intro: """
            The course's `hyperparameter_optimization.py` draws its \(settings.trials) trials from the same box, on the same \
            \(settings.tuningImages) images split the same way, and keeps the best validation accuracy; one search seed here is one \
            NumPy seed there.
            """)
    }

    func coarseToFine(_ results: SearchResults, report: Report) throws {
        let settings = results.settings
        report.heading("Coarse to fine: the notes' step 4")
        report.paragraph("""
            The notes end their recipe with: repeat, then narrow the ranges to where the good results were. Made into \
            a rule: spend half the budget, \(settings.coarseRound) trials, at random over the whole box (random search's \
            first half, trial for trial); take the \(settings.coarseTop) best; draw the smallest box around them in log units, \
            widened by a quarter of its width (at least a quarter of a decade) on each side; spend the other \
            \(settings.trials - settings.coarseRound) trials at random in that box.
            """)
        try report.code(file: "Sources/Search/SearchSpace.swift", marker: "narrowing")
        let curves = settings.seeds.map { results.bestSoFar(.coarseToFine, seed: $0) }
        report.table(headers: ["seed", "narrowed box", "best after round 1", "best after round 2"],
                     rows: zip(settings.seeds, curves).map { s, curve in
            ["\(s)", results.narrowed[s]?.summary ?? "—", Format.percent(curve[settings.coarseRound - 1]),
             Format.percent(curve.last!)] })
    }

    // MARK: - Beyond the notes: Bayesian optimisation and Hyperband

    func bayesian(_ report: Report, settings: SearchSettings) throws {
        report.heading("Bayesian optimisation, beyond the notes")
        report.paragraph("""
            The notes mention Bayesian optimisation in one line. Instead of drawing trials blindly, it keeps a \
            statistical model of how validation accuracy depends on the hyperparameters and runs each next trial where \
            the model expects the most to gain. The model is a Gaussian process over the unit square (the box in log \
            units): a guess $m$ plus a smooth deviation whose covariance falls with the distance $d$, scaled per axis by \
            a length scale $\\ell_i$ (Matérn 5/2):
            """)
        report.math("""
            k(x, x') = \\sigma^2 \\Big(1 + \\sqrt{5}\\,d + \\tfrac{5}{3} d^2\\Big) e^{-\\sqrt{5}\\,d}, \\qquad d = \
            \\sqrt{\\textstyle\\sum_i \\big((x_i - x'_i)/\\ell_i\\big)^2}
            """)
        report.paragraph("""
            Its belief at $x$ is normal with mean $\\mu(x) = m + r^\\top (R + \\eta I)^{-1} (y - m)$ and variance \
            $\\sigma^2 (1 - r^\\top (R + \\eta I)^{-1} r)$ ($R$ the trials' correlations, $r$ theirs with $x$, length scales and noise \
            $\\eta$ the likeliest). After \(settings.warmUp) random trials, the next \(settings.bayesBatch) go where the *expected improvement* over the best score $y^*$ is largest:
            """)
        report.math("""
            \\text{EI}(x) = \\big(\\mu(x) - y^*\\big)\\,\\Phi(z) + \\sigma(x)\\,\\varphi(z), \\qquad z = \
            \\frac{\\mu(x) - y^*}{\\sigma(x)}
            """)
        try report.code(file: "Sources/Search/BayesianOptimization.swift", marker: "propose")
    }

    func hyperband(_ report: Report, settings: SearchSettings) {
        let hyperband = settings.hyperband
        report.heading("Hyperband: stopping the hopeless early")
        report.paragraph("""
            Most random trials are hopeless long before their last epoch, yet each trains all \(settings.epochs). *Successive \
            halving* trains many settings briefly, keeps the best third, trains those three times longer, and so on up to the \
            full length; *Hyperband* (Li et al., 2018) hedges how early the first cut may come by running several such brackets \
            side by side, every rung in step so that no result depends on how many trials run at once. Its first settings are \
            random search's, in order, so the two differ only in how long they train. One pass of the brackets tries \
            \(hyperband.settingsPerPass) settings in \(hyperband.budgetPerPass) trials and \(hyperband.epochsPerPass.formatted()) epochs \
            per search (each trial trained from the start), against \((settings.trials * settings.epochs).formatted()) for random search:
            """)
        report.table(headers: ["bracket", "rung", "settings", "epochs each"],
                     rows: hyperband.rungs.map { ["\($0.bracket)", "\($0.rung + 1)", "\($0.settings)",
                                                  "\($0.epochs)"] })
        report.paragraph("""
            Judged after one pass, Hyperband has spent a fraction of random search's epochs, and comparing it with all of \
            random search compares unequal budgets. As Li et al. do, the brackets therefore run again with new settings while \
            the budget lasts: \(hyperband.passes == 1 ? "one pass" : "\(hyperband.passes) passes"), \(hyperband.epochs.formatted()) epochs per search\
            \(hyperband.passes * hyperband.epochsPerPass < settings.trials * settings.epochs ? " (another pass would overspend)" : ""). \
            Bayesian optimisation and coarse to fine train every trial in full, so they spend what random search spends.
            """)
    }

    /// "1 epoch", "6 epochs".
    static func epochs(_ n: Int) -> String { n == 1 ? "1 epoch" : "\(n) epochs" }

    // MARK: - Which hyperparameter matters

    func importance(_ results: SearchResults, report: Report) {
        let settings = results.settings
        report.heading("Which hyperparameter matters")
        let (importances, bars, surface) = report.importance(results, method: .random)
        func share(_ values: [Double]) -> String { """
            \(Format.percent(values.reduce(0, +) / Double(values.count), decimals: 0)) \
            (\(Format.percent(values.min()!, decimals: 0))–\(Format.percent(values.max()!, decimals: 0)))
            """ }
        func scale(_ side: Int) -> String { Format.number(importances.map { $0.lengthScales[side] }.reduce(0,
                +) / Double(importances.count), digits: 2) }
        report.paragraph("""
            **What Figures \(bars) and \(surface) show.** The learning rate explains \(share(importances.map { $0.share(.learningRate) })) of the \
            variation, the weight decay \(share(importances.map { $0.share(.weightDecay) })), the two together \(share(importances.map(\.interaction))) \
            (mean over seeds, then the range). The fitted length scales say the same from the other side: the score \
            changes over \(scale(0)) of the box along the learning rate and over \(scale(1)) along the weight decay. Over the \
            notes' range weight decay hardly matters: SGD shrinks each weight by $1 - \\eta\\lambda$ per step, and even the \
            largest $\\eta\\lambda$ here is \(Format.rate(pow(10, settings.space[.learningRate]!.upperBound + settings.space[.weightDecay]!.upperBound))).
            """)
    }

    // MARK: - Beyond the notes' box, and one look at the test set

    /// Bayesian optimisation again with the learning-rate range two decades up: is the edge where the
    /// best trials sit the problem's or the box's?
    func beyondTheBox(_ results: SearchResults, report: Report, context: ChapterContext) -> SearchResults {
        report.heading("Beyond the notes' box")
        let found = context.widerSearch(results, decades: 2, report: report), wide = found.settings
        report.paragraph("""
            The best trials crowd against the top of the learning-rate range, \(Format.rate(pow(10, results.settings.space[.learningRate]!.upperBound))). \
            The notes' first step says to start from a rough, wide range; so once more, Bayesian optimisation with half the \
            budget (\(wide.trials) trials) and the range moved two decades up, \(wide.space.summary): it finds \
            \(percentWithRange(found.best(.bayes, after: wide.trials))) against \(percentWithRange(results.best(.bayes, after: wide.trials))) after the same \
            number of trials, with \(found.failures(.bayes)) trials failed (too large a rate makes the loss overflow). The box is part of the search.
            """)
        return found
    }

    func testOnce(_ results: SearchResults, grown: GrownSearch?, wider: SearchResults?, report: Report,
                  context: ChapterContext) {
        report.heading("One look at the test set")
        report.paragraph("""
            Only now does the test set come in. Each method's best trial for each seed is trained once more, on all \
            \(results.settings.tuningImages) tuning images for \(results.settings.epochs) epochs with a fresh seed, and measured once on the \
            \(context.dataset.test.count) test images.
            """)
        let widened = wider.map { w in w.chosen.map { ("bayes, \(w.settings.space.summary)", $0.method, $0.seed,
                                                       $0.trial) } } ?? []
        let checks = context.lookAtTheTestSet(results.chosen + widened, settings: results.settings, report: report)
        let optimism = SeedSummary(checks.map { $0.trial.score! - $0.testAccuracy })
        report.paragraph("""
            The best of a search's validation scores is a maximum over noisy numbers: on average it stands \
            \(percentagePoints(optimism)) above what the same setting then scores on the test set, even though the final \
            runs train on a quarter more images. Those runs also differ from the search's in their images and their seed, so \
            this gap mixes the luck of choosing with what more data and a new start do; the next section separates them.
            """)
        if let grown { choosingByTheTestSet(grown, report: report, context: context) }
    }

    static let shuffle = NotesClaim("hyperparameters.shuffle", quote: "データが並んでたりするので分離前にシャッフルすること．", claim: """
        Shuffle the training data before holding out validation data, because data files are often ordered.
        """)
    static let narrowing = NotesClaim("hyperparameters.coarse-to-fine",
                                      quote: "それらの認識精度の結果がよかったものを参考に，ハイパーパラメータの範囲を狭めていく．", claim: """
        Narrowing the ranges around the best trials and searching again finds better settings.
        """)
    static let bayes = NotesClaim("hyperparameters.bayes", quote: "ベイズの定理を使って効率よく最適化を行う`ベイズ最適化`なども使える．", claim: """
        Bayesian optimisation searches more efficiently than random search.
        """)
    static let shortTrials = NotesClaim("hyperparameters.short-trials", beyondTheNotes: """
        One pass of Hyperband's brackets, for a fraction of the epochs, finds settings as good as full-length random search.
        """)
    static let equalEpochs = NotesClaim("hyperparameters.hyperband-equal-epochs", beyondTheNotes: """
        Given as many epochs as random search, Hyperband finds settings at least as good.
        """)
    static let testSetOverfit = NotesClaim("hyperparameters.test-set", quote: """
        テストデータを使ってハイパーパラメータの値を調整してはいけない．テストデータに対して過学習することもあり得るから．
        """, claim: """
        Choosing hyperparameters by the test set can overfit it: chosen by its score on the test set (or on any other \
        set of that size the search never read), a setting's score there overstates its accuracy on new images by more \
        than when it is chosen on validation data (by any amount: the notes say it can happen).
        """)
}

runChapter(HyperparametersChapter.self)
