// Chapter: Dropout. Reads top to bottom like the notebook it replaces.
import Analysis
import ArgumentParser
import Claims
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
import Plot
import Report
import Runs
import Statistics

struct DropoutChapter: Chapter {
    static let name = "dropout"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: """
            Dropout on the overfitting setup: ratio 0.2 beside none, a sweep of ratios, training until it settles, and the \
            'implicit ensemble' checked by Monte Carlo passes.
            """,
        discussion: """
            Writes <output>/dropout/README.md with its figures, their CSV data and results.json. \
            The side-by-side comparison is no dropout against the course's ratio 0.2; both are added to --ratios if missing. \
            --epochs sets the course's runs and the sweep; the notes' claims are judged on networks trained for \
            --settled-epochs, long enough to stop improving.
            """)

    /// The course's dropout run: 301 epochs on 300 images; the claims' runs train until they settle.
    enum Defaults: ChapterDefaults {
        static let length = 301, quickLength = 20
        static let trainingImages: Int? = 300
        static let settled = 1201, quickSettled = 60
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions<Defaults>

    @Option(help: ArgumentHelp("""
        Epochs of the runs the claims are judged on (default \(Defaults.settled), \(Defaults.quickSettled) with --quick); where \
        they have not settled by then, they train twice as long.
        """, valueName: "n"))
    var settledEpochs: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Dropout ratios of the sweep, comma-separated, each at least 0 and below 1.
        """,
                               valueName: "list"))
    var ratios = NumberList([0, 0.1, 0.2, 0.3, 0.5])

    /// The course's ratio.
    static let courseRatio = 0.2

    mutating func validate() throws {
        try ratios.require("--ratios", "at least 0 and below 1", { $0 >= 0 && $0 < 1 })
        if let settledEpochs, settledEpochs <= 0 { throw ValidationError("""
            --settled-epochs must be a positive number, got \(settledEpochs)
            """) }
    }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = schedule.epochs(quick: context.quick), trainSize = schedule.trainingImages
        try context.requireTrainingImages(trainSize, option: "--train-size")
        let base = TrainingSetup.overfitting(epochs: epochs, trainingImages: trainSize)
        report.title = "Dropout: training a different thinned network at every step"
        report.paragraph("""
            Dropout switches off a random share of the hidden units for every mini-batch, so no unit can \
            count on any particular other unit being there, and the network cannot build the fragile \
            co-adaptations that memorising a small training set needs. The notes say it narrows the gap \
            between training and test accuracy, and that it amounts to ensemble learning inside one \
            network. This chapter shows the layer, trains the course's overfitting network with it, trains it \
            on until it stops improving, and checks both statements there.
            """)
        try layer(report, ratios: sweepValues(ratios.values, including: [0, Self.courseRatio]), seed: context.seeds[0])
        let comparison = context.sweep("dropout", base: base, values: ratios.values, including: [0, Self.courseRatio],
                                       evaluateOthersEvery: max(1, epochs / 60),
                                       label: { "dropout=\(Format.compact($0))" },
                                       measuring: [.monteCarlo(passes: Self.passes(context))]) {
            $0.network.dropoutRatio = $1 > 0 ? $1 : nil
        }
        courseRatio(comparison, report: report, context: context)
        let rising = sweep(comparison, report: report, test: context.dataset.test.count)
        let settledLength = settledEpochs ?? (context.quick ? Defaults.quickSettled : Defaults.settled)
        let most = Self.passes(context).last!
        let long = untilSettled(base.with { $0.length = $0.length.with(epochs: settledLength) }, report: report,
                                context: context)
        let decisions = long.decisions
        let monteCarlo = ensemble(settled: long, sweep: comparison, report: report, context: context)
        report.claim(Self.narrowsGap, decisions[Self.narrowsGap], figures: long.figures, section: long.section,
                     settled: long.settled)
        report.claim(Self.ensemble, decisions[Self.ensemble], figures: [monteCarlo], settled: long.settled)
        report.summary["still_rising_at_\(epochs)"] = .array(rising.map { .string($0.label) })
        let gap = decisions[Self.narrowsGap].readings.first
        let epochsLong = long.comparison[0].setup.length.end
        report.lead("""
            Dropout with ratio \(Format.compact(Self.courseRatio)) on the course's \(report.link(chapter: "overfitting", "overfitting network")), \
            trained for \(epochsLong) epochs (\(long.settled ? "long enough to settle" : "the cap; not every run had settled")): \
            the gap between training accuracy and accuracy on unseen images \
            \(gap.map { "changes by \($0.text($0.estimate)) against no dropout" } ?? "was not measured"), and the claim that dropout narrows it \
            \(decisions[Self.narrowsGap].verdict.predicate). Averaging \(most) random masks against a single one, and the scaled \
            pass against that average, test the notes' ensemble reading, which \(decisions[Self.ensemble].verdict.predicate).
            """, claim: Self.narrowsGap.id, figure: long.figures[0])
    }

    static func passes(_ context: ChapterContext) -> [Int] { passes(quick: context.quick) }
    static func passes(quick: Bool) -> [Int] { quick ? [1, 2, 4, 8] : [1, 2, 4, 8, 16, 32, 64] }

    // MARK: - 1. The layer

    func layer(_ report: Report, ratios: [Double], seed: UInt64) throws {
        report.heading("The layer, in training and at test time")
        report.paragraph("""
            Dropout is the method of \(report.cite(.srivastava2014)). In training, each unit's output is multiplied by a mask drawn afresh for every batch: 1 with \
            probability $1 - p$, 0 with probability $p$ (the *dropout ratio*). The backward pass lets the \
            gradient through the same mask. At test time no unit is dropped; instead every output is scaled \
            by $1 - p$, so that each unit passes on, on average, what it passed on in training. (Many libraries \
            use *inverted* dropout instead, which divides by $1 - p$ in training and leaves test time alone; \
            the two are the same network up to that constant. This project, like the course, scales at test time.)
            """)
        report.math("""
            \\text{training: } y = x \\odot m,\\ m_i \\sim \\text{Bernoulli}(1 - p) \\qquad \\text{test: } y = (1 - \
            p)\\, x
            """)
        try report.computation("The dropout layer, and a check of its scaling") {
            try report.code(file: "Sources/NeuralNet/Layers/Dropout.swift", marker: "dropout")
            report.paragraph("""
                A direct check of the scaling, on a 1000 × 100 block of ones passed through the layer 20 times in training \
                mode (two million units each):
                """)
            let checks = ratios.filter { $0 > 0 }.map { Dropout<Float>.measureOnOnes(ratio: $0, seed: seed) }
            report.table(headers: ["ratio p", "share of units dropped", "mean training output",
                                   "test-time output (1 − p)"], rows: checks.map {
                             [Format.compact($0.ratio), Format.percent($0.dropped, decimals: 2),
                              Format.number($0.trainingMean, digits: 4),
                              Format.number($0.inference, digits: 4)]
                         })
        }
    }

    // MARK: - 2. The course's ratio, and a sweep

    func courseRatio(_ comparison: Comparison<Double>, report: Report, context: ChapterContext) {
        let none = comparison[0], course = comparison[Self.courseRatio], epochs = none.setup.length.end
        report.heading("Ratio \(Format.compact(Self.courseRatio)) beside no dropout")
        report.paragraph("""
            The course's overfitting setup (\(report.link(chapter: "overfitting", "the overfitting chapter")): \(none.setup.network.summary), SGD \
            lr 0.01, batch 100, \(none.setup.data.describe(in: context.dataset))), \
            trained for \(epochs) epochs with a Dropout layer after every hidden activation, beside the same network without \
            one. Both start from the same weights and see the same mini-batches for each of the \(comparison.seedText).
            """)
        let number = report.figure(.accuracies(of: [none, course]), name: "with-and-without", caption: """
            Training (solid) and test (dashed) accuracy per epoch, without dropout (left) and with ratio \(Format.compact(Self.courseRatio)) \
            (right): mean over \(comparison.seedText), band from the lowest to the highest seed.
            """ + none.measuredNote)
        report.table([none, course], first: "dropout", columns: Self.columns(epochs, test: context.dataset.test.count))
        context.showCourse(.dropout, context.courseAccuracies("no dropout", .dropoutOff, none)
                           + context.courseAccuracies("ratio \(Format.compact(Self.courseRatio))", .dropout, course),
                           intro: """
            The course's `overfit_dropout.py`, as written (ratio \(Format.compact(Self.courseRatio))) and with its dropout switched off.
            """)
        report.paragraph("""
            **What Figure \(number) shows.** With dropout the training curve rises more slowly: \
            \(percentWithRange(course.final(.trainAccuracy))) after \(epochs) epochs, against \(percentWithRange(none.final(.trainAccuracy))) \
            without, while test accuracy ends at \(percentWithRange(course.final(.testAccuracy))) against \
            \(percentWithRange(none.final(.testAccuracy))). \(Convergence(course, testImages: context.dataset.test.count).sentence(label: course.label, epochs: epochs)) \
            A gap measured on a run that has not finished learning says little about dropout: the section after next trains on until it has.
            """)
    }

    func sweep(_ comparison: Comparison<Double>, report: Report, test: Int) -> [RunGroup] {
        let epochs = comparison[0].setup.length.end, span = Convergence.span(epochs)
        report.heading("A sweep of ratios, and whether \(epochs) epochs are enough")
        var figure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 380)
        var curves = Panel.accuracy(title: "training accuracy per epoch")
        for group in comparison.groups { curves.plot(group, .trainAccuracy) }
        figure[0, 0] = curves
        figure[0, 1] = .endPoints(of: comparison.groups, against: comparison.keys, xLabel: "dropout ratio")
        let number = report.figure(figure, name: "ratio-sweep", caption: """
            The overfitting setup with each dropout ratio for \(epochs) epochs. Left: training accuracy per epoch; right: training \
            and test accuracy where the runs end, and their gap. Means over \(comparison.seedText), bands from the lowest to the \
            highest seed.
            """)
        report.table(comparison.groups, first: "ratio", columns: Self.columns(epochs, test: test))
        let rising = comparison.groups.filter { Convergence($0, testImages: test) == .rising }
        let strongest = comparison[comparison.keys.max()!]
        report.paragraph("""
            **What Figure \(number) shows.** The larger the ratio, the more slowly training accuracy climbs and the \
            smaller the gap after \(epochs) epochs: from \(percentagePoints(comparison[0].finalGap)) without dropout to \
            \(percentagePoints(strongest.finalGap)) at \(strongest.label). But \
            \(rising.isEmpty ? "every ratio has settled." : "\(rising.map(\.label).joined(separator: ", ")) \(rising.count == 1 ? "is" : "are") still gaining training accuracy at the end: part of the smaller gap is a network that has not yet fitted its training set.") \
            (Rule, the same in every chapter: \(Convergence.ruleText).)
            """)
        return rising
    }

    // MARK: - 3. Until it settles

    /// The networks the claims are judged on: trained until they settle, or to the cap.
    struct Settled {
        let comparison: Comparison<Double>
        /// Whether every group settled before the cap.
        let settled: Bool
        let section: SectionRef
        /// The two arms' curves, and their gap difference seed by seed.
        let figures: [FigureRef]
        /// The notes' claims on them.
        let decisions: Decisions
    }

    /// Trains no dropout and the course's ratio for `long`'s epochs, then twice as long (the cap) where
    /// they have not settled by then.
    func untilSettled(_ long: TrainingSetup, report: Report, context: ChapterContext) -> Settled {
        let first = long.length.end, every = max(1, first / 120)
        var long = long
        long.length = .epochs(first, evaluateEvery: every, heldOutEvery: max(1, first / TrainingLength.curvePoints))
        let test = context.dataset.test.count
        let passes = Self.passes(context)
        let arms = [0, Self.courseRatio].map { ratio in
            Variant(ratio, label: "dropout=\(Format.compact(ratio)), trained long", setting: ColorKey(ratio)) {
                $0.network.dropoutRatio = ratio > 0 ? ratio : nil
            }
        }
        let (comparison, settled, decisions) = context.compareUntilSettled(
            "dropout, trained until it settles", base: long, arms, lengths: [first, 2 * first - 1],
            measuring: [.monteCarlo(passes: passes), .heldOut],
            judging: { self.claims($0, test: test, passes: passes.last!) })
        let epochs = comparison[0].setup.length.end, measuredEvery = comparison[0].setup.length.trainingEvery ?? every
        // The heading says what the settling rule found, not what was hoped for.
        let section = report.heading(settled ? "Trained until it settles"
                                             : "Trained for \(epochs) epochs, not all settled")
        report.paragraph("""
            The same two networks, trained for \(first) epochs and, where they have not settled by then, for \(2 * first - 1) \
            (accuracy measured every \(measuredEvery)), over \(comparison.seedText), to let the dropout network stop improving. They \
            train for \(epochs) here, and the claims are judged here. \(settled
                ? "By the rule of settling (below), both runs have settled."
                : "By the rule of settling (below), they have not all settled within \(epochs) epochs, the cap (twice `--settled-epochs`): the claims are judged on runs that are still learning, and this report does not call them settled.")
            """)
        let number = report.figure(.accuracies(of: comparison.groups), name: "until-settled", caption: """
            Training (solid) and test (dashed) accuracy over \(epochs) epochs, without dropout (left) and with ratio \
            \(Format.compact(Self.courseRatio)) (right): mean over \(comparison.seedText), band from the lowest to the highest seed.
            """ + comparison[0].measuredNote)
        report.table(comparison.groups, first: "dropout",
                     columns: Column.endPoints(heldOut: comparison[0])
                        + Column.settling(epochs: epochs, testImages: test))
        let dropout = comparison[Self.courseRatio], none = comparison[0]
        var figures = [number]
        if let reading = decisions[Self.narrowsGap].readings.first {
            let perSeed = dropout.heldOutOrTestGap.subtracting(none.heldOutOrTestGap)
            let title = "gap with dropout − gap without, \(epochs) epochs"
            figures.append(report.figure(.difference(reading, seeds: perSeed.values, title: title),
                                         name: "until-settled-difference", caption: """
                The difference the claim reads: each seed's gap with dropout minus its gap without (dots), their mean with its \
                interval (the bar, coloured by the verdict), the margin around zero (grey) and the line the interval must clear \
                (dashed), on \(dropout.heldOutImages.map { "\($0.formatted()) held-out images" } ?? "the test images").
                """))
        }
        report.paragraph("""
            **What Figure \(number) shows.** \(Convergence(dropout, testImages: test).sentence(label: dropout.label, epochs: epochs)) \
            Its gap ends at \(percentagePoints(dropout.finalGap)), against \(percentagePoints(none.finalGap)) without dropout. \
            (Rule, the same in every chapter: \(Convergence.ruleText).)
            """)
        report.paragraph(none.heldOutNote(testImages: test))
        return Settled(comparison: comparison, settled: settled, section: section, figures: figures,
                       decisions: decisions)
    }

    /// One panel of the Monte Carlo figure: for each group, the accuracy of the average of T random-mask
    /// passes against T, and the scaled single pass as a level.
    func monteCarloPanel(_ groups: [RunGroup], passes: [Int], title: String, legend: Bool) -> Panel {
        var panel = Panel(title: title, xLabel: "random-mask passes averaged (T)", yLabel: "test accuracy")
        panel.yUnit = .percent
        panel.xScale = .logarithmic
        panel.xTickLabels = passes.map { (Double($0), "\($0)") }
        for group in groups {
            // Both measured on the test set, so both dashed; the scaled pass is one number, a level.
            panel.plot(passes.map { group.measurement(.monteCarloAccuracy(passes: $0)) },
                       against: passes.map(Double.init), label: group.label, style: MeasuredOn.test.style,
                       data: Self.averagedPasses, setting: group.setting)
            let scaled = group.finalTestAccuracy
            var flat = LineMark(x: [Double(passes.first!), Double(passes.last!)], y: [scaled.mean, scaled.mean],
                                label: group.label,
                                style: MeasuredOn.level.style, width: 2, inLegend: false, dataName: Self.scaledPass)
            flat.colorKey = group.setting
            panel.add(flat)
        }
        if legend {
            // What the two kinds of line mean, in the legend beside the ratios.
            panel.line([], [], label: "with markers: average of T masks", color: .axis,
                       style: MeasuredOn.test.style, markers: Markers(.circle, size: 6))
            panel.line([], [], label: "flat: scaled single pass", color: .axis, style: MeasuredOn.level.style,
                       width: 2)
        } else {
            panel.legend = .hidden
        }
        return panel
    }

    // MARK: - 4. An ensemble inside one network?

    /// The Monte Carlo figure: the settled networks the claim is judged on, and the sweep's beside them.
    func ensemble(settled long: Settled, sweep: Comparison<Double>, report: Report,
                  context: ChapterContext) -> FigureRef {
        let passes = Self.passes(context), most = passes.last!, settled = long.comparison
        report.heading("An ensemble inside one network?")
        report.paragraph("""
            Every mini-batch trains a different *thinned* network: the one its mask leaves. If dropout is an \
            ensemble, the trained network should behave like the average of many thinned networks. That \
            average can be computed directly: run the test set through the network in training mode, with \
            fresh random masks, $T$ times, and average the softmax outputs (*Monte Carlo dropout*, \(report.cite(.gal2016))). We compare \
            it, for $T$ up to \(most), with a single thinned network ($T = 1$) and with the scaled single pass \
            that test time uses: on the networks the claim is judged on (\(settled[Self.courseRatio].setup.length.end) epochs, \
            \(long.settled ? "settled" : "not all settled")), and on the sweep's (\(sweep[0].setup.length.end) epochs).
            """)
        var figure = Figure(rows: 1, columns: 2, width: 1100, panelHeight: 380)
        let claimTitle = long.settled ? "trained until settled (the claim's networks)"
            : "\(settled[Self.courseRatio].setup.length.end) epochs, not settled (the claim's networks)"
        figure[0, 0] = monteCarloPanel([settled[Self.courseRatio]], passes: passes, title: claimTitle, legend: false)
        figure[0, 1] = monteCarloPanel(sweep.groups(except: 0), passes: passes,
                                       title: "the sweep, \(sweep[0].setup.length.end) epochs",
                                       legend: true)
        let number = report.figure(figure, name: "monte-carlo", caption: """
            Test accuracy of the average of T random-mask passes (dashed, as every test-set line, with markers; band from the lowest \
            to the highest seed) and of the scaled single pass used at test time (a flat line of long dashes, mean over seeds), one \
            colour per dropout ratio. Left: the networks \
            the claim is judged on, \(settled.seedText); right: the sweep's, \(sweep.seedText).
            """)
        let dropped = [settled[Self.courseRatio]] + sweep.groups(except: 0)
        report.table(dropped, first: "networks", columns: [
            Column("one random mask (T = 1)") { percentWithRange($0.measurement(.monteCarloAccuracy(passes: 1))) },
            Column("average of \(most) masks") { percentWithRange($0.measurement(.monteCarloAccuracy(passes: most))) },
            Column("scaled single pass") { percentWithRange($0.finalTestAccuracy) },
            Column("average − scaled") {
                percentagePoints($0.measurement(.monteCarloAccuracy(passes: most)).subtracting($0.finalTestAccuracy))
            },
        ])
        report.paragraph("""
            A single thinned network is clearly worse than the whole, and averaging thinned networks recovers much \
            of that loss, the way an ensemble does. Scaling by $1 - p$ is a cheap stand-in for averaging exponentially \
            many thinned networks: exact for one linear layer, an approximation through six nonlinear ones.
            """)
        return number
    }

    static let averagedPasses = DataName("mc_test_acc", """
        test accuracy of the average softmax output of T random-mask passes (x: T)
        """)
    static let scaledPass = DataName("scaled_test_acc",
                                     """
                                         test accuracy of the single pass that scales every unit by 1 − p (drawn as a \
                                         flat line)
                                         """)

    /// The notes' two claims, on networks trained until they settle: a narrower gap than without
    /// dropout, and an ensemble (averaging masks beats one mask, and the scaled pass matches the
    /// average, each within the resolution of the test set).
    func claims(_ c: Comparison<Double>, test: Int, passes most: Int) -> Decisions {
        let none = c[0], dropout = c[Self.courseRatio]
        let average = dropout.measurement(.monteCarloAccuracy(passes: most))
        let one = dropout.measurement(.monteCarloAccuracy(passes: 1))
        let resolution = Margin.resolution(of: average.mean, on: test, images: "test images")
        let narrows = Decision.narrowerGap(dropout, none, names: ("gap with dropout", "without"), testImages: test)
        let averaging = Decision.paired(average, one, .higher, margin: resolution, scale: .accuracy,
                                        names: ("average of \(most) masks", "one mask"))
        let matches = Decision.equivalent(dropout.finalTestAccuracy, average,
                                          margin: Margin(max(0.02, resolution.value),
                                                         "2 points, or the test set's resolution if larger"),
                                          scale: .accuracy, names: ("scaled pass", "average of \(most) masks"))
        return Decisions([
            (Self.narrowsGap, narrows),
            // An average of many masks beating one is all but certain: shown beside; that the one scaled pass
            // matches the average, which is what makes dropout one network, decides.
            (Self.ensemble, Decision.parts([("the scaled pass matches the average", matches)])
                .beside([("averaging beats one mask (all but certain by construction)", averaging)])),
        ])
    }

    static let narrowsGap = NotesClaim("dropout.narrows-gap", quote: "これもまた，訓練データとテストデータの認識精度の隔たりを軽減できる．",
                                       claim: "Dropout narrows the gap between training and test accuracy.")
    static let ensemble = NotesClaim("dropout.ensemble", quote: "これは，アンサンブル学習を疑似的に一つのネットワークで実現しているといえる．",
                                     claim: "Dropout acts like an ensemble of many networks inside one.")

    static func columns(_ epochs: Int, test: Int) -> [Column] {
        Column.endPoints + Column.settling(epochs: epochs, testImages: test) + [
            Column("accuracy measured") { group in
                let every = group.setup.length.trainingEvery ?? 1
                return every > 1 ? "every \(every) epochs" : "every epoch"
            },
        ]
    }
}

runChapter(DropoutChapter.self)
