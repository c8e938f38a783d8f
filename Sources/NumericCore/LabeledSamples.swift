import Foundation
/// Samples (one per row) with an integer class label each.
public struct LabeledSamples<Scalar: MatrixScalar>: @unchecked Sendable {
    public let samples: Matrix<Scalar>
    public let labels: [Int]

    public init(samples: Matrix<Scalar>, labels: [Int]) {
        precondition(samples.rows == labels.count, "\(samples.rows) samples but \(labels.count) labels")
        self.samples = samples
        self.labels = labels
    }

    public var count: Int { labels.count }
    public var featureCount: Int { samples.columns }

    /// The samples at `indices`, in that order (copied).
    public func subset(_ indices: [Int]) -> LabeledSamples {
        let result = Matrix<Scalar>(rows: indices.count, columns: samples.columns)
        for (row, index) in indices.enumerated() {
            memcpy(result.base + row * samples.columns, samples.base + index * samples.columns, samples.columns * MemoryLayout<Scalar>.stride)
        }
        return LabeledSamples(samples: result, labels: indices.map { labels[$0] })
    }

    /// The samples at rows `range`, shown in place (a view of these samples' matrix, which it keeps
    /// alive): a probe that measures many networks on the same rows copies nothing.
    public func rows(_ range: Range<Int>) -> LabeledSamples {
        let view = Matrix(viewing: samples)
        view.show(rows: range.count, of: samples, from: range.lowerBound)
        return LabeledSamples(samples: view, labels: Array(labels[range]))
    }

    /// The first `count` samples (all of them when there are fewer).
    public func prefix(_ count: Int) -> LabeledSamples { subset(Array(0..<min(count, self.count))) }
}
