import CBLAS
import Foundation
import NumericCore

// The CPU backend's matrix kernels: OpenBLAS for products and vector operations, loops for the
// rest, written once for both scalars. `@_specialize` makes the Float and Double versions that the
// generic backend's calls branch to, so every loop runs specialised.

extension MatrixScalar {
    /// `C = alpha * op(A) * op(B) + beta * C` on row-major storage (BLAS `gemm`).
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int) {
        let (ta, tb) = (transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans)
        if Self.self == Float.self {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), Float(alpha), a.float, Int32(lda), b.float, Int32(ldb),
                        Float(beta), c.float, Int32(ldc))
        } else {
            cblas_dgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), Double(alpha), a.double, Int32(lda), b.double, Int32(ldb),
                        Double(beta), c.double, Int32(ldc))
        }
    }

    /// `y += alpha * x` (BLAS `axpy`).
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>) {
        if Self.self == Float.self { cblas_saxpy(Int32(count), Float(alpha), x.float, 1, y.float, 1) } else {
            cblas_daxpy(Int32(count), Double(alpha), x.double, 1, y.double, 1)
        }
    }

    /// The dot product of two vectors (BLAS `dot`).
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func dot(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self {
        Self.self == Float.self ? Self(cblas_sdot(Int32(count), x.float, 1, y.float, 1)) : Self(cblas_ddot(Int32(count), x.double, 1, y.double, 1))
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func transpose(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into t: UnsafeMutablePointer<Self>) {
        for r in 0..<rows {
            for c in 0..<columns { t[c * rows + r] = m[r * columns + c] }
        }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func scale(count: Int, by alpha: Self, _ x: UnsafeMutablePointer<Self>) {
        for i in 0..<count { x[i] *= alpha }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func broadcastRow(_ v: UnsafePointer<Self>, into m: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        for r in 0..<rows { memcpy(m + r * columns, v, columns * MemoryLayout<Self>.stride) }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func sumColumns(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Self>) {
        for c in 0..<columns { sums[c] = 0 }
        for r in 0..<rows {
            let row = m + r * columns
            for c in 0..<columns { sums[c] += row[c] }
        }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func multiply(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>) {
        for i in 0..<count { out[i] = x[i] * y[i] }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func argmaxRows(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into indices: UnsafeMutablePointer<Int>) {
        for r in 0..<rows {
            let row = m + r * columns
            var best = 0
            for c in 1..<max(columns, 1) where row[c] > row[best] { best = c }
            indices[r] = best
        }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func fill(count: Int, with value: Self, _ x: UnsafeMutablePointer<Self>) {
        for i in 0..<count { x[i] = value }
    }

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func allFinite(count: Int, _ x: UnsafePointer<Self>) -> Bool {
        var ok = true
        for i in 0..<count { ok = ok && x[i].isFinite }
        return ok
    }
}

extension UnsafePointer {
    /// The same address read as Float or Double: for the BLAS call of the scalar a generic kernel
    /// has just checked it holds.
    var float: UnsafePointer<Float> { UnsafeRawPointer(self).assumingMemoryBound(to: Float.self) }
    var double: UnsafePointer<Double> { UnsafeRawPointer(self).assumingMemoryBound(to: Double.self) }
}

extension UnsafeMutablePointer {
    var float: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: Float.self) }
    var double: UnsafeMutablePointer<Double> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: Double.self) }
}
