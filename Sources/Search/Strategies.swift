import NumericCore
import Runs

/// How a method chooses where to look: from the trials of one search seed so far, the settings to
/// try next. Strategies know nothing of training; `search` runs them against any `Objective`.
public protocol SearchStrategy: Sendable {
    var method: SearchMethod { get }
    /// The settings to try next for search seed `seed`, after its trials `done` (in order); none
    /// once the budget is spent. The same trials and seed give the same proposals.
    func next(after done: [TrialRecord], seed: UInt64) -> [Hyperparameters]
}

/// The notes' search: the whole budget at once, every trial drawn at random from the box.
public struct RandomSearch: SearchStrategy {
    public let space: SearchSpace
    public let budget: Int

    public init(space: SearchSpace, budget: Int) {
        self.space = space
        self.budget = budget
    }

    public var method: SearchMethod { .random }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Hyperparameters] {
        done.isEmpty ? (1...budget).map { space.randomPoint(seed: seed, number: $0) } : []
    }
}

/// The notes' step 4: a first round at random over the whole box (random search's first trials,
/// trial for trial), then the rest of the budget at random in the box narrowed around the best.
public struct CoarseToFine: SearchStrategy {
    public let space: SearchSpace
    public let budget: Int
    /// Trials of the first round.
    public let firstRound: Int
    /// How many of the first round's best the narrowed box is drawn around.
    public let top: Int

    public init(space: SearchSpace, budget: Int, firstRound: Int, top: Int) {
        self.space = space; self.budget = budget; self.firstRound = firstRound; self.top = top
    }

    public var method: SearchMethod { .coarseToFine }

    /// The box of the second round: around the best `top` trials of the first round that did not fail.
    public func narrowedBox(after firstRound: [TrialRecord]) -> SearchSpace {
        let best = firstRound.filter { !$0.failed }.sorted { $0.score! > $1.score! }.prefix(top)
        return best.isEmpty ? space : space.narrowed(around: best.map(\.hyperparameters))
    }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Hyperparameters] {
        if done.isEmpty { return (1...firstRound).map { space.randomPoint(seed: seed, number: $0) } }
        guard done.count == firstRound, firstRound < budget else { return [] }
        let box = narrowedBox(after: done)
        return ((firstRound + 1)...budget).map { number in
            var generator = SeededGenerator(seed: seed, stream: "coarse-to-fine trial \(number)")
            return box.sample(using: &generator)
        }
    }
}

/// Bayesian optimisation: a warm-up of random trials, then rounds of `batch` proposals from a
/// Gaussian process of the scores so far (see `BayesianOptimization.propose`). The batch is a
/// constant, so the proposals do not depend on how many trials can run at once.
public struct BayesianSearch: SearchStrategy {
    public let space: SearchSpace
    public let budget: Int
    public let warmUp: Int
    public let batch: Int

    public init(space: SearchSpace, budget: Int, warmUp: Int, batch: Int) {
        self.space = space; self.budget = budget; self.warmUp = warmUp; self.batch = batch
    }

    public var method: SearchMethod { .bayes }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Hyperparameters] {
        if done.isEmpty { return (1...warmUp).map { space.randomPoint(seed: seed, number: $0) } }
        guard done.count < budget else { return [] }
        let round = (done.count - warmUp) / batch + 1
        var generator = SeededGenerator(seed: seed, stream: "bayes round \(round)")
        let observed = done.map { (space.position(of: $0.hyperparameters), $0.score) }
        return BayesianOptimization.propose(observed: observed, count: min(batch, budget - done.count), using: &generator)
            .map(space.point(at:))
    }
}

/// Runs every strategy for every search seed against `objective` until each has spent its budget.
/// All strategies and seeds go in step: each step asks every one of them for its next trials
/// (side by side on `workers` cores: a Gaussian process takes a while to fit) and hands all of
/// them to the objective at once, so that a training objective keeps every core busy. Returns each
/// method's trials for each seed, in order.
public func search(_ strategies: [any SearchStrategy], seeds: [UInt64], objective: any Objective,
                   workers: Int = defaultWorkerCount) -> [SearchMethod: [UInt64: [TrialRecord]]] {
    var done: [SearchMethod: [UInt64: [TrialRecord]]] = [:]
    for strategy in strategies { done[strategy.method] = Dictionary(uniqueKeysWithValues: seeds.map { ($0, []) }) }
    let asks = strategies.flatMap { strategy in seeds.map { (strategy, $0) } }
    while true {
        let proposals = runInParallel(asks, workers: workers) { strategy, seed in
            strategy.next(after: done[strategy.method]![seed]!, seed: seed)
        }
        let trials = zip(asks, proposals).flatMap { ask, points in
            let (strategy, seed) = ask, count = done[strategy.method]![seed]!.count
            return points.enumerated().map { Trial(method: strategy.method, seed: seed, number: count + $0.offset + 1, hyperparameters: $0.element) }
        }
        if trials.isEmpty { return done }
        for (trial, outcome) in zip(trials, objective.evaluate(trials)) {
            done[trial.method]![trial.seed]!.append(TrialRecord(trial: trial, outcome: outcome))
        }
    }
}
