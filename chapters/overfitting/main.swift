// Chapter: overfitting. Reads top to bottom like the notebook it replaces.
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

struct OverfittingChapter: Chapter {
    static let name = "overfitting"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: """
            Overfitting: a deep network on 300 MNIST images, and the gap between training and test accuracy as the training \
            set grows.
            """,
        discussion: "Writes <output>/overfitting/README.md with its figures, their CSV data and results.json.")

    /// The course's overfitting setup: 201 epochs on 300 images; and the sizes the gap is measured at.
    enum Defaults: ChapterDefaults {
        static let length = 201, quickLength = 20
        static let trainingImages: Int? = 300
        static let sizes = [300, 1000, 4000], quickSizes = [300, 1000]
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions<Defaults>

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Training-set sizes of the size comparison, comma-separated (default \(NumberList(Defaults.sizes.map(Double.init))); \
        \(NumberList(Defaults.quickSizes.map(Double.init))) with --quick).
        """, valueName: "list"))
    var sizes: NumberList?

    mutating func validate() throws {
        try sizes?.require("--sizes", "a whole number of images above 0") { $0 >= 1 && $0 == $0.rounded() }
    }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = schedule.epochs(quick: context.quick), trainSize = schedule.trainingImages
        let asked = sizes?.values.map { Int($0) } ?? (context.quick ? Defaults.quickSizes : Defaults.sizes)
        let sizeList = sweepValues(asked, including: [trainSize])
        for size in sizeList {
            try context.requireTrainingImages(size, option: size == trainSize ? "--train-size" : "--sizes")
        }
        try context.requireTrainingImages(trainSize + 500, option: "--train-size")

        report.title = "Overfitting: learning the training set by heart"
        report.paragraph("""
            A network *overfits* when it fits its training \(context.dataset.items) so closely that it stops getting \
            better, or gets worse, on \(context.dataset.items) it has not seen. The notes name two causes: a model with \
            many parameters, and so much expressive power, and too little training data. This chapter reproduces the \
            course's demonstration (\(report.cite(.saito2016))), a deep network trained on only \(trainSize) images, measures the gap it opens \
            between training and test accuracy, asks why the test accuracy here is not the notes', and then varies \
            the one cause that is easy to vary, the amount of data.
            """)
        // The course's setup on each training-set size; the larger sets are measured every few epochs
        // (the test set too: it is drawn).
        let base = TrainingSetup.overfitting(epochs: epochs, trainingImages: trainSize)
        let test = context.dataset.test.count
        let (comparison, decisions) = context.sweep("overfitting, by training-set size", base: base, values: sizeList,
                                       including: [trainSize],
                                       evaluateOthersEvery: max(1, epochs / 40), othersHeldOutCurves: true,
                                       label: { "\($0) images" }, measuring: [.heldOut],
                                       judging: { self.claims($0, main: trainSize, epochs: epochs, test: test) }) {
            $0.data = .first($1)
        }
        let curves = course(comparison[trainSize], base: base, report: report, context: context)
        report.claim(Self.fitsTraining, decisions[Self.fitsTraining], figures: [curves])
        report.claim(Self.stallsAtSixty, decisions[Self.stallsAtSixty], figures: [curves])
        whyNotSixty(comparison[trainSize], base: base, report: report, context: context)
        let gapBySize = moreData(comparison, report: report)
        report.claim(Self.littleData, decisions[Self.littleData], figures: [gapBySize])
        let model = smallerModels(base, report: report, context: context)
        let main = comparison[trainSize], largest = comparison[comparison.keys.max()!]
        report.summary["gap"] = .object(Dictionary(uniqueKeysWithValues: comparison.groups.map { ($0.label,
                .number($0.finalGap.mean)) }))
        report.lead("""
            The course's network on \(trainSize) images learns them by heart (first at 100% training accuracy on epoch \
            \(epochText(main.first(.trainAccuracy, reaching: 1)))), while accuracy on images it never saw ends at \
            \(Format.percent(main.heldOutOrTestAccuracy.mean)); the notes' "stalls at about 60%" \
            \(decisions[Self.stallsAtSixty].verdict.predicate). More data narrows the train–test gap, from \
            \(Format.points(main.finalGap.mean)) points with \(trainSize) images to \(Format.points(largest.finalGap.mean)) with \
            \(comparison.keys.max()!), and the claim that too little data causes overfitting \
            \(decisions[Self.littleData].verdict.predicate); that too many parameters cause it \(model.verdict.predicate).
            """, claim: Self.littleData.id, figure: gapBySize)
    }

    // MARK: - 1. The course's demonstration

    func course(_ main: RunGroup, base: TrainingSetup, report: Report, context: ChapterContext) -> FigureRef {
        let n = base.data.images ?? context.dataset.training.count, epochs = base.length.end
        report.heading("\(n) training images, six hidden layers")
        report.paragraph("""
            The course's setup: a \(base.network.summary) network, \(base.network.parameterCount.formatted()) parameters in all, \
            trained with SGD (lr 0.01, mini-batches of 100) for \(epochs) epochs on \(base.data.describe(in: context.dataset)) of \
            \(context.dataset.name), a few hundred parameters for every image. After every epoch we measure accuracy on \
            all the training images and on the \(context.dataset.test.count) test images, over \(main.seeds.count) seeds.
            """)
        var figure = Figure(width: 800, panelHeight: 400)
        var panel = Panel.accuracy()
        panel.plotAccuracies(main, color: Palette.color(0))
        figure[0, 0] = panel
        let number = report.figure(figure, name: "overfitting", caption: """
            Training (solid) and test (dashed) accuracy per epoch on \(base.data.describe(in: context.dataset)): mean over \
            \(main.seeds.count) seeds, band from the lowest to the highest seed.
            """ + main.measuredNote)
        report.table([main], first: "training images", columns: [
            .firstEpoch(reaching: 0.99), .firstEpoch(reaching: 1, header: "first epoch at 100%"),
            .final(.trainAccuracy, header: "training accuracy at \(epochs)"), .final(.testAccuracy,
                    header: "test accuracy at \(epochs)"), .gap,
        ] + Column.heldOut(images: main.heldOutImages ?? context.dataset.test.count))
        report.paragraph(main.heldOutNote(testImages: context.dataset.test.count))
        context.showCourse(.overfitting, context.courseAccuracies("the course's setup", .overfitting, main), intro: """
            The course's `overfit_weight_decay.py` with its penalty set to 0, which is this setup (its last accuracy is taken one \
            step into its last epoch, 601 steps against \(base.length.end * 3) here, a difference that moves no number of the table).
            """)
        report.paragraph("""
            **What Figure \(number) shows.** Training accuracy climbs until the network gets every training image \
            right (first on epoch \(epochText(main.first(.trainAccuracy, reaching: 1)))), while test accuracy levels off \
            far below, at \(percentWithRange(main.final(.testAccuracy))) after \(epochs) epochs; over the last \(min(50, epochs / 2)) \
            epochs it moved by \(percentagePoints(main.trend(.testAccuracy, overLast: min(50, epochs / 2)))). Once the training \
            images are all classified correctly the loss can still shrink by making the network more confident about \
            them, and nothing in that pushes it towards what the test images need: the network has memorised its \
            examples rather than learnt what makes a class.
            """)
        return number
    }

    // MARK: - 2. Why not the notes' 60%?

    /// What the course's own script gives on the course's data, where this run is on it.
    func courseSentence(_ context: ChapterContext) -> String {
        let course = SeedSummary(context.course(.overfitting, "test_acc"))
        guard !course.present.isEmpty else {
            return """
                What neither can test is the course's data itself: this run is not on the full MNIST. The notes' figure is one \
                run read off a plot; this data, at least, does not reach down to it.
                """
        }
        return """
            The course's own script, run on the same full MNIST, ends at \(Format.percent(course.minimum))–\
            \(Format.percent(course.maximum)) on its \(course.present.count) seeds (the table above): neither this code nor the \
            course's reaches down to 60% on these files. The notes' figure is one run read off a plot, perhaps of another \
            version of the script or the data.
            """
    }

    func whyNotSixty(_ main: RunGroup, base: TrainingSetup, report: Report, context: ChapterContext) {
        report.heading("Why not the notes' 60%?")
        let n = base.data.images ?? context.dataset.training.count, epochs = base.length.end
        // As many unseen images as the test set has (fewer where the training file ends sooner).
        let unseen = min(context.dataset.training.count - n, context.dataset.test.count)
        let draws: [UInt64] = [1, 2, 3, 4, 5]
        let fileOrder = Array(context.dataset.training.labels.prefix(n)) == Array(context.dataset.fileLabels.prefix(n))
        let which = fileOrder ? "the file's first \(n)" : "the first \(n) (balanced)"
        report.paragraph("""
            The notes see test accuracy stall near 60%; here it ends at \(percentWithRange(main.final(.testAccuracy))). Two \
            measurements say where the difference can and cannot come from. First, is this test set easy? The same \
            networks are measured on the \(unseen.formatted()) training \(context.dataset.items) that follow their \(n) \
            (never trained on, and drawn from the same file as the rest). Second, does it matter which \(n) images a \
            network learns from? \(fileOrder ? "Here, as in the course, they are the file's first \(n), with its classes as they fall"
                                             : "Here they are balanced, \(n / 10) of each class; the course's first \(n) are not"). \
            Five networks learn from \(n) images drawn at random from the whole training file instead.
            """)
        var unseenSetup = base
        unseenSetup.data = .firstWithValidation(n, validation: unseen)
        unseenSetup.length = .epochs(epochs, evaluateEvery: max(1, epochs / 20))
        let measured = context.compare("""
            overfitting setup, measured on unseen training images
            """, base: unseenSetup, [Variant(0, label: "first \(n), and \(unseen) unseen")])[0]
        var drawnSetup = base
        drawnSetup.length = .epochs(epochs, evaluateEvery: max(1, epochs / 20))
        let drawn = context.train(draws.map { draw in
            var setup = drawnSetup
            setup.data = .drawn(n, draw: draw)
            return TrainingRun(label: "\(n) drawn at random, draw \(draw)", setup: setup, seed: context.seeds[0])
        }, title: "the overfitting setup on images drawn at random")
        let drawnTest = SeedSummary(drawn.map { $0.finalTestAccuracy ?? .nan })
        report.table(headers: ["trained on", "measured on", "accuracy"], rows: [
            [which, """
                the \(context.dataset.test.count.formatted()) test images
                """, percentWithRange(measured.final(.testAccuracy))],
            [which, """
                the \(unseen.formatted()) training images after them
                """, percentWithRange(measured.final(.validationAccuracy))],
            ["""
                \(n) drawn at random, 5 draws (seed \(context.seeds[0]))
                """, "the test images", percentWithRange(drawnTest)],
        ])
        report.paragraph("""
            The test images score within \(percentagePoints(measured.final(.testAccuracy).subtracting(measured.final(.validationAccuracy)))) \
            of the unseen training images, so the test set is no easier than the rest of the data; and \(n) images drawn \
            at random end at \(Format.percent(drawnTest.minimum))–\(Format.percent(drawnTest.maximum)), not near 60%. \
            \(courseSentence(context))
            """)
    }

    // MARK: - 3. More data

    func moreData(_ comparison: Comparison<Int>, report: Report) -> FigureRef {
        report.heading("Beyond the course: more data, smaller gap")
        let sizes = comparison.keys, epochs = comparison[sizes[0]].setup.length.end
        report.paragraph("""
            The notes' second cause is the easy one to test: train the same network, with the same settings \
            and seeds, on \(sizes.map(String.init).joined(separator: ", ")) images. The number of epochs stays \
            \(epochs), so a larger set also means proportionally more updates. For the larger sets accuracy is \
            measured every \(max(1, epochs / 40)) epochs.
            """)
        var figure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 380)
        var curves = Panel.accuracy(title: "accuracy per epoch")
        for (index,
             group) in comparison.groups.enumerated() { curves.plotAccuracies(group, color: Palette.color(index)) }
        var ends = Panel.endPoints(of: comparison.groups, against: sizes.map(Double.init), xLabel: "training images")
        ends.xScale = .logarithmic
        ends.xTickLabels = sizes.map { (Double($0), "\($0)") }
        figure[0, 0] = curves
        figure[0, 1] = ends
        let number = report.figure(figure, name: "gap-by-size", caption: """
            The same network and settings on \(sizes.map(String.init).joined(separator: ", ")) training images. Left: \
            training (solid) and test (dashed) accuracy per epoch; right: where the runs end, and the gap between the two. \
            Means over \(comparison.seedText), bands from the lowest to the highest seed.
            """)
        report.table(comparison.groups, first: "training images", columns: [.firstEpoch(reaching: 1)]
            + Column.endPoints)
        let smallest = comparison[comparison.keys.min()!], largest = comparison[comparison.keys.max()!]
        report.paragraph("""
            **What Figure \(number) shows.** Every network still fits its training set almost perfectly, but the \
            test accuracy rises with the data, from \(percentWithRange(smallest.final(.testAccuracy))) with \(sizes.first!) \
            images to \(percentWithRange(largest.final(.testAccuracy))) with \(sizes.last!), and the gap closes from \
            \(percentagePoints(smallest.finalGap)) to \(percentagePoints(largest.finalGap)). The network did not change, so \
            its parameters are only too many relative to the data: the two causes the notes list are one ratio seen from two sides. \
            The chapters on \(report.link(chapter: "weight-decay", "weight decay")) and \(report.link(chapter: "dropout", "dropout")) \
            take this network and try to narrow its gap without more data.
            """)
        return number
    }

    // MARK: - 4. Fewer parameters

    /// The notes' first cause: the same 300 images and settings, the network made smaller, a
    /// quarter of the width or a third of the depth; does the gap shrink with it?
    /// Returns the decision on the claim about the model's size.
    func smallerModels(_ base: TrainingSetup, report: Report, context: ChapterContext) -> Decision {
        report.heading("Beyond the course: fewer parameters, smaller gap?")
        let course = base.network.hiddenSizes
        let shapes: [[Int]] = [course, Array(repeating: 25, count: course.count), [100, 100]]
        let test = context.dataset.test.count
        let title = "overfitting setup, by the size of the network"
        let (comparison, decisions) = context.compare(title, base: base, shapes.map { sizes in
            Variant(sizes, label: "\(sizes.count)×\(sizes[0])") { $0.network.hiddenSizes = sizes }
        }, measuring: [.heldOut], judging: { self.modelClaim($0, course: shapes[0], test: test) })
        report.paragraph("""
            The notes' first cause is a model with many parameters and so much expressive power. Here the course's network \
            (\(base.network.summary), \(base.network.parameterCount.formatted()) parameters) is set beside a quarter of its width \
            (six layers of 25 units, \(base.with { $0.network.hiddenSizes = shapes[1] }.network.parameterCount.formatted()) parameters) \
            and a third of its depth (two layers of 100, \(base.with { $0.network.hiddenSizes = shapes[2] }.network.parameterCount.formatted())), \
            on the same \(base.data.images ?? 0) images with the same settings and seeds.
            """)
        var figure = Figure(width: 832, panelHeight: 320)
        let bySize = comparison.groups.sorted { $0.setup.network.parameterCount < $1.setup.network.parameterCount }
        let parameters = bySize.map { Double($0.setup.network.parameterCount) }
        var ends = Panel.endPoints(of: bySize, against: parameters, xLabel: "parameters")
        ends.xScale = .logarithmic
        ends.xTickLabels = zip(bySize, parameters).map { ($1, "\($0.label) (\(Format.number($1 / 1000, digits: 3))k)") }
        figure[0, 0] = ends
        let number = report.figure(figure, name: "gap-by-model", caption: """
            Where the runs end for three sizes of network on the same \(base.data.images ?? 0) images, placed by their number of \
            parameters (log axis): training and test accuracy, the held-out images' accuracy (dotted) and the gaps; means over \
            \(comparison.seedText), bands from the lowest to the highest seed.
            """)
        report.table(comparison.groups, first: "hidden layers",
                     columns: Column.endPoints(heldOut: comparison.groups[0]))
        report.claim(Self.largeModel, decisions[Self.largeModel], figures: [number])
        return decisions[Self.largeModel]
    }

    func modelClaim(_ c: Comparison<[Int]>, course: [Int], test: Int) -> Decisions {
        let large = c[course]
        return Decisions([(Self.largeModel, .parts(c.keys.filter { $0 != course }.map { shape in
            ("\(c[shape].label) against \(large.label)",
             Decision.narrowerGap(c[shape], large, names: ("gap with \(c[shape].label)", "with \(large.label)"),
                                  testImages: test))
        }))])
    }

    /// The notes' three claims: the training set fitted after about 100 epochs, test accuracy stalled
    /// near 60%, and each larger training set a narrower gap.
    func claims(_ c: Comparison<Int>, main size: Int, epochs: Int, test: Int) -> Decisions {
        let main = c[size]
        let span = min(50, epochs / 2)
        let nearly = main.first(.trainAccuracy, reaching: 0.99).replacingMissing(with: Double(epochs + 1))
        let steps = zip(c.keys, c.keys.dropFirst()).map { small, large -> (String, Decision) in
            let (a, b) = (c[large], c[small])
            let margin = Margin.testDifference(a, b, testImages: test)
            return ("\(small) → \(large) images",
                    Decision.paired(a.finalGap, b.finalGap, .lower, margin: margin, scale: .accuracy,
                                    names: ("gap with \(large)", "with \(small)")))
        }
        let fits = Decision.within(nearly, 50...150, rangeText: "epochs 50 to 150 (\"after about 100\")",
                                   scale: .number(digits: 3),
                                   name: """
                                       first epoch at 99% training accuracy (a seed that never gets there counts as \
                                       epoch \(epochs + 1))
                                       """)
        let stalled = Decision.within(main.trend(.testAccuracy, overLast: span), -0.01...0.01, rangeText: "±1 point",
                                      scale: .accuracy,
                                      name: "change of test accuracy over the last \(span) epochs")
        let unseen = main.heldOutImages.map { "accuracy on the \($0.formatted()) held-out images where the runs end" }
        let nearSixty = Decision.within(main.heldOutOrTestAccuracy, 0.55...0.65, rangeText: "55–65%",
                                        scale: .accuracy, name: unseen ?? "final test accuracy")
        return Decisions([
            (Self.fitsTraining, fits),
            (Self.stallsAtSixty, .parts([("stalled", stalled), ("near 60%", nearSixty)])),
            (Self.littleData, .parts(steps)),
        ])
    }

    static let fitsTraining = NotesClaim("overfitting.fits-training", quote: "100エポックを過ぎたあたりから，訓練データにはほぼ100%適合し",
                                         claim: """
                                             With 300 training images, training accuracy reaches almost 100% once \
                                             about 100 epochs have passed.
                                             """)
    static let stallsAtSixty = NotesClaim("overfitting.test-stalls", quote: "テストデータには60%ほどで頭打ちになる",
                                          claim: "Test accuracy stalls at about 60%.")
    static let largeModel = NotesClaim("overfitting.large-model", quote: "モデルのパラメータが多く，表現力が高い．", claim: """
        A model with many parameters, and so much expressive power, is a cause of overfitting: a smaller network on the same \
        images opens a narrower gap.
        """)
    static let littleData = NotesClaim("overfitting.little-data", quote: "訓練データが少ない．",
                                       claim: "Too little training data is a cause of overfitting.")
}

runChapter(OverfittingChapter.self)
