import Analysis
import Claims
import Formatting
import Report
import Runs
import Statistics

/// A column of a comparison table: a header and what each group shows under it.
public struct Column {
    public let header: String
    let cell: (RunGroup) -> String

    public init(_ header: String, _ cell: @escaping (RunGroup) -> String) {
        self.header = header
        self.cell = cell
    }

    /// The metric at x (the median loss of the 50 iterations up to x, or the accuracy at epoch x).
    public static func metric(_ metric: Metric, at x: Int, header: String? = nil) -> Column {
        Column(header ?? "\(metric.displayName) at \(metric.axis) \(x)") { metric.text($0.value(metric, at: x), missing: $0.missingValue) }
    }

    /// The metric where the runs ended.
    public static func final(_ metric: Metric, header: String? = nil) -> Column {
        Column(header ?? "final \(metric.displayName)") { metric.text($0.final(metric), missing: $0.missingValue) }
    }

    /// Test accuracy when the runs ended.
    public static func finalTestAccuracy(header: String = "test accuracy") -> Column {
        Column(header) { percentWithRange($0.finalTestAccuracy, missing: $0.missingValue) }
    }

    /// Training minus test accuracy where the runs end, in points, seed by seed.
    public static let gap = Column("gap (training − test)") { percentagePoints($0.finalGap, missing: $0.missingValue) }

    /// Accuracy on the held-out images (see `Probe.heldOut`) where the runs end, and the gap between
    /// training accuracy and it: the course's test-set columns measured on `images` images.
    public static func heldOut(images: Int) -> [Column] {
        [Column("held-out accuracy (\(images.formatted()) images)") { percentWithRange($0.heldOutAccuracy, missing: $0.missingValue) },
         Column("gap (training − held-out)") { percentagePoints($0.heldOutGap, missing: $0.missingValue) }]
    }

    /// Where the runs end, and where they were measured on held-out images (`Probe.heldOut`), there too.
    public static func endPoints(heldOut group: RunGroup) -> [Column] {
        endPoints + (group.heldOutImages.map { heldOut(images: $0) } ?? [])
    }

    /// Whether each group has settled (see `Convergence`): the rate its training and test accuracy
    /// still rise at, per `Convergence.perEpochs` epochs, and the rule's verdict.
    public static func settling(epochs: Int, testImages: Int) -> [Column] {
        let per = Convergence.perEpochs
        return [Column("training accuracy, rise per \(per) epochs") {
                    percentagePoints(Convergence.rate($0, .trainAccuracy, epochs: epochs), missing: $0.missingValue) },
                Column("test accuracy, rise per \(per) epochs") {
                    percentagePoints(Convergence.rate($0, .testAccuracy, epochs: epochs), missing: $0.missingValue) },
                Column("after \(epochs) epochs") { Convergence($0, testImages: testImages).text }]
    }

    /// The first epoch at which training accuracy reached `level` (on each seed, with those that never did).
    public static func firstEpoch(reaching level: Double, header: String? = nil) -> Column {
        Column(header ?? "first epoch at \(Format.percent(level, decimals: 0)) training accuracy") {
            epochText($0.first(.trainAccuracy, reaching: level))
        }
    }

    /// Where the runs end: training accuracy, test accuracy and the gap between them.
    public static let endPoints: [Column] = [.final(.trainAccuracy, header: "training accuracy"),
                                            .final(.testAccuracy, header: "test accuracy"), .gap]

    /// The metric at each checkpoint (`header` names a column from its checkpoint).
    public static func checkpoints(_ metric: Metric, at xs: [Int], header: (Int) -> String) -> [Column] {
        xs.map { Column.metric(metric, at: $0, header: header($0)) }
    }

    /// The change of the metric's final value from `reference`'s, seed by seed, in points (an
    /// accuracy); "—" in the reference's own row.
    public static func change(_ metric: Metric, from reference: RunGroup, header: String) -> Column {
        Column(header) { $0.setup == reference.setup ? "—" : percentagePoints($0.final(metric).subtracting(reference.final(metric)), missing: $0.missingValue) }
    }

    /// A measurement probed on each trained network, as a number with its spread.
    public static func measurement(_ measure: Measure, header: String) -> Column {
        Column(header) { meanAndSpread($0.measurement(measure), missing: $0.missingValue) }
    }
}

extension Report {
    /// A table with one row per group: its label, then one cell per column. Cells give the mean
    /// over seeds with the spread (± standard deviation for numbers, lowest–highest for percentages).
    public func table(_ groups: [RunGroup], first header: String, columns: [Column]) {
        table(headers: [header] + columns.map(\.header), rows: groups.map { group in [group.label] + columns.map { $0.cell(group) } })
    }
}
