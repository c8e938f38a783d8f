import Testing
@testable import NumericCore

struct MatrixTests {
    @Test func resizingWithinCapacityKeepsTheBuffer() {
        let m = Matrix<Float>(rows: 100, columns: 10)
        let original = m.base
        m.resize(rows: 20, columns: 10)
        m.resize(rows: 100, columns: 10)
        #expect(m.base == original)
        m.resize(rows: 200, columns: 10)
        #expect(m.count == 2000)
    }

    @Test func elementsAreReadAndWrittenByIndexOrThroughAScopedBuffer() {
        let m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(m[1, 0] == 4 && m[element: 4] == 5 && m.row(1) == [4, 5, 6])
        m[element: 2] = 30
        #expect(m[0, 2] == 30)
        m.withUnsafeMutableBufferPointer { $0[5] = 60 }
        #expect(m.withUnsafeBufferPointer { Array($0) } == [1, 2, 30, 4, 5, 60])
    }
}

/// The count a backend keeps of its products' operations, apart for training and measuring.
struct OperationCountTests {
    @Test func operationsGoToThePurposeInForceAndThePurposeIsRestored() {
        let count = OperationCount()
        count.add(10)
        count.during(.measuring) {
            count.add(5)
            count.during(.training) { count.add(1) }
            count.add(2)
        }
        count.add(3)
        #expect(count.training == 14 && count.measuring == 7 && count.total == 21 && count.purpose == .training)
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

struct MatrixViewTests {
    @Test func aViewShowsRowsInPlaceWithoutCopying() {
        let data = Matrix<Float>([[1, 2], [3, 4], [5, 6], [7, 8]])
        let view = Matrix(viewing: data)
        view.show(rows: 2, of: data, from: 1)
        #expect(view.rows == 2 && view.columns == 2 && view.elements == [3, 4, 5, 6])
        #expect(view.base == data.base + 2)
        data[2, 0] = 50
        #expect(view[1, 0] == 50)
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
