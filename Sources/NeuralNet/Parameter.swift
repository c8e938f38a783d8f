import NumericCore

/// A learnable array of a network (a weight matrix, a bias, BatchNorm's scale or shift) with the
/// gradient of the loss with respect to it.
public final class Parameter<Scalar: MatrixScalar> {
    /// "W1", "b1", "gamma1", ...: the names of the reference's `params` dictionary.
    public let name: String
    public let value: Matrix<Scalar>
    public let gradient: Matrix<Scalar>
    /// Whether weight decay applies (weight matrices only; not biases or BatchNorm's scale and shift).
    public let isWeight: Bool

    public init(name: String, value: Matrix<Scalar>, isWeight: Bool) {
        self.name = name
        self.value = value
        self.gradient = Matrix(rows: value.rows, columns: value.columns)
        self.isWeight = isWeight
    }
}
