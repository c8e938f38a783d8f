import Foundation
import NumericCore

/// A score that is a known function of where a trial sits in the search box, with seeded noise:
/// for testing a strategy in milliseconds against an optimum that is known exactly.
public struct SyntheticObjective: Objective, Sendable {
    public let space: SearchSpace
    /// The score at a position of the box (each coordinate from 0 to 1).
    public let score: @Sendable ([Double]) -> Double
    /// The largest score the function takes anywhere in the box.
    public let optimum: Double
    /// The standard deviation of the Gaussian noise added to every measurement (0 for none). It
    /// is drawn from the trial's seed and number, so that a trial measures the same every time.
    public let noise: Double

    public init(space: SearchSpace, optimum: Double, noise: Double = 0, score: @escaping @Sendable ([Double]) -> Double) {
        self.space = space; self.optimum = optimum; self.noise = noise; self.score = score
    }

    public func evaluate(_ trials: [Trial]) -> [Outcome] {
        trials.map { trial in
            var generator = SeededGenerator(seed: trial.seed, stream: "synthetic noise \(trial.number)")
            let position = space.position(of: trial.hyperparameters)
            return Outcome(score: score(position) + noise * generator.nextNormal())
        }
    }

    /// The Branin function, a standard test of global optimisers, as a score: its negative, over
    /// x₁ ∈ [−5, 10] and x₂ ∈ [0, 15] mapped onto the box. Three optima, all at −0.397887.
    public static func branin(space: SearchSpace, noise: Double = 0) -> SyntheticObjective {
        SyntheticObjective(space: space, optimum: -0.397887357729738, noise: noise) { p in
            let x1 = 15 * p[0] - 5, x2 = 15 * p[1]
            let b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, t = 1 / (8 * Double.pi)
            let ridge = x2 - b * x1 * x1 + c * x1 - 6
            return -(ridge * ridge + 10 * (1 - t) * cos(x1) + 10)
        }
    }

    /// A bowl whose single optimum, a score of 1, sits at `centre` of the box; the score falls with
    /// the squared distance from it, twice as fast along the second side.
    public static func bowl(space: SearchSpace, centre: [Double], noise: Double = 0) -> SyntheticObjective {
        SyntheticObjective(space: space, optimum: 1, noise: noise) { p in
            let dx = p[0] - centre[0], dy = p[1] - centre[1]
            return 1 - 4 * (dx * dx + 2 * dy * dy)
        }
    }
}
