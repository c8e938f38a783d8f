import Foundation
import NeuralNet
import NumericCore

/// The first layer of a network trained by plain SGD on a small training set, in its dual form.
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
/// its numbers agree with the usual form's up to rounding (`DualFormTests`).
///
/// Outputs for other images `Z` come the same way: `Z W = a Z W₀ + (Z Xᵀ) C`, with `Z Xᵀ` shared by
/// every run on the same images and `Z W₀` computed once, or, where a set is measured too seldom to
/// repay that, by writing `W` out first. When training ends, `W` is written into the layer.
final class DualFirstLayer<Scalar: MatrixScalar> {
    private let backend: any NeuralBackend<Scalar>
    private let layer: Affine<Scalar>
    /// The training images, N × D, their inner products `X Xᵀ` (N × N), and their products with other sets.
    private let images: Matrix<Scalar>
    private let gram: Matrix<Scalar>
    private let products: InnerProducts<Scalar>
    /// η of the next step, and λ.
    var learningRate: Scalar
    private let decay: Scalar
    /// `a`: how far weight decay has shrunk `W₀`.
    private var shrinking: Scalar = 1
    /// `A = X W` (N × units), its start `X W₀`, and the coefficients `C`.
    private let trainingOutputs = Matrix<Scalar>(rows: 0, columns: 0)
    private let initialOutputs = Matrix<Scalar>(rows: 0, columns: 0)
    private let coefficients: Matrix<Scalar>
    /// `‖W₀‖²`.
    private let initialSquares: Double
    /// The step's `−η dY`, `G[batch, :]`, the written-out weights, and views of a chunk of rows.
    private let gradient = Matrix<Scalar>(rows: 0, columns: 0)
    private let gramRows = Matrix<Scalar>(rows: 0, columns: 0)
    private let weightsOut = Matrix<Scalar>(rows: 0, columns: 0)
    private let chunk: Matrix<Scalar>
    private let initialChunk: Matrix<Scalar>
    /// For each held-out set measured through its inner products: `Z Xᵀ`, and `Z W₀`.
    private var heldOut: [MeasuredSet: (products: Matrix<Scalar>, initial: Matrix<Scalar>)] = [:]
    /// For each held-out set, whether it is measured by writing the weights out.
    private let writesOut: [MeasuredSet: Bool]

    /// Whether plain SGD on `trainingCount` images of `inputs` pixels is cheaper in the dual form:
    /// its update (N × batch × units) costs less than three quarters of the usual two products
    /// (2 × batch × inputs × units).
    static func pays(trainingCount: Int, inputs: Int) -> Bool { 2 * trainingCount < 3 * inputs }

    /// The dual form of `layer` (stored transposed), learning by SGD at `learningRate` with weight
    /// decay `decay` on the training images of `products`. `evaluations` says how often the network
    /// will be measured on each held-out set and how large the set is, to choose how to measure it.
    init(_ layer: Affine<Scalar>, images products: InnerProducts<Scalar>, learningRate: Scalar, decay: Scalar,
         evaluations: [MeasuredSet: (images: Int, measured: Int)], backend: any NeuralBackend<Scalar>) {
        precondition(layer.transposed, "the dual form starts from weights stored one row per unit")
        self.layer = layer
        self.backend = backend
        self.products = products
        images = products.images
        self.learningRate = learningRate
        self.decay = decay
        gram = products.gram(on: backend)
        backend.multiply(images, layer.weight.value, into: initialOutputs, transposeB: true)
        backend.copy(initialOutputs, into: trainingOutputs)
        coefficients = Matrix(rows: images.rows, columns: layer.outputs)
        initialSquares = Double(backend.sumOfSquares(layer.weight.value))
        chunk = Matrix(viewing: images)
        initialChunk = Matrix(viewing: images)
        // A set is measured through its inner products with the training images when that costs
        // less than writing the weights out for every measurement (see the type's description).
        let (n, d, h) = (Double(images.rows), Double(images.columns), Double(layer.outputs))
        writesOut = evaluations.mapValues { plan in
            let (m, measured) = (Double(plan.images), Double(plan.measured))
            let dual = m * d * n + m * d * h + measured * m * n * h
            let written = measured * (d * n * h + m * d * h)
            return written < dual
        }
    }

    /// The batch's outputs: rows `indices` of `A`, plus the biases.
    func forward(indices: [Int], into output: Matrix<Scalar>) {
        backend.gatherRows(indices, of: trainingOutputs, into: output)
        backend.addToEveryRow(layer.bias.value, of: output)
    }

    // BEGIN dual-update
    /// The step: `A ← (1 − ηλ) A − η G[:, batch] dY` and `C ← (1 − ηλ) C`, then `−η dY` added to
    /// the batch's rows of `C`.
    func learn(indices: [Int], outputGradient dY: Matrix<Scalar>) {
        backend.copy(dY, into: gradient)
        backend.scale(gradient, by: -learningRate)                              // −η dY
        let shrink = 1 - learningRate * decay
        if shrink != 1 {                                                        // weight decay: A, C and a shrink
            shrinking *= shrink
            backend.scale(trainingOutputs, by: shrink)
            backend.scale(coefficients, by: shrink)
        }
        backend.gatherRows(indices, of: gram, into: gramRows)                   // G[batch, :] = G[:, batch]ᵀ (G is symmetric)
        backend.multiply(gramRows, gradient, into: trainingOutputs, transposeA: true, transposeB: false, alpha: 1, beta: 1)
        backend.addRows(of: gradient, toRows: indices, of: coefficients)        // C[batch] += −η dY
    }
    // END dual-update

    /// `‖W‖² = a²‖W₀‖² + a ⟨X W₀, C⟩ + ⟨C, A⟩`, from the N × units blocks alone.
    var squaredNorm: Double {
        let a = Double(shrinking)
        return a * a * initialSquares + a * backend.dotByRows(initialOutputs, coefficients) + backend.dotByRows(coefficients, trainingOutputs)
    }

    /// The outputs for rows `rows` of `set`, whose images are `data`.
    func outputs(of set: MeasuredSet, _ data: LabeledSamples<Scalar>, rows: Range<Int>, into output: Matrix<Scalar>) {
        if set == .training {
            chunk.show(rows: rows.count, of: trainingOutputs, from: rows.lowerBound)   // the training images' outputs are A itself
            backend.copy(chunk, into: output)
        } else if writesOut[set] ?? true {
            chunk.show(rows: rows.count, of: data.samples, from: rows.lowerBound)
            writeWeights(into: weightsOut)
            backend.multiply(chunk, weightsOut, into: output, transposeB: true)
        } else {
            let measured = heldOutProducts(set, data)                                   // (Z Xᵀ) C + a Z W₀
            chunk.show(rows: rows.count, of: measured.products, from: rows.lowerBound)
            backend.multiply(chunk, coefficients, into: output)
            initialChunk.show(rows: rows.count, of: measured.initial, from: rows.lowerBound)
            backend.addRowByRow(initialChunk, scaledBy: shrinking, to: output)
        }
        backend.addToEveryRow(layer.bias.value, of: output)
    }

    /// `Z Xᵀ` for held-out set `set` and `Z W₀`, computed the first time they are asked for.
    private func heldOutProducts(_ set: MeasuredSet, _ data: LabeledSamples<Scalar>) -> (products: Matrix<Scalar>, initial: Matrix<Scalar>) {
        if let known = heldOut[set] { return known }
        let initial = Matrix<Scalar>(rows: 0, columns: 0)
        backend.multiply(data.samples, layer.weight.value, into: initial, transposeB: true)
        let known = (products.products(with: data.samples, on: backend), initial)
        heldOut[set] = known
        return known
    }

    /// `W = a W₀ + Cᵀ X` (one row per unit).
    private func writeWeights(into out: Matrix<Scalar>) {
        backend.multiply(coefficients, images, into: out, transposeA: true)
        backend.add(layer.weight.value, scaledBy: shrinking, to: out)
    }

    /// Training has ended: the layer's weights become `W` (they were `W₀` until now).
    func release() {
        writeWeights(into: weightsOut)
        backend.copy(weightsOut, into: layer.weight.value)
        shrinking = 1
        backend.fill(coefficients, with: 0)
    }
}
