/// Where matrix arithmetic happens: the products, the element-wise passes and the block copies that
/// layers, optimizers and the trainer ask for, taken as a value by whoever computes.
///
/// Every requirement takes whole matrices (or a matrix and a list of its rows), never a pointer, and
/// nothing outside a backend reaches a matrix's memory. That is the seam: a backend may keep its own
/// form of a matrix and compute in it — bfloat16 copies of the operands for OpenBLAS's `sbgemm`, with
/// Float results; device memory on a GPU — without any caller changing. The one shipped is the CPU
/// backend on OpenBLAS (`CPUBackend`, in Engine).
///
/// A backend counts the floating-point operations of its products where it computes them
/// (`operations`): the cost ledger reads them there and nowhere else.
public protocol ComputeBackend<Scalar>: Sendable {
    associatedtype Scalar: MatrixScalar

    /// The operations of the products computed so far (2 per multiply-add).
    var operations: OperationCount { get }

    // MARK: Products

    /// `c = alpha * op(a) * op(b) + beta * c`, the transposes done by the kernel, not by copies.
    /// With `beta == 0`, `c` is resized to the product's shape first.
    func multiply(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>, into c: Matrix<Scalar>, transposeA: Bool, transposeB: Bool,
                  alpha: Scalar, beta: Scalar)

    // MARK: Whole matrices, element by element

    /// `y += alpha * x` over all elements (same count).
    func add(_ x: Matrix<Scalar>, scaledBy alpha: Scalar, to y: Matrix<Scalar>)
    /// `y += alpha * x` one row at a time (same shape): one kernel call per row.
    func addRowByRow(_ x: Matrix<Scalar>, scaledBy alpha: Scalar, to y: Matrix<Scalar>)
    /// Adds the row vector `v` to every row of `m`.
    func addToEveryRow(_ v: Matrix<Scalar>, of m: Matrix<Scalar>)
    /// Adds row j of `x` to row `rows[j]` of `y`, for every j.
    func addRows(of x: Matrix<Scalar>, toRows rows: [Int], of y: Matrix<Scalar>)
    /// `x *= alpha`, element by element.
    func scale(_ x: Matrix<Scalar>, by alpha: Scalar)
    /// `out = x ⊙ y`, element by element; `out` is resized and may be `x` or `y`.
    func multiplyElements(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>, into out: Matrix<Scalar>)
    /// The dot product of two matrices of the same size, as vectors.
    func dot(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>) -> Scalar
    /// `Σᵣ ⟨xᵣ, yᵣ⟩`: the dot products of matching rows, each one kernel call, summed in Double.
    func dotByRows(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>) -> Double
    /// Sets every element to `value`.
    func fill(_ x: Matrix<Scalar>, with value: Scalar)
    /// Whether every element is finite (no NaN, no infinity).
    func isFinite(_ x: Matrix<Scalar>) -> Bool

    // MARK: Rows and columns

    /// `t = mᵀ` (resized).
    func transpose(_ m: Matrix<Scalar>, into t: Matrix<Scalar>)
    /// Every row of `m` (already shaped) becomes the row vector `v`.
    func broadcastRow(_ v: Matrix<Scalar>, into m: Matrix<Scalar>)
    /// The sum of each column of `m`, into the row vector `sums`.
    func sumColumns(_ m: Matrix<Scalar>, into sums: Matrix<Scalar>)
    /// The column index of the largest element of each row (the first one on ties), into `indices[0..<rows]`.
    func argmaxRows(_ m: Matrix<Scalar>, into indices: inout [Int])

    // MARK: Block copies

    /// `target` takes the shape and the elements of `source`.
    func copy(_ source: Matrix<Scalar>, into target: Matrix<Scalar>)
    /// Row j of `target` (resized to `rows.count` rows) becomes row `rows[j]` of `source`.
    func gatherRows(_ rows: [Int], of source: Matrix<Scalar>, into target: Matrix<Scalar>)
}

extension ComputeBackend {
    /// `c = op(a) * op(b)` (resized), or with `alpha` and `beta` as in the requirement.
    public func multiply(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>, into c: Matrix<Scalar>, transposeA: Bool = false,
                         transposeB: Bool = false) {
        multiply(a, b, into: c, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0)
    }

    /// `y += x`.
    public func add(_ x: Matrix<Scalar>, to y: Matrix<Scalar>) { add(x, scaledBy: 1, to: y) }

    /// `Σ x²` over every element.
    public func sumOfSquares(_ x: Matrix<Scalar>) -> Scalar { dot(x, x) }
}

/// The floating-point operations of a backend's products, counted where they are computed, apart
/// for training and for measuring: whoever computes says which it is doing (`during`).
///
/// One count belongs to one computation at a time (a network and its trainer, on one thread).
public final class OperationCount: @unchecked Sendable {
    /// What the products are for.
    public enum Purpose: Sendable { case training, measuring }

    /// What products computed now are counted as.
    public private(set) var purpose = Purpose.training
    public private(set) var training = 0.0
    public private(set) var measuring = 0.0

    public init() {}

    public var total: Double { training + measuring }

    /// Counts `flops` operations for the current purpose.
    public func add(_ flops: Double) {
        switch purpose {
        case .training: training += flops
        case .measuring: measuring += flops
        }
    }

    /// Runs `body` with its products counted as `purpose`, then restores the one before.
    public func during<T>(_ purpose: Purpose, _ body: () throws -> T) rethrows -> T {
        let before = self.purpose
        self.purpose = purpose
        defer { self.purpose = before }
        return try body()
    }
}
