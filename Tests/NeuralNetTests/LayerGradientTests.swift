import NumericCore
import Testing
@testable import NeuralNet

/// Backprop against central differences, in Float64, layer by layer.
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
    static func check<L: Layer>(_ layer: L, rows: Int = 6, columns: Int = 5, beforeForward: () -> Void = {}) -> [String: Double]
    where L.Scalar == Double {
        let x = random(rows, columns, seed: 11)
        beforeForward()
        let shape = layer.forward(x, training: true)
        let r = random(shape.rows, shape.columns, seed: 12)
        func loss() -> Double {
            beforeForward()
            let y = layer.forward(x, training: true)
            return Double.dot(count: y.count, y.base, r.base)
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

    @Test func affine() {
        let errors = Self.check(Affine(weights: Self.random(5, 4, seed: 3)))
        #expect(errors.keys.sorted() == ["W1", "b1", "x"])
        for (name, error) in errors { #expect(error < Self.tolerance, "\(name): \(error)") }
    }

    @Test func relu() {
        for (name, error) in Self.check(ReLU<Double>()) { #expect(error < Self.tolerance, "\(name): \(error)") }
    }

    @Test func sigmoid() {
        for (name, error) in Self.check(Sigmoid<Double>()) { #expect(error < Self.tolerance, "\(name): \(error)") }
    }

    @Test func tanh() {
        for (name, error) in Self.check(Tanh<Double>()) { #expect(error < Self.tolerance, "\(name): \(error)") }
    }

    @Test func batchNorm() {
        let layer = BatchNorm<Double>(features: 5)
        // Non-trivial scale and shift, so that their gradients are exercised away from 1 and 0.
        for c in 0..<5 { layer.gamma.value[0, c] = 0.5 + Double(c) * 0.3; layer.beta.value[0, c] = Double(c) - 2 }
        let errors = Self.check(layer, rows: 8)
        #expect(errors.keys.sorted() == ["beta1", "gamma1", "x"])
        for (name, error) in errors { #expect(error < Self.tolerance, "\(name): \(error)") }
    }

    @Test func dropoutWithAReplayedMask() {
        let layer = Dropout<Double>(ratio: 0.4, generator: SeededGenerator(seed: 5))
        for (name, error) in Self.check(layer, beforeForward: { layer.reseed(SeededGenerator(seed: 5)) }) {
            #expect(error < Self.tolerance, "\(name): \(error)")
        }
    }

    @Test func softmaxCrossEntropy() {
        let scores = Self.random(7, 10, seed: 21, scale: 3)
        let labels = [3, 0, 9, 9, 1, 5, 2]
        let layer = SoftmaxCrossEntropy<Double>()
        let loss = { labels.withUnsafeBufferPointer { layer.forward(scores, labels: $0.baseAddress!) } }
        _ = loss()
        let analytic = labels.withUnsafeBufferPointer { pointer -> [Double] in
            _ = layer.forward(scores, labels: pointer.baseAddress!)
            return layer.backward().elements
        }
        let numerical = GradientCheck.numericalGradients(of: [Parameter(name: "scores", value: scores, isWeight: false)], loss: loss)[0]
        #expect(GradientCheck.relativeError(analytic, numerical) < Self.tolerance)
    }

    @Test func softmaxCrossEntropyIsStableForHugeScores() {
        let scores = Matrix<Float>([[1000, 0, -1000], [-5000, 5000, 0]])
        let labels = [0, 2]
        let loss = labels.withUnsafeBufferPointer { SoftmaxCrossEntropy<Float>().forward(scores, labels: $0.baseAddress!) }
        // Row 1 is certain and right (loss 0); row 2 is certain and wrong by 5000 (loss 5000).
        #expect(abs(loss - 2500) < 1e-3)
    }
}
