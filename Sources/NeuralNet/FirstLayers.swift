import Foundation
import NumericCore

/// The images a trainer measures its networks on.
public enum MeasuredSet: Sendable, Hashable {
    case training, test, validation
}

/// The first layers of the networks a `Trainer` steps together: how their outputs are computed for
/// a mini-batch or a set of images, and how they learn from a step. Two forms do this: the layers
/// stacked into wide products (`FirstLayerStack`, any optimizer), and the dual form of plain SGD on
/// a small training set (`DualFirstLayers`). Members are addressed by slot, in the order they were
/// given; a member that leaves takes its weights with it and the later slots move up.
protocol FirstLayers<Scalar>: AnyObject {
    associatedtype Scalar: NeuralScalar
    var count: Int { get }
    /// The units of members `members`: the width of their part of a wide output.
    func units(_ members: Range<Int>) -> Int
    /// `wide = x W + b` for every member, side by side, where `x` is the mini-batch, the training
    /// images at `indices`.
    func forward(batch: Matrix<Scalar>, indices: [Int], into wide: Matrix<Scalar>)
    /// Learns from a step: every member's gradient at its output is in its block of `wideGradient`.
    /// The stack computes the weight gradients, for the optimizers to apply; the dual form applies
    /// the update itself.
    func learn(batch: Matrix<Scalar>, indices: [Int], wideGradient: Matrix<Scalar>)
    /// Sets the learning rate of member `m` for the next `learn`, where the form applies the
    /// update itself (the dual form); the stack, whose optimizers apply it, ignores it.
    func setLearningRate(_ rate: Scalar, of m: Int)
    /// Whether `learn` updates the weights itself (the optimizers then leave them alone); the
    /// dual form, which does, needs only the batch's indices, not its images.
    var updatesWeights: Bool { get }
    /// `Σ W²` of member `m`'s weights where the network cannot read it from them; nil where it can.
    func squaredNorm(of m: Int) -> Double?
    /// The outputs of members `members` for rows `rows` of `set` (whose images are `data`), side by side.
    func outputs(of set: MeasuredSet, _ data: LabeledSamples<Scalar>, rows: Range<Int>, members: Range<Int>, into wide: Matrix<Scalar>)
    /// Removes member `m`, which keeps its weights as they are now.
    func remove(_ m: Int)
    /// Every remaining member's weights into its own layer: for the end of training.
    func releaseAll()
    /// The layer of member `m`.
    func layer(_ m: Int) -> Affine<Scalar>
    /// Where member `m`'s block begins among all members.
    func offset(_ m: Int) -> Int
    /// The floating-point operations of the products computed so far (2 per multiply-add), for
    /// training (steps, and work done once to set the form up) and for measuring.
    var flops: (training: Double, measuring: Double) { get }
}

/// `2 m n k`: the operations of an m × k by k × n product.
func productFlops(_ m: Int, _ n: Int, _ k: Int) -> Double { 2 * Double(m) * Double(n) * Double(k) }

extension FirstLayers {
    /// Member `m`'s block of a wide output over `members`, copied into its layer's own output.
    func output(of m: Int, from wide: Matrix<Scalar>, members: Range<Int>) -> Matrix<Scalar> {
        let layer = layer(m)
        layer.output.assignColumns(layer.outputs, of: wide, from: offset(m) - offset(members.lowerBound))
        return layer.output
    }

    /// Puts member `m`'s output gradient into its block of `wideGradient` (shaped for all members).
    func place(_ gradient: Matrix<Scalar>, of m: Int, into wideGradient: Matrix<Scalar>) {
        gradient.place(into: wideGradient, atColumn: offset(m))
    }

    /// Shapes `wideGradient` to hold every member's output gradient for a batch of `rows`, all
    /// zero: a member that diverged places none, and must not learn from the step.
    func shapeGradient(_ wideGradient: Matrix<Scalar>, rows: Int) {
        wideGradient.resize(rows: rows, columns: units(0..<count))
        wideGradient.fill(with: 0)
    }

    /// Broadcasts the biases of members `members` into every row of `wide` (already shaped).
    func addBiases(_ members: Range<Int>, to wide: Matrix<Scalar>, scratch: Matrix<Scalar>) {
        scratch.resize(rows: 1, columns: wide.columns)
        let start = offset(members.lowerBound)
        for m in members { memcpy(scratch.base + offset(m) - start, layer(m).bias.value.base, layer(m).outputs * MemoryLayout<Scalar>.stride) }
        for r in 0..<wide.rows { Scalar.axpy(count: wide.columns, alpha: 1, x: scratch.base, y: wide.base + r * wide.columns) }
    }
}
