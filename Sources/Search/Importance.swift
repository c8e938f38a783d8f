import Foundation

/// How much of the variation of the score over the search box each hyperparameter explains, read
/// off a Gaussian process fitted to the trials (a functional ANOVA of its mean, as fANOVA does on
/// a forest): the variance of the mean over a grid of the box, split into what varies with the
/// learning rate alone, with the weight decay alone, and with the two together.
public struct Importance: Sendable {
    /// The fitted process's mean over a `size` × `size` grid of the box: `mean[j][i]` at position
    /// ((i + ½)/size, (j + ½)/size), learning rate along i, weight decay along j.
    public let mean: [[Double]]
    /// Shares of the variance of `mean` (they add up to 1).
    public let learningRate: Double
    public let weightDecay: Double
    public let interaction: Double
    /// The fitted length scales, in the box's units: a long one says the score hardly changes along that side.
    public let lengthScales: [Double]

    /// From trials' positions in the box and their scores (a failed trial counts as the worst score).
    public init(positions: [[Double]], scores: [Double?], size: Int = 40) {
        let worst = scores.compactMap { $0 }.min() ?? 0
        let process = GaussianProcess.fitted(inputs: positions, outputs: scores.map { $0 ?? worst })
        let centres = (0..<size).map { (Double($0) + 0.5) / Double(size) }
        let grid = centres.map { v in centres.map { u in process.posterior(at: [u, v]).mean } }
        let all = grid.flatMap { $0 }
        let overall = all.reduce(0, +) / Double(all.count)
        func variance(_ values: [Double]) -> Double { values.map { ($0 - overall) * ($0 - overall) }.reduce(0, +) / Double(values.count) }
        let total = variance(all)
        let alongRate = (0..<size).map { i in grid.map { $0[i] }.reduce(0, +) / Double(size) }    // mean over weight decay
        let alongDecay = grid.map { $0.reduce(0, +) / Double(size) }                             // mean over learning rate
        let (rate, decay) = (variance(alongRate), variance(alongDecay))
        mean = grid
        learningRate = total > 0 ? rate / total : 0
        weightDecay = total > 0 ? decay / total : 0
        interaction = total > 0 ? max(0, 1 - learningRate - weightDecay) : 0
        lengthScales = process.lengthScales
    }
}
