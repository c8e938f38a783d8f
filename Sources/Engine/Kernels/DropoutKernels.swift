import NumericCore

extension MatrixScalar {
    /// A mask of 0s (probability `ratio`) and 1s. One draw of `generator` keys the mask; unit i then
    /// takes a 32-bit hash of the key and i (Chris Wellons's "lowbias32" mixer) and is dropped when
    /// the hash falls below `ratio` × 2³², which is the ratio to within 2⁻³². The hashes do not
    /// depend on one another, nor does the 0 or 1 branch on them, so the loop runs eight units to
    /// an instruction.
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func dropoutMask(count: Int, ratio: Double, generator: inout SeededGenerator, into mask: UnsafeMutablePointer<Self>) {
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
