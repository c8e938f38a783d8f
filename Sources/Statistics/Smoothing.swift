import Foundation

/// The course's curve smoother: a weighted moving average with a normalised Kaiser window of
/// length 11 and β = 2, the series mirrored at both ends exactly as the reference's
/// `smooth_curve` does, so that "smoothed loss" means the same thing here and there.
public enum Smoothing {
    public static let windowLength = 11
    public static let beta = 2.0

    /// The Kaiser window `I₀(β √(1 − (2n/(M−1) − 1)²)) / I₀(β)`, n = 0..<M.
    public static func kaiserWindow(length: Int, beta: Double) -> [Double] {
        guard length > 1 else { return [1] }
        return (0..<length).map { n in
            let r = 2 * Double(n) / Double(length - 1) - 1
            return besselI0(beta * (1 - r * r).squareRoot()) / besselI0(beta)
        }
    }

    /// The modified Bessel function of the first kind, order zero (power series).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        while term > 1e-17 * sum {
            term *= (x / (2 * k)) * (x / (2 * k))
            sum += term
            k += 1
        }
        return sum
    }

    /// The smoothed series, as long as the input. Series shorter than the window come back unchanged.
    public static func smooth(_ x: [Double]) -> [Double] {
        let m = windowLength
        guard x.count >= m else { return x }
        let window = kaiserWindow(length: m, beta: beta)
        let total = window.reduce(0, +)
        let weights = window.map { $0 / total }
        // NumPy: s = r_[x[m-1:0:-1], x, x[-1:-m:-1]]; valid convolution; drop 5 at each end.
        let padded = Array(x[1..<m].reversed()) + x + Array(x[(x.count - m + 1)...].reversed())
        let half = m / 2
        return (0..<x.count).map { i in
            (0..<m).reduce(0) { $0 + weights[$1] * padded[i + half + $1] }
        }
    }
}
