import Foundation
import NumericCore
import Statistics
import Testing
import Runs
@testable import Search

/// The strategies against functions whose optimum is known: no training, milliseconds a search.
struct StrategyTests {
    static let box = SearchSpace(learningRate: -6 ... -2, weightDecay: -8 ... -4)
    static let seeds: [UInt64] = Array(1...10)

    /// How far below the optimum each seed's best score ends.
    static func regrets(_ strategy: any SearchStrategy, on objective: SyntheticObjective, seeds: [UInt64] = seeds) -> [Double] {
        let trials = search([strategy], seeds: seeds, objective: objective, workers: 2)[strategy.method]!
        return seeds.map { seed in objective.optimum - trials[seed]!.compactMap(\.score).max()! }
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    @Test(arguments: [0.0, 0.01])
    func everyStrategyFindsTheTopOfABowlWithinItsBudget(noise: Double) {
        // The optimum sits off-centre; the score falls by 0.04 a tenth of the box away from it, 0.16 at a fifth.
        let bowl = SyntheticObjective.bowl(space: Self.box, centre: [0.7, 0.3], noise: noise)
        // What each may miss by on any seed: random search draws blindly (its best of 60 lies within a fifth
        // of the box); narrowing the box and modelling the scores get within a tenth, and a twentieth.
        let strategies: [(any SearchStrategy, Double)] = [(RandomSearch(space: Self.box, budget: 60), 0.16),
                                                          (CoarseToFine(space: Self.box, budget: 60, firstRound: 30, top: 3), 0.04),
                                                          (BayesianSearch(space: Self.box, budget: 60, warmUp: 6, batch: 4), 0.01 + 2 * noise)]
        for (strategy, tolerance) in strategies {
            let regrets = Self.regrets(strategy, on: bowl)
            #expect(regrets.allSatisfy { $0 < tolerance }, "\(strategy.method) with noise \(noise): \(regrets)")
        }
    }

    @Test func bayesianOptimisationGetsCloserThanRandomSearchOnTheSameBudget() {
        // Branin: three optima in a curved valley, the standard test of global optimisers.
        let branin = SyntheticObjective.branin(space: Self.box)
        let random = Self.regrets(RandomSearch(space: Self.box, budget: 30), on: branin)
        let bayes = Self.regrets(BayesianSearch(space: Self.box, budget: 30, warmUp: 6, batch: 4), on: branin)
        // Over ten seeds, Bayesian optimisation ends closer on average and on most seeds, by a margin.
        #expect(Self.mean(bayes) < Self.mean(random) / 3, "regret: bayes \(Self.mean(bayes)), random \(Self.mean(random))")
        #expect(zip(bayes, random).filter { $0 < $1 }.count >= 8, "bayes \(bayes), random \(random)")
        // And it finds an optimum itself: within 0.3 of Branin's minimum (over a range of about 300) on every seed.
        #expect(bayes.allSatisfy { $0 < 0.3 }, "\(bayes)")
    }

    @Test func coarseToFineSearchesTheBoxAroundItsBestFirstRoundTrials() {
        let bowl = SyntheticObjective.bowl(space: Self.box, centre: [0.2, 0.8])
        let coarse = CoarseToFine(space: Self.box, budget: 20, firstRound: 10, top: 2)
        let trials = search([coarse, RandomSearch(space: Self.box, budget: 20)], seeds: [3], objective: bowl, workers: 1)
        let mine = trials[.coarseToFine]![3]!, random = trials[.random]![3]!
        #expect(mine.map(\.number) == Array(1...20))
        // The first round is random search's first ten trials, trial for trial.
        #expect(mine.prefix(10).map(\.hyperparameters) == random.prefix(10).map(\.hyperparameters))
        // The second round stays inside the box drawn around the two best of the first.
        let box = coarse.narrowedBox(after: Array(mine.prefix(10)))
        let best = mine.prefix(10).sorted { $0.score! > $1.score! }.prefix(2).map(\.hyperparameters)
        #expect(box == Self.box.narrowed(around: best))
        for trial in mine.dropFirst(10) {
            let p = trial.hyperparameters
            #expect(box[.learningRate]!.contains(log10(p[.learningRate])) && box[.weightDecay]!.contains(log10(p[.weightDecay])))
        }
    }

    /// An objective that keeps the batches it is given.
    final class Recording: Objective {
        let inner: SyntheticObjective
        var batches: [[Trial]] = []
        init(_ inner: SyntheticObjective) { self.inner = inner }
        func evaluate(_ trials: [Trial]) -> [Outcome] {
            batches.append(trials)
            return inner.evaluate(trials)
        }
    }

    @Test func strategiesGoInStepAndTheirProposalsDoNotDependOnTheWorkers() {
        let bowl = SyntheticObjective.bowl(space: Self.box, centre: [0.5, 0.5], noise: 0.02)
        let strategies: [any SearchStrategy] = [RandomSearch(space: Self.box, budget: 10),
                                                BayesianSearch(space: Self.box, budget: 10, warmUp: 4, batch: 3)]
        let one = Recording(bowl), two = Recording(bowl)
        let a = search(strategies, seeds: [1, 2], objective: one, workers: 1)
        let b = search(strategies, seeds: [1, 2], objective: two, workers: 2)
        for method in [SearchMethod.random, .bayes] {
            for seed: UInt64 in [1, 2] { #expect(a[method]![seed]!.map(\.trial) == b[method]![seed]!.map(\.trial)) }
        }
        // First every random trial and every warm-up, for both seeds, in one batch; then rounds of
        // three proposals per seed, the last one cut to what is left of the budget.
        #expect(one.batches.map(\.count) == [2 * 10 + 2 * 4, 2 * 3, 2 * 3])
        #expect(one.batches[1].allSatisfy { $0.method == .bayes } && one.batches[1].map(\.number) == [5, 6, 7, 5, 6, 7])
    }

    /// The box is not two-sided by construction: over the learning rate alone, every method runs,
    /// proposes inside the one side, leaves the weight decay at its standard value (none), and
    /// takes exactly the trials, stages and random start its strategy says beforehand.
    @Test func aOneSidedBoxIsSearchedByEveryMethod() {
        let line = SearchSpace([.init(.learningRate, -6 ... -2)])
        // One peak, at 0.3 along the side.
        let objective = SyntheticObjective(space: line, optimum: 1) { p in 1 - 4 * (p[0] - 0.3) * (p[0] - 0.3) }
        var settings = SearchSettings(methods: SearchMethod.allCases, trials: 12, epochs: 9, seeds: [1, 2], space: line,
                                      dataset: SearchImages(identity: "none", name: "none"))
        settings.bayesBatch = 3
        let found = search(settings.strategies, seeds: [1, 2], objective: objective, workers: 2)
        #expect(settings.strategies.map(\.stages) == [1, 2, 5, 3, 1] && settings.stageCount == 5)
        for strategy in settings.strategies {
            for seed: UInt64 in [1, 2] {
                let trials = found[strategy.method]![seed]!
                #expect(trials.count == strategy.budget && Set(trials.map(\.trial.stage)).count == strategy.stages, "\(strategy.method)")
                #expect(trials.allSatisfy { line[.learningRate]!.contains(log10($0.hyperparameters[.learningRate]))
                    && $0.hyperparameters[.weightDecay] == 0 })
                let start = (0..<strategy.randomStart).map { line.randomPoint(seed: seed, number: $0 + 1) }
                #expect(trials.prefix(strategy.randomStart).map(\.hyperparameters) == start, "\(strategy.method)")
            }
        }
        // On a line, Bayesian optimisation's 12 trials come within 0.016 of the peak on every seed.
        #expect(found[.bayes]!.values.allSatisfy { 1 - $0.compactMap(\.score).max()! < 1e-3 })
    }

    @Test func aSyntheticObjectiveIsItsFunctionPlusSeededNoise() {
        let branin = SyntheticObjective.branin(space: Self.box)
        // Branin's minimum at (π, 2.275): position ((π + 5) / 15, 2.275 / 15).
        let atOptimum = Self.box.point(at: [(Double.pi + 5) / 15, 2.275 / 15])
        let trial = Trial(method: .random, seed: 1, number: 1, hyperparameters: atOptimum)
        #expect(abs(branin.evaluate([trial])[0].score! - branin.optimum) < 1e-6)
        let noisy = SyntheticObjective.branin(space: Self.box, noise: 0.5)
        #expect(noisy.evaluate([trial])[0].score == noisy.evaluate([trial])[0].score)
        #expect(noisy.evaluate([trial])[0].score != branin.evaluate([trial])[0].score)
    }
}

/// Hyperband's brackets, worked out by hand, and its cuts on a function with a known optimum.
struct HyperbandTests {
    static let box = SearchSpace(learningRate: -6 ... -2, weightDecay: -8 ... -4)

    @Test func bracketsForFiftyEpochsAndAThird() {
        // s_max = ⌊log₃ 50⌋ = 3; bracket s starts ⌈4·3^s/(s+1)⌉ settings at 50·3^−s epochs (rounded).
        let hyperband = Hyperband(space: Self.box, maxEpochs: 50, eta: 3)
        #expect(hyperband.cuts == 3)
        #expect(hyperband.rungs.map { [$0.bracket, $0.rung, $0.settings, $0.epochs] } == [
            [3, 0, 27, 2], [3, 1, 9, 6], [3, 2, 3, 17], [3, 3, 1, 50],
            [2, 0, 12, 6], [2, 1, 4, 17], [2, 2, 1, 50],
            [1, 0, 6, 17], [1, 1, 2, 50],
            [0, 0, 4, 50]])
        // 27·2 + 9·6 + 3·17 + 50 + 12·6 + 4·17 + 50 + 6·17 + 2·50 + 4·50 epochs, against 100 trials of 50.
        #expect(hyperband.budget == 69 && hyperband.epochs == 801)
    }

    @Test func eachRungKeepsTheBestThirdOfItsBracketAndTrainsItLonger() {
        // A score that is the learning rate's position: the best settings are the largest rates.
        let objective = SyntheticObjective(space: Self.box, optimum: 1) { $0[0] }
        let hyperband = Hyperband(space: Self.box, maxEpochs: 9, eta: 3)
        let trials = search([hyperband, RandomSearch(space: Self.box, budget: 13)], seeds: [4], objective: objective, workers: 1)
        let mine = trials[.hyperband]![4]!, random = trials[.random]![4]!
        // Two cuts: 9 + 5 + 3 settings start at 1, 3 and 9 epochs, the settings random search's first 17 in order.
        #expect(hyperband.rungs.filter { $0.rung == 0 }.map(\.settings) == [9, 5, 3])
        let first = mine.filter { $0.trial.stage == 0 }
        #expect(first.map(\.trial.configuration) == Array(1...17) && first.prefix(13).map(\.hyperparameters) == random.map(\.hyperparameters))
        for bracket in [2, 1] {
            let started = first.filter { $0.trial.bracket == bracket }
            let next = mine.filter { $0.trial.bracket == bracket && $0.trial.stage == 1 }
            // The best third by score, the same settings and training seeds, three times the epochs.
            let best = started.sorted { $0.score! > $1.score! }.prefix(next.count).map(\.trial.configuration)
            #expect(Set(next.map(\.trial.configuration)) == Set(best) && next.count == started.count / 3)
            #expect(next.allSatisfy { $0.trial.epochs == started[0].trial.epochs! * 3 })
        }
        #expect(mine.map(\.trial.number) == Array(1...mine.count) && mine.count == hyperband.budget)
    }
}

extension HyperbandTests {
    @Test func passesRunTheBracketsAgainWithNewSettingsUntilTheBudget() {
        // 5,000 epochs hold six passes of 801 (4,806); a seventh would overspend.
        let equal = Hyperband(space: Self.box, maxEpochs: 50, eta: 3, within: 5_000)
        #expect(equal.passes == 6 && equal.epochs == 4_806 && equal.budget == 6 * 69 && equal.stages == 24)
        #expect(Hyperband(space: Self.box, maxEpochs: 50, eta: 3, within: 100).passes == 1)
        // On a small problem: two passes of the 9-epoch brackets, one after the other.
        let objective = SyntheticObjective(space: Self.box, optimum: 1) { $0[0] }
        let twice = Hyperband(space: Self.box, maxEpochs: 9, eta: 3, passes: 2)
        let mine = search([twice], seeds: [4], objective: objective, workers: 1)[.hyperband]![4]!
        let once = search([Hyperband(space: Self.box, maxEpochs: 9, eta: 3)], seeds: [4], objective: objective, workers: 1)[.hyperband]![4]!
        // The first pass is Hyperband run once, trial for trial; the second starts settings 18 to 34.
        #expect(Array(mine.prefix(once.count)).map(\.trial) == once.map(\.trial) && mine.count == 2 * once.count)
        let second = mine.dropFirst(once.count)
        #expect(second.filter { $0.trial.stage == 3 }.map(\.trial.configuration) == Array(18...34))
        #expect(second.allSatisfy { $0.trial.stage >= 3 } && Set(second.map(\.trial.stage)) == [3, 4, 5])
        // Each later rung still keeps the best third of its own bracket in its own pass.
        for bracket in [2, 1] {
            let started = second.filter { $0.trial.bracket == bracket && $0.trial.stage == 3 }
            let next = second.filter { $0.trial.bracket == bracket && $0.trial.stage == 4 }
            #expect(Set(next.map(\.trial.configuration)) == Set(started.sorted { $0.score! > $1.score! }.prefix(next.count).map(\.trial.configuration)))
        }
    }
}

/// Importance from a Gaussian process's mean: on functions of one side only, that side explains all.
struct ImportanceTests {
    static func positions() -> [[Double]] {
        var generator = SeededGenerator(seed: 9)
        return (0..<40).map { _ in [generator.nextUniform(), generator.nextUniform()] }
    }

    @Test func aFunctionOfOneSideIsExplainedByThatSide() {
        let p = Self.positions()
        let sides: [Hyperparameter] = [.learningRate, .weightDecay]
        let rate = Importance(parameters: sides, positions: p, scores: p.map { sin(3 * $0[0]) }, size: 20)
        let (r, w) = (rate.share(.learningRate), rate.share(.weightDecay))
        #expect(r > 0.95 && w < 0.03, "\(r), \(w)")
        let decay = Importance(parameters: sides, positions: p, scores: p.map { $0[1] * $0[1] }, size: 20)
        #expect(decay.share(.weightDecay) > 0.95 && decay.share(.learningRate) < 0.03)
        // A product of the two: a good share belongs to neither alone.
        let both = Importance(parameters: sides, positions: p, scores: p.map { ($0[0] - 0.5) * ($0[1] - 0.5) }, size: 20)
        #expect(both.interaction > 0.8)
        #expect(abs(r + w + rate.interaction - 1) < 1e-9)
        #expect(rate.mean.count == 20 && rate.mean.allSatisfy { $0.count == 20 })
    }

    /// A one-sided box: its one side explains everything, and the surface is a single row that
    /// follows the function (rising where sin(3u) rises, up to u = π/6).
    @Test func aOneSidedBoxIsExplainedByItsSide() {
        var generator = SeededGenerator(seed: 4)
        let p = (0..<30).map { _ in [generator.nextUniform()] }
        let one = Importance(parameters: [.learningRate], positions: p, scores: p.map { sin(3 * $0[0]) }, size: 20)
        #expect(one.share(.learningRate) > 0.99 && one.share(.weightDecay) == 0 && one.interaction < 0.01)
        #expect(one.mean.count == 1 && one.mean[0].count == 20)
        #expect(one.mean[0][0] < one.mean[0][5] && one.mean[0][5] > one.mean[0][19])
    }

    /// A costly strategy's proposals are kept in the run cache under everything that decides them:
    /// a second search with the same trials asks the strategy for nothing and finds the same trials.
    @Test func costlyProposalsAreKeptAndGiveTheSameSearch() {
        final class Counter: @unchecked Sendable { var calls = 0; let lock = NSLock() }
        struct Counted: SearchStrategy {
            let inner: BayesianSearch, counter: Counter
            var method: SearchMethod { inner.method }
            var isCostly: Bool { true }
            var budget: Int { inner.budget }
            var randomStart: Int { inner.randomStart }
            var stages: Int { inner.stages }
            func next(after done: [TrialRecord], seed: UInt64) -> [Proposal] {
                counter.lock.lock(); counter.calls += 1; counter.lock.unlock()
                return inner.next(after: done, seed: seed)
            }
        }
        let objective = SyntheticObjective.bowl(space: StrategyTests.box, centre: [0.7, 0.3])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("memo-\(UUID().uuidString)").path
        let counter = Counter()
        let strategy = Counted(inner: BayesianSearch(space: StrategyTests.box, budget: 12, warmUp: 4, batch: 4), counter: counter)
        let first = search([strategy], seeds: [1, 2], objective: objective, workers: 2, cache: RunCache(folder: folder, codeVersion: "v", arithmetic: "t"))
        let asked = counter.calls
        let second = search([strategy], seeds: [1, 2], objective: objective, workers: 2, cache: RunCache(folder: folder, codeVersion: "v", arithmetic: "t"))
        #expect(asked == 2 * 4 && counter.calls == asked)   // three batches and the empty answer, per seed; none the second time
        for seed: UInt64 in [1, 2] {
            #expect(first[SearchMethod.bayes]![seed]!.map(\.hyperparameters) == second[SearchMethod.bayes]![seed]!.map(\.hyperparameters))
        }
    }
}
