import Runs

/// How a search picks its next trials.
public enum SearchMethod: String, Sendable, CaseIterable, Codable {
    /// The notes' search: every trial drawn at random from the whole box.
    case random
    /// The notes' step 4: half the budget at random, the other half in a box narrowed around the best.
    case coarseToFine = "coarse-to-fine"
    /// A Gaussian process of the results so far proposes where to look next.
    case bayes
    /// Successive halving in Hyperband's brackets: many settings trained briefly, the best third
    /// trained three times longer, and so on up to the full length.
    case hyperband
    /// Random search with twice the budget: the honest baseline for a method that spends less per trial.
    case randomTwice = "random-2x"
}

/// A setting a strategy wants tried, with how long to train it.
public struct Proposal: Sendable, Hashable, Codable {
    public var hyperparameters: Hyperparameters
    /// Epochs to train; nil for the search's full length.
    public var epochs: Int?
    /// The round it belongs to (0 for the first), or successive halving's rung.
    public var stage: Int
    /// Successive halving's bracket.
    public var bracket: Int?
    /// The configuration it trains: a setting tried again at a longer budget keeps its first
    /// trial's number, and with it its initial weights and mini-batches. Nil: the trial's own number.
    public var configuration: Int?

    public init(_ hyperparameters: Hyperparameters, epochs: Int? = nil, stage: Int = 0, bracket: Int? = nil, configuration: Int? = nil) {
        self.hyperparameters = hyperparameters; self.epochs = epochs; self.stage = stage; self.bracket = bracket; self.configuration = configuration
    }
}

/// One try of a search: which method's which trial, for which search seed, at which setting, for how long.
public struct Trial: Sendable, Hashable {
    public let method: SearchMethod
    /// The search seed: each seed is a whole search of its own.
    public let seed: UInt64
    /// 1 for the first trial of its method and seed.
    public let number: Int
    public let hyperparameters: Hyperparameters
    /// Epochs to train; nil for the search's full length.
    public let epochs: Int?
    /// The round (0 for the first) or rung.
    public let stage: Int
    /// Successive halving's bracket.
    public let bracket: Int?
    /// The configuration trained: this trial's number, or the first trial of the same setting.
    public let configuration: Int

    public init(method: SearchMethod, seed: UInt64, number: Int, hyperparameters: Hyperparameters, epochs: Int? = nil, stage: Int = 0,
                bracket: Int? = nil, configuration: Int? = nil) {
        self.method = method; self.seed = seed; self.number = number; self.hyperparameters = hyperparameters
        self.epochs = epochs; self.stage = stage; self.bracket = bracket; self.configuration = configuration ?? number
    }

    init(method: SearchMethod, seed: UInt64, number: Int, _ proposal: Proposal) {
        self.init(method: method, seed: seed, number: number, hyperparameters: proposal.hyperparameters, epochs: proposal.epochs,
                  stage: proposal.stage, bracket: proposal.bracket, configuration: proposal.configuration)
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
