// Chapter: Batch Normalization. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs

struct BatchNormChapter: Chapter {
    static let name = "batch-norm"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "Batch Normalization: its forward and backward passes, a gradient check, training with and without it from 16 initial weight scales, and on the overfitting setup.",
        discussion: """
            Writes <output>/batch-norm/README.md with its figures, their CSV data and results.json. \
            --epochs and --train-size set the scale experiment (the course's 20 epochs on 1000 images); \
            the overfitting check always uses the overfitting chapter's setup (300 images, 201 epochs; 20 with --quick).
            """)

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Initial weight scales (standard deviations), comma-separated (default: 16 log-spaced from 1 to 0.0001).",
                               valueName: "list"))
    var scales: NumberList?

    mutating func validate() throws {
        try scales?.require("--scales", "a positive number", { $0 > 0 })
    }

    /// The course's scales: 16 values log-spaced from 1 down to 1e-4 (NumPy's `logspace(0, -4, 16)`).
    static let courseScales = (0..<16).map { pow(10, -4 * Double($0) / 15) }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = context.pick(schedule.epochs, full: 20, quick: 4)
        let trainSize = schedule.trainSize ?? 1000
        try context.requireTrainingImages(trainSize, option: "--train-size")
        let scaleList = scales?.values ?? Self.courseScales

        report.title = "Batch Normalization: steadying what each layer sees"
        report.paragraph("""
            Batch Normalization inserts, between a layer's affine map and its activation, a step that shifts \
            and scales every feature to mean 0 and variance 1 over the mini-batch, and then lets the network \
            learn its own scale and shift. The notes credit it with three things: learning goes faster, it \
            depends less on the initial weights, and it holds overfitting back. This chapter writes the layer \
            down, checks its gradient properly, and then measures each of the three.
            """)
        try forwardAndBackward(report)
        gradientCheck(report, context: context)
        let (bnFinals, plainFinals, ahead, failed) = scaleExperiment(report, context: context, scales: scaleList, epochs: epochs, trainSize: trainSize)
        let gaps = overfitting(report, context: context)
        report.summary["scales_ahead_early"] = .number(Double(ahead))
        report.summary["finding"] = .string("BatchNorm learns from all \(scaleList.count) initial scales (final training accuracy \(Format.percent(bnFinals.min()!))–\(Format.percent(bnFinals.max()!)); without it \(failed) scales stay at chance or diverge) and is ahead early at \(ahead) of them; on 300 images its train–test gap is \(Format.percent(gaps.batchNorm)) against \(Format.percent(gaps.plain)).")
        _ = plainFinals
    }

    // MARK: - The layer

    func forwardAndBackward(_ report: Report) throws {
        report.heading("Forward and backward")
        report.paragraph("""
            For one feature over a mini-batch $x_1, \\dots, x_N$, the forward pass normalises with the batch's \
            mean and variance ($\\epsilon = 10^{-6}$ keeps the division safe), then applies the learned scale \
            $\\gamma$ (starting at 1) and shift $\\beta$ (starting at 0):
            """)
        report.math("\\mu = \\frac{1}{N}\\sum_i x_i, \\quad \\sigma^2 = \\frac{1}{N}\\sum_i (x_i - \\mu)^2, \\quad \\hat{x}_i = \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}, \\quad y_i = \\gamma \\hat{x}_i + \\beta")
        try report.code(file: "Sources/NeuralNet/Layers/BatchNorm.swift", marker: "batchnorm-forward")
        report.paragraph("""
            The backward pass is the notes' "slightly tedious" part, because every $x_i$ reaches every $y_j$ \
            through $\\mu$ and $\\sigma^2$. Collecting the three paths gives, with $\\delta_i = \\partial L / \\partial y_i$:
            """)
        report.math("\\frac{\\partial L}{\\partial \\beta} = \\sum_i \\delta_i, \\quad \\frac{\\partial L}{\\partial \\gamma} = \\sum_i \\delta_i \\hat{x}_i, \\quad \\frac{\\partial L}{\\partial x_i} = \\frac{\\gamma}{N\\sqrt{\\sigma^2 + \\epsilon}} \\Big( N \\delta_i - \\sum_j \\delta_j - \\hat{x}_i \\sum_j \\delta_j \\hat{x}_j \\Big)")
        try report.code(file: "Sources/NeuralNet/Layers/BatchNorm.swift", marker: "batchnorm-backward")
        report.paragraph("""
            At test time a prediction must not depend on which other images share its batch, so the layer \
            keeps running averages of $\\mu$ and $\\sigma^2$ during training (momentum 0.9, as in the course) \
            and uses those instead:
            """)
        try report.code(file: "Sources/NeuralNet/Layers/BatchNorm.swift", marker: "batchnorm-inference")
    }

    // MARK: - The gradient check

    func gradientCheck(_ report: Report, context: ChapterContext) {
        report.heading("Checking the gradient on a real batch")
        let checked = NetworkConfiguration(hiddenSizes: [100, 100], activation: .relu, weightInitialization: .he, batchNormalization: true)
        let seed = context.seeds[0]
        let batchCheck = GradientReport(checked, on: context.dataset.training, batchSize: 100, seed: seed, perParameter: 40)
        let singleCheck = GradientReport(checked, on: context.dataset.training, batchSize: 1, seed: seed, perParameter: 40)
        context.settings.record("gradient check", "\(checked.summary), Float64, h = 1e-5, first 100 (and first 1) training images, seed \(seed)")
        report.paragraph("""
            The course checks this layer inside a \(checked.summary) network by comparing backpropagation with \
            central differences $(L(\\theta + h) - L(\\theta - h)) / 2h$. We do the same in Float64 with $h = 10^{-5}$, \
            on a batch of \(batchCheck.batchSize) real training images; for the large arrays 40 elements picked at random \
            are checked.
            """)
        batchCheck.table(in: report)
        let biasRows = batchCheck.rows.filter { $0.name == "b1" || $0.name == "b2" }
        report.paragraph("""
            \(GradientReport.kinkNote) The typical difference is at most \
            \(Format.number(batchCheck.worstRelativeMedian, digits: 2)) of the gradient's size. The biases \
            b1 and b2 come right before a BatchNorm, which subtracts any shift of a column again: their true \
            gradient is zero, and the analytic one is \(biasRows.allSatisfy { $0.meanMagnitude < 1e-12 } ? "zero too (to within rounding)" : "not quite zero"), \
            so their rows show a difference of two zeros.
            """)
        report.paragraph("""
            The course's own check uses a batch of **one** image, and with one image BatchNorm's output is \
            constant: $x_1 - \\mu = 0$, so $\\hat{x}_1 = 0$ and $y_1 = \\beta$ whatever the input and whatever the \
            weights before it. The loss then depends on nothing before the last BatchNorm but its $\\beta$, and \
            almost every gradient is exactly zero, analytic and numerical alike:
            """)
        report.table(headers: ["parameter", "analytic elements exactly 0, batch of 1", "mean |analytic|, batch of 1",
                               "mean |analytic − numerical|, batch of 1", "analytic elements exactly 0, batch of 100"],
                     rows: zip(singleCheck.rows, batchCheck.rows).map { single, batch in
                         [single.name, Format.percent(single.exactZeros), Format.number(single.meanMagnitude, digits: 3),
                          Format.number(single.meanDifference, digits: 2), Format.percent(batch.exactZeros)]
                     })
        let live = singleCheck.rows.filter { $0.exactZeros < 1 }.map(\.name)
        let onKink = singleCheck.rows.filter { $0.exactZeros == 1 && $0.meanDifference > 1e-6 }.map(\.name)
        report.paragraph("""
            With one image, only \(live.joined(separator: ", ")) \(live.count == 1 ? "has" : "have") any non-zero gradient. \
            \(onKink.isEmpty ? "" : "The one disagreement, \(onKink.joined(separator: ", ")), is not a bug either: that β starts at exactly 0 and, with the layer's output stuck at β, every unit after it sits on the ReLU's kink, where backpropagation takes the slope 0 and the central difference averages the slopes 0 and 1. ")\
            Comparing zeros with zeros passes whatever the backward pass computes for $\\partial L / \\partial x$, the \
            hard part of the layer; a real batch is the check that can fail.
            """)
    }

    // MARK: - Sixteen initial scales

    /// One arm of the scale experiment: an initial weight scale, with or without BatchNorm.
    struct Arm: Hashable, Sendable {
        let scale: Double
        let batchNorm: Bool
    }

    /// Trains both arms from every scale; returns the final training accuracies (a scale that
    /// diverged on every seed counts as chance), the scales where BatchNorm is ahead early, and the
    /// scales that fail without it.
    func scaleExperiment(_ report: Report, context: ChapterContext, scales scaleList: [Double], epochs: Int,
                         trainSize: Int) -> (batchNorm: [Double], plain: [Double], ahead: Int, failed: Int) {
        report.heading("With and without BatchNorm, from \(scaleList.count) initial scales")
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 5), activation: .relu),
                                 optimizer: .sgd(learningRate: 0.01), batchSize: 100, length: .epochs(epochs), data: .first(trainSize))
        report.paragraph("""
            The course's experiment: a 784-100-100-100-100-100-10 ReLU network, trained with SGD (lr 0.01, \
            mini-batches of 100) for \(epochs) epochs on \(trainSize) training images, with and without a \
            BatchNorm layer after every hidden affine map, from initial weights drawn with standard deviations \
            from \(Format.significant(scaleList.max()!)) down to \(Format.significant(scaleList.min()!)). For each scale and seed, \
            the two networks start from the same weights and see the same mini-batches. Test accuracy uses the \
            running statistics, as a deployed network would.
            """)
        let comparison = context.compare("with and without BatchNorm", base: base, scaleList.flatMap { scale in [true, false].map { batchNorm in
            Variant(Arm(scale: scale, batchNorm: batchNorm), label: "\(batchNorm ? "BatchNorm" : "no BatchNorm"), scale=\(Format.significant(scale))") {
                $0.network.weightInitialization = .standardDeviation(scale)
                if batchNorm { $0.network.batchNormalization = true }
            }
        } })
        let withBN = scaleList.map { comparison[Arm(scale: $0, batchNorm: true)] }, without = scaleList.map { comparison[Arm(scale: $0, batchNorm: false)] }

        let grid = Figure.grid(scaleList.count, columns: 4, title: "Training accuracy per epoch: BatchNorm (solid) and without (dashed)",
                               width: 1000, panelHeight: 200) { index in
            var panel = Panel.accuracy(title: "scale=\(Format.significant(scaleList[index]))", xLabel: "epoch", yLabel: "accuracy")
            panel.plot(withBN[index], .trainAccuracy, label: "BatchNorm", color: Palette.color(0))
            panel.plot(without[index], .trainAccuracy, label: "no BatchNorm", color: Palette.color(1), style: .dashed)
            for (group, other) in [(withBN[index], without[index]), (without[index], withBN[index])] where !group.divergedSeeds.isEmpty {
                // The note goes where the other curve is not: high if it ends low, low if it ends high.
                let y = (other.final(.trainAccuracy).present.max() ?? 0) < 0.55 ? 0.8 : 0.2
                let seeds = group.divergedSeeds.count == group.seeds.count ? "every seed" : "\(group.divergedSeeds.count) of \(group.seeds.count) seeds"
                let batchNorm = group.setup.network.batchNormalization
                panel.add(TextMark(x: Double(epochs) / 2, y: y, text: "\(batchNorm ? "BatchNorm" : "no BatchNorm"): diverged, \(seeds)",
                                   color: batchNorm ? Palette.color(0) : Palette.color(1)))
            }
            if index != 0 { panel.legend = .hidden }
            return panel
        }
        let gridNumber = report.figure(grid, name: "scales-grid",
                                       caption: "Training accuracy per epoch on \(trainSize) images for each initial weight scale: with BatchNorm (solid, blue) and without (dashed, orange); mean over \(context.seeds.count) seeds, band from the lowest to the highest seed.")
        var summary = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 360)
        for (column, metric) in [Metric.trainAccuracy, .testAccuracy].enumerated() {
            var panel = Panel.accuracy(title: "\(metric.displayName) after \(epochs) epochs", xLabel: "initial weight scale (std)",
                                       yLabel: column == 0 ? "accuracy" : nil)
            panel.xScale = .logarithmic
            panel.plot(withBN.map { $0.final(metric) }, against: scaleList, label: "BatchNorm", color: Palette.color(0), dataName: "final_" + metric.rawValue)
            panel.plot(without.map { $0.final(metric) }, against: scaleList, label: "no BatchNorm", color: Palette.color(1), style: .dashed,
                       marker: .square, dataName: "final_" + metric.rawValue)
            let failed = scaleList.indices.filter { without[$0].final(metric).present.isEmpty }
            if !failed.isEmpty {
                panel.add(ScatterMark(x: failed.map { scaleList[$0] }, y: failed.map { _ in 0.05 }, color: Palette.color(1), size: 9,
                                      shape: .cross, label: "no BatchNorm: diverged on every seed"))
            }
            if column == 0 { panel.legend = .hidden }   // the two panels share one legend, on the right
            summary[0, column] = panel
        }
        let summaryNumber = report.figure(summary, name: "scales-summary",
                                          caption: "Where the runs end, against the initial weight scale (log axis): training accuracy (left) and test accuracy with the running statistics (right), with BatchNorm (solid) and without (dashed); means over \(context.seeds.count) seeds, bands from the lowest to the highest seed. A cross marks a scale where every seed diverged (the loss became NaN and training stopped), so there is no accuracy to draw.")
        let early = max(epochs / 4, 1)
        report.table(headers: ["scale", "BatchNorm, epoch \(early)", "without, epoch \(early)", "BatchNorm, training", "without, training",
                               "BatchNorm, test", "without, test"],
                     rows: scaleList.indices.map { i in
                         [Format.significant(scaleList[i]), percentWithRange(withBN[i].value(.trainAccuracy, at: early)),
                          percentWithRange(without[i].value(.trainAccuracy, at: early)),
                          percentWithRange(withBN[i].final(.trainAccuracy)), percentWithRange(without[i].final(.trainAccuracy)),
                          percentWithRange(withBN[i].final(.testAccuracy)), percentWithRange(without[i].final(.testAccuracy))]
                     })

        let ahead = scaleList.indices.filter { withBN[$0].value(.trainAccuracy, at: early).isClearlyAbove(without[$0].value(.trainAccuracy, at: early)) }
        let behind = scaleList.indices.filter { withBN[$0].value(.trainAccuracy, at: early).isClearlyBelow(without[$0].value(.trainAccuracy, at: early)) }
        // A scale where every seed diverged learnt nothing: for the spread across scales it counts as chance (10%).
        let chance = 1 / Double(base.network.outputSize)
        func finals(_ groups: [RunGroup]) -> [Double] { groups.map { $0.final(.trainAccuracy).present.isEmpty ? chance : $0.final(.trainAccuracy).mean } }
        let bnFinals = finals(withBN), plainFinals = finals(without)
        let bnRange = bnFinals.max()! - bnFinals.min()!, plainRange = plainFinals.max()! - plainFinals.min()!
        func failures(_ groups: [RunGroup]) -> Int { groups.filter { ($0.final(.trainAccuracy).present.max() ?? 0) < 2 * chance }.count }
        let divergedScales = without.filter { $0.final(.trainAccuracy).present.isEmpty }.count
        let diverged = comparison.groups.filter { !$0.divergedSeeds.isEmpty }
        report.paragraph("""
            **What Figures \(gridNumber) and \(summaryNumber) show.** Without BatchNorm the network learns only \
            from a narrow band of scales: too large and the signal explodes through five ReLU layers, too small \
            and it fades away, and in both cases SGD at 0.01 gets nowhere in \(epochs) epochs. With BatchNorm \
            every layer's input is rescaled to unit variance whatever the weights, and the network learns from \
            every scale. After \(early) of \(epochs) epochs BatchNorm is ahead on every seed at \(ahead.count) of \
            \(scaleList.count) scales and behind at \(behind.count)\(behind.isEmpty ? "" : " (\(behind.map { Format.significant(scaleList[$0]) }.joined(separator: ", ")))"). \
            Across the scales the final training accuracy spans \(Format.percent(bnFinals.min()!))–\(Format.percent(bnFinals.max()!)) \
            with BatchNorm and \(Format.percent(plainFinals.min()!))–\(Format.percent(plainFinals.max()!)) without\
            \(divergedScales > 0 ? " (counting the \(divergedScales) scales that diverged as chance)" : ""). \
            BatchNorm is not free of the scale either: multiplying the weights in front of it by $c$ leaves its \
            output unchanged but divides their gradient by $c$, so a step of SGD moves large weights relatively \
            little ($1/c^2$ of their size) and tiny weights a great deal. Large scales therefore learn slowly and \
            tiny ones noisily, and near the scales that suit plain ReLU layers (He's $\\sqrt{2/100} \\approx 0.14$ \
            for the hidden layers) the network without BatchNorm is the faster one.\
            \(diverged.isEmpty ? "" : " Diverged (loss became NaN; those seeds stop and count as missing): " + diverged.map { "\($0.label) (seeds \($0.divergedSeeds.map(String.init).joined(separator: ", ")))" }.joined(separator: "; ") + ".")
            """)
        report.claim("Batch Normalization makes learning faster.",
                     ahead.count * 4 >= scaleList.count * 3 && behind.isEmpty ? .holds : (ahead.count > behind.count ? .holdsInPart : .doesNotHold),
                     evidence: "Training accuracy after \(early) of \(epochs) epochs: BatchNorm ahead on every seed at \(ahead.count) of \(scaleList.count) initial scales, behind at \(behind.count) (rule: ahead at three quarters of the scales and behind at none).")
        report.claim("Batch Normalization makes training depend less on the initial weights.",
                     bnRange * 2 < plainRange ? .holds : (bnRange < plainRange || failures(withBN) < failures(without) ? .holdsInPart : .doesNotHold),
                     evidence: "Final training accuracy across the \(scaleList.count) scales: \(Format.percent(bnFinals.min()!))–\(Format.percent(bnFinals.max()!)) with BatchNorm (range \(Format.percent(bnRange))), "
                        + "\(Format.percent(plainFinals.min()!))–\(Format.percent(plainFinals.max()!)) without (range \(Format.percent(plainRange))"
                        + (divergedScales > 0 ? "; the \(divergedScales) scales where every seed diverged count as chance, 10%" : "") + "). "
                        + "Scales that end below 20% on every seed: \(failures(withBN)) with BatchNorm, \(failures(without)) without. Rule: holds if the range with BatchNorm is less than half the range without.")
        return (bnFinals, plainFinals, ahead.count, failures(without))
    }

    // MARK: - Overfitting

    /// The third claim, on the overfitting chapter's setup; returns the mean gaps with and without.
    func overfitting(_ report: Report, context: ChapterContext) -> (batchNorm: Double, plain: Double) {
        report.heading("Does it hold overfitting back?")
        let overfittingEpochs = context.quick ? 20 : 201
        let overfitting = TrainingSetup.overfitting(epochs: overfittingEpochs)
        report.paragraph("""
            The third claim needs a network that overfits: the overfitting chapter's setup (\(overfitting.network.summary), \
            SGD lr 0.01, batch 100, \(overfittingEpochs) epochs on 300 images), with and without BatchNorm, same \
            seeds, same initial weights, same mini-batches.
            """)
        let overfit = context.compare("overfitting setup with and without BatchNorm", base: overfitting, [
            Variant(false, label: "no BatchNorm"), Variant(true, label: "BatchNorm") { $0.network.batchNormalization = true },
        ])
        let plain = overfit[false], normalised = overfit[true]
        let overfitNumber = report.figure(.accuracies(of: [plain, normalised]), name: "overfitting",
                                          caption: "The overfitting setup (300 images): training (solid) and test (dashed) accuracy per epoch without (left) and with BatchNorm (right); mean over \(context.seeds.count) seeds, band from the lowest to the highest seed.")
        report.table([plain, normalised], first: "", columns: [.firstEpoch(reaching: 1)] + Column.endPoints)
        let gapChange = normalised.finalGap.subtracting(plain.finalGap)
        let smaller = normalised.finalGap.isClearlyBelow(plain.finalGap), larger = normalised.finalGap.isClearlyAbove(plain.finalGap)
        report.paragraph("""
            **What Figure \(overfitNumber) shows.** With BatchNorm the training set is learnt by heart sooner \
            (100% first at epoch \(epochText(normalised.first(.trainAccuracy, reaching: 1))) against \
            \(epochText(plain.first(.trainAccuracy, reaching: 1)))), and test accuracy ends at \
            \(percentWithRange(normalised.final(.testAccuracy))) against \(percentWithRange(plain.final(.testAccuracy))). The gap \
            changes by \(percentagePoints(gapChange)) seed by seed: \
            \(smaller ? "smaller with BatchNorm on every seed" : (larger ? "larger with BatchNorm on every seed" : "not a difference beyond the seed noise")). \
            Whatever regularising effect the noise of batch statistics has, it does not stop a network of \
            130,000 parameters from memorising 300 images.
            """)
        report.claim("Batch Normalization holds overfitting back.", .lower(normalised.finalGap, than: plain.finalGap),
                     evidence: "Overfitting setup, gap between training and test accuracy: \(percentagePoints(normalised.finalGap)) with BatchNorm, \(percentagePoints(plain.finalGap)) without (change \(percentagePoints(gapChange))); test accuracy \(percentWithRange(normalised.final(.testAccuracy))) against \(percentWithRange(plain.final(.testAccuracy))).")

        return (normalised.finalGap.mean, plain.finalGap.mean)
    }
}

runChapter(BatchNormChapter.self)
