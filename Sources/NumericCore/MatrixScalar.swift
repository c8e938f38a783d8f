import CBLAS
import RealModule

/// A floating-point type that matrices can hold: `Float` for training, `Double` for gradient checks.
///
/// Every loop over matrix elements is a requirement of this protocol rather than a generic free
/// function. Generic code (a layer, an optimizer) then calls into a witness that was compiled for
/// the concrete type, so the per-element work runs specialised even when the caller is not,
/// which is the difference between BLAS speed and a hundredfold slowdown across modules.
public protocol MatrixScalar: Real, BinaryFloatingPoint, Sendable
where Self.RawSignificand: FixedWidthInteger {
    /// `C = alpha * op(A) * op(B) + beta * C` on row-major storage (BLAS `gemm`).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// `y += alpha * x` (BLAS `axpy`).
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// The dot product of two vectors (BLAS `dot`).
    static func dot(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self

    /// `x *= alpha` (BLAS `scal`).
    static func scale(count: Int, by alpha: Self, _ x: UnsafeMutablePointer<Self>)

    /// Multiplies a block of `rows` × `columns` elements by `alpha`, the rows `stride` elements apart:
    /// one network's columns of a matrix shared by several.
    static func scaleBlock(_ m: UnsafeMutablePointer<Self>, rows: Int, columns: Int, stride: Int, by alpha: Self)

    /// Writes the transpose of `m` (`rows` × `columns`) into `t` (`columns` × `rows`).
    static func transpose(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into t: UnsafeMutablePointer<Self>)

    /// Copies the row vector `v` (length `columns`) into every row of `m`.
    static func broadcastRow(_ v: UnsafePointer<Self>, into m: UnsafeMutablePointer<Self>, rows: Int, columns: Int)

    /// Writes the sum of each column of `m` into `sums` (length `columns`).
    static func sumColumns(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Self>)

    /// `out[i] = x[i] * y[i]`; `out` may alias `x` or `y`.
    static func multiply(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>)

    /// The column index of the largest element of each row (the first one on ties).
    static func argmaxRows(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into indices: UnsafeMutablePointer<Int>)

    /// Sets every element to `value`.
    static func fill(count: Int, with value: Self, _ x: UnsafeMutablePointer<Self>)

    /// Whether every element is finite (no NaN, no infinity).
    static func allFinite(count: Int, _ x: UnsafePointer<Self>) -> Bool
}

extension Float: MatrixScalar {
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inlinable
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }

    @inlinable
    public static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }

    @inlinable
    public static func scale(count: Int, by alpha: Float, _ x: UnsafeMutablePointer<Float>) {
        cblas_sscal(Int32(count), alpha, x, 1)
    }
}

extension Double: MatrixScalar {
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    @inlinable
    public static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }

    @inlinable
    public static func dot(count: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        cblas_ddot(Int32(count), x, 1, y, 1)
    }

    @inlinable
    public static func scale(count: Int, by alpha: Double, _ x: UnsafeMutablePointer<Double>) {
        cblas_dscal(Int32(count), alpha, x, 1)
    }
}
