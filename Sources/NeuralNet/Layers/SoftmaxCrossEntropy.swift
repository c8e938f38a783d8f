import NumericCore

/// Softmax followed by the cross-entropy loss against integer labels, averaged over the batch.
///
/// Computed as `log(sum(exp(x - max))) + max - x[label]`, which never overflows and never takes the
/// log of zero. Its gradient with respect to the scores is `(softmax(x) - onehot(label)) / batch`.
public final class SoftmaxCrossEntropy<Scalar: NeuralScalar> {
    public let probabilities = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var labels: UnsafePointer<Int>?

    public init() {}

    /// The mean loss of the batch. `labels` must stay valid until `backward()`.
    public func forward(_ scores: Matrix<Scalar>, labels: UnsafePointer<Int>) -> Double {
        self.labels = labels
        probabilities.resize(like: scores)
        let total = Scalar.softmaxCrossEntropy(logits: scores.base, rows: scores.rows, columns: scores.columns,
                                               labels: labels, probabilities: probabilities.base)
        return total / Double(max(scores.rows, 1))
    }

    /// The gradient of the mean loss with respect to the scores of the last forward.
    public func backward() -> Matrix<Scalar> {
        guard let labels else { preconditionFailure("SoftmaxCrossEntropy.backward before forward") }
        inputGradient.resize(like: probabilities)
        Scalar.softmaxCrossEntropyBackward(probabilities: probabilities.base, rows: probabilities.rows,
                                           columns: probabilities.columns, labels: labels, into: inputGradient.base)
        return inputGradient
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func softmaxCrossEntropy(logits: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
                                           probabilities: UnsafeMutablePointer<Self>) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let x = logits + r * columns
            let p = probabilities + r * columns
            var largest = x[0]
            for c in 1..<columns where x[c] > largest { largest = x[c] }
            var sum: Self = 0
            for c in 0..<columns {
                p[c] = Self.exp(x[c] - largest)
                sum += p[c]
            }
            let inverse = 1 / sum
            for c in 0..<columns { p[c] *= inverse }
            total += Double(Self.log(sum) + largest - x[labels[r]])
        }
        return total
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func softmaxCrossEntropyBackward(probabilities: UnsafePointer<Self>, rows: Int, columns: Int,
                                                   labels: UnsafePointer<Int>, into dx: UnsafeMutablePointer<Self>) {
        let scale = 1 / Self(rows)
        for r in 0..<rows {
            for c in 0..<columns { dx[r * columns + c] = probabilities[r * columns + c] * scale }
            dx[r * columns + labels[r]] -= scale
        }
    }
}
