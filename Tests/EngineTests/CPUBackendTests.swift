import Testing
@testable import Engine
import NumericCore

/// The CPU backend's matrix operations against results worked out by hand.
struct CPUBackendTests {
    static func naiveProduct(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b.map { $0[j] }).map(*).reduce(0, +) } }
    }

    static func transpose(_ a: [[Double]]) -> [[Double]] { (0..<a[0].count).map { j in a.map { $0[j] } } }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func productsWithTransposeFlags(transposeA: Bool, transposeB: Bool) {
        let a = [[1.0, 2, 3], [4, 5, 6]]              // 2x3
        let b = [[7.0, 8], [9, 10], [11, 12]]         // 3x2
        let left = transposeA ? Self.transpose(a) : a
        let right = transposeB ? Self.transpose(b) : b
        let backend = CPUBackend<Double>(), c = Matrix<Double>(rows: 0, columns: 0)
        backend.multiply(Matrix(left), Matrix(right), into: c, transposeA: transposeA, transposeB: transposeB)
        #expect(c.rows == 2 && c.columns == 2)
        #expect(c.elements == Self.naiveProduct(a, b).flatMap { $0 })
        #expect(backend.operations.training == 2 * 2 * 2 * 3)   // 2 m n k, counted where the product was computed
    }

    @Test func productAccumulatesWithBetaAndViewsAreReadInPlace() {
        let backend = CPUBackend<Float>()
        let c = Matrix<Float>([[1, 1]])
        backend.multiply(Matrix([[2]]), Matrix([[3, 4]]), into: c, transposeA: false, transposeB: false, alpha: 2, beta: 1)
        #expect(c.elements == [13, 17])
        let data = Matrix<Float>([[1, 2], [3, 4], [5, 6]]), view = Matrix(viewing: data)
        view.show(rows: 2, of: data, from: 1)
        backend.operations.during(.measuring) { backend.multiply(view, Matrix([[1], [1]]), into: c) }
        #expect(c.elements == [7, 11])
        #expect(backend.operations.training == 4 && backend.operations.measuring == 8)
    }

    @Test func rowAndColumnOperations() {
        let backend = CPUBackend<Float>()
        let m = Matrix<Float>([[1, 2, 3], [4, 5, 6]])
        let bias = Matrix<Float>([[10, 20, 30]])
        backend.broadcastRow(bias, into: m)
        #expect(m.elements == [10, 20, 30, 10, 20, 30])
        backend.multiply(Matrix([[1], [2]]), Matrix([[1, 2, 3]]), into: m, transposeA: false, transposeB: false, alpha: 1, beta: 1)
        #expect(m.elements == [11, 22, 33, 12, 24, 36])
        let sums = Matrix<Float>(rows: 1, columns: 3)
        backend.sumColumns(m, into: sums)
        #expect(sums.elements == [23, 46, 69])
        backend.scale(sums, by: -1)
        #expect(sums.elements == [-23, -46, -69])
        let t = Matrix<Float>(rows: 0, columns: 0)
        backend.transpose(m, into: t)
        #expect(t.rows == 3 && t.elements == [11, 12, 22, 24, 33, 36])
        var best = [Int]()
        backend.argmaxRows(Matrix<Float>([[0, 5, 5], [9, 1, 2]]), into: &best)
        #expect(best == [1, 0])
        #expect(!backend.isFinite(Matrix<Float>([[1, .nan]])) && backend.isFinite(m))
        let expectedSquares: Float = 121 + 484 + 1089 + 144 + 576 + 1296
        #expect(backend.sumOfSquares(m) == expectedSquares)
    }

    @Test func blockCopiesAndRowWiseSums() {
        let backend = CPUBackend<Double>()
        let source = Matrix<Double>([[1, 2], [3, 4], [5, 6]])
        let gathered = Matrix<Double>(rows: 0, columns: 0)
        backend.gatherRows([2, 0, 2], of: source, into: gathered)
        #expect(gathered.rows == 3 && gathered.elements == [5, 6, 1, 2, 5, 6])
        // Row j of x added to row rows[j] of y; a row named twice gets both.
        let y = Matrix<Double>(rows: 3, columns: 2)
        backend.addRows(of: Matrix([[1, 1], [2, 2], [10, 10]]), toRows: [1, 0, 1], of: y)
        #expect(y.elements == [2, 2, 11, 11, 0, 0])
        backend.addToEveryRow(Matrix([[100, 200]]), of: y)
        #expect(y.elements == [102, 202, 111, 211, 100, 200])
        backend.addRowByRow(source, scaledBy: -1, to: y)
        #expect(y.elements == [101, 200, 108, 207, 95, 194])
        // Σᵣ ⟨xᵣ, yᵣ⟩ = (1·1 + 2·2) + (3·3 + 4·4) + (5·5 + 6·6)
        #expect(backend.dotByRows(source, source) == 91 && backend.dot(source, source) == 91)
        let copy = Matrix<Double>(rows: 0, columns: 0)
        backend.copy(source, into: copy)
        backend.multiplyElements(copy, source, into: copy)
        #expect(copy.elements == [1, 4, 9, 16, 25, 36])
        backend.add(source, scaledBy: 2, to: copy)
        #expect(copy.elements == [3, 8, 15, 24, 35, 48])
        backend.fill(copy, with: 7)
        #expect(copy.elements == Array(repeating: 7, count: 6))
    }
}

struct SubnormalNumberTests {
    @Test func flushingTurnsSubnormalResultsIntoZeroAndIsUndoneAfterwards() {
        let values = Matrix<Float>([[Float.leastNormalMagnitude, 0.25]])
        // A quarter of the smallest normal number is a (slow) subnormal, not zero...
        SubnormalNumbers.flushingToZero(false) {
            #expect(values[0, 0] * values[0, 1] > 0)
            // ...unless subnormals are flushed,
            SubnormalNumbers.flushingToZero {
                #expect(values[0, 0] * values[0, 1] == 0)
            }
            // and the setting is restored when the block ends.
            #expect(values[0, 0] * values[0, 1] > 0)
        }
    }
}
