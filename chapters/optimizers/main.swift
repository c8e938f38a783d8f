// Chapter: optimizers. Reads top to bottom like the notebook it replaces.
import Analysis
import ArgumentParser
import Claims
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs
import Statistics

struct OptimizersChapter: Chapter {
    static let name = "optimizers"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "How SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam move: on a valley, and training on MNIST.",
        discussion: "Writes <output>/optimizers/README.md with its figures, their CSV data and results.json.")

    /// The course's comparison: 2000 iterations in mini-batches of 128.
    enum Defaults: ChapterDefaults {
        static let length = 2000, quickLength = 200
        static let batchSize: Int? = 128
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var length: IterationOptions<Defaults>

    func build(_ report: Report, context: ChapterContext) throws {
        report.title = "Optimizers: how the update rule shapes training"
        report.paragraph("""
            Training a network means walking downhill on its loss. Backpropagation tells us which way is down \
            for every weight; the *optimizer* decides how far to step and how much to trust the past. This \
            chapter writes each rule out as a formula, watches the rules on a two-dimensional valley where their \
            characters are easy to see, and then trains the same network on \(context.dataset.name) \
            (\(report.cite(context.dataset.name == "MNIST" ? .lecun1998 : .xiao2017))) with each of them, over several seeds, \
            to see which differences are real. The Swift code that ran, and the loop that calls it, are at the end.
            """)
        updateRules(report)
        valley(report, context: context)
        longRun(report, context: context)
        mnist(report, context: context)
        try report.computation("The update rules as code") { try ruleCode(report) }
        try report.computation("The loop that calls them") { try trainingLoop(report) }
    }

    // MARK: - 4. On real images

    func mnist(_ report: Report, context: ChapterContext) {
        report.heading("On \(context.dataset.name): which differences are real")
        let iterations = length.iterations(quick: context.quick)
        let network = NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu,
                                           weightInitialization: .he)
        let base = TrainingSetup(network: network, optimizer: .sgd(), batchSize: length.batch,
                                 length: .iterations(iterations), recordsLossAfterUpdate: true)
        let optimizers = OptimizerSpec.referenceDefaults
        let checkpoints = [iterations / 4, iterations / 2, iterations]
        let test = context.dataset.test.count
        func decide(_ c: Comparison<OptimizerSpec.Kind>) -> Decisions {
            claims(c, checkpoints: checkpoints, test: test, loss: Self.notesLoss)
        }
        let (comparison, decisions) = context.compare("optimizers on \(context.dataset.name)", base: base,
                                                      optimizers.map { spec in
                                                          Variant(spec.kind, label: spec.name) { $0.optimizer = spec }
                                                      },
                                                      judging: { decide($0) })
        report.paragraph("""
            The course's comparison: a \(base.network.summary) network, mini-batches of \(base.batchSize) drawn at \
            random from the \(context.dataset.training.count) training \(context.dataset.items) of \(context.dataset.name), \
            \(iterations) iterations, each optimizer at the reference's default settings \
            (\(optimizers.map { "\($0.name) \($0.settings)" }.joined(separator: "; "))). \
            The course shows one run; here each optimizer runs with \(comparison.seedText), as many as the claims below \
            needed. For a given seed every \
            optimizer starts from the same weights and sees the same mini-batches, so the comparison between optimizers is paired. \
            The notes compare four methods, SGD, Momentum, AdaGrad and Adam (the course's script leaves RMSProp out); \
            their claims are judged on those four, and Nesterov and RMSProp are trained and shown beside them.
            """)
        let losses = Figure.trainingLoss(comparison.groups, Self.notesLoss, range: 0...1, logarithmic: true)
        let number = report.figure(losses, name: "training-loss", caption: """
            Training loss on \(context.dataset.name), \(base.network.summary), batch \(base.batchSize), measured as the course \
            draws it: after each update, on the mini-batch just learned. Each line is the geometric \
            mean over \(comparison.seedText) of the loss smoothed as the course smooths it (Kaiser window, 11 points); the shaded \
            band spans the lowest to the highest seed. Left: the course's linear axis from 0 to 1; right: the same curves on a log \
            axis, where a geometric mean, unlike an arithmetic one, is not lifted far above most seeds by one that spikes.
            """ + RunGroup.coincidingNote(comparison.groups, Self.notesLoss))
        report.paragraph("""
            The table gives the training loss after the update at three points, each the median mini-batch loss over the 50 \
            iterations up to that point (RMSProp's spikes would sway a mean), as mean ± standard deviation over seeds; the same \
            loss read before the update at the end; and the accuracy on the \
            \(context.dataset.test.count.formatted()) test \(context.dataset.items) at the end (mean, then lowest–highest seed).
            """)
        report.table(comparison.groups, first: "optimizer",
                     columns: Column.checkpoints(Self.notesLoss, at: checkpoints) { "loss after the update at \($0)" }
                        + [.final(.trainLoss, header: "loss before the update at \(iterations)"),
                           .finalTestAccuracy(header: "test accuracy at \(iterations)")])
        findings(comparison, decisions: decisions, figure: number, base: base, report: report, context: context,
                 checkpoints: checkpoints)
    }

    /// What the comparison shows: the ranking, the same claims judged again with each method at its
    /// best rate, and the verdicts, at the reference's rates and at the best ones.
    func findings(_ comparison: Comparison<OptimizerSpec.Kind>, decisions: Decisions, figure number: FigureRef,
                  base: TrainingSetup,
                  report: Report, context: ChapterContext, checkpoints: [Int]) {
        let iterations = base.length.end
        let ranking = comparison.rankedPairs(by: Self.notesLoss, higherIsBetter: false).ranking
        let (lowest, highest) = (comparison[ranking.first!], comparison[ranking.last!])
        report.paragraph("""
            **What Figure \(number) and the table show.** Ranked by loss at iteration \(iterations): \
            \(ranking.map { comparison[$0].label }.joined(separator: ", ")). On the log axis the curves keep falling long after they reach the \
            bottom of the linear plot: after \(iterations) iterations the lowest (\(lowest.label)) is about \
            \(Format.number(highest.final(Self.notesLoss).mean / lowest.final(Self.notesLoss).mean, digits: 2)) \
            times below the highest (\(highest.label)). Which of these differences are more than luck is for the \
            claims below to say: each compares two optimizers seed by seed.
            """)
        let (tuned, tunedNumber) = atTheirBestRates(base, report: report, context: context, checkpoints: checkpoints)
        let tunedDecisions = tuned.decisions
        // The claims that compare the four methods are decided with each at its best rate, the fair race; the
        // reference's rates, the course's setting, are shown beside. L107 has a second reading, about AdaGrad alone.
        let rated = Set([Self.othersFaster, Self.momentumFaster, Self.adaGradFastest, Self.othersMoreAccurate])
        let final = Decisions(decisions.claims.map { claim in
            guard rated.contains(claim) else { return (claim, decisions[claim]) }
            var beside = [("at the reference's rates", decisions[claim])]
            if claim == Self.othersMoreAccurate {
                beside.append(("the other reading: AdaGrad's accuracy the highest of the four, each at its best rate",
                               adaGradMostAccurate(tuned.best, test: context.dataset.test.count)))
            }
            return (claim, Decision.parts([("each at its best rate", tunedDecisions[claim])]).beside(beside))
        })
        for claim in final.claims {
            report.claim(claim, final[claim], figures: rated.contains(claim) ? [number, tunedNumber] : [number])
        }
        whenTheLossIsRead(comparison, decisions: decisions, checkpoints: checkpoints, report: report, context: context)
        report.summary["ranking"] = .array(ranking.map { .string(comparison[$0].label) })
        let ratio = highest.final(Self.notesLoss).mean / lowest.final(Self.notesLoss).mean
        let atBest = Self.notesMethods.map { tuned.best($0) }.sorted {
            $0.final(Self.notesLoss).geometricMean < $1.final(Self.notesLoss).geometricMean
        }
        let reference = decisions[Self.othersFaster].verdict == decisions[Self.adaGradFastest].verdict
            ? "both \(decisions[Self.othersFaster].verdict.plural)"
            : "the first \(decisions[Self.othersFaster].verdict.predicate) and the second "
                + decisions[Self.adaGradFastest].verdict.predicate
        report.lead("""
            On \(context.dataset.name), with the course's network and \(iterations) mini-batches at the reference's rates, the lowest loss \
            is \(lowest.label)'s, about \(Format.number(ratio, digits: 2)) times below \(highest.label)'s, as the notes' figure shows. \
            But the rates decide that race: with each method at its best of \(Self.rateFactors.count) rates, chosen on tuning seeds, \
            the final losses read \(atBest.map { "\(Format.number($0.final(Self.notesLoss).geometricMean, digits: 2)) (\($0.label))" }
                .joined(separator: ", ")). There, the claim that Momentum, AdaGrad and Adam learn faster than SGD \
            \(final[Self.othersFaster].verdict.predicate), and that AdaGrad is a little faster than the other three \
            \(final[Self.adaGradFastest].verdict.predicate); at the reference's rates, shown beside, \(reference).
            """, claim: Self.adaGradFastest.id, figure: tunedNumber)
    }

    /// The same claims judged on the loss before each update, beside the verdicts on the loss after it
    /// (the course's curve, which the notes read), and the course's own run beside this one.
    func whenTheLossIsRead(_ c: Comparison<OptimizerSpec.Kind>, decisions: Decisions, checkpoints: [Int],
                           report: Report, context: ChapterContext) {
        report.heading("When the loss is read", level: 3)
        let before = claims(c, checkpoints: checkpoints, test: context.dataset.test.count, loss: .trainLoss)
        // How much lower the last 100 losses read after the update than before it, per method.
        let gaps = Self.notesMethods.map { kind in
            let after = c[kind].meanOfLast(Self.notesLoss, 100).mean, before = c[kind].meanOfLast(.trainLoss, 100).mean
            return (c[kind].label, Format.percent(1 - after / before, decimals: 0))
        }
        report.paragraph("""
            The course draws its curve after each update: its script calls `update`, then measures the loss of the mini-batch it has \
            just learned from. That batch has just pulled the weights its way, so it reads lower than a batch the network has not yet \
            seen. The usual measure, and every other loss in these reports, is the loss of the forward pass that gave the gradient, \
            before the update. Over the last 100 iterations, the loss after the update is lower than before it by \
            \(gaps.map { "\($0.1) for \($0.0)" }.joined(separator: ", ")): how much one step on a batch lowers that batch's \
            loss depends on the rule, so the two measures can rank the methods differently. The notes read the course's curve, so \
            their claims are judged on it above; the table gives each claim both ways at the reference's rates, the course's own \
            runs (the verdicts above come from each method at its best rate, with these shown beside them).
            """)
        let judged = [Self.othersFaster, Self.momentumFaster, Self.adaGradFastest, Self.adamDefaults]
        report.table(headers: ["claim", "at the reference's rates: on the loss after the update (as judged)",
                               "on the loss before it"],
                     rows: judged.map { [$0.claim, decisions[$0].verdict.rawValue, before[$0].verdict.rawValue] })
        // The course's names for its four methods.
        let names: [OptimizerSpec.Kind: String] = [.sgd: "SGD", .momentum: "Momentum", .adaGrad: "AdaGrad",
                                                   .adam: "Adam"]
        let rows = Self.notesMethods.flatMap { context.courseLosses(.optimizers, names[$0]!, c[$0]) }
        context.showCourse(.optimizers, rows, intro: """
            The course summarises each curve by the mean loss of its last 100 iterations. The table gives that summary for \
            both measures, from the course's script and from this chapter: the same network, batch size and rates.
            """)
    }

    /// The notes' four methods at a third of the reference's rate up to 81 times it, on tuning seeds
    /// no claim reads; each is then judged, on the claims' own seeds, at the rate where its training
    /// loss ended lowest there: a claim about a method should not rest on one rate that may suit one
    /// method and starve another, nor on a choice that carries the luck of the seeds it is judged on.
    /// Returns the decisions at the best rates and their figure.
    func atTheirBestRates(_ base: TrainingSetup, report: Report, context: ChapterContext, checkpoints: [Int])
        -> ((decisions: Decisions, best: (OptimizerSpec.Kind) -> RunGroup), FigureRef) {
        report.heading("Each at its best rate", level: 3)
        let test = context.dataset.test.count
        let specs = Dictionary(uniqueKeysWithValues: OptimizerSpec.referenceDefaults.map { ($0.kind, $0) })
        func variant(_ arm: Tuned) -> Variant<Tuned> {
            let armSpec = specs[arm.kind]!.with(learningRate: specs[arm.kind]!.learningRate * arm.factor)
            // A method keeps its colour from the figure above, whatever its rate.
            return Variant(arm, label: "\(armSpec.name), lr \(Format.compact(armSpec.learningRate))",
                setting: ColorKey(arm.kind)) {
                $0.optimizer = armSpec
            }
        }
        let grid = Self.notesMethods.flatMap { kind in Self.rateFactors.map { Tuned(kind: kind, factor: $0) } }
        let tuning = context.tune("the notes' four optimizers at \(Self.rateFactors.count) rates, on the tuning seeds",
                                  base: base,
                                  grid.map(variant))
        let chosen = Dictionary(uniqueKeysWithValues: Self.notesMethods.map { ($0, choice(tuning, $0)) })
        let (tuned, tunedDecisions) = context.compare("the notes' four optimizers, each at its best rate", base: base,
                                                      Self.notesMethods.map { variant(chosen[$0]!.value) }) { t in
            rateClaims({ t[chosen[$0]!.value] }, checkpoints: checkpoints, test: test, loss: Self.notesLoss)
        }
        let best = Self.notesMethods.map { tuned[chosen[$0]!.value] }
        let atTheEdge = Self.notesMethods.filter { chosen[$0]!.isAtEdge }
        let edgeNote = atTheEdge.isEmpty ? "" : """
             For \(atTheEdge.count) of the 4 the best is an end of the range tried, so a rate beyond it might do better still: \
            "best" means best of these \(Self.rateFactors.count).
            """
        report.paragraph("""
            Every method above runs at the reference's default rate, which may suit one and starve another. So the notes' four \
            are also trained at \(Format.list(Self.rateFactors.filter { $0 != 1 }.map { $0 < 1 ? "1/\(Int((1 / $0).rounded()))" : Format.compact($0) })) \
            times it, on \(context.tuningSeeds.count) tuning seeds of their own (no claim reads them, so the choice carries none of \
            their luck into the claims), and each method is then trained on the claims' seeds at the rate where its training loss \
            ended lowest there (the loss the claims are about; the test set plays no part in the choice): \
            \(best.map(\.label).joined(separator: ", ")). Each claim below is decided there, with the reference's rates shown beside.
            """ + edgeNote)
        let figure = Figure.trainingLoss(best, Self.notesLoss, range: 0...1, logarithmic: true)
        let number = report.figure(figure, name: "training-loss-best-rates", caption: """
            The notes' four methods, each at its best of \(Self.rateFactors.count) rates: training loss after each update on \(context.dataset.name), \
            geometric mean over \
            \(tuned.seedText) of the smoothed loss, band from the lowest to the highest seed; linear axis left, log axis right.
            """ + RunGroup.coincidingNote(best, Self.notesLoss))
        report.paragraph("Every rate on the tuning seeds (\(context.tuningSeeds.count) each):")
        report.table(tuning.groups, first: "optimizer and rate",
                     columns: [.final(Self.notesLoss, header: "final loss after the update"),
                               .final(.trainLoss, header: "before it"),
                               .finalTestAccuracy(header: "test accuracy")])
        return ((tunedDecisions, { tuned[chosen[$0]!.value] }), number)
    }

    /// The second reading of L107 (「最終的な認識性能も高くなる」 right after 「特にAdaGradは…」): AdaGrad's final
    /// test accuracy above each of the other three, each at its best rate; the margin is the largest of
    /// the three paired ones.
    func adaGradMostAccurate(_ group: (OptimizerSpec.Kind) -> RunGroup, test: Int) -> Decision {
        let adaGrad = group(.adaGrad), rivals = Self.notesMethods.filter { $0 != .adaGrad }.map(group)
        let margin = rivals.map { Margin.testDifference(adaGrad, $0, testImages: test) }.max { $0.value < $1.value }!
        return .best(adaGrad.label, adaGrad.finalTestAccuracy, over: rivals.map { ($0.label, $0.finalTestAccuracy) },
            .higher,
                     margin: margin, scale: .accuracy)
    }

    /// The loss the notes' claims read: the course's curve, measured after each update on the batch
    /// just learned. The usual measure, before the update, is shown beside it.
    static let notesLoss = Metric.trainLossAfterUpdate

    /// The four methods the notes compare; the other two are shown beside them, not judged.
    static let notesMethods: [OptimizerSpec.Kind] = [.sgd, .momentum, .adaGrad, .adam]

    /// The notes' claims about the comparison, on the notes' four methods, decided from the losses at
    /// each checkpoint (lower by a tenth at least, compared as ratios) and the final test accuracy
    /// (higher by more than the test set resolves).
    func claims(_ c: Comparison<OptimizerSpec.Kind>, checkpoints: [Int], test: Int, loss: Metric) -> Decisions {
        let tenth = Margin(log(1.1), "a loss a tenth lower")
        let rated = rateClaims({ c[$0] }, checkpoints: checkpoints, test: test, loss: loss)
        // Adam at its default settings (the only ones it runs with here) against each of the other five.
        let adamAmongTheBest = Decision.parts(c.keys.filter { $0 != .adam }.map { kind in
            (c[kind].label, Decision.notWorse(c[kind].final(loss), c[.adam].final(loss), margin: tenth,
                                              scale: .ratio,
                                              names: (c[kind].label, c[.adam].label)))
        })
        return Decisions([
            (Self.othersFaster, rated[Self.othersFaster]),
            (Self.momentumFaster, rated[Self.momentumFaster]),
            (Self.adamDefaults, adamAmongTheBest.explained(
                "Adam at its default settings (learning rate 0.001, β₁ 0.9, β₂ 0.999) against each of the other "
                + "five on the final loss, its loss no more than a tenth above theirs; ")),
            (Self.adamWidelyUsed, .notTestable(
                "how many researchers use Adam is a fact about the field, and no run of a network measures it")),
            (Self.dependsOnTheProblem, .notTestable(
                "one chapter run trains on one dataset; the two editions rank the methods side by side, one "
                + "problem each, which is too few to say how the best method depends on the problem")),
            (Self.adaGradFastest, rated[Self.adaGradFastest]),
            (Self.othersMoreAccurate, rated[Self.othersMoreAccurate]),
        ])
    }

    /// The claims that compare the notes' four methods, on the groups `group` gives for each (at the
    /// reference's rates, or each at its best): faster than SGD (a loss a tenth lower at every
    /// checkpoint), Momentum faster, AdaGrad fastest, and a higher final test accuracy than SGD.
    func rateClaims(_ group: (OptimizerSpec.Kind) -> RunGroup, checkpoints: [Int], test: Int,
                    loss: Metric) -> Decisions {
        let tenth = Margin(log(1.1), "a loss a tenth lower")
        func lowerLoss(_ a: OptimizerSpec.Kind, than b: OptimizerSpec.Kind) -> Decision {
            let (x, y) = (group(a), group(b))
            // "Faster" is about the whole run: the verdict most of its checkpoints give.
            return .parts(checkpoints.map { at in
                ("at \(at)", Decision.paired(x.value(loss, at: at), y.value(loss, at: at), .lower,
                                             margin: tenth, scale: .ratio, names: (x.label, y.label)))
            }, meaning: .most)
        }
        let others = Self.notesMethods.filter { $0 != .sgd }, rivals = Self.notesMethods.filter { $0 != .adaGrad }
        let adaGrad = group(.adaGrad)
        let fastest = Decision.parts(checkpoints.map { at in
            ("at \(at)", .best(adaGrad.label, adaGrad.value(loss, at: at),
                               over: rivals.map { (group($0).label, group($0).value(loss, at: at)) }, .lower,
                               margin: tenth, scale: .ratio)
                )
        }, meaning: .most)
        let sgd = group(.sgd)
        let moreAccurate = others.map { kind in
            (group(kind).label,
             Decision.paired(group(kind).finalTestAccuracy, sgd.finalTestAccuracy, .higher,
                             margin: .testDifference(group(kind), sgd, testImages: test),
                             scale: .accuracy, names: (group(kind).label, sgd.label)))
        }
        return Decisions([
            (Self.othersFaster, .parts(others.map { (group($0).label, lowerLoss($0, than: .sgd)) })),
            (Self.momentumFaster, lowerLoss(.momentum, than: .sgd)),
            (Self.adaGradFastest, fastest),
            (Self.othersMoreAccurate, .parts(moreAccurate)),
        ])
    }

    /// An arm of the rate comparison: one of the notes' methods at a multiple of its reference rate.
    struct Tuned: Hashable, Sendable {
        let kind: OptimizerSpec.Kind, factor: Double
    }

    /// The multiples of each reference rate tried.
    /// The grid reaches 81 times the reference rate: the best of the first three, 3 times, was its end for all four,
    /// and SGD's best of five, 27 times, its end again.
    static let rateFactors = [1.0 / 3, 1, 3, 9, 27, 81]

    /// Each of the notes' methods at its best rate on the tuning seeds: the factor whose final training
    /// loss is lowest on average (a seed that diverged counts as infinitely bad).
    func choice(_ t: Comparison<Tuned>, _ kind: OptimizerSpec.Kind) -> GridChoice<Tuned> {
        t.choose(Self.rateFactors.map { Tuned(kind: kind, factor: $0) }, .lower,
            missing: .infinity) { $0.final(Self.notesLoss) }
    }

    static let sgdZigzags = NotesClaim("optimizers.sgd-zigzag", quote: "SGDは最適解に行くまでが非効率なことがある．ジグザグの動きになって，移動距離が長くなる．",
                                       claim: """
                                           SGD zig-zags across the valley and so travels a long way to the minimum.
                                           """)
    static let momentumSmooths = NotesClaim("optimizers.momentum-less-zigzag", quote: "反動を考慮するので，ジグザグの動きを軽減できる．",
                                            claim: "Momentum reduces the zig-zag of SGD.")
    static let adaGradEfficient = NotesClaim("optimizers.adagrad-efficient", quote: "めっちゃ効率的に最小値に向かう！",
                                             claim: "AdaGrad heads for the minimum very efficiently.")
    static let othersFaster = NotesClaim("optimizers.others-faster-than-sgd", quote: "SGDよりも他の手法が早く",
                                         claim: """
                                             The other methods the notes compare (Momentum, AdaGrad, Adam) learn \
                                             faster than SGD.
                                             """)
    static let adaGradFastest = NotesClaim("optimizers.adagrad-fastest", quote: "特にAdaGradはやや他の手法より早い．",
                                           claim: """
                                               AdaGrad learns a little faster than the other three methods the notes \
                                               compare.
                                               """)
    static let momentumFaster = NotesClaim("optimizers.momentum-faster", quote: "SGDよりは早く解に向かう",
                                           claim: """
                                               Momentum heads for the solution faster than SGD: its loss is lower over the run (at \
                                               most of three checkpoints).
                                               """)
    static let adaGradShrinks = NotesClaim("optimizers.adagrad-steps-shrink", quote: "更新される重みは学習が進むほど小さくなっていく",
                                           claim: "AdaGrad's updates shrink as learning goes on.")
        .illustrated("""
            AdaGrad's sum of squared gradients only grows, so its steps shrink by algebra; RMSProp passes the same test
            """)
    static let adamDefaults = NotesClaim("optimizers.adam-defaults", quote: "多くの場合うまくいく設定値がある．",
                                         claim: """
                                             Adam has settings that work well in most cases: at its defaults it trains as well as any \
                                             of the six.
                                             """)
    static let adamWidelyUsed = NotesClaim("optimizers.adam-widely-used", quote: "最近はAdamを使う研究者が多いらしい",
                                           claim: "Many researchers use Adam these days.")
    static let dependsOnTheProblem = NotesClaim("optimizers.depends-on-the-problem",
                                                quote: "どれが一番適しているかは，解くべき問題によって異なる",
                                                claim: "Which method suits best depends on the problem.")
    static let othersMoreAccurate = NotesClaim("optimizers.others-more-accurate", quote: "最終的な認識性能も高くなる．",
                                               claim: """
                                                   Momentum, AdaGrad and Adam also end with a higher recognition \
                                                   accuracy than SGD.
                                                   """)
}

runChapter(OptimizersChapter.self)
