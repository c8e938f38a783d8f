import NumericCore

/// Dropout as the reference implements it: in training each unit is kept with probability
/// `1 - ratio` (a fresh random mask per batch); in inference every unit is kept and the output is
/// scaled by `1 - ratio`, so that its expected size matches training.
public final class Dropout<Scalar: NeuralScalar>: Layer {
    public let ratio: Double
    private var generator: SeededGenerator
    private let mask = Matrix<Scalar>(rows: 0, columns: 0)
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init(ratio: Double, generator: SeededGenerator) {
        precondition(ratio >= 0 && ratio < 1, "dropout ratio must be in [0, 1)")
        self.ratio = ratio
        self.generator = generator
    }

    /// Restarts the random masks from `generator` (gradient checks replay the same mask).
    public func reseed(_ generator: SeededGenerator) { self.generator = generator }

    // BEGIN dropout
    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        output.resize(like: x)
        if training {
            // A fresh mask per batch: 1 keeps a unit (probability 1 − ratio), 0 drops it.
            mask.resize(like: x)
            Scalar.dropoutMask(count: x.count, ratio: ratio, generator: &generator, into: mask.base)
            Scalar.multiply(count: x.count, x.base, mask.base, into: output.base)     // y = x ⊙ m
        } else {
            // Every unit, scaled by the share that training kept: y = (1 − ratio) x.
            output.copyElements(from: x)
            output.add(x, scaledBy: Scalar(-ratio))
        }
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        inputGradient.resize(like: dy)
        Scalar.multiply(count: dy.count, dy.base, mask.base, into: inputGradient.base)  // ∂L/∂x = ∂L/∂y ⊙ m
        return inputGradient
    }
    // END dropout
}

extension NeuralScalar {
    /// A mask of 0s (probability `ratio`) and 1s. One draw of `generator` keys the mask; unit i then
    /// takes a 32-bit hash of the key and i (Chris Wellons's "lowbias32" mixer) and is dropped when
    /// the hash falls below `ratio` × 2³², which is the ratio to within 2⁻³². The hashes do not
    /// depend on one another, nor does the 0 or 1 branch on them, so the loop runs eight units to
    /// an instruction.
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func dropoutMask(count: Int, ratio: Double, generator: inout SeededGenerator, into mask: UnsafeMutablePointer<Self>) {
        let threshold = UInt32(min((ratio * 0x1p32).rounded(), 0x1p32 - 1)), key = generator.next()
        let (low, high) = (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        for i in 0..<count {
            var x = (low &+ UInt32(truncatingIfNeeded: i) &* 0x9E37_79B9) ^ high
            x ^= x >> 16; x &*= 0x7FEB_352D
            x ^= x >> 15; x &*= 0x846C_A68B
            x ^= x >> 16
            // 1 when x ≥ threshold, 0 below: the difference borrows exactly when x is below.
            mask[i] = Self(Int32(bitPattern: 1 &- UInt32(truncatingIfNeeded: (UInt64(x) &- UInt64(threshold)) >> 63)))
        }
    }
}
