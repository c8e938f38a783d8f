// Chapter: overfitting. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs

struct OverfittingChapter: Chapter {
    static let name = "overfitting"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "Overfitting: a deep network on 300 MNIST images, and the gap between training and test accuracy as the training set grows.",
        discussion: "Writes <output>/overfitting/README.md with its figures, their CSV data and results.json.")

    @OptionGroup var options: ChapterOptions
    @OptionGroup var schedule: EpochOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Training-set sizes of the size comparison, comma-separated (default 300,1000,4000; 300,1000 with --quick).",
                               valueName: "list"))
    var sizes: NumberList?

    mutating func validate() throws {
        try sizes?.require("--sizes", "a whole number of images above 0") { $0 >= 1 && $0 == $0.rounded() }
    }

    func build(_ report: Report, context: ChapterContext) throws {
        let epochs = context.pick(schedule.epochs, full: 201, quick: 20)
        let trainSize = schedule.trainSize ?? 300
        let sizeList = Array(Set((sizes?.values.map { Int($0) } ?? (context.quick ? [300, 1000] : [300, 1000, 4000])) + [trainSize])).sorted()
        for size in sizeList { try context.requireTrainingImages(size, option: size == trainSize ? "--train-size" : "--sizes") }

        report.title = "Overfitting: learning the training set by heart"
        report.paragraph("""
            A network *overfits* when it fits its training images so closely that it stops getting better, or \
            gets worse, on images it has not seen. The notes name two causes: a model with many parameters, and \
            so much expressive power, and too little training data. This chapter reproduces the course's \
            demonstration, a deep network trained on only \(trainSize) images, measures the gap it opens between \
            training and test accuracy, and then varies the one cause that is easy to vary, the amount of data.
            """)

        // The experiment: the course's overfitting setup on each training-set size; the main one is the first part.
        let base = TrainingSetup.overfitting(epochs: epochs, trainingImages: trainSize)
        let parameterCount = base.network.parameterCount
        // Curves of the larger sets are measured every few epochs: their end points are what the comparison reads.
        let comparison = context.sweep("overfitting, by training-set size", base: base, values: sizeList, including: [trainSize],
                                       evaluateOthersEvery: max(1, epochs / 40), label: { "n=\($0)" }) { $0.data = .first($1) }
        let main = comparison[trainSize]

        report.heading("\(trainSize) training images, six hidden layers")
        report.paragraph("""
            The course's setup: a \(base.network.summary) network, \(parameterCount.formatted()) parameters in all, \
            trained with SGD (lr 0.01, mini-batches of 100) for \(epochs) epochs on the first \(trainSize) training \
            images of \(context.dataset.name), a few hundred parameters for every image. After every epoch we \
            measure accuracy on all \(trainSize) training images and on the \(context.dataset.test.count) test images, \
            over \(context.seeds.count) seeds.
            """)
        var figure = Figure(width: 800, panelHeight: 400)
        var panel = Panel.accuracy()
        panel.plotAccuracies(main, color: Palette.color(0))
        figure[0, 0] = panel
        let number = report.figure(figure, name: "overfitting",
                                   caption: "Training (solid) and test (dashed) accuracy per epoch on \(trainSize) training images: mean over \(context.seeds.count) seeds, band from the lowest to the highest seed.")
        let perfect = main.first(.trainAccuracy, reaching: 1.0), nearly = main.first(.trainAccuracy, reaching: 0.99)
        report.table([main], first: "training images", columns: [
            .firstEpoch(reaching: 0.99), .firstEpoch(reaching: 1, header: "first epoch at 100%"),
            .final(.trainAccuracy, header: "training accuracy at \(epochs)"), .final(.testAccuracy, header: "test accuracy at \(epochs)"), .gap,
        ])
        let lastTestChange = main.trend(.testAccuracy, overLast: min(50, epochs / 2))
        report.paragraph("""
            **What Figure \(number) shows.** Training accuracy climbs until the network gets every one of the \
            \(trainSize) images right (first on epoch \(epochText(perfect))), while test accuracy levels off far \
            below, at \(percentWithRange(main.final(.testAccuracy))) after \(epochs) epochs; over the last \
            \(min(50, epochs / 2)) epochs it moved by \(percentagePoints(lastTestChange)). Once the training \
            images are all classified correctly the loss can still shrink by making the network more confident \
            about them, and nothing in that pushes it towards what the test images need: the network has \
            memorised its \(trainSize) examples rather than learnt what makes a digit.
            """)

        let start = Double(max(epochs / 4, 1)), end = Double(min(epochs, epochs * 3 / 4))
        let nearlyAll = nearly.isComplete
        report.claim("With \(trainSize) training images, training accuracy reaches almost 100% once about 100 epochs have passed.",
                     nearlyAll && nearly.maximum <= end ? (nearly.minimum >= start ? .holds : .holdsInPart) : .doesNotHold,
                     evidence: "First epoch at 99% training accuracy: \(epochText(nearly)); at 100%: \(epochText(perfect)) (rule: every seed at 99% between epoch \(Int(start)) and \(Int(end)); earlier counts as in part).")
        let finalTest = main.final(.testAccuracy)
        let plateau = abs(lastTestChange.mean) < 0.01
        let nearSixty = finalTest.minimum >= 0.55 && finalTest.maximum <= 0.65
        report.claim("Test accuracy stalls at about 60%.", plateau && nearSixty ? .holds : (plateau ? .holdsInPart : .doesNotHold),
                     evidence: "Test accuracy at \(epochs): \(percentWithRange(finalTest)), change over the last \(min(50, epochs / 2)) epochs \(percentagePoints(lastTestChange)): "
                        + (plateau ? "it has stalled" : "it is still moving") + (nearSixty ? ", near 60%." : ", but not near 60% on this test set."))

        // Beyond the course: the same network on more data.
        report.heading("Beyond the course: more data, smaller gap")
        report.paragraph("""
            The notes' second cause is the easy one to test: train the same network, with the same settings \
            and seeds, on \(sizeList.map(String.init).joined(separator: ", ")) images. The number of epochs stays \
            \(epochs), so a larger set also means proportionally more updates. For the larger sets accuracy is \
            measured every \(max(1, epochs / 40)) epochs.
            """)
        var sizeFigure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 380)
        var curves = Panel.accuracy(title: "accuracy per epoch")
        for (index, group) in comparison.groups.enumerated() { curves.plotAccuracies(group, color: Palette.color(index)) }
        var ends = Panel.endPoints(of: comparison.groups, against: sizeList.map(Double.init), xLabel: "training images")
        ends.xScale = .logarithmic
        ends.xTickLabels = sizeList.map { (Double($0), "\($0)") }
        sizeFigure[0, 0] = curves
        sizeFigure[0, 1] = ends
        let sizeNumber = report.figure(sizeFigure, name: "gap-by-size",
                                       caption: "The same network and settings on \(sizeList.map(String.init).joined(separator: ", ")) training images. Left: training (solid) and test (dashed) accuracy per epoch; right: where the runs end, and the gap between the two. Means over \(context.seeds.count) seeds, bands from the lowest to the highest seed.")
        report.table(comparison.groups, first: "training images", columns: [.firstEpoch(reaching: 1)] + Column.endPoints)
        let gaps = comparison.groups.map(\.finalGap)
        let shrinking = zip(gaps, gaps.dropFirst()).allSatisfy { $0.isClearlyAbove($1) }
        let smallest = comparison.groups.last!, largest = comparison.groups.first!
        report.paragraph("""
            **What Figure \(sizeNumber) shows.** Every network still fits its training set almost perfectly, \
            but the test accuracy rises with the data, from \(percentWithRange(largest.final(.testAccuracy))) with \
            \(sizeList.first!) images to \(percentWithRange(smallest.final(.testAccuracy))) with \(sizeList.last!), and \
            the gap closes from \(percentagePoints(largest.finalGap)) to \(percentagePoints(smallest.finalGap)). \
            \(shrinking ? "Each step up in size shrinks the gap on every seed." : "Not every step up in size shrinks the gap beyond the seed noise.") \
            The network did not change, so its \(parameterCount.formatted()) parameters are only too many \
            relative to the data: the two causes the notes list are one ratio seen from two sides.
            """)
        report.claim("Too little training data is a cause of overfitting.", shrinking ? .holds : (gaps.last!.mean < gaps.first!.mean ? .holdsInPart : .doesNotHold),
                     evidence: "Gap between training and test accuracy with " + zip(sizeList, gaps).map { "\($0) images: \(percentagePoints($1))" }.joined(separator: "; ")
                        + (shrinking ? " (each larger set smaller on every seed)." : "."))

        report.summary["first_epoch_at_100_percent"] = .number(perfect.mean)
        report.summary["gap"] = .object(Dictionary(uniqueKeysWithValues: comparison.groups.map { ($0.label, .number($0.finalGap.mean)) }))
        report.summary["finding"] = .string("On \(trainSize) images the network reaches 100% training accuracy (epoch \(epochText(perfect))) while test accuracy stalls at \(Format.percent(finalTest.mean)); with \(sizeList.last!) images the gap falls from \(Format.percent(main.finalGap.mean)) to \(Format.percent(smallest.finalGap.mean)).")
    }
}

runChapter(OverfittingChapter.self)
