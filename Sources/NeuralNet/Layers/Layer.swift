import NumericCore

/// One step of a network, with its forward pass and its backward pass side by side.
///
/// A batch is a matrix with one sample per row. The matrices a layer returns are buffers it owns:
/// they stay valid until its next call and must not be modified by the caller. A layer computes
/// through the backend it was made with.
public protocol Layer<Scalar>: AnyObject {
    associatedtype Scalar: MatrixScalar

    /// The layer's output for the batch `x`. `training` switches BatchNorm to batch statistics
    /// and Dropout to random masks.
    func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar>

    /// The gradient of the loss with respect to the last forward's input, given the gradient with
    /// respect to its output. Also fills the gradients of the layer's parameters.
    func backward(_ outputGradient: Matrix<Scalar>) -> Matrix<Scalar>

    /// The learnable arrays, in a fixed order.
    var parameters: [Parameter<Scalar>] { get }
}

extension Layer {
    public var parameters: [Parameter<Scalar>] { [] }
}
