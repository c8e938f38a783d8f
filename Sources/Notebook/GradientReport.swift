import Analysis
import Claims
import Datasets
import Engine
import Formatting
import Foundation
import NeuralNet
import NumericCore
import Report
import Runs
import Statistics

/// Backpropagation against central differences for a whole network on a batch of real images, in
/// Float64, one row per parameter: what a chapter shows as its gradient check.
public struct GradientReport: Sendable, Codable {
    public struct Row: Sendable, Codable {
        /// "W1", "gamma2", ... as in the reference's `params`.
        public let name: String
        public let checked: Int
        public let total: Int
        /// Mean of |analytic − numerical| over the checked elements.
        public let meanDifference: Double
        /// Median of |analytic − numerical|: the typical agreement, unmoved by an element whose
        /// perturbation carries a ReLU across its kink.
        public let medianDifference: Double
        /// Mean of |analytic| over the checked elements, for scale.
        public let meanMagnitude: Double
        /// The share of all of the parameter's analytic gradient elements that are exactly zero.
        public let exactZeros: Double
        /// Whether it is the bias of an affine layer that feeds a BatchNorm, which subtracts any
        /// shift of a column again: its true gradient is zero.
        public let feedsBatchNorm: Bool
    }

    public let rows: [Row]
    public let batchSize: Int

    /// Checks `configuration` (weights from `seed`) on the first `batchSize` training images:
    /// every element of arrays up to `perParameter` elements, else `perParameter` of them picked at random.
    public init(_ configuration: NetworkConfiguration, on data: LabeledSamples<Float>, batchSize: Int, seed: UInt64,
                perParameter: Int = 40) {
        let batch = data.prefix(batchSize)
        let x = Matrix<Double>(rows: batch.count, columns: batch.featureCount, elements: batch.samples.elements.map(Double.init))
        let network = Network<Double>(configuration, seed: seed, backend: CPUBackend())
        network.gradient(x, labels: batch.labels)
        let analytic = network.parameters.map(\.gradient.elements)
        let shifted = Set(zip(network.layers, network.layers.dropFirst()).compactMap { layer, next in
            next is BatchNorm<Double> ? (layer as? Affine<Double>).map { ObjectIdentifier($0.bias) } : nil
        })
        var picker = SeededGenerator(seed: seed, stream: "gradient check")
        let loss = { network.loss(x, labels: batch.labels, training: true) }
        rows = zip(network.parameters, analytic).map { parameter, gradient in
            let count = gradient.count
            let indices = count <= perParameter ? Array(0..<count) : Array(picker.permutation(of: count).prefix(perParameter)).sorted()
            let numerical = GradientCheck.numericalGradient(of: parameter, at: indices, loss: loss)
            let differences = zip(indices, numerical).map { abs(gradient[$0] - $1) }
            return Row(name: parameter.name, checked: indices.count, total: count,
                       meanDifference: differences.reduce(0, +) / Double(indices.count),
                       medianDifference: differences.sorted()[differences.count / 2],
                       meanMagnitude: indices.map { abs(gradient[$0]) }.reduce(0, +) / Double(indices.count),
                       exactZeros: Double(gradient.filter { $0 == 0 }.count) / Double(count),
                       feedsBatchNorm: shifted.contains(ObjectIdentifier(parameter)))
        }
        self.batchSize = batch.count
    }

    /// The largest median difference relative to the mean gradient size, over parameters whose
    /// gradient is not zero: those whose mean size is a billionth of the largest or less (biases in
    /// front of BatchNorm, whose true gradient is zero) are left out, as a ratio of two roundings.
    public var worstRelativeMedian: Double {
        let largest = rows.map(\.meanMagnitude).max() ?? 0
        return rows.filter { $0.meanMagnitude > 1e-9 * largest }.map { $0.medianDifference / $0.meanMagnitude }.max() ?? 0
    }

    /// Why a mean can stand far above its median: one sentence for a report.
    public static let kinkNote = "Where a mean stands far above its median, one or two of the checked elements sit on a kink: "
        + "moving that weight by $h$ carries some ReLU unit across zero for some image, where the loss has no "
        + "derivative and the central difference measures the jump instead. The median shows the agreement everywhere else."

    /// The table a report shows.
    public func table(in report: Report) {
        report.table(headers: ["parameter", "elements checked", "mean |analytic − numerical|", "median |analytic − numerical|",
                               "mean |analytic|", "analytic elements exactly 0"],
                     rows: rows.map { row in
                         [row.name, row.checked == row.total ? "all \(row.total)" : "\(row.checked) of \(row.total)",
                          Format.number(row.meanDifference, digits: 2), Format.number(row.medianDifference, digits: 2),
                          Format.number(row.meanMagnitude, digits: 3),
                          Format.percent(row.exactZeros)]
                     })
    }
}

extension GradientReport {
    /// The table that sets a check on a batch of one beside one on a real batch: for each
    /// parameter, the share of exactly-zero gradient elements in both, and the one-sample
    /// gradient's size and agreement.
    public static func degenerateTable(single: GradientReport, batch: GradientReport, in report: Report) {
        report.table(headers: ["parameter", "analytic elements exactly 0, batch of 1", "mean |analytic|, batch of 1",
                               "mean |analytic − numerical|, batch of 1", "analytic elements exactly 0, batch of \(batch.batchSize)"],
                     rows: zip(single.rows, batch.rows).map { one, many in
                         [one.name, Format.percent(one.exactZeros), Format.number(one.meanMagnitude, digits: 3),
                          Format.number(one.meanDifference, digits: 2), Format.percent(many.exactZeros)]
                     })
    }

    /// The parameters with any gradient element that is not exactly zero.
    public var live: [String] { rows.filter { $0.exactZeros < 1 }.map(\.name) }
    /// The parameters whose gradient is all zeros but disagrees with the central difference (a kink).
    public var onKink: [String] { rows.filter { $0.exactZeros == 1 && $0.meanDifference > 1e-6 }.map(\.name) }
}

extension ChapterContext {
    /// The gradient check of `configuration` on the chapter's first `batchSize` training images: a
    /// pure function of its settings, the data and the code, kept in the run cache like a run so
    /// that a warm report does not differentiate the network again.
    public func gradientCheck(_ configuration: NetworkConfiguration, batchSize: Int, seed: UInt64, perParameter: Int) -> GradientReport {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let network = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
        let material = ["gradient check \(network)", "batch \(batchSize)", "seed \(seed)", "per parameter \(perParameter)",
                        "dataset \(dataset.identity)", "code \(RunCache.codeVersion)"].joined(separator: "\n")
        return cache.memo("gradient-check", material: material) {
            GradientReport(configuration, on: dataset.training, batchSize: batchSize, seed: seed, perParameter: perParameter)
        }
    }
}

extension Report {
    /// A gradient check as the reports show it: `lead` (what is checked, and what a failure would
    /// mean), the method, the table, and how to read a mean that stands above its median.
    public func gradientCheck(_ check: GradientReport, perParameter: Int, lead: String) {
        paragraph(lead + " Backpropagation is set against the central difference $(L(\\theta + h) - L(\\theta - h)) / 2h$ in Float64 "
                  + "with $h = 10^{-5}$, on a batch of \(check.batchSize) real training images; of the larger arrays, \(perParameter) "
                  + "elements picked at random are checked.")
        check.table(in: self)
        paragraph(GradientReport.kinkNote + " The typical difference is at most \(Format.number(check.worstRelativeMedian, digits: 2)) of the gradient's size.")
    }
}
