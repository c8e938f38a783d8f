import NumericCore

/// Softmax followed by the cross-entropy loss against integer labels, averaged over the batch.
///
/// Computed as `log(sum(exp(x - max))) + max - x[label]`, which never overflows and never takes the
/// log of zero. Its gradient with respect to the scores is `(softmax(x) - onehot(label)) / batch`.
/// The layer keeps its own copy of the batch's labels for the backward pass.
public final class SoftmaxCrossEntropy<Scalar: MatrixScalar> {
    public let probabilities = Matrix<Scalar>(rows: 0, columns: 0)
    private let backend: any NeuralBackend<Scalar>
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)
    /// The labels of the last forward, copied: its capacity kept, so a step allocates nothing.
    private var labels: [Int] = []

    public init(backend: any NeuralBackend<Scalar>) { self.backend = backend }

    /// The mean loss of the batch `scores`, whose rows' classes are `labels` (one each).
    public func forward(_ scores: Matrix<Scalar>, labels: [Int]) -> Double {
        precondition(labels.count == scores.rows, "\(labels.count) labels for \(scores.rows) rows")
        self.labels.removeAll(keepingCapacity: true)
        self.labels.append(contentsOf: labels)
        probabilities.resize(like: scores)
        let total = backend.softmaxCrossEntropy(scores, labels: self.labels, probabilities: probabilities)
        return total / Double(max(scores.rows, 1))
    }

    /// The gradient of the mean loss with respect to the scores of the last forward.
    public func backward() -> Matrix<Scalar> {
        precondition(labels.count == probabilities.rows, "SoftmaxCrossEntropy.backward before forward")
        inputGradient.resize(like: probabilities)
        backend.softmaxCrossEntropyBackward(probabilities: probabilities, labels: labels, into: inputGradient)
        return inputGradient
    }
}
