import NumericCore
import Runs

/// How a method chooses where to look: from the trials of one search seed so far, the settings to
/// try next. Strategies know nothing of training; `search` runs them against any `Objective`.
public protocol SearchStrategy: Sendable {
    var method: SearchMethod { get }
    /// The settings to try next for search seed `seed`, after its trials `done` (in order), with
    /// how long to train each; none once the budget is spent. The same trials and seed give the
    /// same proposals.
    func next(after done: [TrialRecord], seed: UInt64) -> [Proposal]
    /// Whether proposing is costly enough to keep its answers in the run cache (see `SearchDriver`).
    var isCostly: Bool { get }
    /// Trials the method runs per search seed, counting a setting once per rung it reaches.
    var budget: Int { get }
    /// How many of its first trials are random search's first trials, trial for trial: every
    /// method that starts at random shares them, so they train once.
    var randomStart: Int { get }
    /// Stages it needs: rounds whose proposals wait for the scores of the rounds before.
    var stages: Int { get }
}

extension SearchStrategy {
    public var isCostly: Bool { false }
}

/// The notes' search: the whole budget at once, every trial drawn at random from the box.
public struct RandomSearch: SearchStrategy {
    public let space: SearchSpace
    public let budget: Int
    public let method: SearchMethod

    /// Random search over `space` with `budget` trials, reported as `method` (the notes' search, or
    /// the same search given twice the budget).
    public init(space: SearchSpace, budget: Int, as method: SearchMethod = .random) {
        self.space = space
        self.budget = budget
        self.method = method
    }

    public var randomStart: Int { budget }
    public var stages: Int { 1 }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Proposal] {
        done.isEmpty ? (1...budget).map { Proposal(space.randomPoint(seed: seed, number: $0)) } : []
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
    public var randomStart: Int { firstRound }
    public var stages: Int { firstRound < budget ? 2 : 1 }

    /// The box of the second round: around the best `top` trials of the first round that did not fail.
    public func narrowedBox(after firstRound: [TrialRecord]) -> SearchSpace {
        let best = firstRound.filter { !$0.failed }.sorted { $0.score! > $1.score! }.prefix(top)
        return best.isEmpty ? space : space.narrowed(around: best.map(\.hyperparameters))
    }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Proposal] {
        if done.isEmpty { return (1...firstRound).map { Proposal(space.randomPoint(seed: seed, number: $0)) } }
        guard done.count == firstRound, firstRound < budget else { return [] }
        let box = narrowedBox(after: done)
        return ((firstRound + 1)...budget).map { number in
            var generator = SeededGenerator(seed: seed, stream: "coarse-to-fine trial \(number)")
            return Proposal(box.sample(using: &generator), stage: 1)
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
    /// Fitting a Gaussian process for every batch costs seconds: its proposals are kept.
    public var isCostly: Bool { true }

    public init(space: SearchSpace, budget: Int, warmUp: Int, batch: Int) {
        self.space = space; self.budget = budget; self.warmUp = warmUp; self.batch = batch
    }

    public var method: SearchMethod { .bayes }
    public var randomStart: Int { warmUp }
    /// The warm-up, then one stage per batch of proposals.
    public var stages: Int { 1 + (budget - warmUp + batch - 1) / batch }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Proposal] {
        if done.isEmpty { return (1...warmUp).map { Proposal(space.randomPoint(seed: seed, number: $0)) } }
        guard done.count < budget else { return [] }
        let round = (done.count - warmUp) / batch + 1
        var generator = SeededGenerator(seed: seed, stream: "bayes round \(round)")
        let observed = done.map { (space.position(of: $0.hyperparameters), $0.score) }
        return BayesianOptimization.propose(observed: observed, dimensions: space.dimensions, count: min(batch, budget - done.count),
                                            using: &generator)
            .map { Proposal(space.point(at: $0), stage: round) }
    }
}

/// Strategies and seeds going in step: each step asks every one of them for its next trials (side
/// by side on `workers` cores: a Gaussian process takes a while to fit), all of which are then
/// scored together, so that a training objective keeps every core busy. A step is a *stage* of the
/// search: the trials of one stage depend only on the stages before it.
public struct SearchDriver {
    public let strategies: [any SearchStrategy]
    public let seeds: [UInt64]
    public let workers: Int
    /// Where a costly strategy's proposals are kept (nil: computed every time). They are a pure
    /// function of the strategy, the seed, the trials done and the code, which is their key.
    public var cache: RunCache?
    /// Each method's trials for each seed so far, in order.
    public private(set) var done: [SearchMethod: [UInt64: [TrialRecord]]] = [:]
    /// Stages recorded so far.
    public private(set) var stages = 0

    public init(_ strategies: [any SearchStrategy], seeds: [UInt64], workers: Int = defaultWorkerCount, cache: RunCache? = nil) {
        self.strategies = strategies; self.seeds = seeds; self.workers = workers; self.cache = cache
        for strategy in strategies { done[strategy.method] = Dictionary(uniqueKeysWithValues: seeds.map { ($0, []) }) }
    }

    /// The trials of the next stage; none once every strategy has spent its budget.
    public func nextTrials() -> [Trial] {
        let asks = strategies.flatMap { strategy in seeds.map { (strategy, $0) } }
        let proposals = runInParallel(asks, workers: workers) { strategy, seed in
            let done = self.done[strategy.method]![seed]!
            guard strategy.isCostly, let cache else { return strategy.next(after: done, seed: seed) }
            return cache.memo("proposals", material: Self.material(strategy, seed: seed, done: done)) { strategy.next(after: done, seed: seed) }
        }
        return zip(asks, proposals).flatMap { ask, points in
            let (strategy, seed) = ask, count = done[strategy.method]![seed]!.count
            return points.enumerated().map { Trial(method: strategy.method, seed: seed, number: count + $0.offset + 1, $0.element) }
        }
    }

    /// What decides a strategy's next proposals, as text: the strategy with its settings, the
    /// seed, every trial done (where, how long, what it scored, in full precision) and the code.
    static func material(_ strategy: any SearchStrategy, seed: UInt64, done: [TrialRecord]) -> String {
        (["strategy \(String(describing: strategy))", "seed \(seed)", "code \(SourceDigest.value)"]
            + done.map { record in
                let values = Hyperparameter.allCases.map { "\(record.hyperparameters[$0])" }.joined(separator: " ")
                return "\(values) \(record.trial.epochs ?? 0) \(record.trial.stage) \(record.score.map { "\($0)" } ?? "failed")"
            })
            .joined(separator: "\n")
    }

    /// Records a stage's trials with what they scored.
    public mutating func record(_ trials: [Trial], _ outcomes: [Outcome]) {
        for (trial, outcome) in zip(trials, outcomes) { done[trial.method]![trial.seed]!.append(TrialRecord(trial: trial, outcome: outcome)) }
        stages += 1
    }
}

/// Runs every strategy for every search seed against `objective`, stage by stage, until each has
/// spent its budget. Returns each method's trials for each seed, in order.
public func search(_ strategies: [any SearchStrategy], seeds: [UInt64], objective: any Objective,
                   workers: Int = defaultWorkerCount, cache: RunCache? = nil) -> [SearchMethod: [UInt64: [TrialRecord]]] {
    var driver = SearchDriver(strategies, seeds: seeds, workers: workers, cache: cache)
    while case let trials = driver.nextTrials(), !trials.isEmpty { driver.record(trials, objective.evaluate(trials)) }
    return driver.done
}
