import NumericCore

/// An activation applied element by element whose derivative can be written with its output
/// alone (ReLU, sigmoid, tanh): the forward pass keeps the output, the backward pass multiplies
/// the incoming gradient by the derivative computed from it. Subclasses supply the two kernels.
public class ElementwiseActivation<Scalar: NeuralScalar>: Layer {
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init() {}

    /// `y = f(x)` for `count` elements.
    func apply(count: Int, _ x: UnsafePointer<Scalar>, into y: UnsafeMutablePointer<Scalar>) {
        preconditionFailure("subclasses supply the activation")
    }

    /// `dx = dy · f′(x)`, with `f′` written in terms of the output `y`.
    func derivative(count: Int, output y: UnsafePointer<Scalar>, _ dy: UnsafePointer<Scalar>, into dx: UnsafeMutablePointer<Scalar>) {
        preconditionFailure("subclasses supply the derivative")
    }

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        output.resize(like: x)
        apply(count: x.count, x.base, into: output.base)
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        inputGradient.resize(like: dy)
        derivative(count: dy.count, output: output.base, dy.base, into: inputGradient.base)
        return inputGradient
    }
}
