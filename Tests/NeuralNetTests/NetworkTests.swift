import Engine
import NumericCore
import Testing
@testable import NeuralNet

/// The network's structure, its weight decay and its initial weights.
struct NetworkTests {
    static let backend = CPUBackend<Double>()
    static let configuration = NetworkConfiguration(inputSize: 12, hiddenSizes: [8, 7], outputSize: 5, activation: .relu, weightInitialization: .he)

    static func batch() -> (Matrix<Double>, [Int]) {
        var generator = SeededGenerator(seed: 7)
        let x = Matrix<Double>(rows: 6, columns: 12, elements: (0..<72).map { _ in generator.nextUniform() })
        return (x, [0, 1, 2, 3, 4, 1])
    }

    @Test func parameterNamesFollowTheReference() {
        var configuration = Self.configuration
        configuration.batchNormalization = true
        let network = Network<Double>(configuration, seed: 1, backend: Self.backend)
        #expect(network.parameters.map(\.name) == ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"])
    }

    /// The first configuration without weight decay and with `lambda`, from the same weights.
    static func withAndWithoutDecay(_ lambda: Double) -> (plain: Network<Double>, decayed: Network<Double>) {
        var plain = configuration
        plain.weightDecay = 0
        var decayed = plain
        decayed.weightDecay = lambda
        return (Network<Double>(plain, seed: 9, backend: backend), Network<Double>(decayed, seed: 9, backend: backend))
    }

    @Test func weightDecayAddsHalfLambdaTimesSquaredWeights() {
        let (a, b) = Self.withAndWithoutDecay(0.2)
        let (x, labels) = Self.batch()
        let squares = a.parameters.filter(\.isWeight).map { Self.backend.sumOfSquares($0.value) }.reduce(0, +)
        let lossA = a.loss(x, labels: labels), lossB = b.loss(x, labels: labels)
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
        let numerical = GradientCheck.numericalGradients(of: b.parameters) { b.loss(x, labels: labels, training: true) }
        for (p, n) in zip(b.parameters, numerical) { #expect(GradientCheck.relativeError(p.gradient.elements, n) < 1e-6, "\(p.name)") }
    }

    @Test func parameterCountAndWeightNorm() {
        #expect(NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 6)).parameterCount == 130_010)
        #expect(NetworkConfiguration(hiddenSizes: [100, 100], batchNormalization: true).parameterCount == 89_610 + 400)
        var configuration = Self.configuration
        configuration.batchNormalization = true
        let network = Network<Double>(configuration, seed: 2, backend: Self.backend)
        let squares = network.parameters.filter(\.isWeight).map { Self.backend.sumOfSquares($0.value) }.reduce(0, +)
        #expect(abs(network.weightNorm - squares.squareRoot()) < 1e-12)
        #expect(network.parameters.map { $0.value.count }.reduce(0, +) == configuration.parameterCount)
    }

    @Test func initialWeightScalesFollowTheirRules() {
        let widths = [784, 100]
        for (rule, expected) in [(WeightInitialization.xavier, (1.0 / 784).squareRoot()),
                                 (.he, (2.0 / 784).squareRoot()), (.standardDeviation(0.01), 0.01)] {
            let network = Network<Double>(NetworkConfiguration(inputSize: widths[0], hiddenSizes: [], outputSize: widths[1],
                                                              weightInitialization: rule), seed: 4, backend: Self.backend)
            let w = network.parameters[0].value
            let std = (Self.backend.sumOfSquares(w) / Double(w.count)).squareRoot()
            #expect(abs(std / expected - 1) < 0.02, "\(rule): std \(std), expected \(expected)")
        }
    }
}
