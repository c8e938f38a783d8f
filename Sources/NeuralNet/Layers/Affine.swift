import NumericCore

/// `y = x W + b`: a fully connected layer.
public final class Affine<Scalar: NeuralScalar>: Layer {
    public let weight: Parameter<Scalar>
    public let bias: Parameter<Scalar>
    /// False for a network's first layer, whose input gradient nobody reads: it would be the
    /// largest product of the backward pass (batch x 784 x 100), computed for nothing.
    public var computesInputGradient = true
    private var input: Matrix<Scalar>?
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// A layer with the given initial weights (`inputs x outputs`) and zero biases.
    public init(weights: Matrix<Scalar>, index: Int = 1) {
        weight = Parameter(name: "W\(index)", value: weights, isWeight: true)
        bias = Parameter(name: "b\(index)", value: Matrix(rows: 1, columns: weights.columns), isWeight: false)
    }

    public var parameters: [Parameter<Scalar>] { [weight, bias] }

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        input = x
        output.assignProduct(x, weight.value)
        Scalar.addRowVector(bias.value.base, to: output.base, rows: output.rows, columns: output.columns)
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        guard let x = input else { preconditionFailure("Affine.backward before forward") }
        // dW = x^T dy, db = column sums of dy, dx = dy W^T: transposes are BLAS flags, not copies.
        weight.gradient.assignProduct(x, dy, transposeA: true)
        Scalar.sumColumns(dy.base, rows: dy.rows, columns: dy.columns, into: bias.gradient.base)
        if computesInputGradient { inputGradient.assignProduct(dy, weight.value, transposeB: true) }
        return inputGradient
    }
}
