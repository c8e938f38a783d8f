import NumericCore

/// Dropout as the reference implements it: in training each unit is kept with probability
/// `1 - ratio` (a fresh random mask per batch); in inference every unit is kept and the output is
/// scaled by `1 - ratio`, so that its expected size matches training.
public final class Dropout<Scalar: MatrixScalar>: Layer {
    public let ratio: Double
    private let backend: any NeuralBackend<Scalar>
    private var generator: SeededGenerator
    private let mask = Matrix<Scalar>(rows: 0, columns: 0)
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init(ratio: Double, generator: SeededGenerator, backend: any NeuralBackend<Scalar>) {
        precondition(ratio >= 0 && ratio < 1, "dropout ratio must be in [0, 1)")
        self.ratio = ratio
        self.generator = generator
        self.backend = backend
    }

    /// Restarts the random masks from `generator` (gradient checks replay the same mask).
    public func reseed(_ generator: SeededGenerator) { self.generator = generator }

    // BEGIN dropout
    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        if training {
            // A fresh mask per batch: 1 keeps a unit (probability 1 − ratio), 0 drops it.
            mask.resize(like: x)
            backend.dropoutMask(ratio: ratio, generator: &generator, into: mask)
            backend.multiplyElements(x, mask, into: output)                 // y = x ⊙ m
        } else {
            // Every unit, scaled by the share that training kept: y = (1 − ratio) x.
            backend.copy(x, into: output)
            backend.add(x, scaledBy: Scalar(-ratio), to: output)
        }
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        backend.multiplyElements(dy, mask, into: inputGradient)           // ∂L/∂x = ∂L/∂y ⊙ m
        return inputGradient
    }
    // END dropout
}
