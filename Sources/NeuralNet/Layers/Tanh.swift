import NumericCore

/// `y = tanh(x)`; its derivative is `1 - y^2`.
public final class Tanh<Scalar: MatrixScalar>: ElementwiseActivation<Scalar> {
    override func apply(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) { backend.tanh(x, into: y) }
    override func derivative(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        backend.tanhBackward(output: y, dy, into: dx)
    }
}
