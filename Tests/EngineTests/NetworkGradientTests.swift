import Engine
import NeuralNet
import NumericCore
import Testing

/// Whole networks: every parameter's backprop gradient against central differences, in Float64,
/// through each backend.
struct NetworkGradientTests {
    static func batch() -> (Matrix<Double>, [Int]) {
        var generator = SeededGenerator(seed: 7)
        let x = Matrix<Double>(rows: 6, columns: 12, elements: (0..<72).map { _ in generator.nextUniform() })
        return (x, [0, 1, 2, 3, 4, 1])
    }

    static func worstError(_ configuration: NetworkConfiguration, on backend: any NeuralBackend<Double>) -> (String, Double) {
        let network = Network<Double>(configuration, seed: 3, backend: backend)
        let (x, labels) = batch()
        network.gradient(x, labels: labels)
        let analytic = network.parameters.map(\.gradient.elements)
        let numerical = GradientCheck.numericalGradients(of: network.parameters) { network.loss(x, labels: labels, training: true) }
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

    @Test(arguments: configurations, Backends.double)
    func backpropagationMatchesNumericalGradients(_ configuration: NetworkConfiguration, _ backend: any NeuralBackend<Double>) {
        let (name, error) = Self.worstError(configuration, on: backend)
        #expect(error < 1e-6, "\(configuration): worst parameter \(name), relative error \(error)")
    }
}
