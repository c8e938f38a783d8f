import Analysis
import Claims
import Datasets
import Foundation
import NeuralNet
import Plot
import Report
import Runs
import Statistics

/// One arm of a comparison: a change to a base setup, the key the chapter finds it by, and the
/// label readers see (`Variant(0.1, label: "λ=0.1") { $0.network.weightDecay = 0.1 }`).
public struct Variant<Key: Hashable & Sendable> {
    public let key: Key
    public let label: String
    /// The setting it stands for in figures (its colour): by default its key. Another value where
    /// arms of several settings share a colour (every BatchNorm arm, whatever its scale), or where
    /// the same setting trained longer keeps the colour it has elsewhere in the chapter.
    public let setting: ColorKey
    let change: (inout TrainingSetup) -> Void

    public init(_ key: Key, label: String, _ change: @escaping (inout TrainingSetup) -> Void = { _ in }) {
        self.init(key, label: label, setting: ColorKey(key), change)
    }

    public init(_ key: Key, label: String, setting: ColorKey, _ change: @escaping (inout TrainingSetup) -> Void = { _ in }) {
        self.key = key
        self.label = label
        self.setting = setting
        self.change = change
    }
}

extension Correctness {
    /// The marks as `correctness.json` records them: the number of images and the packed bits in base64.
    var json: JSONValue {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 8)
        for word in words { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(k)))) } }
        return .object(["images": .number(Double(count)), "bits": .string(Data(bytes).base64EncodedString())])
    }
}

/// A setting chosen from a grid on tuning seeds that no claim reads: the value, the grid it was
/// chosen from, and whether it lies at an end of the grid, where a better one may lie beyond.
public struct GridChoice<Value: Hashable & Sendable>: Sendable {
    public let value: Value
    /// The candidates, in the order of their grid.
    public let grid: [Value]
    /// How many tuning seeds chose it.
    public let seeds: Int

    public init(value: Value, grid: [Value], seeds: Int) {
        self.value = value; self.grid = grid; self.seeds = seeds
    }

    /// Whether the choice is the first or last of its grid (of more than one).
    public var isAtEdge: Bool { grid.count > 1 && (value == grid.first || value == grid.last) }

    /// "best of 5 on 3 tuning seeds that no claim reads, inside the range tried": how it was chosen,
    /// for a claim's words.
    public var words: String {
        "best of \(grid.count) on \(seeds) tuning seed\(seeds == 1 ? "" : "s") that no claim reads"
            + (isAtEdge ? ", at the edge of the range tried" : ", inside the range tried")
    }
}

/// Configurations trained over the same seeds, one group per variant: what a chapter reads its
/// tables, figures and verdicts from, finding each group by its variant's key.
public struct Comparison<Key: Hashable>: Sendable where Key: Sendable {
    public let title: String
    /// The variants' keys, in the order they were declared.
    public let keys: [Key]
    /// The runs of each variant, in the same order.
    public let groups: [RunGroup]
    /// Whether its seeds are tuning seeds, which no claim reads (`ChapterContext.tune`): the only
    /// comparison a setting may be chosen on (`choose`), since a choice made on them carries no luck
    /// of theirs into the claims.
    public let isTuning: Bool

    public init(title: String, keys: [Key], groups: [RunGroup], isTuning: Bool = false) {
        precondition(keys.count == groups.count && Set(keys).count == keys.count, "one group per distinct key")
        self.title = title
        self.keys = keys
        self.groups = groups
        self.isTuning = isTuning
    }

    /// The most seeds any group was trained with (claims grow the groups they read: some may have fewer).
    public var seeds: [UInt64] { groups.map(\.seeds).max { $0.count < $1.count } ?? [] }

    /// "3 seeds", or "3 to 20 seeds" where claims grew some groups, for captions and prose.
    public var seedText: String {
        let counts = groups.map(\.seeds.count)
        let (low, high) = (counts.min() ?? 0, counts.max() ?? 0)
        return low == high ? "\(high) seeds" : "\(low) to \(high) seeds"
    }

    /// The group of the variant with this key.
    public subscript(key: Key) -> RunGroup {
        guard let index = keys.firstIndex(of: key) else { preconditionFailure("\(title) has no variant \(key)") }
        return groups[index]
    }

    /// The groups of every key but these.
    public func groups(except excluded: Key...) -> [RunGroup] {
        zip(keys, groups).filter { !excluded.contains($0.0) }.map(\.1)
    }

    /// Of `candidates`, given in the order of their grid, the one whose `score` is best (`direction`)
    /// by its mean over the tuning seeds, which no claim reads: a choice made on the claims' own seeds
    /// would carry its winner's luck into them, and one made again at each look would spend the
    /// chance of a false "holds" once more. A seed without a value (diverged) scores `missing`, so a
    /// setting that failed on some seed cannot win. Ties go to the earlier candidate.
    public func choose(_ candidates: [Key], _ direction: Direction, missing: Double,
                       score: (RunGroup) -> SeedSummary) -> GridChoice<Key> {
        precondition(isTuning, "\(title): choose among runs on tuning seeds (ChapterContext.tune)")
        precondition(!candidates.isEmpty, "\(title): no candidates to choose from")
        func mean(_ key: Key) -> Double {
            let values = score(self[key]).replacingMissing(with: missing).values
            return values.reduce(0, +) / Double(max(values.count, 1))
        }
        let better: (Double, Double) -> Bool = direction == .higher ? { $0 > $1 } : { $0 < $1 }
        let chosen = candidates.dropFirst().reduce(candidates[0]) { better(mean($1), mean($0)) ? $1 : $0 }
        return GridChoice(value: chosen, grid: candidates, seeds: self[chosen].seeds.count)
    }

    /// The keys ranked by the final value of `metric`, best first, and every pair of groups said in
    /// words as separated beyond the seed noise (every seed of one better than every seed of the
    /// other: "Adam < SGD") or not ("Nesterov ≈ Momentum").
    public func rankedPairs(by metric: Metric, higherIsBetter: Bool) -> (ranking: [Key], clear: [String], unclear: [String]) {
        let finals = groups.map { $0.final(metric) }
        let order = groups.indices.sorted { higherIsBetter ? finals[$0].mean > finals[$1].mean : finals[$0].mean < finals[$1].mean }
        var clear: [String] = [], unclear: [String] = []
        for (i, a) in order.enumerated() {
            for b in order[(i + 1)...] {
                let separated = higherIsBetter ? finals[a].isClearlyAbove(finals[b]) : finals[a].isClearlyBelow(finals[b])
                let (x, y) = (groups[a].label, groups[b].label)
                if separated { clear.append("\(x) \(higherIsBetter ? ">" : "<") \(y)") } else { unclear.append("\(x) ≈ \(y)") }
            }
        }
        return (order.map { keys[$0] }, clear, unclear)
    }
}

extension ChapterContext {
    /// Seeds of their own for choosing a setting (a best learning rate), as many as the chapter's and
    /// disjoint from every seed a claim may read: a choice made on the claims' own seeds would carry
    /// its winner's luck into them.
    public var tuningSeeds: [UInt64] { (0..<UInt64(seeds.count)).map { options.seed &+ 1_000_000 &+ $0 } }

    /// Trains `base` changed by each variant on the tuning seeds (`tuningSeeds`), to choose among
    /// them (`Comparison.choose`); recorded like any comparison, no claim reads it.
    public func tune<Key: Hashable & Sendable>(_ title: String, base: TrainingSetup, _ variants: [Variant<Key>]) -> Comparison<Key> {
        let setups = variants.map { base.with($0.change) }
        let trained = train(title, variants: variants, setups: setups, seeds: variants.map { _ in tuningSeeds }, measuring: [])
        let comparison = Comparison(title: title, keys: trained.keys, groups: trained.groups, isTuning: true)
        record(comparison, variants: variants)
        return comparison
    }

    /// Trains `base` changed by each variant, over every seed of the chapter, all side by side,
    /// and records what a report needs: the setup in the provenance, every run's raw series in
    /// results.json, and each group's final values in the summary, each once (an experiment
    /// recorded again replaces what it recorded before). For a comparison no claim reads.
    public func compare<Key: Hashable & Sendable>(_ title: String, base: TrainingSetup, _ variants: [Variant<Key>],
                                                  measuring: [Probe] = []) -> Comparison<Key> {
        compare(title, base: base, variants, measuring: measuring, decidedBy: nil)
    }

    /// `compare`, judged by the claims that read it: while one of them is undecided, the groups it
    /// read (its summaries' sources, see `Decision.pending`) are trained over more seeds (5, 10, then
    /// 20, up to `--max-seeds`), the seeds already trained coming back from the cache; the other
    /// groups keep the seeds they have. Returns the last comparison, which is what is recorded, and
    /// the claims' decisions on it.
    public func compare<Key: Hashable & Sendable>(_ title: String, base: TrainingSetup, _ variants: [Variant<Key>],
                                                  measuring: [Probe] = [],
                                                  judging claims: @escaping (Comparison<Key>) -> Decisions)
        -> (comparison: Comparison<Key>, decisions: Decisions) {
        var decisions: Decisions?
        let comparison = compare(title, base: base, variants, measuring: measuring) { c in
            decisions = claims(c)
            return decisions!.all
        }
        return (comparison, decisions!)
    }

    func compare<Key: Hashable & Sendable>(_ title: String, base: TrainingSetup, _ variants: [Variant<Key>],
                                           measuring: [Probe], decidedBy decisions: ((Comparison<Key>) -> [Decision])?) -> Comparison<Key> {
        let comparison = trainUntilDecided(title, base: base, variants, measuring: measuring, decidedBy: decisions)
        record(comparison, variants: variants)
        return comparison
    }

    /// `compare` without recording anything: the comparison, its seeds grown while a decision is undecided.
    func trainUntilDecided<Key: Hashable & Sendable>(_ title: String, base: TrainingSetup, _ variants: [Variant<Key>],
                                                     measuring: [Probe],
                                                     decidedBy decisions: ((Comparison<Key>) -> [Decision])?) -> Comparison<Key> {
        let setups = variants.map { base.with($0.change) }
        var seeds = variants.map { _ in self.seeds }
        while true {
            let comparison = train(title, variants: variants, setups: setups, seeds: seeds, measuring: measuring)
            let pending = (decisions?(comparison) ?? []).reduce(into: Set<TrainingSetup>()) { $0.formUnion($1.pending) }
            let grown = setups.indices.map { pending.contains(setups[$0]) ? options.moreSeeds(than: seeds[$0]) : nil }
            guard grown.contains(where: { $0 != nil }) else { return comparison }
            seeds = zip(seeds, grown).map { $1 ?? $0 }
        }
    }

    /// Records a comparison: its setups in the provenance, its raw series in results.json, its final values in the summary.
    func record<Key: Hashable & Sendable>(_ comparison: Comparison<Key>, variants: [Variant<Key>]) {
        let setups = comparison.groups.map(\.setup), counts = Set(comparison.groups.map(\.seeds.count)).sorted()
        settings.record(comparison.title, TrainingSetup.summary(of: setups, in: dataset)
                        + (variants.count > 1 ? "; " + variants.map(\.label).joined(separator: ", ") : "")
                        + (counts == [self.seeds.count] ? "" : "; " + counts.map(String.init).joined(separator: " to ") + " seeds"),
                        setups: zip(variants, comparison.groups).map { ($0.label, $1.setup, $1.seeds) })
        record(comparison.title, comparison.groups)
    }

    /// The runs of every variant over its seeds, grouped: one block of seeds per variant.
    func train<Key: Hashable & Sendable>(_ title: String, variants: [Variant<Key>], setups: [TrainingSetup], seeds: [[UInt64]],
                                         measuring: [Probe]) -> Comparison<Key> {
        let runs = variants.indices.flatMap { i in seeds[i].map { TrainingRun(label: variants[i].label, setup: setups[i], seed: $0) } }
        let results = Runs.train(runs, on: dataset, measuring: measuring, workers: workers, cache: cache, progress: progressLine(title))
        var start = 0
        let groups = variants.indices.map { i -> RunGroup in
            defer { start += seeds[i].count }
            return RunGroup(label: variants[i].label, results: Array(results[start..<(start + seeds[i].count)]), setting: variants[i].setting)
        }
        return Comparison(title: title, keys: variants.map(\.key), groups: groups)
    }

    /// Puts a comparison's raw series into results.json and its final values into the summary.
    func record(_ title: String, _ groups: [RunGroup]) {
        recordCorrectness(title, groups)
        report.removeSeries(of: title)
        var finals: [String: JSONValue] = [:]
        for group in groups {
            var values: [String: JSONValue] = [:]
            for metric in group.setup.metrics {
                report.add(group.series(metric, experiment: title), described: metric.data)
                values[metric.rawValue] = .number(group.final(metric).mean)
                values[metric.rawValue + "_by_seed"] = .array(group.final(metric).values.map { .number($0) })
            }
            if group.results.contains(where: { $0.finalTestAccuracy != nil }) {
                values["final_test_acc"] = .number(group.finalTestAccuracy.mean)
                values["final_test_acc_by_seed"] = .array(group.finalTestAccuracy.values.map { .number($0) })
            }
            values["seeds"] = .array(group.seeds.map { .number(Double($0)) })
            // Every averaged-mask accuracy measured (1 pass, 64 passes, ...), not only one.
            let passes = Set(group.results.flatMap { $0.measurements.keys }.compactMap { measure -> Int? in
                if case let .monteCarloAccuracy(p) = measure { return p } else { return nil }
            }).sorted()
            let masks = passes.map { (Measure.monteCarloAccuracy(passes: $0), $0 == 1 ? "mc_acc_1_pass" : "mc_acc_\($0)_passes") }
            for (measure, name) in [(Measure.weightNorm, "weight_norm")] + masks {
                let v = group.measurement(measure)
                if v.values.contains(where: \.isFinite) { values[name + "_by_seed"] = .array(v.values.map { .number($0) }) }
            }
            if let images = group.heldOutImages {
                values["heldout_acc_by_seed"] = .array(group.heldOutAccuracy.values.map { .number($0) })
                values["heldout_images"] = .number(Double(images))
            }
            if !group.divergedSeeds.isEmpty { values["diverged_seeds"] = .array(group.divergedSeeds.map { .number(Double($0)) }) }
            finals[group.label] = .object(values)
        }
        var all = report.summary["comparisons"]?.objectValue ?? [:]
        all[title] = .object(finals)
        report.summary["comparisons"] = .object(all)
    }

    /// Which images each run got right where it ended, for `correctness.json`: the inputs of every
    /// paired margin, published so that anyone can recompute them.
    func recordCorrectness(_ title: String, _ groups: [RunGroup]) {
        report.correctness.removeValue(forKey: title)
        report.addCorrectness(title, groups.flatMap { group in
            group.results.map { result in
                var sets: [String: Correctness] = [:]
                if let test = result.finalTestCorrectness { sets["test"] = test }
                if !result.history.diverged, let held = result.marks[.heldOutAccuracy] { sets["held_out"] = held }
                return (setting: group.label, seed: result.run.seed, sets: sets)
            }
        })
    }
}

extension Report {
    /// Adds to `correctness.json` which images each run of `experiment` got right: each run's
    /// setting (its label in results.json), its seed, and its marked sets by name ("test",
    /// "held_out", "unseen"), beside what the experiment holds already. A run without sets is left out.
    public func addCorrectness(_ experiment: String,
                               _ runs: [(setting: String, seed: UInt64, sets: [String: Correctness])]) {
        var settings = (correctness[experiment]?.objectValue ?? [:]).mapValues { $0.objectValue ?? [:] }
        for run in runs where !run.sets.isEmpty {
            settings[run.setting, default: [:]][String(run.seed)] = .object(run.sets.mapValues(\.json))
        }
        if !settings.isEmpty { correctness[experiment] = .object(settings.mapValues { .object($0) }) }
    }
}

extension RunGroup {
    /// One raw series per seed of the metric, for results.json, under the experiment it belongs to.
    public func series(_ metric: Metric, experiment: String? = nil) -> [Series] {
        results.map { result in
            let curve = result.history.curve(metric)
            return Series(experiment: experiment, label: label, seed: result.run.seed, metric: metric.rawValue, x: curve.x, y: curve.y)
        }
    }
}

extension Metric {
    /// The metric's name in results.json and the CSV files, with what it means.
    public var data: DataName { DataName(rawValue, meaning) }

    /// The metric where the runs end, one point per configuration.
    public var final: DataName {
        DataName("final_" + rawValue, "\(displayName) where the runs end, one point per configuration (x: the setting varied)")
    }

    /// Training minus test accuracy where the runs end.
    public static let finalGap = DataName("final_gap", "training minus test accuracy where the runs end, one point per configuration (x: the setting varied)")

    /// The training loss smoothed as the course smooths it.
    public static let smoothedLoss = DataName("train_loss_smoothed",
                                              "the training loss of each seed smoothed as the course smooths it (Kaiser window of 11, β 2)")
}
