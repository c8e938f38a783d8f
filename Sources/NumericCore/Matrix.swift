import Foundation

/// A row-major matrix that owns its storage.
///
/// A matrix is a reference type on purpose: layers and optimizers own their buffers and update
/// them in place, step after step, and a value type would copy on the first shared write.
/// Resizing within the allocated capacity never allocates, so a network that alternates between
/// training batches and larger evaluation chunks settles after its first pass.
public final class Matrix<Scalar: MatrixScalar>: @unchecked Sendable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    /// The first element; element (r, c) lives at `base[r * columns + c]`.
    public private(set) var base: UnsafeMutablePointer<Scalar>
    private var capacity: Int
    /// False for a view onto another matrix's storage (see `init(viewing:)`), which it never frees or grows.
    private let ownsStorage: Bool
    /// The matrix a view shows, kept alive while the view is.
    private var viewed: Matrix?

    /// A `rows x columns` matrix with every element set to `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        capacity = max(rows * columns, 1)
        base = .allocate(capacity: capacity)
        // The protocol's fill, specialised for each scalar: the generic `initialize(repeating:)`
        // is not specialised where matrices are made, and cost a call per element there.
        Scalar.fill(count: capacity, with: value, base)
        ownsStorage = true
    }

    /// A view of the whole of `matrix`'s storage that owns nothing: `show(rows:of:from:)` points it at
    /// a block of rows, so that a large set can be fed to a network in chunks without copying.
    /// The viewed matrix must outlive the view and must not be resized while it is viewed.
    public init(viewing matrix: Matrix) {
        rows = matrix.rows
        columns = matrix.columns
        base = matrix.base
        capacity = matrix.count
        ownsStorage = false
        viewed = matrix
    }

    /// Points this view at `count` consecutive rows of `matrix`, starting with row `start`.
    public func show(rows count: Int, of matrix: Matrix, from start: Int) {
        precondition(!ownsStorage, "show(rows:of:from:) is for views")
        precondition(start >= 0 && count >= 0 && start + count <= matrix.rows, "rows \(start)..<\(start + count) outside 0..<\(matrix.rows)")
        base = matrix.base + start * matrix.columns
        if viewed !== matrix { viewed = matrix }
        rows = count
        columns = matrix.columns
        capacity = count * columns
    }

    /// A `rows x columns` matrix filled row by row from `elements`.
    public convenience init(rows: Int, columns: Int, elements: [Scalar]) {
        precondition(elements.count == rows * columns, "expected \(rows * columns) elements, got \(elements.count)")
        self.init(rows: rows, columns: columns)
        elements.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A matrix built from its rows, which must all have the same length.
    public convenience init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows differ in length")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    deinit { if ownsStorage { base.deallocate() } }

    public var count: Int { rows * columns }

    public subscript(row: Int, column: Int) -> Scalar {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
            return base[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
            base[row * columns + column] = newValue
        }
    }

    /// Changes the shape. Contents are unspecified afterwards unless the element count is unchanged;
    /// storage is reallocated only when the new shape needs more than ever before.
    public func resize(rows: Int, columns: Int) {
        let needed = rows * columns
        if needed > capacity {
            precondition(ownsStorage, "a view cannot grow")
            base.deallocate()
            capacity = needed
            base = .allocate(capacity: capacity)
            Scalar.fill(count: capacity, with: 0, base)
        }
        self.rows = rows
        self.columns = columns
    }

    /// Resizes to the shape of `other`.
    public func resize(like other: Matrix) { resize(rows: other.rows, columns: other.columns) }

    /// The elements in row-major order, copied out.
    public var elements: [Scalar] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Row `r` copied out.
    public func row(_ r: Int) -> [Scalar] { Array(UnsafeBufferPointer(start: base + r * columns, count: columns)) }

    /// Takes the shape and the elements of `other`.
    public func copyElements(from other: Matrix) {
        resize(like: other)
        memcpy(base, other.base, count * MemoryLayout<Scalar>.stride)
    }

    /// Takes columns `start..<start + count` of `wide`, every row: how one network's block is cut
    /// from a product shared by several.
    public func assignColumns(_ count: Int, of wide: Matrix, from start: Int) {
        precondition(start >= 0 && start + count <= wide.columns, "columns \(start)..<\(start + count) outside 0..<\(wide.columns)")
        resize(rows: wide.rows, columns: count)
        let (target, source, stride, size) = (base, wide.base + start, wide.columns, count * MemoryLayout<Scalar>.stride)
        for r in 0..<rows { memcpy(target + r * count, source + r * stride, size) }
    }

    /// Writes this matrix into columns `start..<start + columns` of `wide` (which has as many rows).
    public func place(into wide: Matrix, atColumn start: Int) {
        precondition(wide.rows == rows && start >= 0 && start + columns <= wide.columns, "a block of another shape")
        let (target, source, stride, size) = (wide.base + start, base, wide.columns, columns * MemoryLayout<Scalar>.stride)
        for r in 0..<rows { memcpy(target + r * stride, source + r * columns, size) }
    }

    /// Removes columns `start..<start + count`, moving the columns after them left, in place.
    public func removeColumns(_ count: Int, at start: Int) {
        precondition(start >= 0 && start + count <= columns, "columns outside the matrix")
        let width = columns - count, base = self.base
        for r in 0..<rows {
            let row = base + r * columns
            let target = base + r * width
            if start > 0 { memmove(target, row, start * MemoryLayout<Scalar>.stride) }
            memmove(target + start, row + start + count, (columns - start - count) * MemoryLayout<Scalar>.stride)
        }
        self.columns = width
    }

    /// Sets every element to `value`.
    public func fill(with value: Scalar) { Scalar.fill(count: count, with: value, base) }

    /// `self = alpha * op(a) * op(b) + beta * self`, with the transposes done by BLAS, not by copies.
    /// With `beta == 0`, `self` is resized to the product's shape first.
    public func assignProduct(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
                              alpha: Scalar = 1, beta: Scalar = 0) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kB, "inner dimensions differ: \(k) vs \(kB)")
        if beta == 0 { resize(rows: m, columns: n) }
        precondition(rows == m && columns == n, "product is \(m)x\(n), destination is \(rows)x\(columns)")
        guard m > 0, n > 0 else { return }
        if k == 0 { Scalar.scale(count: count, by: beta, base); return }
        Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                    alpha: alpha, a: a.base, lda: a.columns, b: b.base, ldb: b.columns,
                    beta: beta, c: base, ldc: columns)
    }

    /// `self += alpha * other`, element by element.
    public func add(_ other: Matrix, scaledBy alpha: Scalar = 1) {
        precondition(count == other.count, "shapes differ")
        Scalar.axpy(count: count, alpha: alpha, x: other.base, y: base)
    }

    /// The sum of the squares of all elements.
    public var sumOfSquares: Scalar { Scalar.dot(count: count, base, base) }

    /// Whether no element is NaN or infinite.
    public var isFinite: Bool { Scalar.allFinite(count: count, base) }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let shown = (0..<min(rows, 6)).map { r in row(r).prefix(8).map { "\($0)" }.joined(separator: " ") }
        return "Matrix \(rows)x\(columns)\n" + shown.joined(separator: "\n")
    }
}
