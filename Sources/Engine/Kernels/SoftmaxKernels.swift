import NumericCore

// Softmax with cross-entropy on the CPU: `log(Σ exp(x − max)) + max − x[label]` per row, which
// never overflows and never takes the log of zero; its gradient is `(softmax(x) − onehot) / rows`.

extension MatrixScalar {
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func softmaxCrossEntropy(logits: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
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

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func softmaxCrossEntropyBackward(probabilities: UnsafePointer<Self>, rows: Int, columns: Int,
                                            labels: UnsafePointer<Int>, into dx: UnsafeMutablePointer<Self>) {
        let scale = 1 / Self(rows)
        for r in 0..<rows {
            for c in 0..<columns { dx[r * columns + c] = probabilities[r * columns + c] * scale }
            dx[r * columns + labels[r]] -= scale
        }
    }
}
