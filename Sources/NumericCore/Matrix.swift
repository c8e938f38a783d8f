import Foundation

/// A row-major matrix that owns its storage.
///
/// A matrix is a reference type on purpose: layers and optimizers own their buffers and update
/// them in place, step after step, and a value type would copy on the first shared write.
/// Resizing within the allocated capacity never allocates, so a network that alternates between
/// training batches and larger evaluation chunks settles after its first pass.
///
/// A matrix only holds numbers: every computation on it (products, element-wise passes, block
/// copies) is a `ComputeBackend`'s, and only the backend reaches its memory. Code elsewhere reads
/// and writes elements by index, or through a scoped buffer where it fills a whole matrix at once.
public final class Matrix<Scalar: MatrixScalar>: @unchecked Sendable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    /// The first element; element (r, c) lives at `base[r * columns + c]`. For backends only.
    package private(set) var base: UnsafeMutablePointer<Scalar>
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
        Self.fill(base, count: capacity, with: value)
        ownsStorage = true
    }

    /// Zeros by `memset` (all bits zero is 0.0), anything else element by element: the generic
    /// `initialize(repeating:)` is not specialised where matrices are made and costs a call per element.
    private static func fill(_ base: UnsafeMutablePointer<Scalar>, count: Int, with value: Scalar) {
        if value == 0 { memset(base, 0, count * MemoryLayout<Scalar>.stride) } else { base.initialize(repeating: value, count: count) }
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

    /// Element `index` in row-major order: what a gradient check perturbs one at a time.
    public subscript(element index: Int) -> Scalar {
        get {
            precondition(index >= 0 && index < count, "element \(index) outside 0..<\(count)")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "element \(index) outside 0..<\(count)")
            base[index] = newValue
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
            Self.fill(base, count: capacity, with: 0)
        }
        self.rows = rows
        self.columns = columns
    }

    /// Resizes to the shape of `other`.
    public func resize(like other: Matrix) { resize(rows: other.rows, columns: other.columns) }

    /// The elements in row-major order, copied out.
    public var elements: [Scalar] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Row `r` copied out.
    public func row(_ r: Int) -> [Scalar] {
        precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
        return Array(UnsafeBufferPointer(start: base + r * columns, count: columns))
    }

    /// Calls `body` with the elements in row-major order, for reading a whole matrix at once (to
    /// hash it, say). The buffer is valid only inside `body`.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the elements in row-major order, for filling a whole matrix at once (from a
    /// file's bytes, say). The buffer is valid only inside `body`.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        let shown = (0..<min(rows, 6)).map { r in row(r).prefix(8).map { "\($0)" }.joined(separator: " ") }
        return "Matrix \(rows)x\(columns)\n" + shown.joined(separator: "\n")
    }
}
