import Foundation
import NumericCore

/// The first layers of networks that see the same input, their outputs side by side.
///
/// Each member's first layer keeps its own weights, one row per unit (`Affine.transposed`), and
/// its own gradient, so optimizers, weight decay and probes read and write them as before. Each
/// member's block of columns is computed by a BLAS call of its own, shaped exactly as the call the
/// network would make alone: one wide product `x [W₁ … W_K]` rounds each column according to where
/// it falls among the kernel's register blocks, so a network's numbers would depend on its
/// neighbours (see `Lockstep`). What the members share is the batch, gathered once, and the chunks
/// of images they are measured on. A member that leaves (its training ended or diverged) is dropped
/// and the members after it move up.
public final class FirstLayerStack<Scalar: NeuralScalar>: FirstLayers {
    public let inputs: Int
    /// The members' layers, in the order of their blocks.
    public private(set) var layers: [Affine<Scalar>]
    /// Where each member's block of columns begins; one more entry for the end.
    private var offsets: [Int]
    /// The members' biases side by side, gathered for each product.
    private let biases: Matrix<Scalar>
    /// A view of a chunk of the images measured.
    private let chunk: Matrix<Scalar>
    public private(set) var flops: (training: Double, measuring: Double) = (0, 0)

    /// The first layers of networks that see inputs of the same width, each stored transposed.
    public init(_ layers: [Affine<Scalar>]) {
        precondition(layers.allSatisfy(\.transposed), "a stacked first layer stores its weights one row per unit")
        precondition(Set(layers.map(\.inputs)).count <= 1, "stacked layers must see inputs of the same width")
        self.layers = layers
        inputs = layers.first?.inputs ?? 0
        offsets = layers.reduce(into: [0]) { $0.append($0.last! + $1.outputs) }
        biases = Matrix(rows: 1, columns: offsets.last!)
        chunk = Matrix(viewing: biases)
    }

    /// The weights are the layers' own all along: nothing to hand back.
    public func releaseAll() {}
    public func layer(_ m: Int) -> Affine<Scalar> { layers[m] }
    public func offset(_ m: Int) -> Int { offsets[m] }
    public var updatesWeights: Bool { false }
    public func setLearningRate(_ rate: Scalar, of m: Int) {}
    public func squaredNorm(of m: Int) -> Double? { nil }

    public func forward(batch: Matrix<Scalar>, indices: [Int], into wide: Matrix<Scalar>) {
        forward(batch, members: 0..<count, into: wide)
        flops.training += productFlops(batch.rows, units(0..<count), inputs)
    }

    public func learn(batch: Matrix<Scalar>, indices: [Int], wideGradient: Matrix<Scalar>) {
        weightGradients(batch, wideGradient)
        flops.training += productFlops(batch.rows, units(0..<count), inputs)
    }

    public func outputs(of set: MeasuredSet, _ data: LabeledSamples<Scalar>, rows: Range<Int>, members: Range<Int>, into wide: Matrix<Scalar>) {
        chunk.show(rows: rows.count, of: data.samples, from: rows.lowerBound)
        forward(chunk, members: members, into: wide)
        flops.measuring += productFlops(rows.count, units(members), inputs)
    }

    public var count: Int { layers.count }
    /// The units of members `members`: the width of their part of a wide product.
    public func units(_ members: Range<Int>) -> Int { offsets[members.upperBound] - offsets[members.lowerBound] }

    /// `wide = [b₁ … ] + x [W₁ … ]` for the members `members` (consecutive slots): each member's
    /// block of columns is its first layer's output, computed by a product of its own.
    public func forward(_ x: Matrix<Scalar>, members: Range<Int>, into wide: Matrix<Scalar>) {
        let start = offsets[members.lowerBound], width = units(members)
        for m in members {
            memcpy(biases.base + offsets[m] - start, layers[m].bias.value.base, layers[m].outputs * MemoryLayout<Scalar>.stride)
        }
        wide.resize(rows: x.rows, columns: width)
        Scalar.broadcastRow(biases.base, into: wide.base, rows: wide.rows, columns: width)
        for m in members where x.rows > 0 {
            Scalar.gemm(transposeA: false, transposeB: true, m: x.rows, n: layers[m].outputs, k: inputs,
                        alpha: 1, a: x.base, lda: x.columns, b: layers[m].weight.value.base, ldb: inputs,
                        beta: 1, c: wide.base + offsets[m] - start, ldc: width)
        }
    }

    /// Every member's weight gradient, `dWₖᵀ = dYₖᵀ x`, written into its own gradient.
    public func weightGradients(_ x: Matrix<Scalar>, _ wideGradient: Matrix<Scalar>) {
        let width = units(0..<count)
        for m in 0..<count where x.rows > 0 {
            Scalar.gemm(transposeA: true, transposeB: false, m: layers[m].outputs, n: inputs, k: x.rows,
                        alpha: 1, a: wideGradient.base + offsets[m], lda: width, b: x.base, ldb: x.columns,
                        beta: 0, c: layers[m].weight.gradient.base, ldc: inputs)
        }
    }

    /// Removes member `m`, which keeps its weights; the blocks of the members after it move up.
    public func remove(_ m: Int) {
        let width = layers.remove(at: m).outputs
        offsets.remove(at: m)
        for i in m..<offsets.count { offsets[i] -= width }
    }
}
