import Formatting
import Foundation
import NumericCore

/// A learning rate and a weight-decay strength: what the search tunes.
public struct Hyperparameters: Sendable, Hashable, Codable {
    public var learningRate: Double
    public var weightDecay: Double

    public init(learningRate: Double, weightDecay: Double) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// "lr 6.2e-3, wd 3.1e-7"
    public var summary: String { "lr \(Format.scientific(learningRate)), wd \(Format.scientific(weightDecay))" }
}

/// Where a search looks: a box in log10 units, learning rate 10^u and weight decay 10^v, as the
/// notes' search samples them.
public struct SearchSpace: Sendable, Hashable, Codable {
    /// Exponents of ten.
    public var learningRate: ClosedRange<Double>
    public var weightDecay: ClosedRange<Double>

    public init(learningRate: ClosedRange<Double>, weightDecay: ClosedRange<Double>) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// The notes' ranges: learning rate 10^U(−6, −2), weight decay 10^U(−8, −4).
    public static let notes = SearchSpace(learningRate: -6 ... -2, weightDecay: -8 ... -4)

    /// A point drawn uniformly in log space.
    public func sample(using generator: inout SeededGenerator) -> Hyperparameters {
        point(at: [generator.nextUniform(), generator.nextUniform()])
    }

    /// Trial `number` of a random search of search seed `seed`, drawn from a stream of its own, so
    /// that it is the same point whatever else runs, and every method that starts at random starts
    /// with the same points.
    public func randomPoint(seed: UInt64, number: Int) -> Hyperparameters {
        var generator = SeededGenerator(seed: seed, stream: "random trial \(number)")
        return sample(using: &generator)
    }

    /// The point at relative position `p` (0...1 along each side of the box).
    public func point(at p: [Double]) -> Hyperparameters {
        Hyperparameters(learningRate: pow(10, learningRate.lowerBound + p[0] * (learningRate.upperBound - learningRate.lowerBound)),
                        weightDecay: pow(10, weightDecay.lowerBound + p[1] * (weightDecay.upperBound - weightDecay.lowerBound)))
    }

    /// Where `h` sits in the box, 0...1 along each side.
    public func position(of h: Hyperparameters) -> [Double] {
        [(log10(h.learningRate) - learningRate.lowerBound) / (learningRate.upperBound - learningRate.lowerBound),
         (log10(h.weightDecay) - weightDecay.lowerBound) / (weightDecay.upperBound - weightDecay.lowerBound)]
    }

    // BEGIN narrowing
    /// The notes' step 4 as a rule: the smallest box (in log10 units) that holds `best`, widened on
    /// each side by a quarter of its width or a quarter of a decade, whichever is more, and kept
    /// inside this box.
    public func narrowed(around best: [Hyperparameters]) -> SearchSpace {
        func range(_ exponents: [Double], within outer: ClosedRange<Double>) -> ClosedRange<Double> {
            let low = exponents.min()!, high = exponents.max()!
            let margin = max((high - low) / 4, 0.25)
            return max(low - margin, outer.lowerBound)...min(high + margin, outer.upperBound)
        }
        return SearchSpace(learningRate: range(best.map { log10($0.learningRate) }, within: learningRate),
                           weightDecay: range(best.map { log10($0.weightDecay) }, within: weightDecay))
    }
    // END narrowing

    /// "lr 10^−6…10^−2, wd 10^−8…10^−4"
    public var summary: String {
        func side(_ r: ClosedRange<Double>) -> String { "10^\(Format.exponent(r.lowerBound))…10^\(Format.exponent(r.upperBound))" }
        return "lr \(side(learningRate)), wd \(side(weightDecay))"
    }
}
