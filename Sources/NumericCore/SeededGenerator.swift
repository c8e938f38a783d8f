/// A small, fast, seedable random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every run in this project owns one, derived from its seed and a stream name, so results
/// never depend on thread scheduling or on how many runs happened before.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// An independent generator for a named purpose ("init", "batches", "dropout", ...) of a seed.
    public init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in stream.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        self.init(seed: seed ^ hash)
    }

    /// Inlined where it is called: a dropout mask draws one for every two units of every step.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    @inlinable
    func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1), with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal (Box-Muller; the second value of each pair is kept for the next call).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u = nextUniform()
        while u <= .leastNormalMagnitude { u = nextUniform() }
        let v = nextUniform()
        let radius = (-2 * Foundation.log(u)).squareRoot()
        let angle = 2 * Double.pi * v
        spareNormal = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    /// A uniformly chosen integer in `0..<upperBound`.
    public mutating func nextIndex(below upperBound: Int) -> Int {
        Int(next(upperBound: UInt64(upperBound)))
    }

    /// A random permutation of `0..<count`.
    public mutating func permutation(of count: Int) -> [Int] {
        var indices = Array(0..<count)
        indices.shuffle(using: &self)
        return indices
    }

    /// Fills a matrix with normal samples of the given standard deviation.
    @_specialize(exported: true, where Scalar == Float)
    @_specialize(exported: true, where Scalar == Double)
    public mutating func fillNormal<Scalar: MatrixScalar>(_ matrix: Matrix<Scalar>, standardDeviation: Double) {
        for i in 0..<matrix.count { matrix.base[i] = Scalar(nextNormal() * standardDeviation) }
    }
}

import Foundation
