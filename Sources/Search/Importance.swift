import Foundation

/// How much of the variation of the score over the search box each hyperparameter explains, read
/// off a Gaussian process fitted to the trials (a functional ANOVA of its mean, as fANOVA does on
/// a forest): the variance of the mean over a grid of the box, split into what varies with each
/// side alone (its main effect) and what is left, which varies with several together.
public struct Importance: Sendable {
    /// The sides of the box, in the order of the trials' positions.
    public let parameters: [Hyperparameter]
    /// Grid points along each side.
    public let size: Int
    /// The fitted process's mean over the first two sides, averaged over any others: `mean[j][i]`
    /// at position ((i + ½)/size, (j + ½)/size), the first side along i, the second along j (a
    /// single row for a one-sided box).
    public let mean: [[Double]]
    /// Each side's share of the variance of the mean (with `interaction`, they add up to 1).
    public let shares: [Hyperparameter: Double]
    /// The share no side explains alone.
    public let interaction: Double
    /// The fitted length scales, in the box's units: a long one says the score hardly changes along that side.
    public let lengthScales: [Double]

    /// From trials' positions in the box whose sides are `parameters`, and their scores (a failed
    /// trial counts as the worst score). The grid has `size` points a side for up to two sides,
    /// fewer for more, so that it stays near 64,000 points.
    public init(parameters: [Hyperparameter], positions: [[Double]], scores: [Double?], size: Int = 40) {
        let d = parameters.count
        precondition(d >= 1 && positions.allSatisfy { $0.count == d }, "every position needs one coordinate per side")
        let size = d <= 2 ? size : max(4, Int(pow(64_000, 1 / Double(d))))
        let worst = scores.compactMap { $0 }.min() ?? 0
        let process = GaussianProcess.fitted(inputs: positions, outputs: scores.map { $0 ?? worst })
        let centres = (0..<size).map { (Double($0) + 0.5) / Double(size) }
        let count = Int(pow(Double(size), Double(d)))
        // Point k of the grid: coordinate s is digit s of k in base `size`, the first side fastest.
        func coordinate(_ k: Int, _ s: Int) -> Int { (k / Int(pow(Double(size), Double(s)))) % size }
        let all = (0..<count).map { k in process.posterior(at: (0..<d).map { centres[coordinate(k, $0)] }).mean }
        let overall = all.reduce(0, +) / Double(count)
        func variance(_ values: [Double]) -> Double { values.map { ($0 - overall) * ($0 - overall) }.reduce(0, +) / Double(values.count) }
        let total = variance(all)
        // Side s's main effect: the mean at each of its grid positions, averaged over every other side.
        func along(_ s: Int) -> [Double] {
            var sums = [Double](repeating: 0, count: size)
            for k in 0..<count { sums[coordinate(k, s)] += all[k] }
            return sums.map { $0 / Double(count / size) }
        }
        let main = (0..<d).map { total > 0 ? variance(along($0)) / total : 0 }
        self.parameters = parameters
        self.size = size
        shares = Dictionary(uniqueKeysWithValues: zip(parameters, main))
        interaction = total > 0 ? max(0, 1 - main.reduce(0, +)) : 0
        lengthScales = process.lengthScales
        let rows = d == 1 ? 1 : size
        var surface = [[Double]](repeating: [Double](repeating: 0, count: size), count: rows)
        for k in 0..<count { surface[d == 1 ? 0 : coordinate(k, 1)][coordinate(k, 0)] += all[k] }
        let folded = Double(count / (size * rows))
        mean = surface.map { $0.map { $0 / folded } }
    }

    /// `parameter`'s share of the variance (0 if the box does not tune it).
    public func share(_ parameter: Hyperparameter) -> Double { shares[parameter] ?? 0 }
}
