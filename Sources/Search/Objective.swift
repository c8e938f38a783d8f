import Runs

/// How a search picks its next trials.
public enum SearchMethod: String, Sendable, CaseIterable, Codable {
    /// The notes' search: every trial drawn at random from the whole box.
    case random
    /// The notes' step 4: half the budget at random, the other half in a box narrowed around the best.
    case coarseToFine = "coarse-to-fine"
    /// A Gaussian process of the results so far proposes where to look next.
    case bayes
}

/// One try of a search: which method's which trial, for which search seed, at which setting.
public struct Trial: Sendable, Hashable, Codable {
    public let method: SearchMethod
    /// The search seed: each seed is a whole search of its own.
    public let seed: UInt64
    /// 1 for the first trial of its method and seed.
    public let number: Int
    public let hyperparameters: Hyperparameters

    public init(method: SearchMethod, seed: UInt64, number: Int, hyperparameters: Hyperparameters) {
        self.method = method; self.seed = seed; self.number = number; self.hyperparameters = hyperparameters
    }
}

/// How a trial went.
public struct Outcome: Sendable {
    /// What the search maximises (for training, validation accuracy after the last epoch); nil
    /// for a trial that failed.
    public let score: Double?
    /// The same measure on the data the trial learnt from (training accuracy), where there is one.
    public let trainingScore: Double?
    /// The epoch in which a failed trial's loss became NaN or infinite.
    public let failedEpoch: Int?
    /// The training run behind a trained trial.
    public let result: RunResult?

    public init(score: Double?, trainingScore: Double? = nil, failedEpoch: Int? = nil, result: RunResult? = nil) {
        self.score = score; self.trainingScore = trainingScore; self.failedEpoch = failedEpoch; self.result = result
    }
}

/// What a search optimises: a function from settings to a score. Training a network and measuring
/// it on validation data is one (`TrainingObjective`); a function with a known optimum is another
/// (`SyntheticObjective`), for seeing in milliseconds whether a strategy finds it.
public protocol Objective {
    /// Scores every trial, in order. The trials of one call do not depend on each other, so an
    /// objective may evaluate them side by side.
    func evaluate(_ trials: [Trial]) -> [Outcome]
}

/// A finished trial.
public struct TrialRecord: Sendable {
    public let trial: Trial
    public let outcome: Outcome

    public init(trial: Trial, outcome: Outcome) {
        self.trial = trial
        self.outcome = outcome
    }

    public var method: SearchMethod { trial.method }
    public var seed: UInt64 { trial.seed }
    public var number: Int { trial.number }
    public var hyperparameters: Hyperparameters { trial.hyperparameters }
    /// The score; nil for a failed trial.
    public var score: Double? { outcome.score }
    public var failedEpoch: Int? { outcome.failedEpoch }
    public var failed: Bool { outcome.score == nil }
}
