import Formatting
import Foundation

/// How an axis maps data to position.
public enum AxisScale: Sendable, Hashable {
    case linear
    case logarithmic

    func transform(_ v: Double) -> Double { self == .linear ? v : log10(v) }
    func inverse(_ v: Double) -> Double { self == .linear ? v : pow(10, v) }
    func accepts(_ v: Double) -> Bool { v.isFinite && (self == .linear || v > 0) }
}

/// Tick positions at "nice" numbers and their labels.
public enum Ticks {
    /// Steps of 1, 2 or 5 times a power of ten, about `target` of them across `range`.
    public static func linear(_ range: ClosedRange<Double>, target: Int = 6) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let step = niceStep(span / Double(max(target - 1, 1)))
        let first = (range.lowerBound / step).rounded(.up) * step
        var ticks: [Double] = []
        var v = first
        while v <= range.upperBound + step * 1e-9 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return ticks
    }

    /// The 1-2-5 step closest above `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, floor(log10(raw)))
        for multiple in [1.0, 2, 5, 10] where multiple * magnitude >= raw * 0.999 { return multiple * magnitude }
        return 10 * magnitude
    }

    /// `range` widened to the nearest value of the form 1, 2 or 5 × 10ᵏ at or beyond each end:
    /// where a log axis's labels fall, so that the axis's first and last labels hold the data.
    public static func logarithmicEnclosing(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        let multiples: [Double] = [1, 2, 5, 10]
        func below(_ v: Double) -> Double {
            let e = floor(log10(v)), m = v / pow(10, e)
            return (multiples.last { $0 <= m * (1 + 1e-9) } ?? 1) * pow(10, e)
        }
        func above(_ v: Double) -> Double {
            let e = floor(log10(v)), m = v / pow(10, e)
            return (multiples.first { $0 >= m * (1 - 1e-9) } ?? 10) * pow(10, e)
        }
        return below(range.lowerBound)...above(range.upperBound)
    }

    /// Powers of ten inside the range (every k-th when there are many decades); where that gives
    /// fewer than three ticks, also 2 and 5 times them, then every integer multiple.
    public static func logarithmic(_ range: ClosedRange<Double>) -> [Double] {
        let low = Int(floor(log10(range.lowerBound))), high = Int(ceil(log10(range.upperBound)))
        let decades = high - low
        let stride = max(1, (decades + 9) / 10)
        func ticks(_ multiples: [Double], every: Int) -> [Double] {
            var result: [Double] = []
            // Thinned ticks sit on exponents that are multiples of the stride (10⁻⁴, 10⁻², 10⁰), not on odd ones.
            let first = Int((Double(low) / Double(every)).rounded(.down)) * every
            for e in Swift.stride(from: first, through: high, by: every) {
                for m in multiples {
                    let v = m * pow(10, Double(e))
                    if v >= range.lowerBound * (1 - 1e-9) && v <= range.upperBound * (1 + 1e-9) { result.append(v) }
                }
            }
            return result
        }
        // Enough ticks, and none of the axis's ends more than 30% of its length from the nearest
        // tick, so that no point sits far beyond the last labelled value.
        let span = log10(range.upperBound) - log10(range.lowerBound)
        func covers(_ ticks: [Double]) -> Bool {
            guard let first = ticks.first, let last = ticks.last else { return false }
            return log10(first) - log10(range.lowerBound) <= 0.3 * span && log10(range.upperBound) - log10(last) <= 0.3 * span
        }
        let everyInteger: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let choices: [[Double]] = [[1], [1, 2, 5], [1, 2, 3, 5], everyInteger]
        for multiples in choices {
            let candidate = ticks(multiples, every: multiples.count == 1 ? stride : 1)
            if candidate.count >= 3 && (covers(candidate) || span >= 2) { return candidate }
        }
        return ticks(everyInteger, every: 1)
    }

    /// A label with as many decimals as the spacing of `ticks` needs. On a log axis whose ticks are
    /// all powers of ten, "10⁻³"; where other ticks sit between them, plain numbers throughout.
    public static func label(_ value: Double, among ticks: [Double], scale: AxisScale) -> String {
        if scale == .logarithmic {
            func isPowerOfTen(_ v: Double) -> Bool { abs(log10(v) - log10(v).rounded()) < 1e-9 }
            if isPowerOfTen(value) && ticks.allSatisfy(isPowerOfTen) { return Format.powerOfTen(Int(log10(value).rounded())) }
            return Format.significant(value)
        }
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : max(abs(value), 1)
        let largest = ticks.map(abs).max() ?? abs(value)
        if largest >= 1e5 || (largest > 0 && largest < 1e-3) { return Format.significant(value) }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return Format.fixed(value, decimals: decimals)
    }
}
