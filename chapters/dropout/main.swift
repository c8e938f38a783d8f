// Chapter: Dropout. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
import Plot
import Report
import Runs

struct DropoutChapter: Chapter {
    static let name = "dropout"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "Dropout on the overfitting setup: ratio 0.2 beside none, a sweep of ratios, and the 'implicit ensemble' checked by Monte Carlo passes.",
        discussion: """
            Writes <output>/dropout/README.md with its figures, their CSV data and results.json. \
            The side-by-side comparison is no dropout against the course's ratio 0.2; both are added to --ratios if missing.
            """)

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Dropout ratios of the sweep, comma-separated, each at least 0 and below 1.",
                               valueName: "list"))
    var ratios = NumberList([0, 0.1, 0.2, 0.3, 0.5])

    /// The course's ratio.
    static let courseRatio = 0.2

    mutating func validate() throws {
        try ratios.require("--ratios", "at least 0 and below 1", { $0 >= 0 && $0 < 1 })
    }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = context.pick(schedule.epochs, full: 301, quick: 20)
        let trainSize = schedule.trainSize ?? 300
        try context.requireTrainingImages(trainSize, option: "--train-size")
        let sweep = sweepValues(ratios.values, including: [0, Self.courseRatio])
        let passes = context.quick ? [1, 2, 4, 8] : [1, 2, 4, 8, 16, 32, 64]

        report.title = "Dropout: training a different thinned network at every step"
        report.paragraph("""
            Dropout switches off a random share of the hidden units for every mini-batch, so no unit can \
            count on any particular other unit being there, and the network cannot build the fragile \
            co-adaptations that memorising a small training set needs. The notes say it narrows the gap \
            between training and test accuracy, and that it amounts to ensemble learning inside one \
            network. This chapter shows the layer, trains the course's overfitting network with it, and \
            checks both statements.
            """)

        report.heading("The layer, in training and at test time")
        report.paragraph("""
            In training, each unit's output is multiplied by a mask drawn afresh for every batch: 1 with \
            probability $1 - p$, 0 with probability $p$ (the *dropout ratio*). The backward pass lets the \
            gradient through the same mask. At test time no unit is dropped; instead every output is scaled \
            by $1 - p$, so that each unit passes on, on average, what it passed on in training. (Many libraries \
            use *inverted* dropout instead, which divides by $1 - p$ in training and leaves test time alone; \
            the two are the same network up to that constant. This project, like the course, scales at test time.)
            """)
        report.math("\\text{training: } y = x \\odot m,\\ m_i \\sim \\text{Bernoulli}(1 - p) \\qquad \\text{test: } y = (1 - p)\\, x")
        try report.code(file: "Sources/NeuralNet/Layers/Dropout.swift", marker: "dropout")
        let layerCheck = sweep.filter { $0 > 0 }.map { ratio in Self.measureLayer(ratio: ratio, seed: context.seeds[0]) }
        report.paragraph("A direct check of the scaling, on a 1000 × 100 block of ones passed through the layer 100 times in training mode:")
        report.table(headers: ["ratio p", "share of units dropped", "mean training output", "test-time output (1 − p)"],
                     rows: layerCheck.map { [Format.compact($0.ratio), Format.percent($0.dropped, decimals: 2),
                                             Format.number($0.trainingMean, digits: 4), Format.number($0.inference, digits: 4)] })

        // The experiment: the overfitting setup with each dropout ratio, and Monte Carlo passes over each trained network.
        let base = TrainingSetup.overfitting(epochs: epochs, trainingImages: trainSize)
        let every = max(1, epochs / 60)
        // The two runs drawn epoch by epoch are measured every epoch; the sweep's others every few.
        let comparison = context.sweep("dropout", base: base, values: sweep, including: [0, Self.courseRatio],
                                       evaluateOthersEvery: every, label: { "dropout=\(Format.compact($0))" },
                                       measuring: [.monteCarlo(passes: passes)]) { $0.network.dropoutRatio = $1 > 0 ? $1 : nil }
        let none = comparison[0], course = comparison[Self.courseRatio]

        report.heading("Ratio \(Format.compact(Self.courseRatio)) beside no dropout")
        report.paragraph("""
            The course's overfitting setup (\(base.network.summary), SGD lr 0.01, batch 100, \(trainSize) images), \
            trained for \(epochs) epochs with a Dropout layer after every hidden activation, beside the same \
            network without one. Both start from the same weights and see the same mini-batches for each of \
            the \(context.seeds.count) seeds.
            """)
        let number = report.figure(.accuracies(of: [none, course]), name: "with-and-without",
                                   caption: "Training (solid) and test (dashed) accuracy per epoch on \(trainSize) images, without dropout (left) and with ratio \(Format.compact(Self.courseRatio)) (right): mean over \(context.seeds.count) seeds, band from the lowest to the highest seed.")
        let span = min(50, epochs / 4)
        let columns: [Column] = [
            .final(.trainAccuracy, header: "training accuracy"),
            .final(.testAccuracy, header: "test accuracy"),
            Column("gap (training − test)") { percentagePoints($0.finalGap) },
            Column("training accuracy, last \(span) epochs") { percentagePoints($0.trend(.trainAccuracy, overLast: span)) },
            Column("test accuracy, last \(span) epochs") { percentagePoints($0.trend(.testAccuracy, overLast: span)) },
            Column("after \(epochs) epochs") { Self.convergence($0, span: span).text },
            Column("accuracy measured") { if case let .epochs(_, k) = $0.setup.length, k > 1 { "every \(k) epochs" } else { "every epoch" } },
        ]
        report.table([none, course], first: "dropout", columns: columns)
        let gapChange = course.finalGap.subtracting(none.finalGap)
        report.paragraph("""
            **What Figure \(number) shows.** With dropout the training curve rises more slowly and stays below \
            100% for longer (\(percentWithRange(course.final(.trainAccuracy))) after \(epochs) epochs, against \
            \(percentWithRange(none.final(.trainAccuracy))) without), while test accuracy ends at \
            \(percentWithRange(course.final(.testAccuracy))) against \(percentWithRange(none.final(.testAccuracy))); \
            the gap changes by \(percentagePoints(gapChange)) seed by seed. \
            \(Self.convergence(course, span: span).sentence(label: course.label, epochs: epochs, span: span))
            """)

        let narrower = course.finalGap.isClearlyBelow(none.finalGap)
        // A gap narrower on every seed only holds in part while the dropout run is still rising.
        let gapVerdict = Claim.Verdict.lower(course.finalGap, than: none.finalGap)
        report.claim("Dropout narrows the gap between training and test accuracy.",
                     gapVerdict == .holds && Self.convergence(course, span: span) == .rising ? .holdsInPart : gapVerdict,
                     evidence: "Gap with ratio \(Format.compact(Self.courseRatio)) \(percentagePoints(course.finalGap)), without \(percentagePoints(none.finalGap))"
                        + (narrower ? " (smaller on every seed)" : "") + "; test accuracy \(percentWithRange(course.final(.testAccuracy))) against \(percentWithRange(none.final(.testAccuracy)))"
                        + (Self.convergence(course, span: span) == .rising ? "; the dropout run is still rising after \(epochs) epochs, so part of the narrower gap is unfinished training." : "."))

        report.heading("A sweep of ratios, and whether \(epochs) epochs are enough")
        var sweepFigure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 380)
        var curves = Panel.accuracy(title: "training accuracy per epoch")
        for (index, group) in comparison.groups.enumerated() { curves.plot(group, .trainAccuracy, color: Palette.color(index)) }
        sweepFigure[0, 0] = curves
        sweepFigure[0, 1] = .endPoints(of: comparison.groups, against: sweep, xLabel: "dropout ratio")
        let sweepNumber = report.figure(sweepFigure, name: "ratio-sweep",
                                        caption: "The overfitting setup with each dropout ratio for \(epochs) epochs. Left: training accuracy per epoch; right: training and test accuracy where the runs end, and their gap. Means over \(context.seeds.count) seeds, bands from the lowest to the highest seed.")
        report.table(comparison.groups, first: "ratio", columns: columns)
        let rising = comparison.groups.filter { Self.convergence($0, span: span) == .rising }
        let best = comparison.groups.max { $0.final(.testAccuracy).mean < $1.final(.testAccuracy).mean }!
        report.paragraph("""
            **What Figure \(sweepNumber) shows.** The larger the ratio, the more slowly training accuracy \
            climbs and the smaller the final gap: from \(percentagePoints(none.finalGap)) without dropout to \
            \(percentagePoints(comparison.groups.last!.finalGap)) at \(comparison.groups.last!.label). The best test \
            accuracy comes with \(best.label) (\(percentWithRange(best.final(.testAccuracy)))). But the table's \
            last columns say that \(epochs) epochs do not finish every run: \
            \(rising.isEmpty ? "every ratio has settled." : "\(rising.map(\.label).joined(separator: ", ")) \(rising.count == 1 ? "is" : "are") still gaining training accuracy at the end, so part of the smaller gap there is a network that has not yet fitted its training set, and a longer run would narrow the difference.") \
            (Rule: *still rising* when training accuracy over the last \(span) epochs gained at least one point on every seed, *settled* when it moved by less than one point on every seed; each value compares the mean of the last 10 epochs with the mean of the 10 epochs that ended \(span) epochs earlier.)
            """)

        report.heading("An ensemble inside one network?")
        report.paragraph("""
            Every mini-batch trains a different *thinned* network: the one its mask leaves. If dropout is an \
            ensemble, the trained network should behave like the average of many thinned networks. That \
            average can be computed directly: run the test set through the network in training mode, with \
            fresh random masks, $T$ times, and average the softmax outputs (*Monte Carlo dropout*). We compare \
            it, for $T$ up to \(passes.last!), with a single thinned network ($T = 1$) and with the scaled \
            single pass that test time uses.
            """)
        let dropped = comparison.groups(except: 0)
        // The ensemble reading is about trained networks: those that fit fewer than half of their training
        // images on some seed (still far from trained after these epochs) are described but not judged.
        let learnt = dropped.filter { $0.final(.trainAccuracy).minimum >= 0.5 }
        let stuck = dropped.filter { $0.final(.trainAccuracy).minimum < 0.5 }
        var ensembleFigure = Figure(width: 800, panelHeight: 380)
        var ensemble = Panel(xLabel: "random-mask passes averaged (T)", yLabel: "test accuracy")
        ensemble.xScale = .logarithmic
        ensemble.xTickLabels = passes.map { (Double($0), "\($0)") }
        for (index, group) in dropped.enumerated() {
            let color = Palette.color(comparison.keys.firstIndex(of: group.setup.network.dropoutRatio ?? 0) ?? index)
            ensemble.plot(passes.map { group.measurement(.monteCarloAccuracy(passes: $0)) }, against: passes.map(Double.init), label: group.label,
                          color: color, dataName: "mc_test_acc")
            let scaled = group.finalTestAccuracy
            ensemble.add(LineMark(x: [Double(passes.first!), Double(passes.last!)], y: [scaled.mean, scaled.mean], label: group.label,
                                  color: color, style: .dashed, inLegend: false, dataName: "scaled_test_acc"))
        }
        ensembleFigure[0, 0] = ensemble
        report.describeMetric("mc_test_acc", "test accuracy of the average softmax output of T random-mask passes (x: T)")
        report.describeMetric("scaled_test_acc", "test accuracy of the single pass that scales every unit by 1 − p (drawn as a flat line)")
        let ensembleNumber = report.figure(ensembleFigure, name: "monte-carlo",
                                           caption: "Test accuracy of the average of T random-mask passes (solid, with markers; band from the lowest to the highest of \(context.seeds.count) seeds) and of the scaled single pass used at test time (dashed, mean over seeds), one colour per dropout ratio.")
        let most = passes.last!
        report.table(dropped, first: "ratio", columns: [
            Column("one random mask (T = 1)") { percentWithRange($0.measurement(.monteCarloAccuracy(passes: 1))) },
            Column("average of \(most) masks") { percentWithRange($0.measurement(.monteCarloAccuracy(passes: most))) },
            Column("scaled single pass") { percentWithRange($0.finalTestAccuracy) },
            Column("average − scaled") { percentagePoints($0.measurement(.monteCarloAccuracy(passes: most)).subtracting($0.finalTestAccuracy)) },
        ])
        let averagingHelps = !learnt.isEmpty && learnt.allSatisfy { $0.measurement(.monteCarloAccuracy(passes: most)).isClearlyAbove($0.measurement(.monteCarloAccuracy(passes: 1))) }
        let differences = learnt.map { $0.measurement(.monteCarloAccuracy(passes: most)).subtracting($0.finalTestAccuracy) }
        let scaledMatches = !learnt.isEmpty && differences.allSatisfy { abs($0.mean) <= 0.02 }
        let judged = learnt.map(\.label).joined(separator: ", ")
        let notJudged = stuck.isEmpty ? "" : " Not judged: " + stuck.map { "\($0.label) (training accuracy \(percentWithRange($0.final(.trainAccuracy))))" }.joined(separator: ", ")
            + ", whose networks fit fewer than half of their training images after \(epochs) epochs."
        report.paragraph("""
            **What Figure \(ensembleNumber) shows.** A single thinned network is clearly worse than the whole: \
            with \(course.label) one random mask scores \(percentWithRange(course.measurement(.monteCarloAccuracy(passes: 1)))) on the test \
            set. Averaging thinned networks recovers much of that loss, the way an ensemble does: \
            \(percentWithRange(course.measurement(.monteCarloAccuracy(passes: most)))) with \(most) masks, \
            \(averagingHelps ? "above a single mask on every seed at \(judged)" : "though not above a single mask on every seed at \(judged)"). \
            The scaled single pass differs from that average by \
            \(zip(learnt, differences).map { "\(percentagePoints($1)) at \($0.label)" }.joined(separator: ", ")). \
            Scaling by $1 - p$ is a cheap stand-in for averaging exponentially many thinned networks: exact for \
            one linear layer, an approximation through six nonlinear ones, and \(scaledMatches ? "a close one here" : "a rougher one as the ratio grows").\(notJudged)
            """)
        report.claim("Dropout acts like an ensemble of many networks inside one.",
                     .parts(averagingHelps, scaledMatches),
                     evidence: "Ratio \(Format.compact(Self.courseRatio)): one random mask \(percentWithRange(course.measurement(.monteCarloAccuracy(passes: 1)))), average of \(most) masks \(percentWithRange(course.measurement(.monteCarloAccuracy(passes: most)))), scaled single pass \(percentWithRange(course.finalTestAccuracy)). "
                        + "At \(judged): averaging beats one mask on every seed: \(averagingHelps ? "yes" : "no"); the scaled pass is within 2 points of the average (mean over seeds): \(scaledMatches ? "yes" : "no") ("
                        + zip(learnt, differences).map { "\($0.label) \(percentagePoints($1))" }.joined(separator: "; ") + ")." + notJudged)

        report.summary["still_rising"] = .array(rising.map { .string($0.label) })
        report.summary["finding"] = .string("Ratio \(Format.compact(Self.courseRatio)) moves the train–test gap from \(Format.percent(none.finalGap.mean)) to \(Format.percent(course.finalGap.mean)); averaging \(most) random masks gives \(Format.percent(course.measurement(.monteCarloAccuracy(passes: most)).mean)) against \(Format.percent(course.finalTestAccuracy.mean)) for the scaled pass."
            + (rising.isEmpty ? "" : " Still rising after \(epochs) epochs: \(rising.map(\.label).joined(separator: ", ")).")) 
    }

    /// Whether a run has stopped gaining training accuracy.
    enum Convergence: Equatable {
        case rising, settled, unclear

        var text: String {
            switch self {
            case .rising: "still rising"
            case .settled: "settled"
            case .unclear: "unclear (seeds disagree)"
            }
        }

        func sentence(label: String, epochs: Int, span: Int) -> String {
            switch self {
            case .rising: "The \(label) run has not converged: its training accuracy is still rising over the last \(span) of its \(epochs) epochs (as in the course's own run)."
            case .settled: "The \(label) run has settled: its training accuracy moved by less than a point over the last \(span) epochs."
            case .unclear: "Whether the \(label) run has converged is unclear: its seeds disagree over the last \(span) epochs."
            }
        }
    }

    static func convergence(_ group: RunGroup, span: Int) -> Convergence {
        let change = group.trend(.trainAccuracy, overLast: span)
        if change.present.allSatisfy({ $0 >= 0.01 }) { return .rising }
        if change.present.allSatisfy({ abs($0) < 0.01 }) { return .settled }
        return .unclear
    }

    /// What a Dropout layer does to a block of ones: the share it drops in training, the mean of
    /// its training output, and its test-time output.
    static func measureLayer(ratio: Double, seed: UInt64) -> (ratio: Double, dropped: Double, trainingMean: Double, inference: Double) {
        let layer = Dropout<Float>(ratio: ratio, generator: SeededGenerator(seed: seed, stream: "dropout check"))
        let ones = Matrix<Float>(rows: 1000, columns: 100, repeating: 1)
        var zeros = 0, total = 0.0
        for _ in 0..<100 {
            let y = layer.forward(ones, training: true)
            for i in 0..<y.count {
                if y.base[i] == 0 { zeros += 1 }
                total += Double(y.base[i])
            }
        }
        return (ratio, Double(zeros) / 10_000_000, total / 10_000_000, Double(layer.forward(ones, training: false).base[0]))
    }
}

runChapter(DropoutChapter.self)
