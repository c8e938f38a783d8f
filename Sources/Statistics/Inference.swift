import Foundation

/// A 95% confidence interval of a mean from a handful of values (one per seed), by Student's t:
/// `mean ± t(0.975, n − 1) · s / √n`, with `s` the sample standard deviation.
public struct MeanInterval: Sendable, Equatable {
    public let mean: Double
    public let low: Double
    public let high: Double
    /// How many values it rests on.
    public let count: Int

    /// The interval of the finite `values`; nil for fewer than two (no spread to measure).
    public init?(_ values: [Double]) {
        let present = values.filter(\.isFinite)
        guard present.count >= 2 else { return nil }
        let n = Double(present.count)
        let mean = present.reduce(0, +) / n
        let sd = (present.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let half = StudentT.quantile975(degreesOfFreedom: present.count - 1) * sd / n.squareRoot()
        self.mean = mean
        low = mean - half
        high = mean + half
        count = present.count
    }
}

/// Student's t distribution, as far as the intervals need it.
public enum StudentT {
    /// t(0.975, df) for df = 1...30, from the standard tables.
    static let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                  2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]

    /// The 97.5% quantile: the half-width of a two-sided 95% interval in standard errors. Beyond
    /// 30 degrees of freedom, the normal value with Cornish-Fisher's first correction.
    public static func quantile975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "a t quantile needs at least one degree of freedom")
        if df <= table.count { return table[df - 1] }
        let z = 1.959964, d = Double(df)
        return z + (z * z * z + z) / (4 * d)
    }
}

/// The standard error of an accuracy `p` measured on `count` images: `√(p(1 − p)/count)`, and
/// never less than one image's worth, `1/count`. A difference smaller than this is not resolved
/// by the evaluation set, whatever the seeds say.
public func accuracyResolution(_ p: Double, count: Int) -> Double {
    guard count > 0 else { return .infinity }
    let clamped = min(max(p.isFinite ? p : 0.5, 0), 1)
    return max((clamped * (1 - clamped) / Double(count)).squareRoot(), 1 / Double(count))
}
