// Chapter: Batch Normalization. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
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
        let (bnFinals, failed) = scaleExperiment(report, context: context, scales: scaleList, epochs: epochs, trainSize: trainSize)
        let gaps = overfitting(report, context: context)
        report.summary["finding"] = .string("BatchNorm learns from all \(scaleList.count) initial scales (final training accuracy \(Format.percent(bnFinals.min()!))–\(Format.percent(bnFinals.max()!)); without it \(failed) scales stay at chance or diverge); on 300 images, each at its best learning rate, its train–test gap is \(Format.percent(gaps.batchNorm)) against \(Format.percent(gaps.plain)).")
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
        context.settings.record("gradient check", "\(checked.summary), Float64, h = 1e-5, first 100 (and first 1) training images, seed \(seed)")
        let batchCheck = report.gradientCheck(checked, on: context.dataset.training, batchSize: 100, seed: seed, perParameter: 40,
                                              lead: "The course checks this layer inside a \(checked.summary) network, and so do we.")
        let singleCheck = GradientReport(checked, on: context.dataset.training, batchSize: 1, seed: seed, perParameter: 40)
        let biases = batchCheck.rows.filter { $0.name == "b1" || $0.name == "b2" }.allSatisfy { $0.meanMagnitude < 1e-12 }
        report.paragraph("""
            The biases b1 and b2 come right before a BatchNorm, which subtracts any shift of a column again: their \
            true gradient is zero, and the analytic one is \(biases ? "zero too (to within rounding)" : "not quite zero"), so \
            their rows show a difference of two zeros.
            """)
        report.paragraph("""
            The course's own check uses a batch of **one** image, and with one image BatchNorm's output is \
            constant: $x_1 - \\mu = 0$, so $\\hat{x}_1 = 0$ and $y_1 = \\beta$ whatever the input and whatever the \
            weights before it. The loss then depends on nothing before the last BatchNorm but its $\\beta$, and \
            almost every gradient is exactly zero, analytic and numerical alike:
            """)
        GradientReport.degenerateTable(single: singleCheck, batch: batchCheck, in: report)
        let live = singleCheck.live, onKink = singleCheck.onKink
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

    /// Trains both arms from every scale; returns the final training accuracies with BatchNorm (a
    /// run that diverged counts as chance) and how many scales fail without it.
    func scaleExperiment(_ report: Report, context: ChapterContext, scales scaleList: [Double], epochs: Int,
                         trainSize: Int) -> (batchNorm: [Double], failed: Int) {
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
        let early = max(epochs / 4, 1)
        let comparison = context.compare("with and without BatchNorm", base: base, scaleList.flatMap { scale in [true, false].map { batchNorm in
            Variant(Arm(scale: scale, batchNorm: batchNorm), label: "\(batchNorm ? "BatchNorm" : "no BatchNorm"), scale=\(Format.significant(scale))") {
                $0.network.weightInitialization = .standardDeviation(scale)
                if batchNorm { $0.network.batchNormalization = true }
            }
        } }, decidedBy: { self.scaleClaims($0, scales: scaleList, early: early, images: trainSize).map(\.1) })
        let withBN = scaleList.map { comparison[Arm(scale: $0, batchNorm: true)] }, without = scaleList.map { comparison[Arm(scale: $0, batchNorm: false)] }

        let grid = Figure.grid(scaleList.count, columns: 4, title: "Training accuracy per epoch: BatchNorm (solid) and without (dashed)",
                               width: 1000, panelHeight: 200) { index in
            var panel = Panel.trainingPair(withBN[index], without[index], names: ("BatchNorm", "no BatchNorm"),
                                           title: "scale=\(Format.significant(scaleList[index]))", epochs: epochs)
            if index != 0 { panel.legend = .hidden }
            return panel
        }
        let gridNumber = report.figure(grid, name: "scales-grid",
                                       caption: "Training accuracy per epoch on \(trainSize) images for each initial weight scale: with BatchNorm (solid, blue) and without (dashed, orange); mean over \(comparison.seeds.count) seeds, band from the lowest to the highest seed.")
        let summaryNumber = report.figure(.finals((withBN, without), names: ("BatchNorm", "no BatchNorm"), against: scaleList, xLabel: "initial weight scale (std)", metrics: [.trainAccuracy, .testAccuracy], after: epochs), name: "scales-summary",
                                          caption: "Where the runs end, against the initial weight scale (log axis): training accuracy (left) and test accuracy with the running statistics (right), with BatchNorm (solid) and without (dashed); means over \(comparison.seeds.count) seeds, bands from the lowest to the highest seed. A cross marks a scale where every seed diverged (the loss became NaN and training stopped), so there is no accuracy to draw.")
        let chance = 1 / Double(base.network.outputSize)
        func finals(_ groups: [RunGroup]) -> [Double] { groups.map { $0.final(.trainAccuracy).replacingMissing(with: chance).mean } }
        let bnFinals = finals(withBN), plainFinals = finals(without)
        let failed = without.filter { ($0.final(.trainAccuracy).present.max() ?? 0) < 2 * chance }.count
        let behind = scaleList.indices.filter { withBN[$0].value(.trainAccuracy, at: early).mean < without[$0].value(.trainAccuracy, at: early).mean }
        report.paragraph("""
            **What Figures \(gridNumber) and \(summaryNumber) show.** Without BatchNorm the network learns only \
            from a narrow band of scales: too large and the signal explodes through five ReLU layers, too small \
            and it fades away, and in both cases SGD at 0.01 gets nowhere in \(epochs) epochs (\(failed) of \(scaleList.count) \
            scales end near chance or diverge; a run that diverged counts as chance, 10%, below). With BatchNorm every layer's input is \
            rescaled to unit variance whatever the weights, and the network learns from every scale: its final training \
            accuracy spans \(Format.percent(bnFinals.min()!))–\(Format.percent(bnFinals.max()!)), against \
            \(Format.percent(plainFinals.min()!))–\(Format.percent(plainFinals.max()!)) without. BatchNorm is not free of the \
            scale either: multiplying the weights in front of it by $c$ leaves its output unchanged but divides their \
            gradient by $c$, so a step of SGD moves large weights relatively little ($1/c^2$ of their size) and tiny \
            weights a great deal. Large scales therefore learn slowly, and near the scales that suit plain ReLU layers \
            (He's $\\sqrt{2/100} \\approx 0.14$) the network without BatchNorm is ahead after \(early) epochs on average \
            (\(behind.isEmpty ? "at no scale" : "at " + behind.map { Format.significant(scaleList[$0]) }.joined(separator: ", "))).
            """)
        for (claim, decision) in scaleClaims(comparison, scales: scaleList, early: early, images: trainSize) {
            report.claim(claim, decision, figures: ["scales-grid", "scales-summary"])
        }
        return (bnFinals, failed)
    }

    /// The first two claims, at every scale: ahead after a quarter of the epochs, and a narrower
    /// range of final training accuracy across the scales. A run that diverged counts as chance.
    func scaleClaims(_ c: Comparison<Arm>, scales: [Double], early: Int, images: Int) -> [(NotesClaim, Decision)] {
        func accuracy(_ scale: Double, _ batchNorm: Bool, at epoch: Int?) -> SeedSummary {
            let group = c[Arm(scale: scale, batchNorm: batchNorm)]
            return (epoch.map { group.value(.trainAccuracy, at: $0) } ?? group.final(.trainAccuracy)).replacingMissing(with: 0.1)
        }
        let faster = Decision.parts(scales.map { scale in
            let (a, b) = (accuracy(scale, true, at: early), accuracy(scale, false, at: early))
            return ("scale \(Format.significant(scale))", .paired(a, b, .higher, margin: .resolution(of: (a.mean + b.mean) / 2, on: images, images: "training images"),
                                                                scale: .accuracy, names: ("BatchNorm", "without")))
        })
        func range(_ batchNorm: Bool) -> SeedSummary {
            let perScale = scales.map { accuracy($0, batchNorm, at: nil).values }
            return SeedSummary(c.seeds.indices.map { s in perScale.map { $0[s] }.max()! - perScale.map { $0[s] }.min()! })
        }
        let steadier = Decision.paired(range(true), range(false), .lower, margin: .resolution(of: 0.5, on: images, images: "training images"),
                                       scale: .accuracy, names: ("range with BatchNorm", "range without"))
        return [(Self.faster, faster), (Self.steadier, steadier)]
    }

    // MARK: - Overfitting, at every learning rate

    /// An arm of the overfitting comparison: a learning rate, with or without BatchNorm.
    struct Rate: Hashable, Sendable {
        let rate: Double, batchNorm: Bool
    }

    static let rates = [0.01, 0.03, 0.1, 0.3, 1.0]

    /// The third claim, on the overfitting chapter's setup at the course's learning rate and at each
    /// arm's best; returns the mean gaps with and without BatchNorm at their best rates.
    func overfitting(_ report: Report, context: ChapterContext) -> (batchNorm: Double, plain: Double) {
        report.heading("Does it hold overfitting back?")
        let epochs = context.quick ? 20 : 201
        var base = TrainingSetup.overfitting(epochs: epochs)
        base.data = .firstWithValidation(300, validation: 500)
        report.paragraph("""
            The third claim needs a network that overfits: the overfitting chapter's setup (\(base.network.summary), \
            SGD, batch 100, \(epochs) epochs on 300 images), with and without BatchNorm. One learning rate decides \
            nothing here: BatchNorm changes how large a step the network tolerates, so the course's 0.01 may suit \
            one arm and starve the other. Each arm is therefore trained at \(Self.rates.map { Format.compact($0) }.joined(separator: ", ")), \
            and each is judged at the rate where it does best on 500 validation images (the training images that \
            follow the first 300; the test set plays no part in the choice). Runs drawn epoch by epoch (the \
            course's rate) are measured every epoch, the others every \(max(1, epochs / 20)).
            """)
        let comparison = context.compare("overfitting setup with and without BatchNorm, by learning rate", base: base, [true, false].flatMap { batchNorm in
            Self.rates.map { rate in
                Variant(Rate(rate: rate, batchNorm: batchNorm), label: "\(batchNorm ? "BatchNorm" : "no BatchNorm"), lr=\(Format.compact(rate))") {
                    $0.optimizer = .sgd(learningRate: rate)
                    $0.network.batchNormalization = batchNorm
                    if rate != 0.01 { $0.length = .epochs(epochs, evaluateEvery: max(1, epochs / 20)) }
                }
            }
        }, decidedBy: { [self.overfittingClaim($0, test: context.dataset.test.count).decision] })
        let plain = comparison[Rate(rate: 0.01, batchNorm: false)], normalised = comparison[Rate(rate: 0.01, batchNorm: true)]
        let overfitNumber = report.figure(.accuracies(of: [plain, normalised]), name: "overfitting",
                                          caption: "The overfitting setup (300 images) at the course's learning rate, 0.01: training (solid) and test (dashed) accuracy per epoch without (left) and with BatchNorm (right); mean over \(comparison.seeds.count) seeds, band from the lowest to the highest seed.")
        let (best, decision) = overfittingClaim(comparison, test: context.dataset.test.count)
        report.table(comparison.groups, first: "", columns: [.final(.validationAccuracy, header: "validation accuracy")] + Column.endPoints)
        report.paragraph("""
            **What Figure \(overfitNumber) and the table show.** At the course's rate, BatchNorm learns the 300 images by \
            heart sooner and its test accuracy ends at \(percentWithRange(normalised.final(.testAccuracy))) against \
            \(percentWithRange(plain.final(.testAccuracy))) without. On validation data the best rate is \
            \(Format.compact(best.batchNorm)) with BatchNorm and \(Format.compact(best.plain)) without; there the gap between \
            training and test accuracy is \(percentagePoints(comparison[Rate(rate: best.batchNorm, batchNorm: true)].finalGap)) \
            with BatchNorm and \(percentagePoints(comparison[Rate(rate: best.plain, batchNorm: false)].finalGap)) without.
            """)
        report.claim(Self.lessOverfitting, decision, figures: ["overfitting"])
        return (comparison[Rate(rate: best.batchNorm, batchNorm: true)].finalGap.mean, comparison[Rate(rate: best.plain, batchNorm: false)].finalGap.mean)
    }

    /// Each arm's best rate (the highest mean validation accuracy; a rate where a seed diverged
    /// cannot win) and the claim at the course's rate and at those.
    func overfittingClaim(_ c: Comparison<Rate>, test: Int) -> (best: (batchNorm: Double, plain: Double), decision: Decision) {
        func best(_ batchNorm: Bool) -> Double {
            Self.rates.max { c[Rate(rate: $0, batchNorm: batchNorm)].final(.validationAccuracy).replacingMissing(with: 0).mean
                < c[Rate(rate: $1, batchNorm: batchNorm)].final(.validationAccuracy).replacingMissing(with: 0).mean }!
        }
        func compared(_ bn: Double, _ plain: Double) -> Decision {
            let (a, b) = (c[Rate(rate: bn, batchNorm: true)], c[Rate(rate: plain, batchNorm: false)])
            return .paired(a.finalGap, b.finalGap, .lower, margin: .resolution(of: (a.final(.testAccuracy).mean + b.final(.testAccuracy).mean) / 2,
                                                                             on: test, images: "test images"),
                           scale: .accuracy, names: ("gap with BatchNorm", "gap without"))
        }
        let (bn, plain) = (best(true), best(false))
        return ((bn, plain), .parts([("at the course's rate 0.01", compared(0.01, 0.01)),
                                     ("each at its best rate (\(Format.compact(bn)) with, \(Format.compact(plain)) without)", compared(bn, plain))]))
    }

    static let faster = NotesClaim("batch-norm.faster", quote: "学習を早く進行させられる", claim: "Batch Normalization makes learning faster.")
    static let steadier = NotesClaim("batch-norm.less-init-dependent", quote: "初期値にあまり依存しない", claim: "Batch Normalization makes training depend less on the initial weights.")
    static let lessOverfitting = NotesClaim("batch-norm.less-overfitting", quote: "過学習を抑制する", claim: "Batch Normalization holds overfitting back.")
}

runChapter(BatchNormChapter.self)
