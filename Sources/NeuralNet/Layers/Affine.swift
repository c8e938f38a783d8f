import NumericCore

/// `y = x W + b`: a fully connected layer.
///
/// The weights are stored as the course stores them, one row per input and one column per output,
/// or, for a network's first layer, the other way round (`transposed`): one row per unit holding
/// its incoming weights. Stored that way, the first layers of networks that see the same inputs
/// lie one under the other in a single block and compute as one wide product (see
/// `FirstLayerStack`). The transpose is a BLAS flag, never a copy.
public final class Affine<Scalar: NeuralScalar>: Layer {
    public let weight: Parameter<Scalar>
    public let bias: Parameter<Scalar>
    /// Whether `weight` holds Wᵀ (outputs × inputs) rather than W (inputs × outputs).
    public let transposed: Bool
    /// False for a network's first layer, whose input gradient nobody reads: it would be the
    /// largest product of the backward pass (batch x 784 x 100), computed for nothing.
    public var computesInputGradient = true
    private var input: Matrix<Scalar>?
    /// The last forward's output; for a stacked first layer, filled from the stack's wide product.
    public let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// A layer with the given initial weights (`inputs x outputs`, the course's layout whatever the
    /// storage) and zero biases.
    public init(weights: Matrix<Scalar>, index: Int = 1, transposed: Bool = false) {
        self.transposed = transposed
        let stored = transposed ? Matrix<Scalar>(rows: weights.columns, columns: weights.rows) : weights
        if transposed { Scalar.transpose(weights.base, rows: weights.rows, columns: weights.columns, into: stored.base) }
        weight = Parameter(name: "W\(index)", value: stored, isWeight: true)
        bias = Parameter(name: "b\(index)", value: Matrix(rows: 1, columns: weights.columns), isWeight: false)
    }

    public var parameters: [Parameter<Scalar>] { [weight, bias] }

    /// Input features and output units.
    public var inputs: Int { transposed ? weight.value.columns : weight.value.rows }
    public var outputs: Int { bias.value.columns }

    /// The weight from input `i` to unit `j`, whatever the storage.
    public func weight(from i: Int, to j: Int) -> Scalar { transposed ? weight.value[j, i] : weight.value[i, j] }

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        input = x
        // The biases first, then the product added to them (beta = 1): one pass over the output
        // instead of BLAS zeroing it and a second pass adding the biases.
        output.resize(rows: x.rows, columns: outputs)
        Scalar.broadcastRow(bias.value.base, into: output.base, rows: output.rows, columns: output.columns)
        output.assignProduct(x, weight.value, transposeB: transposed, beta: 1)
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        // dW = xᵀ dy, db = column sums of dy, dx = dy Wᵀ: transposes are BLAS flags, not copies.
        weightBackward(dy)
        biasBackward(dy)
        if computesInputGradient { inputGradient.assignProduct(dy, weight.value, transposeB: !transposed) }
        return inputGradient
    }

    /// The weight gradient alone: `xᵀ dy`, or `dyᵀ x` when stored transposed.
    public func weightBackward(_ dy: Matrix<Scalar>) {
        guard let x = input else { preconditionFailure("Affine.backward before forward") }
        if transposed { weight.gradient.assignProduct(dy, x, transposeA: true) } else { weight.gradient.assignProduct(x, dy, transposeA: true) }
    }

    /// The bias gradient alone (the column sums of `dy`): what a stacked first layer computes for
    /// itself, its weight gradient being part of the stack's one wide product.
    public func biasBackward(_ dy: Matrix<Scalar>) {
        Scalar.sumColumns(dy.base, rows: dy.rows, columns: dy.columns, into: bias.gradient.base)
    }
}
