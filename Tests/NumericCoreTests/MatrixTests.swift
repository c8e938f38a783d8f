import Testing
@testable import NumericCore

struct MatrixTests {
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
        let c = Matrix<Double>(rows: 0, columns: 0)
        c.assignProduct(Matrix(left), Matrix(right), transposeA: transposeA, transposeB: transposeB)
        #expect(c.rows == 2 && c.columns == 2)
        #expect(c.elements == Self.naiveProduct(a, b).flatMap { $0 })
    }

    @Test func productAccumulatesWithBeta() {
        let c = Matrix<Float>([[1, 1]])
        c.assignProduct(Matrix([[2]]), Matrix([[3, 4]]), alpha: 2, beta: 1)
        #expect(c.elements == [13, 17])
    }

    @Test func rowAndColumnKernels() {
        let m = Matrix<Float>([[1, 2, 3], [4, 5, 6]])
        let bias = Matrix<Float>([[10, 20, 30]])
        Float.broadcastRow(bias.base, into: m.base, rows: 2, columns: 3)
        #expect(m.elements == [10, 20, 30, 10, 20, 30])
        m.assignProduct(Matrix([[1], [2]]), Matrix([[1, 2, 3]]), beta: 1)   // the biases first, then the product added
        #expect(m.elements == [11, 22, 33, 12, 24, 36])
        let sums = Matrix<Float>(rows: 1, columns: 3)
        Float.sumColumns(m.base, rows: 2, columns: 3, into: sums.base)
        #expect(sums.elements == [23, 46, 69])
        // A block of columns scaled in place, rows `stride` apart; the transpose.
        Float.scaleBlock(m.base + 1, rows: 2, columns: 2, stride: 3, by: -1)
        #expect(m.elements == [11, -22, -33, 12, -24, -36])
        let t = Matrix<Float>(rows: 3, columns: 2)
        Float.transpose(m.base, rows: 2, columns: 3, into: t.base)
        #expect(t.elements == [11, 12, -22, -24, -33, -36])
        var best = [0, 0]
        let scores = Matrix<Float>([[0, 5, 5], [9, 1, 2]])
        Float.argmaxRows(scores.base, rows: 2, columns: 3, into: &best)
        #expect(best == [1, 0])
        #expect(Matrix<Float>([[1, .nan]]).isFinite == false)
        let expectedSquares: Float = 121 + 484 + 1089 + 144 + 576 + 1296
        #expect(m.sumOfSquares == expectedSquares)
    }

    @Test func resizingWithinCapacityKeepsTheBuffer() {
        let m = Matrix<Float>(rows: 100, columns: 10)
        let original = m.base
        m.resize(rows: 20, columns: 10)
        m.resize(rows: 100, columns: 10)
        #expect(m.base == original)
        m.resize(rows: 200, columns: 10)
        #expect(m.count == 2000)
    }
}

struct SeededGeneratorTests {
    @Test func sameSeedSameSequence() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9), c = SeededGenerator(seed: 10)
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
    }

    @Test func streamsOfOneSeedDiffer() {
        var a = SeededGenerator(seed: 1, stream: "initial weights"), b = SeededGenerator(seed: 1, stream: "mini-batches")
        #expect(a.next() != b.next())
    }

    @Test func normalSamplesHaveUnitVariance() {
        var g = SeededGenerator(seed: 3)
        let samples = (0..<200_000).map { _ in g.nextNormal() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.01)
    }

    @Test func uniformAndChoiceStayInRange() {
        var g = SeededGenerator(seed: 4)
        let u = (0..<10_000).map { _ in g.nextUniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        let picks = (0..<5000).map { _ in g.nextIndex(below: 7) }
        #expect(Set(picks) == Set(0..<7))
        #expect(g.permutation(of: 50).sorted() == Array(0..<50))
    }
}

struct SubnormalNumberTests {
    @Test func flushingTurnsSubnormalResultsIntoZeroAndIsUndoneAfterwards() {
        let values = Matrix<Float>([[Float.leastNormalMagnitude, 0.25]])
        // A quarter of the smallest normal number is a (slow) subnormal, not zero...
        SubnormalNumbers.flushingToZero(false) {
            #expect(values.base[0] * values.base[1] > 0)
            // ...unless subnormals are flushed,
            SubnormalNumbers.flushingToZero {
                #expect(values.base[0] * values.base[1] == 0)
            }
            // and the setting is restored when the block ends.
            #expect(values.base[0] * values.base[1] > 0)
        }
    }
}

struct MatrixViewTests {
    @Test func aViewShowsRowsInPlaceWithoutCopying() {
        let data = Matrix<Float>([[1, 2], [3, 4], [5, 6], [7, 8]])
        let view = Matrix(viewing: data)
        view.show(rows: 2, of: data, from: 1)
        #expect(view.rows == 2 && view.columns == 2 && view.elements == [3, 4, 5, 6])
        #expect(view.base == data.base + 2)
        data[2, 0] = 50
        #expect(view[1, 0] == 50)
        // A product reads the view like any matrix.
        let product = Matrix<Float>(rows: 0, columns: 0)
        product.assignProduct(view, Matrix([[1], [1]]))
        #expect(product.elements == [7, 56])
        // Shrinking a view is allowed; the data it viewed stays whole.
        view.resize(rows: 1, columns: 2)
        #expect(view.elements == [3, 4] && data.count == 8)
    }
}

/// Samples shown in place: the rows asked for, with their labels, alive after their source is gone.
struct LabeledSamplesTests {
    @Test func rowsAreShownInPlaceAndOutliveTheirSource() {
        var rows: LabeledSamples<Float>
        do {
            let all = LabeledSamples(samples: Matrix<Float>([[1, 2], [3, 4], [5, 6], [7, 8]]), labels: [0, 1, 2, 3])
            rows = all.rows(1..<3)
            #expect(rows.samples.base == all.samples.base + 2)   // no copy: the source's own storage
        }
        // The source's last reference is gone; the view keeps its storage.
        #expect(rows.count == 2 && rows.featureCount == 2)
        #expect(rows.samples.elements == [3, 4, 5, 6] && rows.labels == [1, 2])
        rows = rows.rows(1..<2)
        #expect(rows.samples.elements == [5, 6] && rows.labels == [2])
    }

    @Test func newMatricesHoldTheValueAskedFor() {
        #expect(Matrix<Float>(rows: 3, columns: 5).elements == Array(repeating: 0, count: 15))
        #expect(Matrix<Double>(rows: 2, columns: 2, repeating: -1.5).elements == [-1.5, -1.5, -1.5, -1.5])
    }
}
