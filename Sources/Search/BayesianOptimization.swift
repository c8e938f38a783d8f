import NumericCore

/// Proposes where to try next, from the trials so far, by expected improvement under a Gaussian
/// process of their validation accuracies.
public enum BayesianOptimization {
    /// Random candidates per proposal, spread over the whole box.
    public static let candidates = 2000
    /// Candidates near each of the best few trials, to look closely where it is already good.
    public static let localCandidates = 50

    // BEGIN propose
    /// `count` new points of the unit box of `dimensions` sides. `observed` holds each finished
    /// trial's position and validation accuracy (nil for a failed trial, which counts as the worst
    /// accuracy seen so that the process learns to avoid its region).
    ///
    /// The rule for a batch ("kriging believer"): fit the process, take the candidate with the
    /// largest expected improvement, pretend it was measured and came out at the process's own
    /// prediction, and repeat with the process that includes it, until the batch is full. The
    /// candidates come from `generator`, so the same trials give the same proposals.
    public static func propose(observed: [([Double], Double?)], dimensions: Int, count: Int, using generator: inout SeededGenerator) -> [[Double]] {
        let worst = observed.compactMap(\.1).min() ?? 0
        let points = observed.map(\.0), values = observed.map { $0.1 ?? worst }
        var process = GaussianProcess.fitted(inputs: points, outputs: values)
        var pool = (0..<candidates).map { _ in (0..<dimensions).map { _ in generator.nextUniform() } }
        for (point, _) in zip(points, values).sorted(by: { $0.1 > $1.1 }).prefix(5) {
            pool += (0..<localCandidates).map { _ in point.map { min(max($0 + 0.05 * generator.nextNormal(), 0), 1) } }
        }
        var chosen: [[Double]] = []
        for _ in 0..<count {
            let best = process.outputs.max()!
            let scores = pool.map { candidate -> Double in
                let belief = process.posterior(at: candidate)
                return expectedImprovement(mean: belief.mean, standardDeviation: belief.variance.squareRoot(), best: best)
            }
            let pick = scores.indices.max { scores[$0] < scores[$1] }!
            let point = pool.remove(at: pick)
            chosen.append(point)
            process = process.adding(point, process.posterior(at: point).mean)
        }
        return chosen
    }
    // END propose
}
