// The hyperparameters chapter: the methods side by side, and the claims that compare them.
import Analysis
import Claims
import Formatting
import Foundation
import Notebook
import Plot
import Report
import Runs
import Search
import Statistics

extension HyperparametersChapter {
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
        methodClaims(results, grown: grown, maps: maps, progress: progress, report: report, context: context)
        return (grown, progress)
    }

    /// The claims that compare each method's chosen setting with random search's, paired over search
    /// seeds that grow while a claim is undecided.
    func methodClaims(_ results: SearchResults, grown: GrownSearch, maps: FigureRef, progress: FigureRef,
                      report: Report,
                      context: ChapterContext) {
        let settings = results.settings
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
            let count = d.seeds ?? settings.seeds.count
            for chosen in [grown.chosen(method, seeds: count, first: trials), grown.chosen(.random, seeds: count)] {
                chosen.recordCorrectness(seeds: grown.seeds(count), report: report)
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
        if methods.contains(.hyperband) {
            // What the short-trials claim reads: the choice after one pass of the brackets.
            let onePass = grown.chosen(.hyperband, seeds: seeds.count,
                first: grown.first.settings.hyperband.budgetPerPass)
            bySeed["hyperband_one_pass"] = .array(onePass.unseen.values.map { .number($0) })
        }
        report.summary["chosen_unseen_by_seed"] = .object(bySeed)
    }
}
