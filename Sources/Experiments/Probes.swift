import Datasets
import Foundation
import NeuralNet
import NumericCore

/// Something measured on a network once its training has ended, by name: distinct hidden units,
/// the size of the weights, the accuracy of averaged random-mask passes, ...
public struct Probe: Sendable {
    public let name: String
    let body: @Sendable (Network<Float>, Dataset) -> [String: Double]

    /// `body` returns named values; they land in `RunResult.measurements` under those names.
    public init(_ name: String, _ body: @escaping @Sendable (Network<Float>, Dataset) -> [String: Double]) {
        self.name = name
        self.body = body
    }

    /// `sqrt(Σ W²)` over every weight matrix of the trained network, as "weight norm".
    public static let weightNorm = Probe("weight norm") { network, _ in ["weight norm": network.weightNorm] }

    /// How different the units of the first hidden layer have become: the incoming weights of each
    /// unit (a column of W1) compared bit for bit.
    public static let hiddenUnits = Probe("hidden units") { network, _ in
        let w1 = network.parameters[0].value
        let units = (0..<w1.columns).map { column in (0..<w1.rows).map { w1[$0, column] } }
        let largestGap = units.map { unit in zip(unit, units[0]).map { Double(abs($0 - $1)) }.max()! }.max()!
        return ["distinct units": Double(Set(units.map { $0.map(\.bitPattern) }).count),
                "largest unit difference": largestGap,
                "largest weight": w1.elements.map { Double(abs($0)) }.max()!]
    }

    /// The test accuracy of averaged softmax outputs over 1, 2, 4, ... random-mask passes, as "mc <T>".
    public static func monteCarlo(passes: [Int]) -> Probe {
        Probe("Monte Carlo dropout, passes " + passes.map(String.init).joined(separator: ",")) { network, dataset in
            guard network.configuration.dropoutRatio != nil else { return [:] }
            let test = dataset.test
            let classes = network.configuration.outputSize
            var average = [Double](repeating: 0, count: test.count * classes)
            var result: [String: Double] = [:]
            var probabilities = [Double](repeating: 0, count: classes)
            var predicted = [Int](repeating: 0, count: test.count)
            for pass in 1...passes.max()! {
                network.forEachChunk(of: test, training: true) { start, scores in
                    for row in 0..<scores.rows {
                        let logits = scores.base + row * classes
                        var largest = -Double.infinity
                        for c in 0..<classes { largest = max(largest, Double(logits[c])) }
                        var total = 0.0
                        for c in 0..<classes {
                            probabilities[c] = exp(Double(logits[c]) - largest)
                            total += probabilities[c]
                        }
                        for c in 0..<classes { average[(start + row) * classes + c] += probabilities[c] / total }
                    }
                }
                guard passes.contains(pass) else { continue }
                average.withUnsafeBufferPointer { scores in
                    predicted.withUnsafeMutableBufferPointer { Double.argmaxRows(scores.baseAddress!, rows: test.count, columns: classes, into: $0.baseAddress!) }
                }
                result["mc \(pass)"] = Double(zip(predicted, test.labels).filter { $0 == $1 }.count) / Double(test.count)
            }
            return result
        }
    }
}
