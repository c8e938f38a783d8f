import NumericCore
import Testing
@testable import NeuralNet

/// Whole networks: every parameter's backprop gradient against central differences, in Float64.
struct NetworkGradientTests {
    static func batch() -> (Matrix<Double>, [Int]) {
        var generator = SeededGenerator(seed: 7)
        let x = Matrix<Double>(rows: 6, columns: 12)
        for i in 0..<x.count { x.base[i] = generator.nextUniform() }
        return (x, [0, 1, 2, 3, 4, 1])
    }

    static func worstError(_ configuration: NetworkConfiguration) -> (String, Double) {
        let network = Network<Double>(configuration, seed: 3)
        let (x, labels) = batch()
        network.gradient(x, labels: labels)
        let analytic = network.parameters.map(\.gradient.elements)
        let numerical = GradientCheck.numericalGradients(of: network.parameters) {
            labels.withUnsafeBufferPointer { network.loss(x, labels: $0.baseAddress!, training: true) }
        }
        var worst = ("", 0.0)
        for (p, (a, n)) in zip(network.parameters, zip(analytic, numerical)) {
            // A bias just before BatchNorm shifts every sample of a column alike, and the
            // normalisation subtracts that shift again: its true gradient is exactly zero. Both
            // sides must say so; a ratio of two rounding noises would say nothing.
            if configuration.batchNormalization, p.name.first == "b", p.name.dropFirst().allSatisfy(\.isNumber), p.name != "b\(configuration.hiddenSizes.count + 1)" {
                let largest = max(a.map(abs).max()!, n.map(abs).max()!)
                if largest > 1e-9 { worst = (p.name + " (must be zero)", largest) }
                continue
            }
            let error = GradientCheck.relativeError(a, n)
            if error > worst.1 { worst = (p.name, error) }
        }
        return worst
    }

    static let configurations: [NetworkConfiguration] = [
        NetworkConfiguration(inputSize: 12, hiddenSizes: [8, 7], outputSize: 5, activation: .relu, weightInitialization: .he),
        NetworkConfiguration(inputSize: 12, hiddenSizes: [8, 7], outputSize: 5, activation: .sigmoid,
                             weightInitialization: .xavier, weightDecay: 0.1),
        NetworkConfiguration(inputSize: 12, hiddenSizes: [8, 7, 6], outputSize: 5, activation: .tanh,
                             weightInitialization: .standardDeviation(0.5), weightDecay: 0.03),
        NetworkConfiguration(inputSize: 12, hiddenSizes: [8, 7], outputSize: 5, activation: .relu,
                             weightInitialization: .he, batchNormalization: true),
        NetworkConfiguration(inputSize: 12, hiddenSizes: [8, 7], outputSize: 5, activation: .relu,
                             weightInitialization: .he, weightDecay: 0.1, batchNormalization: true),
    ]

    @Test(arguments: configurations)
    func backpropagationMatchesNumericalGradients(_ configuration: NetworkConfiguration) {
        let (name, error) = Self.worstError(configuration)
        #expect(error < 1e-6, "\(configuration): worst parameter \(name), relative error \(error)")
    }

    @Test func parameterNamesFollowTheReference() {
        let network = Network<Double>(Self.configurations[4], seed: 1)
        #expect(network.parameters.map(\.name) == ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"])
    }

    /// The first configuration without weight decay and with `lambda`, from the same weights.
    static func withAndWithoutDecay(_ lambda: Double) -> (plain: Network<Double>, decayed: Network<Double>) {
        var plain = configurations[0]
        plain.weightDecay = 0
        var decayed = plain
        decayed.weightDecay = lambda
        return (Network<Double>(plain, seed: 9), Network<Double>(decayed, seed: 9))
    }

    @Test func weightDecayAddsHalfLambdaTimesSquaredWeights() {
        let (a, b) = Self.withAndWithoutDecay(0.2)
        let (x, labels) = Self.batch()
        let squares = a.parameters.filter(\.isWeight).map { $0.value.sumOfSquares }.reduce(0, +)
        let lossA = labels.withUnsafeBufferPointer { a.loss(x, labels: $0.baseAddress!) }
        let lossB = labels.withUnsafeBufferPointer { b.loss(x, labels: $0.baseAddress!) }
        #expect(abs(lossB - lossA - 0.1 * squares) < 1e-12)
    }

    @Test func weightDecayIsInBothTheLossAndTheGradient() {
        let (a, b) = Self.withAndWithoutDecay(0.3)
        let (x, labels) = Self.batch()
        a.gradient(x, labels: labels)
        b.gradient(x, labels: labels)
        for (p, q) in zip(a.parameters, b.parameters) {
            // The gradients differ by exactly λ W for weights, and not at all for biases.
            let expected = p.isWeight ? p.value.elements.map { 0.3 * $0 } : p.value.elements.map { _ in 0 }
            #expect(zip(zip(q.gradient.elements, p.gradient.elements).map { $0 - $1 }, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(p.name)")
        }
        // And the penalised gradient is the derivative of the penalised loss.
        let numerical = GradientCheck.numericalGradients(of: b.parameters) {
            labels.withUnsafeBufferPointer { b.loss(x, labels: $0.baseAddress!, training: true) }
        }
        for (p, n) in zip(b.parameters, numerical) { #expect(GradientCheck.relativeError(p.gradient.elements, n) < 1e-6, "\(p.name)") }
    }

    @Test func parameterCountAndWeightNorm() {
        #expect(NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 6)).parameterCount == 130_010)
        #expect(NetworkConfiguration(hiddenSizes: [100, 100], batchNormalization: true).parameterCount == 89_610 + 400)
        let network = Network<Double>(Self.configurations[3], seed: 2)
        let squares = network.parameters.filter(\.isWeight).map { $0.value.sumOfSquares }.reduce(0, +)
        #expect(abs(network.weightNorm - squares.squareRoot()) < 1e-12)
        #expect(network.parameters.map { $0.value.count }.reduce(0, +) == Self.configurations[3].parameterCount)
    }

    @Test func initialWeightScalesFollowTheirRules() {
        let widths = [784, 100]
        for (rule, expected) in [(WeightInitialization.xavier, (1.0 / 784).squareRoot()),
                                 (.he, (2.0 / 784).squareRoot()), (.standardDeviation(0.01), 0.01)] {
            let network = Network<Double>(NetworkConfiguration(inputSize: widths[0], hiddenSizes: [], outputSize: widths[1],
                                                              weightInitialization: rule), seed: 4)
            let w = network.parameters[0].value
            let std = (w.sumOfSquares / Double(w.count)).squareRoot()
            #expect(abs(std / expected - 1) < 0.02, "\(rule): std \(std), expected \(expected)")
        }
    }
}
