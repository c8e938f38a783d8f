import Foundation
import NumericCore

/// The first layers of networks trained by plain SGD on a small training set, in their dual form.
///
/// A step of SGD changes a first layer's weights by `−η Xᵦᵀ dY` (with weight decay λ, after
/// shrinking them by `1 − ηλ`): a sum of training images. So after any number of steps
///
///     W = a W₀ + Xᵀ C,    and every training image's output is    A = X W = a X W₀ + G C,
///
/// with `X` the N training images, `G = X Xᵀ` their N × N inner products, `a` the shrinking so
/// far and `C` (N × units) the coefficients, to which each step adds `−η dY` at its images'
/// rows. A step then needs no product with the 784 input pixels: the batch's outputs are rows of
/// `A`, and the update is `A ← (1 − ηλ) A − η G[:, batch] dY`, a product of N × batch × units
/// instead of the two of batch × 784 × units that the usual form computes. For N under about
/// 1,200 images that is less work; for the course's 300 or 400, a fifth. It is the same SGD, and
/// its numbers agree with the usual form's up to rounding (`LockstepTests`).
///
/// Outputs for other images `Z` come the same way: `Z W = a Z W₀ + (Z Xᵀ) C`, with `Z Xᵀ` computed
/// once for all members and `Z W₀` once per member, or, where a set is measured too seldom to
/// repay that, by writing `W` out first. A member that leaves has `W` written into its layer.
final class DualFirstLayers<Scalar: NeuralScalar>: FirstLayers {
    /// The training images, N × D, and their inner products.
    private let images: Matrix<Scalar>
    private let products: InnerProducts<Scalar>
    /// `X Xᵀ`, N × N.
    private let gram: Matrix<Scalar>
    private var layers: [Affine<Scalar>]
    private var offsets: [Int]
    private var learningRates: [Scalar]
    private var decays: [Scalar]
    /// `a` of each member: how far weight decay has shrunk `W₀`.
    private var shrinking: [Scalar]
    /// `A = X W` (N × units, the members side by side), its start `X W₀`, and the coefficients `C`.
    private let trainingOutputs: Matrix<Scalar>
    private let initialOutputs: Matrix<Scalar>
    private let coefficients: Matrix<Scalar>
    /// `‖W₀‖²` of each member.
    private var initialSquares: [Double]
    /// `G[batch, :]`, and one member's written-out weights.
    private let gramRows = Matrix<Scalar>(rows: 0, columns: 0)
    private let weightsOut = Matrix<Scalar>(rows: 0, columns: 0)
    private let biases = Matrix<Scalar>(rows: 0, columns: 0)
    private let chunk: Matrix<Scalar>
    /// For each held-out set measured through its inner products: `Z Xᵀ`, and `Z W₀` of each member.
    private var heldOut: [MeasuredSet: (products: Matrix<Scalar>, initial: [Matrix<Scalar>])] = [:]
    /// For each held-out set, whether each member is measured on it by writing its weights out.
    private var writesOut: [MeasuredSet: [Bool]]
    private(set) var flops: (training: Double, measuring: Double) = (0, 0)

    /// Whether plain SGD on `trainingCount` images of `inputs` pixels is cheaper in the dual form:
    /// its update (N × batch × units) costs less than three quarters of the usual two products
    /// (2 × batch × inputs × units).
    static func pays(trainingCount: Int, inputs: Int) -> Bool { 2 * trainingCount < 3 * inputs }

    /// The dual form of `layers` (each stored transposed), whose networks learn by SGD at
    /// `learningRates` with weight decay `decays`, on the training images `images`. `evaluations`
    /// says how often each member will be measured on each held-out set and how large the set is,
    /// to choose how to measure it.
    init(_ layers: [Affine<Scalar>], images products: InnerProducts<Scalar>, learningRates: [Scalar], decays: [Scalar],
         evaluations: [MeasuredSet: (images: Int, perMember: [Int])]) {
        precondition(layers.allSatisfy(\.transposed), "the dual form starts from weights stored one row per unit")
        self.layers = layers
        self.products = products
        images = products.images
        self.learningRates = learningRates
        self.decays = decays
        shrinking = layers.map { _ in 1 }
        offsets = layers.reduce(into: [0]) { $0.append($0.last! + $1.outputs) }
        let n = images.rows, d = images.columns, units = offsets.last!
        gram = products.gram
        initialOutputs = Matrix(rows: n, columns: units)
        let block = Matrix<Scalar>(rows: 0, columns: 0)
        for (layer, offset) in zip(layers, offsets) {
            block.assignProduct(images, layer.weight.value, transposeB: true)
            block.place(into: initialOutputs, atColumn: offset)
        }
        trainingOutputs = Matrix(rows: n, columns: units)
        trainingOutputs.copyElements(from: initialOutputs)
        coefficients = Matrix(rows: n, columns: units)
        initialSquares = layers.map { Double($0.weight.value.sumOfSquares) }
        chunk = Matrix(viewing: images)
        flops.training = productFlops(n, units, d)
        // A member is measured on a set through the set's inner products with the training images
        // when that costs it less, alone, than writing its weights out for every measurement (see
        // the type's description). Each member decides as if alone, so that how a network is
        // measured, and so its numbers, never depends on the members beside it.
        writesOut = evaluations.mapValues { plan in
            zip(layers, plan.perMember).map { layer, measured in
                let (m, h, measured) = (Double(plan.images), Double(layer.outputs), Double(measured))
                let dual = m * Double(d) * Double(n) + m * Double(d) * h + measured * m * Double(n) * h
                let written = measured * (Double(d) * Double(n) * h + m * Double(d) * h)
                return written < dual
            }
        }
    }

    var count: Int { layers.count }
    func units(_ members: Range<Int>) -> Int { offsets[members.upperBound] - offsets[members.lowerBound] }
    func layer(_ m: Int) -> Affine<Scalar> { layers[m] }
    func offset(_ m: Int) -> Int { offsets[m] }
    var updatesWeights: Bool { true }
    func setLearningRate(_ rate: Scalar, of m: Int) { learningRates[m] = rate }

    /// The batch's outputs are rows of `A`, plus the biases.
    func forward(batch: Matrix<Scalar>, indices: [Int], into wide: Matrix<Scalar>) {
        let width = trainingOutputs.columns
        wide.resize(rows: indices.count, columns: width)
        copyRows(indices, of: trainingOutputs, into: wide)
        addBiases(0..<count, to: wide, scratch: biases)
    }

    /// `target`'s row j becomes `source`'s row `rows[j]` (whole rows, as wide as `target`).
    private func copyRows<S: Sequence>(_ rows: S, of source: Matrix<Scalar>, from column: Int = 0, into target: Matrix<Scalar>) where S.Element == Int {
        let (to, from, width, stride) = (target.base, source.base + column, target.columns, source.columns)
        let size = width * MemoryLayout<Scalar>.stride
        for (j, i) in rows.enumerated() { memcpy(to + j * width, from + i * stride, size) }
    }

    // BEGIN dual-update
    /// The step: `A ← (1 − ηλ) A − η G[:, batch] dY` and `C ← (1 − ηλ) C`, then `−η dY` added to
    /// the batch's rows of `C`, for every member at once (each block scaled by its own η and λ).
    func learn(batch: Matrix<Scalar>, indices: [Int], wideGradient dY: Matrix<Scalar>) {
        let n = images.rows, width = trainingOutputs.columns
        gramRows.resize(rows: indices.count, columns: n)                        // G[batch, :] = G[:, batch]ᵀ (G is symmetric)
        copyRows(indices, of: gram, into: gramRows)
        for m in 0..<count {
            let h = offsets[m + 1] - offsets[m], rate = learningRates[m], shrink = 1 - rate * decays[m]
            Scalar.scaleBlock(dY.base + offsets[m], rows: dY.rows, columns: h, stride: width, by: -rate)
            if shrink != 1 {                                                    // weight decay: A, C and a shrink
                shrinking[m] *= shrink
                Scalar.scaleBlock(trainingOutputs.base + offsets[m], rows: n, columns: h, stride: width, by: shrink)
                Scalar.scaleBlock(coefficients.base + offsets[m], rows: n, columns: h, stride: width, by: shrink)
            }
        }
        for m in 0..<count {                                                    // A += G[:, batch] (−η dY)
            Scalar.gemm(transposeA: true, transposeB: false, m: n, n: offsets[m + 1] - offsets[m], k: indices.count,
                        alpha: 1, a: gramRows.base, lda: n, b: dY.base + offsets[m], ldb: width,
                        beta: 1, c: trainingOutputs.base + offsets[m], ldc: width)
        }
        flops.training += productFlops(n, width, indices.count)
        let (gradient, coefficients) = (dY.base, self.coefficients.base)
        for (row, i) in indices.enumerated() {                                  // C[batch] += −η dY
            Scalar.axpy(count: width, alpha: 1, x: gradient + row * width, y: coefficients + i * width)
        }
    }
    // END dual-update

    /// `‖W‖² = a²‖W₀‖² + a ⟨X W₀, C⟩ + ⟨C, A⟩`, from the N × units blocks alone.
    func squaredNorm(of m: Int) -> Double? {
        let width = trainingOutputs.columns, a = Double(shrinking[m])
        var initialTerm = 0.0, outputTerm = 0.0
        let (initial, coefficients, outputs) = (initialOutputs.base + offsets[m], self.coefficients.base + offsets[m], trainingOutputs.base + offsets[m])
        let count = offsets[m + 1] - offsets[m]
        for r in 0..<images.rows {
            initialTerm += Double(Scalar.dot(count: count, initial + r * width, coefficients + r * width))
            outputTerm += Double(Scalar.dot(count: count, coefficients + r * width, outputs + r * width))
        }
        return a * a * initialSquares[m] + a * initialTerm + outputTerm
    }

    func outputs(of set: MeasuredSet, _ data: LabeledSamples<Scalar>, rows: Range<Int>, members: Range<Int>, into wide: Matrix<Scalar>) {
        let start = offsets[members.lowerBound], width = units(members)
        wide.resize(rows: rows.count, columns: width)
        if set == .training {
            copyRows(rows, of: trainingOutputs, from: start, into: wide)           // the training images' outputs are A itself
        } else {
            let written = members.filter { writesOut[set]?[$0] ?? true }
            if !written.isEmpty {
                chunk.show(rows: rows.count, of: data.samples, from: rows.lowerBound)
                for m in written {
                    writeWeights(m, into: weightsOut)
                    Scalar.gemm(transposeA: false, transposeB: true, m: rows.count, n: layers[m].outputs, k: images.columns,
                                alpha: 1, a: chunk.base, lda: chunk.columns, b: weightsOut.base, ldb: images.columns,
                                beta: 0, c: wide.base + offsets[m] - start, ldc: width)
                    flops.measuring += productFlops(layers[m].outputs, images.columns, images.rows)
                        + productFlops(rows.count, layers[m].outputs, images.columns)
                }
            }
            let dual = members.filter { !(writesOut[set]?[$0] ?? true) }
            if !dual.isEmpty {
                let measured = heldOutProducts(set, data)
                chunk.show(rows: rows.count, of: measured.products, from: rows.lowerBound)
                for m in dual {                                                              // (Z Xᵀ) C + a Z W₀
                    let (h, column) = (layers[m].outputs, wide.base + offsets[m] - start)
                    Scalar.gemm(transposeA: false, transposeB: false, m: rows.count, n: h, k: images.rows,
                                alpha: 1, a: chunk.base, lda: chunk.columns, b: coefficients.base + offsets[m], ldb: coefficients.columns,
                                beta: 0, c: column, ldc: width)
                    flops.measuring += productFlops(rows.count, h, images.rows)
                    let (initial, a) = (measured.initial[m].base, shrinking[m])
                    for (row, i) in rows.enumerated() { Scalar.axpy(count: h, alpha: a, x: initial + i * h, y: column + row * width) }
                }
            }
        }
        addBiases(members, to: wide, scratch: biases)
    }

    /// `Z Xᵀ` for held-out set `set` and `Z W₀` of every member, computed the first time they are asked for.
    private func heldOutProducts(_ set: MeasuredSet, _ data: LabeledSamples<Scalar>) -> (products: Matrix<Scalar>, initial: [Matrix<Scalar>]) {
        if let known = heldOut[set] { return known }
        let products = self.products.products(with: data.samples)
        let initial = layers.map { layer -> Matrix<Scalar> in
            let z = Matrix<Scalar>(rows: 0, columns: 0)
            z.assignProduct(data.samples, layer.weight.value, transposeB: true)
            return z
        }
        heldOut[set] = (products, initial)
        flops.measuring += productFlops(data.count, units(0..<count), images.columns)
        return (products, initial)
    }

    /// `W = a W₀ + Cᵀ X` (one row per unit) of member `m`.
    private func writeWeights(_ m: Int, into out: Matrix<Scalar>) {
        let h = layers[m].outputs, w0 = layers[m].weight.value
        out.resize(rows: h, columns: images.columns)
        Scalar.gemm(transposeA: true, transposeB: false, m: h, n: images.columns, k: images.rows,
                    alpha: 1, a: coefficients.base + offsets[m], lda: coefficients.columns, b: images.base, ldb: images.columns,
                    beta: 0, c: out.base, ldc: images.columns)
        Scalar.axpy(count: w0.count, alpha: shrinking[m], x: w0.base, y: out.base)
    }

    /// Member `m` leaves: its layer's weights become `W`, and its blocks go.
    func remove(_ m: Int) {
        release(m)
        let h = layers[m].outputs, start = offsets[m]
        for matrix in [trainingOutputs, initialOutputs, coefficients] { matrix.removeColumns(h, at: start) }
        for set in heldOut.keys { heldOut[set]!.initial.remove(at: m) }
        for set in writesOut.keys { writesOut[set]!.remove(at: m) }
        layers.remove(at: m); learningRates.remove(at: m); decays.remove(at: m); shrinking.remove(at: m); initialSquares.remove(at: m)
        offsets.remove(at: m)
        for i in m..<offsets.count { offsets[i] -= h }
    }

    func releaseAll() { for m in layers.indices { release(m) } }

    /// Writes `W` of member `m` into its layer (its `W₀` until now).
    private func release(_ m: Int) {
        writeWeights(m, into: weightsOut)
        flops.training += productFlops(layers[m].outputs, images.columns, images.rows)
        layers[m].weight.value.copyElements(from: weightsOut)
        shrinking[m] = 1
        Scalar.scaleBlock(coefficients.base + offsets[m], rows: images.rows, columns: layers[m].outputs, stride: coefficients.columns, by: 0)
    }
}
