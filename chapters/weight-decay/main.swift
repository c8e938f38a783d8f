// Chapter: weight decay. Reads top to bottom like the notebook it replaces.
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

struct WeightDecayChapter: Chapter {
    static let name = "weight-decay"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "Weight decay: the L2 penalty on the overfitting setup, λ = 0.1 beside λ = 0, and a sweep of λ.",
        discussion: """
            Writes <output>/weight-decay/README.md with its figures, their CSV data and results.json. \
            The side-by-side comparison is λ = 0 against the course's λ = 0.1; both are added to --lambdas if missing.
            """)

    /// The course's overfitting setup: 201 epochs on 300 images.
    enum Defaults: ChapterDefaults {
        static let length = 201, quickLength = 20
        static let trainingImages: Int? = 300
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions<Defaults>

    @Option(parsing: .unconditional,
            help: ArgumentHelp("""
                Weight-decay strengths λ of the sweep, comma-separated, each at least 0.
                """, valueName: "list"))
    var lambdas = NumberList([0, 0.01, 0.03, 0.1, 0.3])

    /// The course's λ.
    static let courseLambda = 0.1

    mutating func validate() throws {
        try lambdas.require("--lambdas", "a number of at least 0", { $0 >= 0 })
    }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = schedule.epochs(quick: context.quick), trainSize = schedule.trainingImages
        try context.requireTrainingImages(trainSize, option: "--train-size")

        report.title = "Weight decay: a price on large weights"
        report.paragraph("""
            Overfitting tends to come with large weights: to fit a few hundred images exactly, a network \
            sharpens its units until small changes in the input swing the output. Weight decay (\(report.cite(.krogh1992))) \
            makes large weights expensive by adding their squared size to the loss. This chapter writes the penalty and \
            its gradient down, then trains the course's \(report.link(chapter: "overfitting", "overfitting network")) with and \
            without the penalty and across a range of strengths; the code that adds the penalty, checked against numerical \
            derivatives, is at the end.
            """)

        let base = TrainingSetup.overfitting(epochs: epochs, trainingImages: trainSize)
        try penalty(report, base: base, context: context)

        // The experiment: the overfitting setup, λ = 0 beside the course's λ, then every λ of the sweep.
        let every = max(1, epochs / 40)
        // The two runs drawn epoch by epoch are measured every epoch; the sweep's others every few.
        let test = context.dataset.test.count
        let (comparison, decisions) = context.sweep("weight decay", base: base, values: lambdas.values,
                                       including: [0, Self.courseLambda],
                                       evaluateOthersEvery: every, label: { "λ=\(Format.compact($0))" },
                                       measuring: [.weightNorm, .heldOut],
                                       judging: { self.claims($0, test: test) }) { $0.network.weightDecay = $1 }
        let (trainFall, testRise) = withAndWithout(comparison, base: base, report: report, context: context)
        let long = settled(base, report: report, context: context)
        let (best, mostlyTrain, sweepFigure) = sweep(comparison, every: every, change: (trainFall, testRise),
                                                     base: base, report: report)
        report.claim(Self.largeWeights, decisions[Self.largeWeights], figures: [sweepFigure])

        report.summary["best_lambda_for_test_accuracy"] = .string(best.label)
        let gap = long.decision.readings.first
        let settling = long.settled ? "it did, by \(long.epochs) epochs"
            : "not every run had by \(long.epochs) epochs, the cap"
        report.lead("""
            On the course's \(report.link(chapter: "overfitting", "overfitting network")), trained until it settles (\(settling)), the penalty \
            λ = \(Format.compact(Self.courseLambda)) changes the gap between training accuracy and accuracy on unseen images by \
            \(gap.map { $0.text($0.estimate) } ?? "an unmeasured amount") against no penalty: the claim that weight decay narrows the gap \
            \(long.decision.verdict.predicate). Across \(comparison.keys.count) strengths, the larger a network's weights the wider its gap \
            (\(decisions[Self.largeWeights].verdict.rawValue), though the penalty drives both, so it only illustrates); at the course's λ the gap closes \
            \(mostlyTrain ? "mostly because training accuracy falls" : "mostly because test accuracy rises").
            """, claim: Self.narrowsGap.id, figure: long.figure)
    }

    /// The penalty and its gradient, as formulas and as the code that ran, checked against numerical derivatives.
    func penalty(_ report: Report, base: TrainingSetup, context: ChapterContext) throws {
        report.heading("The penalty and its gradient")
        report.paragraph("""
            For every weight matrix $W$ (biases are left alone), the loss gets the L2 penalty $\\frac{1}{2} \\lambda \
            \\sum W^2$, where $\\lambda$ sets its strength and the $\\frac{1}{2}$ is there to cancel the 2 that \
            differentiation brings down:
            """)
        report.math("""
            L_{\\text{total}} = L + \\frac{1}{2} \\lambda \\sum_{W} \\sum_{i,j} W_{ij}^2, \\qquad \
            \\frac{\\partial L_{\\text{total}}}{\\partial W} = \\frac{\\partial L}{\\partial W} + \\lambda W
            """)
        report.paragraph("""
            With SGD the gradient term gives the method its name: $W \\leftarrow W - \\eta (\\frac{\\partial L}{\\partial W} + \
            \\lambda W) = (1 - \\eta \\lambda) W - \\eta \\frac{\\partial L}{\\partial W}$, so before each step every weight \
            shrinks by the factor $1 - \\eta\\lambda$ ($0.999$ at the course's $\\eta = 0.01$, $\\lambda = 0.1$), and \
            only a weight the data keeps pulling on stays large. (The first layer of these SGD networks runs in its dual \
            form, described at the end of \(report.link(chapter: "optimizers", section: Report.computationHeading, "the optimizers chapter")): \
            there the shrinking is exactly this factor, applied to the layer's start and to its coefficients, and $\\sum W^2$ is \
            computed from the same blocks; the tests check it against the code.)
            """)
        try report.computation("The penalty as code, checked against numerical derivatives") {
            try report.code(file: "Sources/NeuralNet/Network.swift", marker: "weight-decay-loss")
            try report.code(file: "Sources/NeuralNet/Network.swift", marker: "weight-decay-gradient")
            var checked = base.network
            checked.weightDecay = Self.courseLambda
            let check = context.gradientCheck(checked, batchSize: 100, seed: context.seeds[0], perParameter: 30)
            report.gradientCheck(check, perParameter: 30, lead: """
                The check: the course's network with $\\lambda = \(Format.compact(Self.courseLambda))$. The two gradients agree only if the \
                penalty is in the loss and its derivative in the gradient: leave either out and every weight element is \
                off by $\\lambda W$, about \(Format.number(Self.courseLambda * 0.08, digits: 2)) for a typical weight here.
                """)
        }
    }

    /// λ = 0 beside the course's λ, drawn epoch by epoch; returns how the penalty changed training
    /// and test accuracy, seed by seed.
    func withAndWithout(_ comparison: Comparison<Double>, base: TrainingSetup, report: Report, context: ChapterContext)
        -> (trainFall: SeedSummary, testRise: SeedSummary) {
        let none = comparison[0], course = comparison[Self.courseLambda]
        let (epochs, trainSize, test) = (base.length.end, base.data.images ?? 0, context.dataset.test.count)
        report.heading("λ = \(Format.compact(Self.courseLambda)) beside λ = 0")
        report.paragraph("""
            The course's overfitting setup (\(base.network.summary), SGD lr 0.01, batch 100, \(epochs) epochs on \
            \(trainSize) images), once without the penalty and once with $\\lambda = \(Format.compact(Self.courseLambda))$. \
            For each of the \(comparison.seedText) both runs start from the same weights and see the same \
            mini-batches, so the only difference between them is the penalty.
            """)
        let number = report.figure(.accuracies(of: [none, course]), name: "with-and-without", caption: """
            Training (solid) and test (dashed) accuracy per epoch on \(trainSize) images, without weight decay (left) and \
            with λ = \(Format.compact(Self.courseLambda)) (right): mean over \(comparison.seedText), band from the lowest \
            to the highest seed.
            """ + none.measuredNote)
        let columns = Column.endPoints(heldOut: none) + [.measurement(.weightNorm, header: "weight norm √ΣW²")]
        report.table([none, course], first: "weight decay", columns: columns)
        report.paragraph(none.heldOutNote(testImages: test))
        context.showCourse(.weightDecay, context.courseAccuracies("λ = 0", .overfitting, none)
                           + context.courseAccuracies("λ = \(Format.compact(Self.courseLambda))", .weightDecay, course),
                           intro: """
            The course's `overfit_weight_decay.py`, once with its penalty set to 0 and once as written, \
            λ = \(Format.compact(Self.courseLambda)).
            """)
        let gapChange = course.finalGap.subtracting(none.finalGap)
        report.paragraph("""
            **What Figure \(number) shows.** Without the penalty the network reaches \
            \(percentWithRange(none.final(.trainAccuracy))) on its training images and \
            \(percentWithRange(none.final(.testAccuracy))) on the test images. With $\\lambda = \(Format.compact(Self.courseLambda))$ \
            training accuracy ends at \(percentWithRange(course.final(.trainAccuracy))) and test accuracy at \
            \(percentWithRange(course.final(.testAccuracy))): the gap changes by \(percentagePoints(gapChange)), seed by seed, \
            and the weights end \(Format.number(none.measurement(.weightNorm).mean / course.measurement(.weightNorm).mean, digits: 3)) \
            times smaller.
            """)

        return (course.final(.trainAccuracy).subtracting(none.final(.trainAccuracy)),
                course.final(.testAccuracy).subtracting(none.final(.testAccuracy)))
    }

    /// Every λ of the sweep, where the runs end; returns the best λ for test accuracy and whether the
    /// course's λ closes the gap mostly by fitting the training images less well.
    func sweep(_ comparison: Comparison<Double>, every: Int, change: (trainFall: SeedSummary, testRise: SeedSummary),
               base: TrainingSetup, report: Report) -> (best: RunGroup, mostlyTrain: Bool, figure: FigureRef) {
        let sweep = comparison.keys, epochs = base.length.end, (trainFall, testRise) = change
        let none = comparison[0], strongest = comparison[comparison.keys.max()!]
        let columns = Column.endPoints(heldOut: none) + [.measurement(.weightNorm, header: "weight norm √ΣW²")]
        report.heading("How strong a penalty: a sweep of λ")
        let x = sweep.indices.map(Double.init)
        let ticks = sweep.indices.map { (Double($0), Format.compact(sweep[$0])) }
        var sweepFigure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 380)
        var accuracy = Panel.endPoints(of: comparison.groups, against: x, xLabel: "λ")
        accuracy.xTickLabels = ticks
        accuracy.xLimits = -0.3...(Double(sweep.count) - 0.7)
        var norms = Panel(title: "size of the weights", xLabel: "λ", yLabel: "√ΣW² over all weight matrices")
        norms.xTickLabels = ticks
        norms.yScale = .logarithmic
        norms.legend = .hidden
        norms.plot(comparison.groups.map { $0.measurement(.weightNorm) }, against: x, label: "weight norm",
                   color: Palette.color(2),
                   data: Self.weightNorm)
        sweepFigure[0, 0] = accuracy
        sweepFigure[0, 1] = norms
        let sweepNumber = report.figure(sweepFigure, name: "lambda-sweep", caption: """
            The overfitting setup trained \(epochs) epochs with each λ (evenly spaced on the axis, not to scale; λ other \
            than 0 and \(Format.compact(Self.courseLambda)) measured every \(every) epochs). Left: training and test accuracy \
            where the runs end, and their gap; right: the size of the trained weights (log scale). Means over \
            \(comparison.seedText), bands from the lowest to the highest seed.
            """)
        report.table(comparison.groups, first: "λ", columns: columns + [
            .change(.trainAccuracy, from: none, header: "change in training accuracy vs λ=0"),
            .change(.testAccuracy, from: none, header: "change in test accuracy vs λ=0"),
        ])

        // A configuration that no longer learns (training accuracy near chance) has no gap to speak of.
        let collapsed = comparison.groups.filter { $0.final(.trainAccuracy).maximum < 0.2 }
        let bestLambda = comparison.keys.max {
            comparison[$0].final(.testAccuracy).mean < comparison[$1].final(.testAccuracy).mean
        }!
        let best = comparison[bestLambda]
        let bestBeatsNone = best.final(.testAccuracy).isClearlyAbove(none.final(.testAccuracy))
        let mostlyTrain = abs(trainFall.mean) > abs(testRise.mean)
        report.paragraph("""
            **What Figure \(sweepNumber) shows.** The best test accuracy comes with \(best.label): \
            \(percentWithRange(best.final(.testAccuracy))), against \(percentWithRange(none.final(.testAccuracy))) without \
            the penalty\(bestLambda == 0 ? "" : (bestBeatsNone ? ", higher on every seed" : ", a difference inside the seed noise")). \
            The gap shrinks as λ grows, from \(percentagePoints(none.finalGap)) to \(percentagePoints(strongest.finalGap)) \
            at \(strongest.label), and the weights shrink with it. Where does the smaller gap come from? \
            At the course's λ = \(Format.compact(Self.courseLambda)), training accuracy changes by \(percentagePoints(trainFall)) \
            and test accuracy by \(percentagePoints(testRise)): the gap closes \
            \(mostlyTrain ? "mostly because the network fits its training images less well, not because it does better on new ones" : "mostly because test accuracy rises"). \(collapse(collapsed))
            """)
        return (best, mostlyTrain, sweepNumber)
    }

    /// λ = 0 and the course's λ trained on until both settle (twice and four times the course's
    /// epochs at most): the gap claim is judged there, not on runs still learning. Returns its
    /// decision, whether the runs settled, how long they trained and their figure.
    func settled(_ base: TrainingSetup, report: Report, context: ChapterContext)
        -> (decision: Decision, settled: Bool, epochs: Int, figure: FigureRef) {
        let epochs = base.length.end, test = context.dataset.test.count
        let lengths = [epochs, 2 * epochs - 1, 4 * epochs - 3]
        let arms = [0, Self.courseLambda].map { lambda in
            Variant(lambda, label: "λ=\(Format.compact(lambda))") { $0.network.weightDecay = lambda }
        }
        let (pair, settled, decisions) = context.compareUntilSettled(
            "λ = 0 and λ = \(Format.compact(Self.courseLambda)), until settled", base: base, arms, lengths: lengths,
            measuring: [.weightNorm, .heldOut]) { Decisions([(Self.narrowsGap, self.narrows($0, test: test))]) }
        let length = pair[0].setup.length.end
        // The heading says what the settling rule found.
        report.heading(settled ? "Trained until it settles" : "Trained for \(length) epochs, not all settled")
        report.paragraph("""
            At \(epochs) epochs the penalised network may still be learning, and a gap measured on a run that has not finished \
            says little about the penalty. So the same pair trains on, \(lengths.map(String.init).joined(separator: ", then ")) \
            epochs, until both have settled by the rule \(report.link(chapter: "dropout", "the dropout chapter")) uses too: \
            \(Convergence.ruleText). \(settled ? "They settle by \(length) epochs; the claim is judged there." : "They have not both settled by \(length) epochs, the cap: the claim is judged there, on runs that are still learning, and this report does not call them settled.")
            """)
        let number = report.figure(.accuracies(of: pair.groups), name: "until-settled", caption: """
            Training (solid) and test (dashed) accuracy per epoch over \(length) epochs, without weight decay (left) and with \
            λ = \(Format.compact(Self.courseLambda)) (right): mean over \(pair.seedText), band from the lowest to the highest seed.
            """ + pair[0].measuredNote)
        report.table(pair.groups, first: "weight decay", columns: Column.endPoints(heldOut: pair[0])
                        + [.measurement(.weightNorm, header: "weight norm √ΣW²")]
                        + Column.settling(epochs: length, testImages: test))
        let testChange = pair[Self.courseLambda].heldOutAccuracy.subtracting(pair[0].heldOutAccuracy)
        report.paragraph("""
            **What Figure \(number) shows.** With the penalty the gap ends at \(percentagePoints(pair[Self.courseLambda].heldOutGap)) \
            on the held-out images, against \(percentagePoints(pair[0].heldOutGap)) without; accuracy on the held-out images \
            changes by \(percentagePoints(testChange)), seed by seed.
            """)
        let decision = decisions[Self.narrowsGap]
        var figures = [number]
        if let reading = decision.readings.first {
            let perSeed = pair[Self.courseLambda].heldOutOrTestGap.subtracting(pair[0].heldOutOrTestGap)
            let title = "gap with λ = \(Format.compact(Self.courseLambda)) − gap without, \(length) epochs"
            figures.append(report.figure(.difference(reading, seeds: perSeed.values, title: title),
                                         name: "until-settled-difference", caption: """
                The difference the claim reads: each seed's gap with the penalty minus its gap without (dots), their mean with its \
                interval (the bar, coloured by the verdict), the margin around zero (grey) and the line the interval must clear \
                (dashed), on \(pair[0].heldOutImages.map { "\($0.formatted()) held-out images" } ?? "the test images").
                """))
        }
        report.claim(Self.narrowsGap, decision, figures: figures, settled: settled)
        return (decision, settled, length, number)
    }

    func narrows(_ c: Comparison<Double>, test: Int) -> Decision {
        let name = "gap with λ=\(Format.compact(Self.courseLambda))"
        return Decision.narrowerGap(c[Self.courseLambda], c[0], names: (name, "without"), testImages: test)
    }

    /// A sentence on the strengths at which the network stops learning, if any.
    func collapse(_ collapsed: [RunGroup]) -> String {
        guard let first = collapsed.first else { return "" }
        return """
            With \(collapsed.map(\.label).joined(separator: ", ")) the penalty wins outright: the network stops learning \
            and answers one class for everything (\(percentWithRange(first.final(.trainAccuracy))) on both sets), which \
            closes the gap without fitting anything.
            """
    }

    /// The numbers of the sweep's right-hand panel.
    static let weightNorm = DataName("weight_norm", """
        √ΣW² over every weight matrix of the trained network (x: the setting varied)
        """)
}

extension WeightDecayChapter {
    /// The sweep's claim: across the strengths where the network still learns (training accuracy
    /// of at least 20%), the larger a network's weights, the wider its gap: a positive rank
    /// correlation on each seed between the weight norm and the gap on the held-out images.
    func claims(_ c: Comparison<Double>, test: Int) -> Decisions {
        let learning = c.keys.filter { c[$0].final(.trainAccuracy).minimum >= 0.2 }
        let correlations = SeedSummary.perSeed(of: learning.map { c[$0] }) { s in
            spearman(learning.map { c[$0].measurement(.weightNorm).values[s] },
                     learning.map { c[$0].heldOutOrTestGap.values[s] })
        }
        let name = "rank correlation of weight norm and gap over \(learning.count) strengths"
        let goesWith = Decision.threshold(correlations, .higher, 0, levelText: "zero (no relation)",
                                          scale: .number(digits: 2), name: name)
            .explained("per seed, over the strengths of the sweep where the network learns, Spearman's rank "
                       + "correlation between the size of the weights and the gap on the held-out images; ")
            
        return Decisions([(Self.largeWeights, goesWith)])
    }

    static let narrowsGap = NotesClaim("weight-decay.narrows-gap", quote: "結果，訓練データとテストデータの認識精度の隔たりを軽減できる．",
                                       claim: "Weight decay narrows the gap between training and test accuracy.")
    static let largeWeights = NotesClaim("weight-decay.large-weights", quote: "過学習は重みが大きくなることによって発生しやすい",
                                         claim: """
                                             Large weights go with overfitting: across the strengths of the penalty, \
                                             the larger a network's weights, the wider its gap.
                                             """).illustrated("""
                                                 the penalty's strength drives both the weights and the gap, so across \
                                                 its strengths they move together whatever causes overfitting
                                                 """)
}

runChapter(WeightDecayChapter.self)
