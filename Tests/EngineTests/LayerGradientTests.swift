import Engine
import NeuralNet
import NumericCore
import Testing

/// The backends every gradient check of the model runs through: each is a value the layers and
/// networks are made with, and a new backend joins the suite by joining this list.
enum Backends {
    static let double: [any NeuralBackend<Double>] = [CPUBackend<Double>()]
}

/// Backprop against central differences, in Float64, layer by layer, through each backend.
///
/// Each check uses the scalar loss `L = Σ y ⊙ R` for a fixed random `R`, whose gradient with respect
/// to the output is `R` itself; arrays are compared with `GradientCheck.relativeError`.
struct LayerGradientTests {
    static let tolerance = 1e-6

    static func random(_ rows: Int, _ columns: Int, seed: UInt64, scale: Double = 1) -> Matrix<Double> {
        var generator = SeededGenerator(seed: seed)
        let m = Matrix<Double>(rows: rows, columns: columns)
        generator.fillNormal(m, standardDeviation: scale)
        return m
    }

    /// Checks the input gradient and every parameter gradient of `layer` on a batch.
    /// `beforeForward` runs before each forward pass (Dropout uses it to replay its mask).
    static func check<L: Layer>(_ layer: L, on backend: any NeuralBackend<Double>, rows: Int = 6, columns: Int = 5,
                                beforeForward: () -> Void = {}) -> [String: Double] where L.Scalar == Double {
        let x = random(rows, columns, seed: 11)
        beforeForward()
        let shape = layer.forward(x, training: true)
        let r = random(shape.rows, shape.columns, seed: 12)
        func loss() -> Double {
            beforeForward()
            let y = layer.forward(x, training: true)
            return backend.dot(y, r)
        }
        _ = loss()
        let dx = layer.backward(r).elements
        var errors: [String: Double] = [:]
        let inputParameter = Parameter(name: "x", value: x, isWeight: false)
        let numericalDx = GradientCheck.numericalGradients(of: [inputParameter], loss: loss)[0]
        errors["x"] = GradientCheck.relativeError(dx, numericalDx)
        let analytic = layer.parameters.map(\.gradient.elements)
        let numerical = GradientCheck.numericalGradients(of: layer.parameters, loss: loss)
        for (p, (a, n)) in zip(layer.parameters, zip(analytic, numerical)) { errors[p.name] = GradientCheck.relativeError(a, n) }
        return errors
    }

    @Test(arguments: Backends.double)
    func affine(_ backend: any NeuralBackend<Double>) {
        for transposed in [false, true] {
            let errors = Self.check(Affine(weights: Self.random(5, 4, seed: 3), transposed: transposed, backend: backend), on: backend)
            #expect(errors.keys.sorted() == ["W1", "b1", "x"])
            for (name, error) in errors { #expect(error < Self.tolerance, "\(name) (transposed: \(transposed)): \(error)") }
        }
    }

    @Test(arguments: Backends.double)
    func activations(_ backend: any NeuralBackend<Double>) {
        let layers: [(String, any Layer<Double>)] = [("ReLU", ReLU(backend: backend)), ("sigmoid", Sigmoid(backend: backend)),
                                                     ("tanh", Tanh(backend: backend))]
        for (activation, layer) in layers {
            for (name, error) in Self.check(layer, on: backend) { #expect(error < Self.tolerance, "\(activation) \(name): \(error)") }
        }
    }

    @Test(arguments: Backends.double)
    func batchNorm(_ backend: any NeuralBackend<Double>) {
        let layer = BatchNorm<Double>(features: 5, backend: backend)
        // Non-trivial scale and shift, so that their gradients are exercised away from 1 and 0.
        for c in 0..<5 { layer.gamma.value[0, c] = 0.5 + Double(c) * 0.3; layer.beta.value[0, c] = Double(c) - 2 }
        let errors = Self.check(layer, on: backend, rows: 8)
        #expect(errors.keys.sorted() == ["beta1", "gamma1", "x"])
        for (name, error) in errors { #expect(error < Self.tolerance, "\(name): \(error)") }
    }

    @Test(arguments: Backends.double)
    func dropoutWithAReplayedMask(_ backend: any NeuralBackend<Double>) {
        let layer = Dropout<Double>(ratio: 0.4, generator: SeededGenerator(seed: 5), backend: backend)
        for (name, error) in Self.check(layer, on: backend, beforeForward: { layer.reseed(SeededGenerator(seed: 5)) }) {
            #expect(error < Self.tolerance, "\(name): \(error)")
        }
    }

    @Test(arguments: Backends.double)
    func softmaxCrossEntropy(_ backend: any NeuralBackend<Double>) {
        let scores = Self.random(7, 10, seed: 21, scale: 3)
        let labels = [3, 0, 9, 9, 1, 5, 2]
        let layer = SoftmaxCrossEntropy<Double>(backend: backend)
        let loss = { layer.forward(scores, labels: labels) }
        _ = loss()
        let analytic = layer.backward().elements
        let numerical = GradientCheck.numericalGradients(of: [Parameter(name: "scores", value: scores, isWeight: false)], loss: loss)[0]
        #expect(GradientCheck.relativeError(analytic, numerical) < Self.tolerance)
    }

    @Test func softmaxCrossEntropyIsStableForHugeScores() {
        let scores = Matrix<Float>([[1000, 0, -1000], [-5000, 5000, 0]])
        let loss = SoftmaxCrossEntropy<Float>(backend: CPUBackend()).forward(scores, labels: [0, 2])
        // Row 1 is certain and right (loss 0); row 2 is certain and wrong by 5000 (loss 5000).
        #expect(abs(loss - 2500) < 1e-3)
    }

    /// The loss layer keeps its own copy of the labels: the caller's array may change before backward.
    @Test func theLossLayerKeepsItsOwnLabels() {
        let backend = CPUBackend<Double>(), layer = SoftmaxCrossEntropy<Double>(backend: backend)
        var labels = [0, 1]
        let scores = Matrix<Double>([[2, 0], [0, 2]])
        _ = layer.forward(scores, labels: labels)
        let before = layer.backward().elements
        labels[0] = 1
        #expect(layer.backward().elements == before)
        _ = layer.forward(scores, labels: labels)
        #expect(layer.backward().elements != before)
    }
}
