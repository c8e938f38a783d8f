import NumericCore

/// An activation applied element by element whose derivative can be written with its output
/// alone (ReLU, sigmoid, tanh): the forward pass keeps the output, the backward pass multiplies
/// the incoming gradient by the derivative computed from it. Subclasses name the backend's two passes.
public class ElementwiseActivation<Scalar: MatrixScalar>: Layer {
    let backend: any NeuralBackend<Scalar>
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init(backend: any NeuralBackend<Scalar>) { self.backend = backend }

    /// `y = f(x)`.
    func apply(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) {
        preconditionFailure("subclasses supply the activation")
    }

    /// `dx = dy · f′(x)`, with `f′` written in terms of the output `y`.
    func derivative(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        preconditionFailure("subclasses supply the derivative")
    }

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        output.resize(like: x)
        apply(x, into: output)
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        inputGradient.resize(like: dy)
        derivative(output: output, dy, into: inputGradient)
        return inputGradient
    }
}
