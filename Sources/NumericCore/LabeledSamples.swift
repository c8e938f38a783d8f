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

    /// These samples followed by `other`'s (copied).
    public func appending(_ other: LabeledSamples) -> LabeledSamples {
        precondition(other.featureCount == featureCount, "samples of \(featureCount) and \(other.featureCount) features")
        let result = Matrix<Scalar>(rows: count + other.count, columns: featureCount)
        memcpy(result.base, samples.base, count * featureCount * MemoryLayout<Scalar>.stride)
        memcpy(result.base + count * featureCount, other.samples.base, other.count * featureCount * MemoryLayout<Scalar>.stride)
        return LabeledSamples(samples: result, labels: labels + other.labels)
    }

    /// The first `count` samples (all of them when there are fewer).
    public func prefix(_ count: Int) -> LabeledSamples { subset(Array(0..<min(count, self.count))) }
}
