import Foundation

/// One quantity measured once per seed. A seed that has no value (its run diverged before the
/// point in question) is kept as NaN: it counts as missing, never as a number.
///
/// A summary remembers what its values were measured on (`sources`), and so does every summary
/// derived from it: a claim that reads it and cannot yet decide asks for more seeds of exactly
/// those runs, without anyone having to say which.
public struct SeedSummary: Sendable {
    /// One value per seed, in seed order; NaN or infinite where the seed has none.
    public let values: [Double]
    /// What the values were measured on: keys the layer that made them gives (a group's setup).
    public let sources: Set<SeedSource>

    public init(_ values: [Double], sources: Set<SeedSource> = []) { self.values = values; self.sources = sources }

    /// The values that exist.
    public var present: [Double] { values.filter(\.isFinite) }
    /// How many seeds have no value.
    public var missing: Int { values.count - present.count }
    /// Every seed has a value.
    public var isComplete: Bool { !values.isEmpty && missing == 0 }

    public var mean: Double { present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count) }
    /// The geometric mean of the present values, exp of the mean of their logarithms: the centre
    /// a log axis draws and a ratio compares. NaN where a value is not positive.
    public var geometricMean: Double {
        present.isEmpty || present.contains { $0 <= 0 } ? .nan : exp(present.map(log).reduce(0, +) / Double(present.count))
    }
    public var minimum: Double { present.min() ?? .nan }
    public var maximum: Double { present.max() ?? .nan }
    /// Sample standard deviation (n − 1) of the present values; zero for a single one.
    public var standardDeviation: Double {
        let values = present
        guard values.count > 1 else { return 0 }
        let m = mean
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }

    /// `self − other` seed by seed: the paired difference of two configurations run with the same seeds.
    public func subtracting(_ other: SeedSummary) -> SeedSummary {
        SeedSummary(zip(values, other.values).map { $0 - $1 }, sources: sources.union(other.sources))
    }

    /// The same summary with each value transformed (a ratio, a missing value replaced), measured on the same runs.
    public func map(_ transform: (Double) -> Double) -> SeedSummary {
        SeedSummary(values.map(transform), sources: sources)
    }

    /// Whether every seed of `self` lies below every seed of `other`: with a handful of seeds, the
    /// plainest test that a difference is larger than the seed-to-seed noise. A missing seed makes
    /// that impossible to say, so it is never "clearly" anything.
    public func isClearlyBelow(_ other: SeedSummary) -> Bool {
        isComplete && other.isComplete && maximum < other.minimum
    }

    /// Whether every seed of `self` lies above every seed of `other`.
    public func isClearlyAbove(_ other: SeedSummary) -> Bool { other.isClearlyBelow(self) }
}

/// What a summary's values were measured on, for a claim that needs more seeds of them: an opaque
/// key the layer above gives (the setup of a group of runs), compared by value.
public struct SeedSource: Hashable, @unchecked Sendable {
    public let key: AnyHashable

    public init<Key: Hashable & Sendable>(_ key: Key) { self.key = AnyHashable(key) }
}

/// Curves from several seeds over the same x, reduced to a centre line and a min-max band.
public struct SeedBand: Sendable {
    /// Which centre the line draws: the mean, or, for a quantity on a log axis, the geometric mean
    /// (where one seed a hundred times above the rest does not lift the line a hundredfold).
    public enum Center: Sendable { case mean, geometricMean }

    public let x: [Double]
    /// The centre line (the mean, or the geometric mean: see `Center`).
    public let mean: [Double]
    public let lower: [Double]
    public let upper: [Double]

    /// `curves[s][i]` is seed s at x[i]; curves may differ in length (a diverged run stops early),
    /// in which case each point uses the seeds that reached it.
    public init(x: [Double], curves: [[Double]], center: Center = .mean) {
        self.x = x
        var mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
        for i in x.indices {
            let values = curves.compactMap { i < $0.count && $0[i].isFinite ? $0[i] : nil }
            mean.append(center == .mean ? (values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count))
                                        : SeedSummary(values).geometricMean)
            lower.append(values.min() ?? .nan)
            upper.append(values.max() ?? .nan)
        }
        self.mean = mean; self.lower = lower; self.upper = upper
    }
}

/// Spearman's rank correlation of paired values: Pearson's correlation of their ranks, ties given
/// the mean of the ranks they share. NaN for fewer than two pairs or a side without spread.
public func spearman(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "rank correlation needs paired values")
    guard x.count >= 2 else { return .nan }
    func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var result = [Double](repeating: 0, count: v.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && v[order[end + 1]] == v[order[start]] { end += 1 }
            for k in start...end { result[order[k]] = Double(start + end) / 2 + 1 }
            start = end + 1
        }
        return result
    }
    let (rx, ry) = (ranks(x), ranks(y))
    let n = Double(x.count), mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
    let sxy = zip(rx, ry).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
    let sxx = rx.map { ($0 - mx) * ($0 - mx) }.reduce(0, +), syy = ry.map { ($0 - my) * ($0 - my) }.reduce(0, +)
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
}
