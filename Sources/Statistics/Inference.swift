import Foundation

/// A confidence interval of a mean from a handful of values (one per seed), by Student's t:
/// `mean ± t((1 + level)/2, n − 1) · s / √n`, with `s` the sample standard deviation.
public struct MeanInterval: Sendable, Equatable {
    public let mean: Double
    public let low: Double
    public let high: Double
    /// How many values it rests on.
    public let count: Int

    /// The two-sided interval of the finite `values` at `level` (0.95 by default); nil for fewer
    /// than two (no spread to measure).
    public init?(_ values: [Double], level: Double = 0.95) {
        precondition(level > 0 && level < 1, "a confidence level lies between 0 and 1")
        self.init(values) { StudentT.quantile((1 + level) / 2, degreesOfFreedom: $0) }
    }

    /// The interval whose half-width is `t(n − 1)` standard errors, for a caller that keeps its
    /// quantiles (a simulation makes thousands of intervals at one level).
    public init?(_ values: [Double], t: (_ degreesOfFreedom: Int) -> Double) {
        let present = values.filter(\.isFinite)
        guard present.count >= 2 else { return nil }
        let n = Double(present.count)
        let mean = present.reduce(0, +) / n
        let sd = (present.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let half = t(present.count - 1) * sd / n.squareRoot()
        self.mean = mean
        low = mean - half
        high = mean + half
        count = present.count
    }
}

/// Student's t distribution, as far as the intervals and the claims' simulations need it.
public enum StudentT {
    /// The distribution function: the chance that t with `df` degrees of freedom lies below `t`.
    /// From the regularised incomplete beta function, `I_x(df/2, 1/2)` with `x = df/(df + t²)`.
    public static func cdf(_ t: Double, degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "a t distribution needs at least one degree of freedom")
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let nu = Double(df)
        let tail = 0.5 * IncompleteBeta.regularized(nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The `p` quantile (0 < p < 1): the t below which a share `p` of the distribution lies.
    /// Found by bisection on `cdf` to a relative 1e-12; the 97.5% quantile is the half-width of a
    /// two-sided 95% interval in standard errors (4.303 at 2 degrees of freedom, 2.262 at 9).
    public static func quantile(_ p: Double, degreesOfFreedom df: Int) -> Double {
        precondition(p > 0 && p < 1, "a quantile lies strictly between 0 and 1")
        precondition(df >= 1, "a t distribution needs at least one degree of freedom")
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: df) }
        if p == 0.5 { return 0 }
        var low = 0.0, high = 1.0
        while cdf(high, degreesOfFreedom: df) < p { low = high; high *= 2 }
        for _ in 0..<200 where high - low > 1e-12 * high {
            let middle = (low + high) / 2
            if cdf(middle, degreesOfFreedom: df) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}

/// The regularised incomplete beta function `I_x(a, b)`, by its continued fraction (modified
/// Lentz), turned around as `1 − I_{1−x}(b, a)` where the fraction converges slowly.
enum IncompleteBeta {
    static func regularized(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logFront: Double = a * log(x) + b * log(1 - x) - logBeta
        if x < (a + 1) / (a + b + 2) { return exp(logFront) * fraction(x, a: a, b: b) / a }
        return 1 - exp(logFront) * fraction(1 - x, a: b, b: a) / b
    }

    /// The continued fraction 1/(1 + d₁/(1 + d₂/(1 + …))) of the incomplete beta function.
    private static func fraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        d = 1 / (abs(d) < tiny ? tiny : d)
        var result = d
        for m in 1...500 {
            let m = Double(m)
            let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            let odd: Double = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            for coefficient in [even, odd] {
                d = 1 + coefficient * d
                d = 1 / (abs(d) < tiny ? tiny : d)
                c = 1 + coefficient / c
                if abs(c) < tiny { c = tiny }
                result *= c * d
            }
            if abs(c * d - 1) < 1e-15 { break }
        }
        return result
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
