import NumericCore

/// `y = x W + b`: a fully connected layer.
///
/// The weights are stored as the course stores them, one row per input and one column per output,
/// or, for a network's first layer, the other way round (`transposed`): one row per unit holding
/// its incoming weights, the layout in which the dual form of SGD writes them (see
/// `DualFirstLayer`, in Engine). The transpose is a flag of the product, never a copy.
public final class Affine<Scalar: MatrixScalar>: Layer {
    public let weight: Parameter<Scalar>
    public let bias: Parameter<Scalar>
    /// Whether `weight` holds Wᵀ (outputs × inputs) rather than W (inputs × outputs).
    public let transposed: Bool
    /// False for a network's first layer, whose input gradient nobody reads: it would be the
    /// largest product of the backward pass (batch x 784 x 100), computed for nothing.
    public var computesInputGradient = true
    private let backend: any NeuralBackend<Scalar>
    private var input: Matrix<Scalar>?
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    /// A layer with the given initial weights (`inputs x outputs`, the course's layout whatever the
    /// storage; kept, not copied, unless transposed) and zero biases.
    public init(weights: Matrix<Scalar>, index: Int = 1, transposed: Bool = false, backend: any NeuralBackend<Scalar>) {
        self.transposed = transposed
        self.backend = backend
        let stored = transposed ? Matrix<Scalar>(rows: 0, columns: 0) : weights
        if transposed { backend.transpose(weights, into: stored) }
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
        // instead of the product zeroing it and a second pass adding the biases.
        output.resize(rows: x.rows, columns: outputs)
        backend.broadcastRow(bias.value, into: output)
        backend.multiply(x, weight.value, into: output, transposeA: false, transposeB: transposed, alpha: 1, beta: 1)
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        // dW = xᵀ dy, db = column sums of dy, dx = dy Wᵀ: transposes are flags, not copies.
        weightBackward(dy)
        biasBackward(dy)
        if computesInputGradient { backend.multiply(dy, weight.value, into: inputGradient, transposeB: !transposed) }
        return inputGradient
    }

    /// The weight gradient alone: `xᵀ dy`, or `dyᵀ x` when stored transposed.
    public func weightBackward(_ dy: Matrix<Scalar>) {
        guard let x = input else { preconditionFailure("Affine.backward before forward") }
        if transposed { backend.multiply(dy, x, into: weight.gradient, transposeA: true) } else { backend.multiply(x, dy, into: weight.gradient, transposeA: true) }
    }

    /// The bias gradient alone (the column sums of `dy`): all a first layer in the dual form of SGD
    /// computes for itself, its weights being the trainer's.
    public func biasBackward(_ dy: Matrix<Scalar>) {
        backend.sumColumns(dy, into: bias.gradient)
    }
}
