import Foundation

/// Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar, JMLR 2018): successive halving
/// run in several brackets that trade how many settings are tried against how long each is
/// trained before the first cut, all brackets side by side and every rung in step (synchronous),
/// so that the trials never depend on how many run at once.
///
/// With a full length of R epochs and a factor η, bracket s (from s_max = ⌊log_η R⌋ down to 0)
/// starts ⌈(s_max + 1) η^s / (s + 1)⌉ settings at R η^−s epochs, keeps the best ⌊n/η⌋ of each rung
/// and trains them η times longer, until R. The settings are random search's, in order, so the
/// two methods look at the same points and differ only in how long they train each.
///
/// As Li et al. do, the brackets run again with new settings while the budget lasts: `passes`
/// passes, one after the other (pass p's rungs are stages 4p to 4p + 3 for s_max = 3), so that
/// the first pass reads as Hyperband run once and every pass after it spends what is left.
public struct Hyperband: SearchStrategy {
    public let space: SearchSpace
    /// R: the full length, in epochs.
    public let maxEpochs: Int
    /// η: a third survive each rung, by default.
    public let eta: Int
    /// How many times the brackets run, each time with new settings.
    public let passes: Int

    public init(space: SearchSpace, maxEpochs: Int, eta: Int = 3, passes: Int = 1) {
        precondition(maxEpochs >= 1 && eta >= 2, "Hyperband needs at least one epoch and a factor of at least 2")
        precondition(passes >= 1, "Hyperband runs its brackets at least once")
        self.space = space; self.maxEpochs = maxEpochs; self.eta = eta; self.passes = passes
    }

    /// As many passes as fit in `epochs` epochs (at least one): Hyperband at the compute of a
    /// search that spends that many.
    public init(space: SearchSpace, maxEpochs: Int, eta: Int = 3, within epochs: Int) {
        let once = Hyperband(space: space, maxEpochs: maxEpochs, eta: eta)
        self.init(space: space, maxEpochs: maxEpochs, eta: eta, passes: max(1, epochs / once.epochsPerPass))
    }

    public var method: SearchMethod { .hyperband }

    /// s_max: the most cuts a bracket makes.
    public var cuts: Int {
        var s = 0
        while pow(Double(eta), Double(s + 1)) <= Double(maxEpochs) { s += 1 }
        return s
    }

    /// One rung of one bracket: how many settings, for how many epochs.
    public struct Rung: Sendable, Equatable {
        public let bracket: Int, rung: Int, settings: Int, epochs: Int
    }

    /// Every rung of every bracket, bracket by bracket (most cuts first), rung by rung.
    public var rungs: [Rung] {
        (0...cuts).reversed().flatMap { s -> [Rung] in
            let first = Int((Double(cuts + 1) / Double(s + 1) * pow(Double(eta), Double(s))).rounded(.up))
            return (0...s).map { i in
                Rung(bracket: s, rung: i, settings: max(1, first / Int(pow(Double(eta), Double(i)))),
                     epochs: max(1, Int((Double(maxEpochs) * pow(Double(eta), Double(i - s))).rounded())))
            }
        }
    }

    /// Trials of one pass, counting a setting once per rung it reaches.
    public var budgetPerPass: Int { rungs.map(\.settings).reduce(0, +) }
    /// Trials in all: what the method tries, counting a setting once per rung it reaches.
    public var budget: Int { passes * budgetPerPass }
    /// New settings each pass starts.
    public var settingsPerPass: Int { rungs.filter { $0.rung == 0 }.map(\.settings).reduce(0, +) }

    /// None: its settings are random search's, but trained for shorter than the full length.
    public var randomStart: Int { 0 }
    /// One stage per rung of its longest bracket, pass after pass.
    public var stages: Int { passes * (cuts + 1) }

    /// Epochs of one pass, each trial trained from the start for its rung's length.
    public var epochsPerPass: Int { rungs.map { $0.settings * $0.epochs }.reduce(0, +) }
    /// Epochs in all.
    public var epochs: Int { passes * epochsPerPass }

    public func next(after done: [TrialRecord], seed: UInt64) -> [Proposal] {
        let stage = done.isEmpty ? 0 : done.map(\.trial.stage).max()! + 1
        guard stage < stages else { return [] }
        let (pass, rungNumber) = stage.quotientAndRemainder(dividingBy: cuts + 1)
        if rungNumber == 0 {
            // The first rung of every bracket: the pass's settings in random search's order, the
            // first pass from setting 1, each later one after the settings of the passes before.
            var number = pass * settingsPerPass
            return rungs.filter { $0.rung == 0 }.flatMap { rung in
                (0..<rung.settings).map { _ in
                    number += 1
                    return Proposal(space.randomPoint(seed: seed, number: number), epochs: rung.epochs, stage: stage, bracket: rung.bracket,
                                    configuration: number)
                }
            }
        }
        // The next rung of every bracket that has one: the best of its last rung, trained longer
        // (a failed trial is the worst; ties go to the earlier setting).
        return rungs.filter { $0.rung == rungNumber }.flatMap { rung -> [Proposal] in
            let last = done.filter { $0.trial.bracket == rung.bracket && $0.trial.stage == stage - 1 }
            let ranked = last.sorted { ($0.score ?? -.infinity, -$0.trial.configuration) > ($1.score ?? -.infinity, -$1.trial.configuration) }
            return ranked.prefix(rung.settings).map {
                Proposal($0.hyperparameters, epochs: rung.epochs, stage: stage, bracket: rung.bracket, configuration: $0.trial.configuration)
            }
        }
    }
}
