import Foundation

/// The learning rate as a function of the step: what every optimizer's `learningRate` is set to
/// before each update, from the rate it was made with (`base`). Constant unless a run asks for
/// another; any optimizer follows any schedule, and so does the dual form of SGD.
public enum LearningRateSchedule: Sendable, Hashable, Codable {
    /// The base rate at every step.
    case constant
    /// The base rate times `factor` once per `every` steps: `η₀ · factor^⌊t / every⌋`.
    case stepDecay(every: Int, factor: Double)
    /// Half a cosine from the base rate down to `floor` times it over `steps` steps, then `floor`
    /// times it: `η₀ (floor + (1 − floor) (1 + cos(π t / steps)) / 2)`.
    case cosine(steps: Int, floor: Double = 0)
    /// A linear rise to the base rate over the first `steps` steps, `η₀ (t + 1) / steps`, then the base rate.
    case warmUp(steps: Int)

    /// The rate for step `t` (0 for the first step) of a run whose optimizer was made with `base`.
    public func rate(_ base: Double, atStep t: Int) -> Double {
        switch self {
        case .constant:
            return base
        case let .stepDecay(every, factor):
            return base * pow(factor, Double(t / max(every, 1)))
        case let .cosine(steps, floor):
            let progress = min(Double(t) / Double(max(steps, 1)), 1)
            return base * (floor + (1 - floor) * (1 + cos(Double.pi * progress)) / 2)
        case let .warmUp(steps):
            return t < steps ? base * Double(t + 1) / Double(steps) : base
        }
    }
}
