// Chapter: Batch Normalization. Reads top to bottom like the notebook it replaces.
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

struct BatchNormChapter: Chapter {
    static let name = "batch-norm"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: """
            Batch Normalization: its forward and backward passes, a gradient check, training with and without it from \
            16 initial weight scales, and on the overfitting setup.
            """,
        discussion: """
            Writes <output>/batch-norm/README.md with its figures, their CSV data and results.json. \
            --epochs and --train-size set the scale experiment (the course's 20 epochs on 1000 images); \
            the overfitting check always uses the overfitting chapter's setup (300 images, 201 epochs; 20 with --quick).
            """)

    /// The course's scale experiment: 20 epochs on 1000 images. The overfitting check keeps the
    /// overfitting chapter's length, on purpose: it asks the same question of the same network.
    enum Defaults: ChapterDefaults {
        static let length = 20, quickLength = 4
        static let trainingImages: Int? = 1000
        static let overfittingEpochs = 201, quickOverfittingEpochs = 20
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions<Defaults>

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Initial weight scales (standard deviations), comma-separated (default: 16 log-spaced from 1 to 0.0001).
        """, valueName: "list"))
    var scales: NumberList?

    mutating func validate() throws { try scales?.require("--scales", "a positive number", { $0 > 0 }) }

    /// The course's scales: 16 values log-spaced from 1 down to 1e-4 (NumPy's `logspace(0, -4, 16)`).
    static let courseScales = (0..<16).map { pow(10, -4 * Double($0) / 15) }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = schedule.epochs(quick: context.quick), trainSize = schedule.trainingImages
        try context.requireTrainingImages(trainSize, option: "--train-size")
        let scaleList = scales?.values ?? Self.courseScales

        report.title = "Batch Normalization: steadying what each layer sees"
        report.paragraph("""
            Batch Normalization (\(report.cite(.ioffe2015))) shifts and scales every feature to mean 0 and variance 1 over the \
            mini-batch, between a layer's affine map and its activation, then lets the network learn its own scale and shift. \
            The notes credit it with faster learning, less dependence on the initial weights, and less \
            overfitting. This chapter writes the layer down and measures each of the three; the code and a check of its \
            gradient are at the end.
            """)
        forwardAndBackward(report)
        outputMoments(report, context: context)
        let scales = scaleExperiment(report, context: context, scales: scaleList, epochs: epochs, trainSize: trainSize)
        let overfit = overfitting(report, context: context, beside: scales.beside)
        try report.computation("The layer as code") { try layerCode(report) }
        report.computation("Checking the gradient on a real batch") { gradientCheck(report, context: context) }
        report.lead("""
            From \(scaleList.count) initial weight scales, the network with BatchNorm learns from every one (final training accuracy \
            \(Format.percent(scales.batchNorm.min()!))–\(Format.percent(scales.batchNorm.max()!))), where without it \(scales.failed) \
            scales end at chance or diverge: the claim that BatchNorm makes training depend less on the initial weights \
            \(scales.decisions[Self.steadier].verdict.predicate). On the \(report.link(chapter: "overfitting", "overfitting setup")) \
            (He's initial weights), with each arm at its best learning rate, that it learns faster \(overfit[Self.faster].verdict.predicate), \
            that it holds overfitting back \(overfit[Self.lessOverfitting].verdict.predicate) and that it raises accuracy on unseen images \
            \(overfit[Self.moreAccurate].verdict.predicate).
            """, claim: Self.steadier.id, figure: scales.figure)
    }

    // MARK: - Sixteen initial scales

    /// One arm of an experiment: a setting (an initial weight scale, a learning rate), with or without BatchNorm.
    struct Arm: Hashable, Sendable {
        let value: Double, batchNorm: Bool
        /// What colours it: with BatchNorm or without, whatever the value.
        var setting: ColorKey { ColorKey(Normalisation(batchNorm: batchNorm)) }
        var name: String { batchNorm ? "BatchNorm" : "no BatchNorm" }
    }

    /// With BatchNorm or without: one colour each in every figure.
    struct Normalisation: Hashable, Sendable { let batchNorm: Bool }

    /// Trains both arms from every scale; returns the final training accuracies with BatchNorm (a
    /// run that diverged counts as chance), how many scales fail without it, the claims' decisions
    /// and the summary figure.
    func scaleExperiment(_ report: Report, context: ChapterContext, scales scaleList: [Double], epochs: Int,
                         trainSize: Int)
        -> (batchNorm: [Double], failed: Int, decisions: Decisions, figure: FigureRef, beside: ScaleReadings) {
        report.heading("With and without BatchNorm, from \(scaleList.count) initial scales")
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 5),
                                                               activation: .relu),
                                 optimizer: .sgd(learningRate: 0.01), batchSize: 100,
                                 // test accuracy is drawn only where runs end, on the curve's images and the whole set
                                 length: .epochs(epochs, heldOutEvery: epochs), data: .first(trainSize),
                                 testCurveImages: TrainingSetup.curveImages)
        report.paragraph("""
            The course's experiment: a 784-100-100-100-100-100-10 ReLU network, trained with SGD (lr 0.01, \
            mini-batches of 100) for \(epochs) epochs on \(trainSize) training images, with and without a \
            BatchNorm layer after every hidden affine map, from initial weights drawn with standard deviations \
            from \(Format.significant(scaleList.max()!)) down to \(Format.significant(scaleList.min()!)). For each scale and seed, \
            the two networks start from the same weights and see the same mini-batches. Test accuracy uses the \
            running statistics, as a deployed network would.
            """)
        let early = max(epochs / 4, 1)
        let arms = scaleList.flatMap { scale in [true, false].map { Arm(value: scale, batchNorm: $0) } }
        let (comparison, decisions) = context.compare("with and without BatchNorm", base: base, arms.map { arm in
            Variant(arm, label: "\(arm.name), scale=\(Format.significant(arm.value))", setting: arm.setting) {
                $0.network.weightInitialization = .standardDeviation(arm.value)
                $0.network.batchNormalization = arm.batchNorm
            }
        }, judging: { self.scaleClaims($0, scales: scaleList, images: trainSize) })
        let withBN = scaleList.map { comparison[Arm(value: $0, batchNorm: true)] }
        let without = scaleList.map { comparison[Arm(value: $0, batchNorm: false)] }

        let grid = Figure.pairs((withBN, without), names: ("BatchNorm", "no BatchNorm"),
                                titles: scaleList.map { "scale=\(Format.significant($0))" },
                                epochs: epochs, columns: 4,
                                title: "Training accuracy per epoch, with and without BatchNorm")
        let gridNumber = report.figure(grid, name: "scales-grid", caption: """
            Training accuracy per epoch on \(trainSize) images for each initial weight scale: with BatchNorm (blue) and \
            without (orange); mean over \(comparison.seedText), band from the lowest to the highest seed. "Diverged" marks \
            an arm whose loss became NaN on every seed, with a count where only some seeds did.
            """)
        let summary = Figure.finals((withBN, without), names: ("BatchNorm", "no BatchNorm"), against: scaleList,
                                    xLabel: "initial weight scale (std)", metrics: [.trainAccuracy, .testAccuracy],
                                    after: epochs)
        let summaryNumber = report.figure(summary, name: "scales-summary", caption: """
            Where the runs end, against the initial weight scale (log axis): training accuracy (left, solid) and test accuracy \
            with the running statistics (right, dashed), with BatchNorm (circles) and without (squares); means over \(comparison.seedText), bands from \
            the lowest to the highest seed. A cross marks a scale where every seed diverged (the loss became NaN and training \
            stopped), so there is no accuracy to draw.
            """)
        let (bnFinals, failed) = scaleFindings((withBN, without), figures: (gridNumber, summaryNumber),
                                               scales: scaleList,
                                               early: early, report: report)
        if scaleList == Self.courseScales { courseNumbers(withBN: withBN, without: without, context: context) }
        for claim in decisions.claims { report.claim(claim, decisions[claim], figures: [gridNumber, summaryNumber]) }
        return (bnFinals, failed, decisions, summaryNumber,
                ScaleReadings(faster: scaleRace(comparison, scales: scaleList, early: early, images: trainSize),
                              trainingAccuracy: trainingAccuracyReading(withBN: withBN, without: without,
                                  images: trainSize)))
    }

    /// What the scale experiment shows beside the claims the overfitting setup decides: the course's
    /// race at the scales where the plain network trains, and the course's own "accuracy" (L188: the
    /// script plots training accuracy), averaged over the scales. Neither grows seeds: they decide nothing.
    struct ScaleReadings {
        let faster: Decision, trainingAccuracy: Decision
    }

    /// Final training accuracy averaged over the scales, each seed's mean with BatchNorm against its
    /// mean without (a diverged run counting as chance): the course's table, paired.
    func trainingAccuracyReading(withBN: [RunGroup], without: [RunGroup], images: Int) -> Decision {
        func mean(_ groups: [RunGroup]) -> SeedSummary {
            let finals = groups.map { $0.final(.trainAccuracy).replacingMissing(with: 0.1).values }
            let seeds = finals.map(\.count).min() ?? 0
            return SeedSummary.perSeed(of: groups) { s in s < seeds ? finals.map { $0[s] }.reduce(0,
                +) / Double(finals.count) : .nan }
        }
        let (a, b) = (mean(withBN), mean(without))
        return Decision.paired(a, b, .higher, margin: .resolution(of: (a.mean + b.mean) / 2, on: images,
            images: "training images"),
                               scale: .accuracy, names: ("with BatchNorm", "without"))
            .explained("the course's reading of 精度 (its script plots training accuracy): final training accuracy on "
                       + "the \(images) "
                       + "training images, averaged over the \(withBN.count) initial scales; ")
    }

    /// The course's `batch_norm_test.py` beside these runs: final training accuracy averaged over its
    /// 16 scales, with BatchNorm and without (a diverged run counting as chance, as above).
    func courseNumbers(withBN: [RunGroup], without: [RunGroup], context: ChapterContext) {
        func course(_ key: String) -> [Double] {
            (context.courseNumbers?.lists(.batchNorm, key) ?? []).map { $0.reduce(0, +) / Double($0.count) }
        }
        func here(_ groups: [RunGroup], epoch: Int? = nil) -> SeedSummary {
            let finals = groups.map {
                $0.value(.trainAccuracy, at: epoch ?? $0.setup.length.end).replacingMissing(with: 0.1).values
            }
            return SeedSummary.perSeed(of: groups) { s in finals.map { $0[s] }.reduce(0, +) / Double(finals.count) }
        }
        // The course's loop measures after the first update of each epoch and stops at its 20th
        // measurement: its last accuracy follows 191 updates, where these runs end after 200.
        let setup = withBN[0].setup, epochs = setup.length.end
        let perEpoch = max((setup.data.images ?? 0) / setup.batchSize, 1), updates = perEpoch * (epochs - 1) + 1
        let nearest = "with BatchNorm: the same at epoch \(epochs - 1), \(perEpoch * (epochs - 1)) updates"
        context.showCourse(.batchNorm, [
            CourseRow("with BatchNorm: final training accuracy, mean over the 16 scales", course: course("with"),
                      here: here(withBN), isAccuracy: true),
            CourseRow(nearest, course: course("with"), here: here(withBN, epoch: epochs - 1), isAccuracy: true),
            CourseRow("without: final training accuracy, mean over the 16 scales", course: course("without"),
                      here: here(without), isAccuracy: true),
        ], intro: """
            The course's script trains one network with BatchNorm and one without from each of the same 16 scales, on the same \
            \(setup.data.images ?? 0) images; the table averages each seed's final training accuracies over the scales. Its loop \
            measures accuracy after the first update of each epoch and stops at its \(epochs)th measurement, so its last number \
            follows \(updates) updates, where these runs train \(epochs) whole epochs, \(perEpoch * epochs) updates; the second \
            row reads these runs at the nearest point they measured.
            """, explain: { departing in
            departing.contains { $0.label == nearest } ? """
                **Why they differ.** Read at the same number of updates, the runs with BatchNorm here still end apart from the \
                course's: the updates do not account for the whole difference, and nothing else measured here does.
                """ : """
                **Why they differ.** Read at the same number of updates (the second row), the runs with BatchNorm here are not apart \
                from the course's: the last \(perEpoch * epochs - updates) updates, which the course's loop leaves out, account \
                for the difference.
                """
        })
    }

    /// What the two figures show: the final training accuracies with BatchNorm (a run that diverged
    /// counting as chance), and how many scales fail without it.
    func scaleFindings(_ arms: (withBN: [RunGroup], without: [RunGroup]), figures: (FigureRef, FigureRef),
                       scales scaleList: [Double],
                       early: Int, report: Report) -> (batchNorm: [Double], failed: Int) {
        let (withBN, without) = arms, (gridNumber, summaryNumber) = figures
        let chance = 1 / Double(withBN[0].setup.network.outputSize)
        func finals(_ groups: [RunGroup]) -> [Double] {
            groups.map { $0.final(.trainAccuracy).replacingMissing(with: chance).mean }
        }
        let bnFinals = finals(withBN), plainFinals = finals(without)
        let failed = without.filter { ($0.final(.trainAccuracy).present.max() ?? 0) < 2 * chance }.count
        let behind = scaleList.indices.filter {
            withBN[$0].value(.trainAccuracy, at: early).mean < without[$0].value(.trainAccuracy, at: early).mean
        }
        report.paragraph("""
            **What Figures \(gridNumber) and \(summaryNumber) show.** Without BatchNorm the network learns only from a \
            narrow band of scales: too large and the signal explodes through five ReLU layers, too small and it fades \
            (\(failed) of \(scaleList.count) scales end near chance or diverge; a diverged run counts as chance, 10%). With \
            BatchNorm it learns from every scale: final training accuracy \(Format.percent(bnFinals.min()!))–\(Format.percent(bnFinals.max()!)), \
            against \(Format.percent(plainFinals.min()!))–\(Format.percent(plainFinals.max()!)) without. It is not free of the scale: \
            weights multiplied by $c$ in front of it leave its output unchanged but get $1/c$ of the gradient, so large \
            weights move slowly, and near He's $\\sqrt{2/100} \\approx 0.14$ the plain network is ahead after \(early) epochs \
            (\(behind.isEmpty ? "at no scale" : "at " + behind.map { Format.significant(scaleList[$0]) }.joined(separator: ", "))).
            """)
        return (bnFinals, failed)
    }

    /// The course's race, shown beside the verdict on "faster": at the scales where the plain network
    /// trains (at least half its images right where every seed ends), training accuracy after a
    /// quarter of the epochs. It favours the plain network, whose scales these are; the verdict comes
    /// from He's initial weights (see `overfittingClaims`).
    func scaleRace(_ c: Comparison<Arm>, scales: [Double], early: Int, images: Int) -> Decision {
        func accuracy(_ scale: Double, _ batchNorm: Bool, at epoch: Int?) -> SeedSummary {
            let group = c[Arm(value: scale, batchNorm: batchNorm)]
            return (epoch.map { group.value(.trainAccuracy,
                at: $0) } ?? group.final(.trainAccuracy)).replacingMissing(with: 0.1)
        }
        let trainable = scales.filter { accuracy($0, false, at: nil).minimum >= 0.5 }
        guard !trainable.isEmpty else {
            return .notTestable("without BatchNorm the network trains from no scale, so there is no race to win")
        }
        return Decision.parts(trainable.map { scale in
            let (a, b) = (accuracy(scale, true, at: early), accuracy(scale, false, at: early))
            let margin = Margin.resolution(of: (a.mean + b.mean) / 2, on: images, images: "training images")
            return ("scale \(Format.significant(scale))",
                    Decision.paired(a, b, .higher, margin: margin, scale: .accuracy, names: ("BatchNorm", "without")))
        }).explained("""
            the course's scale experiment, at the \(trainable.count) of \(scales.count) scales where the plain network trains (at \
            least 50% training accuracy at the end on every seed), training accuracy after \(early) epochs;\u{20}
            """)
    }

    /// The scale claim: a narrower range of final training accuracy across the scales with BatchNorm.
    /// A run that diverged counts as chance.
    func scaleClaims(_ c: Comparison<Arm>, scales: [Double], images: Int) -> Decisions {
        func range(_ batchNorm: Bool) -> SeedSummary {
            let perScale = scales.map { c[Arm(value: $0,
                batchNorm: batchNorm)].final(.trainAccuracy).replacingMissing(with: 0.1).values }
            return SeedSummary.perSeed(of: scales.map { c[Arm(value: $0, batchNorm: batchNorm)] }) { s in
                perScale.map { $0[s] }.max()! - perScale.map { $0[s] }.min()!
            }
        }
        let steadier = Decision.paired(range(true), range(false), .lower,
                                       margin: .resolution(of: 0.5, on: images, images: "training images"),
                                       scale: .accuracy, names: ("range with BatchNorm", "range without"))
        return Decisions([(Self.steadier, steadier)])
    }

    // MARK: - Overfitting, at every learning rate

    /// The grid reaches 10 because the best rate with BatchNorm among the first five, 1, was its end.
    static let rates = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]

    /// The third claim, on the overfitting chapter's setup at the course's learning rate and at each
    /// arm's best; returns its decisions.
    func overfitting(_ report: Report, context: ChapterContext, beside: ScaleReadings) -> Decisions {
        report.heading("Does it hold overfitting back?")
        let epochs = context.quick ? Defaults.quickOverfittingEpochs : Defaults.overfittingEpochs
        let test = context.dataset.test.count
        var base = TrainingSetup.overfitting(epochs: epochs)
        base.data = .firstWithValidation(300, validation: 500)
        report.paragraph("""
            The third claim needs a network that overfits: the setup of \(report.link(chapter: "overfitting", "the overfitting chapter")) (\(base.network.summary), \
            SGD, batch 100, \(epochs) epochs on 300 images). BatchNorm changes how large a step the network tolerates, \
            so one learning rate may suit one arm and starve the other: each arm is trained at \
            \(Self.rates.map { Format.compact($0) }.joined(separator: ", ")) and judged at its best rate on 500 validation \
            images (the training images after the first 300; the test set plays no part in the choice), chosen on \
            \(context.tuningSeeds.count) tuning seeds of its own that no claim reads, so that the choice carries none of their luck \
            into the verdicts.
            """)
        let arms = [true, false].flatMap { batchNorm in Self.rates.map { Arm(value: $0, batchNorm: batchNorm) } }
        let variants = arms.map { arm in
            Variant(arm, label: "\(arm.name), lr=\(Format.compact(arm.value))", setting: arm.setting) {
                $0.optimizer = .sgd(learningRate: arm.value)
                $0.network.batchNormalization = arm.batchNorm
                if arm.value != 0.01 {
                    $0.length = .epochs(epochs, evaluateEvery: max(1, epochs / 20), heldOutEvery: epochs)
                }
            }
        }
        let tuningTitle = "overfitting setup with and without BatchNorm, by learning rate, on the tuning seeds"
        let chosen = choices(context.tune(tuningTitle,
                                          base: base, variants))
        let (comparison, decisions) = context.compare("""
            overfitting setup with and without BatchNorm, by learning rate
            """, base: base, variants, measuring: [.heldOut], judging: { self.overfittingClaims($0, chosen: chosen, test: test) })
        let course = courseSetting(comparison, test: test)
        let plain = comparison[Arm(value: 0.01, batchNorm: false)]
        let normalised = comparison[Arm(value: 0.01, batchNorm: true)]
        let overfitNumber = report.figure(.accuracies(of: [plain, normalised]), name: "overfitting", caption: """
            The overfitting setup (300 images) at the course's learning rate, 0.01: training (solid) and test (dashed) accuracy per \
            epoch without (left) and with BatchNorm (right); mean over \(comparison.seedText), band from the lowest to the highest seed.
            """ + plain.measuredNote)
        let best = (batchNorm: chosen.batchNorm.value.value, plain: chosen.plain.value.value)
        report.table(comparison.groups, first: "",
                     columns: [.final(.validationAccuracy, header: "validation accuracy")] + Column.endPoints)
        report.paragraph("""
            **What Figure \(overfitNumber) and the table show.** At the course's rate, BatchNorm learns the 300 images by \
            heart sooner and its test accuracy ends at \(percentWithRange(normalised.final(.testAccuracy))) against \
            \(percentWithRange(plain.final(.testAccuracy))) without. On validation data the best rate is \
            \(Format.compact(best.batchNorm)) with BatchNorm and \(Format.compact(best.plain)) without; there the gap between \
            training and test accuracy is \(percentagePoints(comparison[Arm(value: best.batchNorm, batchNorm: true)].finalGap)) \
            with BatchNorm and \(percentagePoints(comparison[Arm(value: best.plain, batchNorm: false)].finalGap)) without.
            """)
        let bestNumber = report.figure(bestRates(comparison, chosen: chosen), name: "overfitting-best-rates",
            caption: """
            Where the runs end at each learning rate, without (left) and with BatchNorm (right): training accuracy, test accuracy \
            (the course's 1,000 images) and the gap, and the same on the held-out images (dotted); mean over \(comparison.seedText), \
            band from the lowest to the highest seed. The grey vertical line marks each arm's best rate on validation data, chosen on \
            tuning seeds that no claim reads (so it need not be the best on the seeds drawn here): the verdicts compare the two arms \
            there. A cross in the grey lane marks a rate whose networks ended at chance or diverged: they \
            have no gap to draw.
            """)
        report.paragraph(normalised.heldOutNote(testImages: context.dataset.test.count))
        report.claim(Self.faster, decisions[Self.faster].beside([
            ("at the course's rate 0.01", course.faster),
            ("the course's scale experiment, where the plain network trains", beside.faster)]),
                     figures: [overfitNumber, bestNumber])
        report.claim(Self.lessOverfitting, decisions[Self.lessOverfitting].beside([("at the course's rate 0.01",
            course.narrower)]),
                     figures: [overfitNumber, bestNumber])
        report.claim(Self.moreAccurate, decisions[Self.moreAccurate].beside([
            ("the course's reading of 精度, training accuracy in the scale experiment", beside.trainingAccuracy)]),
                     figures: [bestNumber])
        return decisions
    }

    /// Each arm's end points against the learning rate, its best rate marked.
    func bestRates(_ c: Comparison<Arm>, chosen: (batchNorm: GridChoice<Arm>, plain: GridChoice<Arm>)) -> Figure {
        let best = (batchNorm: chosen.batchNorm.value.value, plain: chosen.plain.value.value)
        var figure = Figure(rows: 1, columns: 2, width: 832, panelHeight: 300)
        figure.sharedLegend = true
        for (column, batchNorm) in [false, true].enumerated() {
            let rate = batchNorm ? best.batchNorm : best.plain
            let groups = Self.rates.map { c[Arm(value: $0, batchNorm: batchNorm)] }
            var panel = Panel.endPoints(of: groups, against: Self.rates, xLabel: "learning rate")
            let arm = batchNorm ? "with" : "without"
            panel.title = "\(arm) BatchNorm: best rate \(Format.compact(rate)) (tuning seeds)"
            panel.xScale = .logarithmic
            panel.xLimits = (Self.rates.first! / 1.3)...(Self.rates.last! * 1.3)
            panel.xTickLabels = Self.rates.map { ($0, Format.compact($0)) }
            panel.line([rate, rate], [0, 1], color: Color(hex: "#9a9a9a"), width: 1)
            if column == 1 { panel.yLabel = nil }
            figure[0, column] = panel
        }
        figure.alignFailureLanes(across: Self.rates)
        return figure
    }

    /// Each arm's best rate on `c`'s seeds (the tuning seeds): the highest mean validation accuracy (a
    /// rate where a seed diverged cannot win).
    func choices(_ c: Comparison<Arm>) -> (batchNorm: GridChoice<Arm>, plain: GridChoice<Arm>) {
        func choose(_ batchNorm: Bool) -> GridChoice<Arm> {
            c.choose(Self.rates.map { Arm(value: $0, batchNorm: batchNorm) }, .higher,
                missing: 0) { $0.final(.validationAccuracy) }
        }
        return (choose(true), choose(false))
    }

    /// The epoch "faster" reads: the first measured after a twentieth of the run (epoch 10 of 201).
    static func raceEpoch(_ epochs: Int) -> Int { max(1, epochs / 20) }

    /// Training accuracy at `raceEpoch`, with BatchNorm against without, at the given rates.
    func race(_ c: Comparison<Arm>, _ bn: Double, _ plain: Double) -> Decision {
        let (x, y) = (c[Arm(value: bn, batchNorm: true)], c[Arm(value: plain, batchNorm: false)])
        let epoch = Self.raceEpoch(x.setup.length.end), images = x.setup.data.images ?? 300
        let (a, b) = (x.value(.trainAccuracy, at: epoch).replacingMissing(with: 0.1),
                      y.value(.trainAccuracy, at: epoch).replacingMissing(with: 0.1))
        return Decision.paired(a, b, .higher, margin: .resolution(of: (a.mean + b.mean) / 2, on: images,
            images: "training images"),
                               scale: .accuracy, names: ("BatchNorm", "without"))
            .explained("He's initial weights, training accuracy on the \(images) training images after \(epoch) of "
                       + "\(x.setup.length.end) epochs; ")
    }

    /// The course's own setting, shown beside the verdicts: both arms at lr 0.01.
    func courseSetting(_ c: Comparison<Arm>, test: Int) -> (faster: Decision, narrower: Decision) {
        (race(c, 0.01, 0.01),
         .narrowerGap(c[Arm(value: 0.01, batchNorm: true)], c[Arm(value: 0.01, batchNorm: false)],
                      names: ("gap with BatchNorm", "gap without"), testImages: test))
    }

    /// The overfitting setup's claims, each arm at its best rate on validation data (`choices`):
    /// faster (training accuracy early on), a narrower gap, and a higher accuracy on images the
    /// network never saw (the held-out ones where measured, else the test set).
    func overfittingClaims(_ c: Comparison<Arm>, chosen: (batchNorm: GridChoice<Arm>, plain: GridChoice<Arm>),
        test: Int) -> Decisions {
        let (bestBN, bestPlain) = (chosen.batchNorm.value.value, chosen.plain.value.value)
        let how = "each arm at its best rate on validation data (\(Format.compact(bestBN)) with, "
            + "\(Format.compact(bestPlain)) without; "
            + "with BatchNorm \(chosen.batchNorm.words); without, \(chosen.plain.words)), "
        let (a, b) = (c[Arm(value: bestBN, batchNorm: true)], c[Arm(value: bestPlain, batchNorm: false)])
        let images = a.heldOutImages
        let (accuracyA, accuracyB) = (a.heldOutOrTestAccuracy, b.heldOutOrTestAccuracy)
        let where_ = images.map { "\($0.formatted()) held-out images" } ?? "\(test.formatted()) test images"
        let higher = Decision.paired(accuracyA, accuracyB, .higher,
                                     margin: .resolution(of: (accuracyA.mean + accuracyB.mean) / 2, on: images ?? test,
                                                         images: images == nil ? "test images" : "held-out images"),
                                     scale: .accuracy, names: ("with BatchNorm", "without"))
            .explained(how + "accuracy on the \(where_); ")
        let narrower = Decision.narrowerGap(a, b, names: ("gap with BatchNorm", "gap without"),
            testImages: test).explained(how)
        let faster = race(c, bestBN, bestPlain).explained(how)
        return Decisions([(Self.faster, faster), (Self.lessOverfitting, narrower), (Self.moreAccurate, higher)])
    }

    static let faster = NotesClaim("batch-norm.faster", quote: "学習を早く進行させられる",
                                   claim: "Batch Normalization makes learning faster.")
    static let steadier = NotesClaim("batch-norm.less-init-dependent", quote: "初期値にあまり依存しない",
                                     claim: "Batch Normalization makes training depend less on the initial weights.")
    static let moreAccurate = NotesClaim("batch-norm.more-accurate", quote: "学習を早め，精度を高め，過学習を防ぐ",
                                         claim: """
                                             Batch Normalization raises accuracy on images the network has not seen.
                                             """)
    static let lessOverfitting = NotesClaim("batch-norm.less-overfitting", quote: "過学習を抑制する",
                                            claim: "Batch Normalization holds overfitting back.")
}

runChapter(BatchNormChapter.self)
