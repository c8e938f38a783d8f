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
        func counts(_ labels: [Int]) -> [String] { (0...9).map { label in "\(labels.filter { $0 == label }.count)" } }
        report.paragraph("""
            The notes insist on shuffling before the split, because data files are often ordered. The file these \
            \(dataset.items) come from \(dataset.fileLabels == dataset.fileLabels.sorted() ? "is sorted by label" : "stores its classes mixed"): \
            its first \(split.validation.count) \(dataset.items) hold \(Set(fileStart).count) of the 10 classes. After the shuffle:
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
        report.claim(Self.shuffle, .parts([
            ("the file is ordered", .value(Double(Set(fileStart).count), .lower, 9.5, tolerance: 0, name: """
                classes among the first \(split.validation.count) of the file
                """)),
            ("the shuffle brings every class",
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

    /// Hyperband's premise on the random trials: how well a short trial ranks settings.
    func premise(_ results: SearchResults, report: Report) -> FigureRef? {
        let settings = results.settings
        let rungs = Array(Set(settings.hyperband.rungs.map(\.epochs)).filter { $0 < settings.epochs }).sorted()
        guard settings.methods.contains(.random), !rungs.isEmpty else { return nil }
        let rankings = results.earlyRanking(.random, at: rungs)
        guard rankings.allSatisfy({ !$0.points.isEmpty }) else { return nil }
        report.heading("Hyperband's premise: does a short trial rank settings?")
        let figure = Figure.earlyRanking(rankings, seeds: settings.seeds, fullLength: settings.epochs)
        let number = report.figure(figure, name: "early-ranking", caption: """
            Every full-length random trial of every search seed: its validation accuracy after \
            \(rungs.map(String.init).joined(separator: ", ")) epoch\(rungs == [1] ? "" : "s") (Hyperband's rung lengths) against its accuracy after \
            \(settings.epochs); ρ is Spearman's rank correlation, the mean over seeds. The grey diagonal is equal accuracy.
            """)
        let firstSupported = rankings.first { $0.keepsTheBest == settings.seeds.count && $0.correlation.minimum >= 0.8 }
        report.table(headers: ["first cut after", "rank correlation with the end (mean, lowest–highest seed)",
                               "seeds where the final best is in the top third"],
                     rows: rankings.map { r in
                         let rho = { (v: Double) in Format.number(v, digits: 2) }, c = r.correlation
                         return [Self.epochs(r.epochs), "\(rho(c.mean)) (\(rho(c.minimum))–\(rho(c.maximum)))",
                                 "\(r.keepsTheBest) of \(r.correlation.values.count)"]
                     })
        report.paragraph("""
            **What Figure \(number) shows.** Hyperband bets that a setting's score after a few epochs ranks it as its score at \
            the end would. Here the rank correlation after \(Self.epochs(rankings[0].epochs)) is \
            \(Format.number(rankings[0].correlation.mean, digits: 2)), after \(Self.epochs(rankings.last!.epochs)) \
            \(Format.number(rankings.last!.correlation.mean, digits: 2)). \
            \(firstSupported.map { "The first cut the data support, keeping the eventual best setting in every seed with a rank correlation of at least 0.8 in each, comes after \(Self.epochs($0.epochs))" } ?? "No rung keeps the eventual best setting in every seed with a rank correlation of at least 0.8 in each: every first cut here risks dropping the setting that would have won")\
            \(firstSupported.map { $0.epochs == rankings[0].epochs ? ", so even the earliest bracket's cut is safe here." : "; the brackets that cut earlier gamble, and the later brackets are Hyperband's hedge against that." } ?? ".")
            """)
        report.summary["early_ranking"] = .array(rankings.map { r in
            .object(["epochs": .number(Double(r.epochs)),
                     "spearman_by_seed": .array(r.correlation.values.map { .number($0) }),
                     "seeds_keeping_the_best": .number(Double(r.keepsTheBest))])
        })
        return number
    }

    // MARK: - The methods side by side

    /// The methods side by side, and their claims; returns the search grown to the seeds they took,
    /// and the figure of each method's progress.
    func compare(_ results: SearchResults, report: Report, context: ChapterContext) -> (GrownSearch?, FigureRef) {
        let settings = results.settings
        report.heading("Where each method looked, and what it found for its trials and its epochs")
        let (maps, progress) = report.searchProgress(results, seed: settings.seeds[0])
        report.paragraph("""
            **What Figures \(maps) and \(progress) show.** Random search spreads its trials evenly over the box, most of them \
            where the learning rate is too small to learn anything in \(settings.epochs) epochs. Coarse to fine spends its second \
            half around the first half's best, Bayesian optimisation moves to the large learning rates after a few \
            proposals, and Hyperband stops most settings after a few epochs. With \(settings.seeds.count) seeds and \
            \(settings.validationImages) validation images, where one image is a point of accuracy, a best validation score says \
            little, and it is inflated by being the best of many. The claims below therefore score each method's chosen setting \
            on the training images no trial sees, where a point of accuracy is \((settings.unseenImages(in: context.dataset) / 100).formatted()) \
            images. Like every claim, they grow to \(SequentialPlan.claims.laterLooks) search seeds while undecided; a seed added \
            searches with every method except the twice-budget random search, and finds the trials it would have found in the \
            first search. The table gives each chosen setting's score on the unseen images for every seed searched by then.
            """)
        // The methods' claims, paired over search seeds, grow their seeds like every claim (5, 10, then
        // 20) while undecided; a seed added is a whole search, less the twice-budget random search.
        guard settings.methods.contains(.random) else { return (nil, progress) }
        let grown = GrownSearch(results, context: context)
        let unseenImages = settings.unseenImages(in: context.dataset)
        let how = "each method's chosen setting (its best full-length trial on validation) scored on the "
            + "\(unseenImages.formatted()) training images no trial sees; "
        let note = "over search seeds, grown like every claim's (a seed added searches with every method except the "
            + "twice-budget random search); "
        func judge(_ method: SearchMethod, first trials: Int? = nil, notWorse: Bool = false, name: String,
                   _ claim: NotesClaim, figures: [FigureRef], evidence: (Decision) -> String) {
            let d = SequentialPlan.claims.run(start: settings.seeds.count, cap: context.options.seedCap) { count in
                let (a, b) = (grown.chosen(method, seeds: count, first: trials), grown.chosen(.random, seeds: count))
                let margin = a.margin(against: b, images: unseenImages), names = (name, "chosen by random")
                return notWorse ? Decision.notWorse(a.unseen, b.unseen, margin: margin, scale: .accuracy, names: names)
                    : Decision.paired(a.unseen, b.unseen, .higher, margin: margin, scale: .accuracy, names: names)
            }
            report.claim(claim, d.explained(note + how).evidence(evidence(d)), figures: figures)
        }
        for (method, claim) in [(SearchMethod.coarseToFine, Self.narrowing),
                                (.bayes, Self.bayes)] where settings.methods.contains(method) {
            let onValidation = results.best(method, after: settings.trials)
                .subtracting(results.best(.random, after: settings.trials))
            judge(method, name: "chosen by \(method.rawValue)", claim, figures: [progress, maps]) { d in
                d.evidence + "; on the first \(settings.seeds.count) seeds their best validation scores "
                    + "differ by " + percentagePoints(onValidation)
            }
        }
        chosenBySeed(grown, report: report)
        if settings.methods.contains(.hyperband) {
            let hyperband = settings.hyperband, premise = premise(results, report: report)
            let full = settings.trials * settings.epochs, figures = [progress] + (premise.map { [$0] } ?? [])
            judge(.hyperband, first: hyperband.budgetPerPass, notWorse: true, name: "chosen by one Hyperband pass",
                  Self.shortTrials, figures: figures) { d in
                d.evidence + """
                    ; one pass trained \(hyperband.epochsPerPass.formatted()) epochs, \
                    \(Format.percent(Double(hyperband.epochsPerPass) / Double(full), decimals: 0)) of random search's \(full.formatted())
                    """
            }
            let passes = hyperband.passes == 1 ? "one pass" : "\(hyperband.passes) passes"
            judge(.hyperband, notWorse: true, name: "chosen by Hyperband, \(passes)", Self.equalEpochs,
                  figures: figures) { d in
                d.evidence + "; Hyperband trained \(hyperband.epochs.formatted()) epochs per search, "
                    + "random search \(full.formatted())"
            }
        }
        return (grown, progress)
    }

    /// The unseen-image accuracy of each compared method's chosen setting, seed by seed, over every
    /// seed searched (the grown ones too): a table, and in results.json.
    func chosenBySeed(_ grown: GrownSearch, report: Report) {
        let seeds = grown.searched, methods = grown.methods
        let values = methods.map { grown.chosen($0, seeds: seeds.count).unseen.values }
        report.table(headers: ["search seed"] + methods.map { "chosen by \($0.rawValue)" },
                     rows: seeds.indices.map { i in ["\(seeds[i])"] + values.map { Format.percent($0[i]) } })
        var bySeed: [String: JSONValue] = ["seeds": .array(seeds.map { .number(Double($0)) })]
        for (method, v) in zip(methods, values) { bySeed[method.rawValue] = .array(v.map { .number($0) }) }
        report.summary["chosen_unseen_by_seed"] = .object(bySeed)
    }

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

    /// The notes' warning, tested cleanly: the same trained networks scored on three disjoint sets
    /// (validation, test, and training images no trial sees), each search chosen once by validation
    /// and once by test; how far each choice's test score overstates its score on the third set.
    func choosingByTheTestSet(_ grown: GrownSearch, report: Report, context: ChapterContext) {
        let settings = grown.first.settings, methods = grown.methods
        report.heading("Choosing by the test set, tested")
        let unseenCount = settings.unseenImages(in: context.dataset)
        report.paragraph("""
            The notes' warning is about choosing *by* the test set. To see what that does, every full-length trial of the search \
            was also measured, once trained, on the \(context.dataset.test.count.formatted()) test images and on the \
            \(unseenCount.formatted()) training images after the \(settings.tuningImages) tuning images, which no trial trains on; \
            the search itself never read either. Three disjoint sets score the same networks. For each method and search seed \
            the best trial is chosen twice, by validation and by test accuracy, and each choice's test accuracy is compared \
            with its accuracy on the third set. A score that chose its setting is the highest of many noisy numbers, so it \
            should overstate; the question is whether choosing by the test set makes the test score overstate more.
            """)
        struct Choice {
            let method: SearchMethod, seed: UInt64
            let byValidation: TrialRecord, byTest: TrialRecord
        }
        func test(_ r: TrialRecord) -> Double { r.outcome.result?.measurements[.testSetAccuracy] ?? .nan }
        func unseen(_ r: TrialRecord) -> Double { r.outcome.result?.measurements[.unseenAccuracy] ?? .nan }
        /// How far a chosen trial's test score lies above its score on the unseen images.
        func overstates(_ r: TrialRecord) -> Double { test(r) - unseen(r) }
        func choices(seeds count: Int) -> [Choice] {
            methods.flatMap { method in grown.seeds(count).compactMap { seed -> Choice? in
                let measured = grown.results(for: seed).fullLength(method, seed: seed)
                    .filter { test($0).isFinite && unseen($0).isFinite }
                guard let v = measured.max(by: { $0.score! < $1.score! }),
                      let t = measured.max(by: { test($0) < test($1) }) else { return nil }
                return Choice(method: method, seed: seed, byValidation: v, byTest: t)
            } }
        }
        // The search seed is the independent unit (its methods share trials and splits): one value per
        // seed, the mean over the methods every seed searched, chosen by test and by validation.
        func overstatement(_ choices: [Choice], seeds count: Int) -> (byTest: SeedSummary, byValidation: SeedSummary) {
            func perSeed(_ pick: (Choice) -> TrialRecord) -> SeedSummary {
                SeedSummary(grown.seeds(count).map { seed in
                    let mine = choices.filter { $0.seed == seed }.map { overstates(pick($0)) }
                    return mine.isEmpty ? .nan : mine.reduce(0, +) / Double(mine.count)
                })
            }
            return (perSeed(\.byTest), perSeed(\.byValidation))
        }
        // The noise of the difference the claim reads: where the two choices are different networks,
        // they disagree on some test and some unseen images; where they are the same, it is zero.
        // Every choice was measured on both sets, so every one has its run.
        func gapNoise(_ choices: [Choice], seeds count: Int) -> Margin? {
            let pairs = grown.seeds(count).map { seed in
                choices.filter { $0.seed == seed }.compactMap { c in
                    c.byTest.outcome.result.flatMap { a in c.byValidation.outcome.result.map { (a: a, b: $0) } }
                }
            }
            return Margin.gapDifference(pairs, measures: [(.testSetAccuracy, "test images"),
                                                          (.unseenAccuracy, "unseen training images")])
        }
        guard !choices(seeds: settings.seeds.count).isEmpty else {
            report.paragraph("No trial was measured on the three sets (its runs came from elsewhere).")
            return
        }
        let d = SequentialPlan.claims.run(start: settings.seeds.count, cap: context.options.seedCap) { count in
            let all = choices(seeds: count), (byTest, byValidation) = overstatement(all, seeds: count)
            let level = SeedSummary(all.map { test($0.byValidation) }).mean
            let margin = gapNoise(all, seeds: count)
                ?? Margin.resolution(of: level, on: context.dataset.test.count, images: "test images")
            return Decision.paired(byTest, byValidation, .higher, margin: margin, scale: .accuracy,
                                   names: ("test − unseen, chosen by test", "chosen by validation"))
        }
        let count = d.seeds ?? settings.seeds.count, chosen = choices(seeds: count)
        let (byTest, byValidation) = overstatement(chosen, seeds: count)
        // One row per search seed (the unit the claim pairs over), one column per method.
        report.paragraph("""
            Each cell is test − unseen accuracy for one method and search seed: of the setting chosen by validation, then of \
            the one chosen by the test set. The last column is the difference the claim reads: chosen by test minus chosen \
            by validation, the mean over the methods.
            """)
        report.table(headers: ["seed"] + methods.map(\.rawValue) + ["by test − by validation, mean"],
                     rows: grown.seeds(count).enumerated().map { i, seed in
                         let difference = byTest.values[i] - byValidation.values[i]
                         return ["\(seed)"] + methods.map { m in
                             let c = chosen.first { $0.method == m && $0.seed == seed }
                             guard let c else { return "–" }
                             let (v, t) = (overstates(c.byValidation), overstates(c.byTest))
                             return Format.points(v) + " / " + Format.points(t)
                         } + [difference.isFinite ? Format.points(difference) + " points" : "–"]
                     })
        let overstatements = { (pick: (Choice) -> TrialRecord) in
            methods.map { m in chosen.filter { $0.method == m }.map { overstates(pick($0)) } }
        }
        let figure = Figure.choosingByTest(methods: methods.map(\.rawValue),
                                           byValidation: overstatements(\.byValidation),
                                           byTest: overstatements(\.byTest))
        let number = report.figure(figure, name: "choosing-by-test", caption: """
            For each method and search seed (\(count)), how far the chosen setting's test accuracy lies above its accuracy on \
            the \(unseenCount.formatted()) unseen training images: chosen by validation (circles, left of each method) and \
            chosen by the test set (squares, right). Points above zero overstate.
            """)
        report.paragraph("""
            **What Figure \(number) shows.** Chosen by test accuracy, the test score stands \(percentagePoints(byTest)) above the \
            unseen images' score; chosen by validation, \(percentagePoints(byValidation)) (per search seed, the mean over methods).
            """)
        let searched = methods.map(\.rawValue).joined(separator: ", ")
        let over = "over search seeds, each the mean over the methods every seed searched (\(searched)), "
        report.claim(Self.testSetOverfit, d.explained(over + "grown like every claim's; "), figures: [number])
        func scores(_ r: TrialRecord) -> JSONValue {
            .object(["trial": .number(Double(r.number)), "val_acc": .number(r.score!), "test_acc": .number(test(r)),
                     "unseen_acc": .number(unseen(r))])
        }
        report.summary["choosing_by_test"] = .array(chosen.map { c in
            .object(["method": .string(c.method.rawValue), "seed": .number(Double(c.seed)),
                     "by_validation": scores(c.byValidation), "by_test": scores(c.byTest)])
        })
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
        Choosing hyperparameters by the test set would overfit it: chosen by test accuracy, a setting's test score \
        overstates its accuracy on new images by more than when it is chosen on validation data.
        """)
}

runChapter(HyperparametersChapter.self)
