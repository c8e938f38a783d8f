import NumericCore

/// `y = 1 / (1 + e^-x)`; its derivative is `y (1 - y)`.
public final class Sigmoid<Scalar: MatrixScalar>: ElementwiseActivation<Scalar> {
    override func apply(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) { backend.sigmoid(x, into: y) }
    override func derivative(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        backend.sigmoidBackward(output: y, dy, into: dx)
    }
}
