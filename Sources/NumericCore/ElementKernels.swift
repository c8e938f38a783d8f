import Foundation
// The element loops behind `MatrixScalar`, written once and compiled for Float and Double.
// `@_specialize(exported:)` makes the concrete versions that the conformances call.

extension MatrixScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func transpose(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into t: UnsafeMutablePointer<Self>) {
        for r in 0..<rows {
            for c in 0..<columns { t[c * rows + r] = m[r * columns + c] }
        }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func scaleBlock(_ m: UnsafeMutablePointer<Self>, rows: Int, columns: Int, stride: Int, by alpha: Self) {
        for r in 0..<rows {
            let row = m + r * stride
            for c in 0..<columns { row[c] *= alpha }
        }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func broadcastRow(_ v: UnsafePointer<Self>, into m: UnsafeMutablePointer<Self>, rows: Int, columns: Int) {
        for r in 0..<rows { memcpy(m + r * columns, v, columns * MemoryLayout<Self>.stride) }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func sumColumns(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Self>) {
        for c in 0..<columns { sums[c] = 0 }
        for r in 0..<rows {
            let row = m + r * columns
            for c in 0..<columns { sums[c] += row[c] }
        }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func multiply(count: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, into out: UnsafeMutablePointer<Self>) {
        for i in 0..<count { out[i] = x[i] * y[i] }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func argmaxRows(_ m: UnsafePointer<Self>, rows: Int, columns: Int, into indices: UnsafeMutablePointer<Int>) {
        for r in 0..<rows {
            let row = m + r * columns
            var best = 0
            for c in 1..<max(columns, 1) where row[c] > row[best] { best = c }
            indices[r] = best
        }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func fill(count: Int, with value: Self, _ x: UnsafeMutablePointer<Self>) {
        for i in 0..<count { x[i] = value }
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func allFinite(count: Int, _ x: UnsafePointer<Self>) -> Bool {
        var ok = true
        for i in 0..<count { ok = ok && x[i].isFinite }
        return ok
    }
}
