import Datasets
import Foundation
import NeuralNet
import NumericCore

/// A number measured on a trained network, named by what it is rather than by a label.
public enum Measure: Sendable, Hashable, Codable {
    /// `sqrt(Σ W²)` over every weight matrix.
    case weightNorm
    /// How many units of the first hidden layer differ in their incoming weights by more than a
    /// ten-thousandth of the largest weight (closer than that, rounding could have made them differ).
    case distinctUnits
    /// The largest difference between the incoming weights of unit 0 and any other unit.
    case largestUnitDifference
    /// The largest absolute weight of the first layer.
    case largestWeight
    /// Test accuracy of the softmax outputs averaged over this many random-mask passes.
    case monteCarloAccuracy(passes: Int)
    /// Accuracy on the images the run never trained on (see `TrainingData.heldOut(in:)`).
    case heldOutAccuracy
    /// How many images that accuracy was measured on.
    case heldOutImages
    /// Accuracy on the test set, measured on a tuning run for a test of choosing by it (the run's
    /// search never reads it).
    case testSetAccuracy
    /// Accuracy on training images its selection leaves out (see `Probe.disjointSets`).
    case unseenAccuracy
}

/// Something measured on a network once its training has ended: distinct hidden units, the size
/// of the weights, the accuracy of averaged random-mask passes, ...
public struct Probe: Sendable {
    /// Which probe, with its settings: what the run cache stores its values under.
    public enum Kind: Sendable, Hashable, Codable {
        case weightNorm
        case hiddenUnits
        case monteCarlo(passes: [Int])
        case heldOut
        case disjointSets(unseen: Int)
        case unseen(Int)
    }

    /// What a probe measured: numbers, and for an accuracy among them, which images it counted right.
    public struct Reading: Sendable, Codable, Equatable, ExpressibleByDictionaryLiteral {
        public var values: [Measure: Double]
        /// The images behind an accuracy of `values`, by the same measure.
        public var marks: [Measure: Correctness]

        public init(values: [Measure: Double], marks: [Measure: Correctness] = [:]) {
            self.values = values; self.marks = marks
        }

        public init(dictionaryLiteral elements: (Measure, Double)...) {
            self.init(values: Dictionary(elements) { $1 })
        }

        public subscript(measure: Measure) -> Double? { values[measure] }
        public var isEmpty: Bool { values.isEmpty }
    }

    public let kind: Kind
    /// Measures a trained network, given the dataset and the images its run trained on.
    let body: @Sendable (Network<Float>, Dataset, TrainingData) -> Reading

    public init(_ kind: Kind, _ body: @escaping @Sendable (Network<Float>, Dataset, TrainingData) -> Reading) {
        self.kind = kind
        self.body = body
    }

    /// `sqrt(Σ W²)` over every weight matrix of the trained network.
    public static let weightNorm = Probe(.weightNorm) { network, _, _ in [.weightNorm: network.weightNorm] }

    /// How different the units of the first hidden layer have become: the incoming weights of each
    /// unit (a column of W1) compared with a tolerance of a ten-thousandth of the largest weight, so
    /// that the count does not depend on how the BLAS kernels round.
    public static let hiddenUnits = Probe(.hiddenUnits) { network, _, _ in
        let first = network.firstLayer
        let units = (0..<first.outputs).map { unit in (0..<first.inputs).map { Double(first.weight(from: $0, to: unit)) } }
        let largest = units.joined().map(abs).max()!
        return [.distinctUnits: Double(distinct(units, tolerance: 1e-4 * largest)),
                .largestUnitDifference: units.map { unit in zip(unit, units[0]).map { abs($0 - $1) }.max()! }.max()!,
                .largestWeight: largest]
    }

    /// Accuracy on every image the run never trained on: the test set, and for a run on the first n
    /// training images, the training images after them (up to `TrainingData.heldOutLimit` in all).
    /// Where a run trains on few images, this measures it several times more finely than the test
    /// set alone; nothing for a run whose images leave no more than the test set.
    public static let heldOut = Probe(.heldOut) { network, dataset, data in
        guard let parts = data.heldOut(in: dataset) else { return [:] }
        let marks = parts.map { network.correctness($0) }.reduce(Correctness(count: 0)) { $0.followed(by: $1) }
        return Reading(values: [.heldOutAccuracy: marks.accuracy, .heldOutImages: Double(marks.count)], marks: [.heldOutAccuracy: marks])
    }

    /// Two sets a tuning run neither trains on nor is chosen by, measured on its trained network:
    /// the test set, and up to `unseen` training images after its tuning images. With the
    /// validation score, three disjoint sets: what a clean test of choosing by the test set needs.
    public static func disjointSets(unseen: Int) -> Probe {
        Probe(.disjointSets(unseen: unseen)) { network, dataset, data in
            guard var reading = unseenImages(unseen, network, dataset, data) else { return [:] }
            let test = network.correctness(dataset.test)
            reading.values[.testSetAccuracy] = test.accuracy
            reading.marks[.testSetAccuracy] = test
            return reading
        }
    }

    /// The second of `disjointSets` alone: up to `count` training images after a tuning run's
    /// images, for runs whose test-set score nothing reads.
    public static func unseen(_ count: Int) -> Probe {
        Probe(.unseen(count)) { network, dataset, data in unseenImages(count, network, dataset, data) ?? [:] }
    }

    /// Accuracy on up to `count` training images after a tuning run's images; nil for other runs.
    private static func unseenImages(_ count: Int, _ network: Network<Float>, _ dataset: Dataset, _ data: TrainingData) -> Reading? {
        guard case let .tuning(n, _, _) = data, n < dataset.training.count else { return nil }
        let marks = network.correctness(dataset.training.rows(n..<min(dataset.training.count, n + count)))
        return Reading(values: [.unseenAccuracy: marks.accuracy], marks: [.unseenAccuracy: marks])
    }

    /// How many of `vectors` differ, element by element, by more than `tolerance` from every one
    /// counted before them (the first of each group of near-equals stands for the group).
    static func distinct(_ vectors: [[Double]], tolerance: Double) -> Int {
        var kept: [[Double]] = []
        for v in vectors where !kept.contains(where: { k in zip(k, v).allSatisfy { abs($0 - $1) <= tolerance } }) { kept.append(v) }
        return kept.count
    }

    /// The test accuracy of averaged softmax outputs over each of `passes` random-mask passes.
    public static func monteCarlo(passes: [Int]) -> Probe {
        Probe(.monteCarlo(passes: passes)) { network, dataset, _ in
            guard network.configuration.dropoutRatio != nil else { return [:] }
            let test = dataset.test
            let classes = network.configuration.outputSize
            var average = [Double](repeating: 0, count: test.count * classes)
            var result: [Measure: Double] = [:]
            var probabilities = [Double](repeating: 0, count: classes)
            var predicted = [Int](repeating: 0, count: test.count)
            // The first layer has no randomness: its output is computed once and every pass starts
            // from it (the masks come after the activations above it).
            let firstOutputs = Matrix<Float>(rows: 0, columns: 0)
            network.backend.copy(network.firstLayer.forward(test.samples, training: true), into: firstOutputs)
            let chunk = Matrix(viewing: firstOutputs)
            for pass in 1...passes.max()! {
                var start = 0
                while start < test.count {
                    chunk.show(rows: min(1000, test.count - start), of: firstOutputs, from: start)
                    let scores = network.scores(firstLayerOutput: chunk, training: true)
                    for row in 0..<scores.rows {
                        var largest = -Double.infinity
                        for c in 0..<classes { largest = max(largest, Double(scores[row, c])) }
                        var total = 0.0
                        for c in 0..<classes {
                            probabilities[c] = exp(Double(scores[row, c]) - largest)
                            total += probabilities[c]
                        }
                        for c in 0..<classes { average[(start + row) * classes + c] += probabilities[c] / total }
                    }
                    start += chunk.rows
                }
                guard passes.contains(pass) else { continue }
                for image in 0..<test.count {      // the class of the largest average (the first one on ties)
                    var best = 0
                    for c in 1..<classes where average[image * classes + c] > average[image * classes + best] { best = c }
                    predicted[image] = best
                }
                result[.monteCarloAccuracy(passes: pass)] = Double(zip(predicted, test.labels).filter { $0 == $1 }.count) / Double(test.count)
            }
            return Reading(values: result)
        }
    }
}
