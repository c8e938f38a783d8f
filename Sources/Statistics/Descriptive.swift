import Foundation

/// Descriptive statistics of one sample (a layer's outputs, a value per layer), as the chapters read them.
public enum Descriptive {
    /// The mean; NaN for no values.
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The standard deviation of the values as a whole population (divided by n, not n − 1): the
    /// spread of a layer's outputs, which are all there is, not a sample of something larger.
    public static func populationStandardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }

    /// How lopsided the values are: the absolute skewness `|E[(x − μ)³]| / σ³`, zero for values
    /// symmetric about their mean, and for values that do not vary.
    public static func absoluteSkewness(_ values: [Double]) -> Double {
        let n = Double(values.count), mean = values.reduce(0, +) / n
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
        guard variance > 0 else { return 0 }
        return abs(values.map { ($0 - mean) * ($0 - mean) * ($0 - mean) }.reduce(0, +) / n) / pow(variance, 1.5)
    }

    /// The least-squares slope of the values against their position (1, 2, ...): a trend with
    /// depth, where the last values alone cannot tell a trend from a level. NaN for fewer than two.
    public static func slope(_ values: [Double]) -> Double {
        slope(x: values.indices.map { Double($0 + 1) }, y: values)
    }

    /// The least-squares slope of `y` against `x` (pairs in order). NaN for fewer than two points or
    /// an `x` that does not vary.
    public static func slope(x: [Double], y: [Double]) -> Double {
        precondition(x.count == y.count, "as many x as y")
        let n = Double(x.count)
        guard n >= 2 else { return .nan }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : .nan
    }
}
