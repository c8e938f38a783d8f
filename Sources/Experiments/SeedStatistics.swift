import Foundation

/// Mean, spread and extremes of one quantity measured once per seed.
public struct SeedSummary: Sendable {
    public let values: [Double]

    public init(_ values: [Double]) { self.values = values }

    public var mean: Double { values.reduce(0, +) / Double(max(values.count, 1)) }
    public var minimum: Double { values.min() ?? .nan }
    public var maximum: Double { values.max() ?? .nan }
    /// Sample standard deviation (n − 1); zero for a single seed.
    public var standardDeviation: Double {
        guard values.count > 1 else { return 0 }
        let m = mean
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }

    /// Whether every seed of `self` lies below every seed of `other`: with a handful of seeds,
    /// the plainest test that a difference is larger than the seed-to-seed noise.
    public func isClearlyBelow(_ other: SeedSummary) -> Bool { maximum < other.minimum }
}

/// Curves from several seeds over the same x, reduced to a mean line and a min-max band.
public struct SeedBand: Sendable {
    public let x: [Double]
    public let mean: [Double]
    public let lower: [Double]
    public let upper: [Double]

    /// `curves[s][i]` is seed s at x[i]; curves may differ in length (a diverged run stops early),
    /// in which case each point uses the seeds that reached it.
    public init(x: [Double], curves: [[Double]]) {
        self.x = x
        var mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for i in x.indices {
            let values = curves.compactMap { i < $0.count && $0[i].isFinite ? $0[i] : nil }
            mean.append(values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count))
            lower.append(values.min() ?? .nan)
            upper.append(values.max() ?? .nan)
        }
        self.mean = mean; self.lower = lower; self.upper = upper
    }
}
