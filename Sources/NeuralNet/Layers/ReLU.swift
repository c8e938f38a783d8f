import NumericCore

/// `y = max(x, 0)`; the gradient passes where the output is positive.
public final class ReLU<Scalar: MatrixScalar>: ElementwiseActivation<Scalar> {
    override func apply(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) { backend.relu(x, into: y) }
    override func derivative(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        backend.reluBackward(output: y, dy, into: dx)
    }
}
