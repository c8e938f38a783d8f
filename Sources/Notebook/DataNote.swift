import Analysis
import Claims
import Datasets
import Formatting
import Foundation
import NumericCore
import Runs
import Statistics

extension Dataset {
    /// How this data departs from the course's (MNIST's 60,000 training and 10,000 test images),
    /// and what that changes: the sizes, the order the images are used in, and how finely the test
    /// set resolves an accuracy. One paragraph for every report's data section.
    public var departures: String {
        let course = (training: 60_000, test: 10_000)
        let isTheCourses = name == "MNIST" && training.count == course.training && test.count == course.test
        var text = (isTheCourses ? "**The course's data.**" : "**How this data departs from the course's.**") + " The course trains on MNIST's \(course.training.formatted()) training "
            + "images and tests on its \(course.test.formatted()) test images. Here: \(name), \(training.count.formatted()) training and "
            + "\(test.count.formatted()) test \(items), from \(source)."
        if training.count < course.training {
            text += " That is \(Format.percent(Double(training.count + test.count) / Double(course.training + course.test), decimals: 0)) of the course's images: "
                + "a network sees fewer examples, so every accuracy here is lower than it would be on the full set."
        }
        let sortedFile = fileLabels == fileLabels.sorted()
        let firstClasses = Set(fileLabels.prefix(100)).count
        text += sortedFile ? " The file stores the \(items) sorted by label (its first 100 hold \(firstClasses) class\(firstClasses == 1 ? "" : "es"))"
                           : " The file stores the \(items) with their classes mixed (its first 100 hold \(firstClasses) of the 10 classes)"
        // How many of each class the first 300 training images hold: what the small-data chapters train on.
        let perClass = Dictionary(grouping: training.labels.prefix(300), by: { $0 }).values.map(\.count)
        let first = "the first \(min(300, training.count)) training \(items)", spread = "\(perClass.min() ?? 0)–\(perClass.max() ?? 0)"
        if Array(fileLabels.prefix(training.count)) != training.labels {
            text += "; they are used interleaved by class, so that \(first) hold \(spread) of each class, where the course's first 300 "
                + "are as unbalanced as its file."
        } else {
            text += ", and they are used in that order, as the course uses them: \(first), which the small-data chapters train on, "
                + "hold \(spread) of each class."
        }
        let high = accuracyResolution(0.8, count: test.count), higher = accuracyResolution(0.95, count: test.count)
        text += " \(test.count.formatted()) test images resolve an accuracy near 80% to about ±\(Format.number(high * 100, digits: 2)) points "
            + "and one near 95% to about ±\(Format.number(higher * 100, digits: 2)) (one binomial standard error): differences smaller than that decide nothing here."
        return text
    }
}

extension RunGroup {
    /// Where the runs measured their held-out images (see `Probe.heldOut`): what those images are,
    /// how much finer they resolve an accuracy than the test set, and that the claims read them.
    /// Empty where the runs did not measure them.
    public func heldOutNote(testImages test: Int) -> String {
        guard let images = heldOutImages, images > test else { return "" }
        let accuracy = heldOutAccuracy.mean, spread = heldOutAccuracy.standardDeviation
        // Why the pool is this size: its own noise against the spread between seeds, which it is shared by.
        let spreadNote = spread.isFinite && spread > 0 ? """
            ; the seeds' accuracies on them spread by \(Format.number(spread * 100, digits: 2)) points (one standard deviation), \
            so the images' own noise, which every seed shares, is \
            \(Format.percent(pow(accuracyResolution(accuracy, count: images) / spread, 2), decimals: 0)) of that spread's variance. \
            The pool stops at \(TrainingData.unusedPoolLimit.formatted()) unused images: measured once where a run ends, it costs \
            a forward pass per image, a small part of the run
            """ : ""
        return """
            **Measured on more images than the test set.** These runs learn from \(setup.data.images.map { $0.formatted() } ?? "a few") \
            images, so most of the data is never trained on. Each trained network is also measured on \(images.formatted()) held-out \
            images: the \(test.formatted()) test images and the \((images - test).formatted()) training images these runs never \
            \(setup.data.isValidated ? "train on or choose by" : "see"). Near \(Format.percent(accuracy, decimals: 0)) they resolve an accuracy to \
            ±\(Format.number(accuracyResolution(accuracy, count: images) * 100, digits: 2)) points, against \
            ±\(Format.number(accuracyResolution(accuracy, count: test) * 100, digits: 2)) on the test set alone\(spreadNote). \
            The claims about the gap are judged on the held-out images; the test set's numbers stay beside them, as the course \
            measured them.
            """
    }
}
