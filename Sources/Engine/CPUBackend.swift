import Foundation
import NeuralNet
import NumericCore

/// The CPU backend: OpenBLAS for the products and vector operations (one thread per run, see
/// `BLASRuntime`), loops compiled for Float and Double for the rest (`Kernels/`). Each value
/// counts the operations of its own products: make one per computation (a run, a check).
public struct CPUBackend<Scalar: MatrixScalar>: NeuralBackend, @unchecked Sendable {
    public let operations = OperationCount()

    public init() {}

    // MARK: Products

    public func multiply(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>, into c: Matrix<Scalar>, transposeA: Bool, transposeB: Bool,
                         alpha: Scalar, beta: Scalar) {
        let m = transposeA ? a.columns : a.rows, k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows, n = transposeB ? b.rows : b.columns
        precondition(k == kB, "inner dimensions differ: \(k) vs \(kB)")
        if beta == 0 { c.resize(rows: m, columns: n) }
        precondition(c.rows == m && c.columns == n, "product is \(m)x\(n), destination is \(c.rows)x\(c.columns)")
        guard m > 0, n > 0 else { return }
        if k == 0 { Scalar.scale(count: c.count, by: beta, c.base); return }
        Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a.base, lda: a.columns,
                    b: b.base, ldb: b.columns, beta: beta, c: c.base, ldc: c.columns)
        operations.add(2 * Double(m) * Double(n) * Double(k))
    }

    // MARK: Element by element

    public func add(_ x: Matrix<Scalar>, scaledBy alpha: Scalar, to y: Matrix<Scalar>) {
        precondition(x.count == y.count, "shapes differ")
        Scalar.axpy(count: x.count, alpha: alpha, x: x.base, y: y.base)
    }

    public func addRowByRow(_ x: Matrix<Scalar>, scaledBy alpha: Scalar, to y: Matrix<Scalar>) {
        precondition(x.rows == y.rows && x.columns == y.columns, "shapes differ")
        for r in 0..<x.rows { Scalar.axpy(count: x.columns, alpha: alpha, x: x.base + r * x.columns, y: y.base + r * y.columns) }
    }

    public func addToEveryRow(_ v: Matrix<Scalar>, of m: Matrix<Scalar>) {
        precondition(v.count == m.columns, "a row of \(v.count) for rows of \(m.columns)")
        for r in 0..<m.rows { Scalar.axpy(count: m.columns, alpha: 1, x: v.base, y: m.base + r * m.columns) }
    }

    public func addRows(of x: Matrix<Scalar>, toRows rows: [Int], of y: Matrix<Scalar>) {
        precondition(x.rows == rows.count && x.columns == y.columns, "rows of another shape")
        for (j, i) in rows.enumerated() {
            precondition(i >= 0 && i < y.rows, "row \(i) outside 0..<\(y.rows)")
            Scalar.axpy(count: x.columns, alpha: 1, x: x.base + j * x.columns, y: y.base + i * y.columns)
        }
    }

    public func scale(_ x: Matrix<Scalar>, by alpha: Scalar) { Scalar.scale(count: x.count, by: alpha, x.base) }

    public func multiplyElements(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>, into out: Matrix<Scalar>) {
        precondition(x.count == y.count, "shapes differ")
        out.resize(like: x)
        Scalar.multiply(count: x.count, x.base, y.base, into: out.base)
    }

    public func dot(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>) -> Scalar {
        precondition(x.count == y.count, "shapes differ")
        return Scalar.dot(count: x.count, x.base, y.base)
    }

    public func dotByRows(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>) -> Double {
        precondition(x.rows == y.rows && x.columns == y.columns, "shapes differ")
        var sum = 0.0
        for r in 0..<x.rows { sum += Double(Scalar.dot(count: x.columns, x.base + r * x.columns, y.base + r * y.columns)) }
        return sum
    }

    public func fill(_ x: Matrix<Scalar>, with value: Scalar) { Scalar.fill(count: x.count, with: value, x.base) }

    public func isFinite(_ x: Matrix<Scalar>) -> Bool { Scalar.allFinite(count: x.count, x.base) }

    // MARK: Rows and columns

    public func transpose(_ m: Matrix<Scalar>, into t: Matrix<Scalar>) {
        precondition(m !== t, "a transpose in place")
        t.resize(rows: m.columns, columns: m.rows)
        Scalar.transpose(m.base, rows: m.rows, columns: m.columns, into: t.base)
    }

    public func broadcastRow(_ v: Matrix<Scalar>, into m: Matrix<Scalar>) {
        precondition(v.count == m.columns, "a row of \(v.count) for rows of \(m.columns)")
        Scalar.broadcastRow(v.base, into: m.base, rows: m.rows, columns: m.columns)
    }

    public func sumColumns(_ m: Matrix<Scalar>, into sums: Matrix<Scalar>) {
        precondition(sums.count == m.columns, "\(sums.count) sums for \(m.columns) columns")
        Scalar.sumColumns(m.base, rows: m.rows, columns: m.columns, into: sums.base)
    }

    public func argmaxRows(_ m: Matrix<Scalar>, into indices: inout [Int]) {
        if indices.count < m.rows { indices = Array(repeating: 0, count: m.rows) }
        indices.withUnsafeMutableBufferPointer { Scalar.argmaxRows(m.base, rows: m.rows, columns: m.columns, into: $0.baseAddress!) }
    }

    // MARK: Block copies

    public func copy(_ source: Matrix<Scalar>, into target: Matrix<Scalar>) {
        guard source !== target else { return }
        target.resize(like: source)
        memcpy(target.base, source.base, source.count * MemoryLayout<Scalar>.stride)
    }

    public func gatherRows(_ rows: [Int], of source: Matrix<Scalar>, into target: Matrix<Scalar>) {
        target.resize(rows: rows.count, columns: source.columns)
        let size = source.columns * MemoryLayout<Scalar>.stride
        for (j, i) in rows.enumerated() {
            precondition(i >= 0 && i < source.rows, "row \(i) outside 0..<\(source.rows)")
            memcpy(target.base + j * source.columns, source.base + i * source.columns, size)
        }
    }

    // MARK: Layers

    public func relu(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) { Scalar.reluForward(count: x.count, x.base, into: y.base) }
    public func reluBackward(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        Scalar.reluBackward(count: dy.count, output: y.base, dy.base, into: dx.base)
    }
    public func sigmoid(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) { Scalar.sigmoidForward(count: x.count, x.base, into: y.base) }
    public func sigmoidBackward(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        Scalar.sigmoidBackward(count: dy.count, output: y.base, dy.base, into: dx.base)
    }
    public func tanh(_ x: Matrix<Scalar>, into y: Matrix<Scalar>) { Scalar.tanhForward(count: x.count, x.base, into: y.base) }
    public func tanhBackward(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        Scalar.tanhBackward(count: dy.count, output: y.base, dy.base, into: dx.base)
    }

    public func softmaxCrossEntropy(_ scores: Matrix<Scalar>, labels: [Int], probabilities: Matrix<Scalar>) -> Double {
        precondition(labels.count == scores.rows && probabilities.count == scores.count, "labels or probabilities of another shape")
        return labels.withUnsafeBufferPointer {
            Scalar.softmaxCrossEntropy(logits: scores.base, rows: scores.rows, columns: scores.columns, labels: $0.baseAddress!,
                                       probabilities: probabilities.base)
        }
    }

    public func softmaxCrossEntropyBackward(probabilities: Matrix<Scalar>, labels: [Int], into dx: Matrix<Scalar>) {
        precondition(labels.count == probabilities.rows && dx.count == probabilities.count, "labels or gradient of another shape")
        labels.withUnsafeBufferPointer {
            Scalar.softmaxCrossEntropyBackward(probabilities: probabilities.base, rows: probabilities.rows, columns: probabilities.columns,
                                               labels: $0.baseAddress!, into: dx.base)
        }
    }

    public func batchNormTraining(_ x: Matrix<Scalar>, gamma: Matrix<Scalar>, beta: Matrix<Scalar>, epsilon: Scalar, momentum: Scalar,
                                  runningMean: Matrix<Scalar>, runningVariance: Matrix<Scalar>, mean: Matrix<Scalar>,
                                  normalized: Matrix<Scalar>, inverseStd: Matrix<Scalar>, into y: Matrix<Scalar>) {
        Scalar.batchNormTraining(x.base, rows: x.rows, columns: x.columns, gamma: gamma.base, beta: beta.base, epsilon: epsilon,
                                 momentum: momentum, runningMean: runningMean.base, runningVariance: runningVariance.base,
                                 mean: mean.base, normalized: normalized.base, inverseStd: inverseStd.base, into: y.base)
    }

    public func batchNormInference(_ x: Matrix<Scalar>, gamma: Matrix<Scalar>, beta: Matrix<Scalar>, epsilon: Scalar,
                                   runningMean: Matrix<Scalar>, runningVariance: Matrix<Scalar>, scale: Matrix<Scalar>,
                                   into y: Matrix<Scalar>) {
        Scalar.batchNormInference(x.base, rows: x.rows, columns: x.columns, gamma: gamma.base, beta: beta.base, epsilon: epsilon,
                                  runningMean: runningMean.base, runningVariance: runningVariance.base, scale: scale.base, into: y.base)
    }

    public func batchNormBackward(_ dy: Matrix<Scalar>, normalized: Matrix<Scalar>, inverseStd: Matrix<Scalar>, gamma: Matrix<Scalar>,
                                  dGamma: Matrix<Scalar>, dBeta: Matrix<Scalar>, into dx: Matrix<Scalar>) {
        Scalar.batchNormBackward(dy.base, rows: dy.rows, columns: dy.columns, normalized: normalized.base, inverseStd: inverseStd.base,
                                 gamma: gamma.base, dGamma: dGamma.base, dBeta: dBeta.base, into: dx.base)
    }

    public func dropoutMask(ratio: Double, generator: inout SeededGenerator, into mask: Matrix<Scalar>) {
        Scalar.dropoutMask(count: mask.count, ratio: ratio, generator: &generator, into: mask.base)
    }

    // MARK: Optimizers

    public func momentumStep(learningRate: Scalar, momentum: Scalar, gradient: Matrix<Scalar>, velocity: Matrix<Scalar>,
                             parameter: Matrix<Scalar>) {
        Scalar.momentumStep(count: parameter.count, learningRate: learningRate, momentum: momentum, gradient: gradient.base,
                            velocity: velocity.base, parameter: parameter.base)
    }

    public func nesterovStep(learningRate: Scalar, momentum: Scalar, gradient: Matrix<Scalar>, velocity: Matrix<Scalar>,
                             parameter: Matrix<Scalar>) {
        Scalar.nesterovStep(count: parameter.count, learningRate: learningRate, momentum: momentum, gradient: gradient.base,
                            velocity: velocity.base, parameter: parameter.base)
    }

    public func adaGradStep(learningRate: Scalar, epsilon: Scalar, gradient: Matrix<Scalar>, squares: Matrix<Scalar>,
                            parameter: Matrix<Scalar>) {
        Scalar.adaGradStep(count: parameter.count, learningRate: learningRate, epsilon: epsilon, gradient: gradient.base,
                           squares: squares.base, parameter: parameter.base)
    }

    public func rmsPropStep(learningRate: Scalar, decay: Scalar, epsilon: Scalar, gradient: Matrix<Scalar>, squares: Matrix<Scalar>,
                            parameter: Matrix<Scalar>) {
        Scalar.rmsPropStep(count: parameter.count, learningRate: learningRate, decay: decay, epsilon: epsilon, gradient: gradient.base,
                           squares: squares.base, parameter: parameter.base)
    }

    public func adamStep(stepSize: Scalar, beta1: Scalar, beta2: Scalar, epsilon: Scalar, gradient: Matrix<Scalar>,
                         firstMoment: Matrix<Scalar>, secondMoment: Matrix<Scalar>, parameter: Matrix<Scalar>) {
        Scalar.adamStep(count: parameter.count, stepSize: stepSize, beta1: beta1, beta2: beta2, epsilon: epsilon, gradient: gradient.base,
                        firstMoment: firstMoment.base, secondMoment: secondMoment.base, parameter: parameter.base)
    }
}
