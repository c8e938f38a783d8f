import Datasets
import Foundation
import NeuralNet
import Plot
import Report

/// A labelled change to a base setup: one arm of a comparison ("λ=0.1": set the weight decay to 0.1).
public struct Variant {
    public let label: String
    let change: (inout TrainingSetup) -> Void

    public init(_ label: String, _ change: @escaping (inout TrainingSetup) -> Void = { _ in }) {
        self.label = label
        self.change = change
    }
}

/// Configurations trained over the same seeds, grouped by label: what a chapter reads its tables,
/// figures and verdicts from.
public struct Comparison: Sendable {
    public let title: String
    public let groups: [RunGroup]

    public init(title: String, groups: [RunGroup]) {
        self.title = title
        self.groups = groups
    }

    public var labels: [String] { groups.map(\.label) }

    /// The group with this label.
    public subscript(label: String) -> RunGroup {
        guard let group = groups.first(where: { $0.label == label }) else { preconditionFailure("no group '\(label)' in \(title)") }
        return group
    }

    /// The groups ranked by the final value of `metric`, best first, and every pair of them marked as
    /// separated beyond the seed noise (every seed of one better than every seed of the other) or not.
    public func rankedPairs(by metric: Metric, higherIsBetter: Bool) -> (ranking: [String], clear: [String], unclear: [String]) {
        let finals = Dictionary(uniqueKeysWithValues: groups.map { ($0.label, $0.final(metric)) })
        let ranking = groups.map(\.label).sorted {
            higherIsBetter ? finals[$0]!.mean > finals[$1]!.mean : finals[$0]!.mean < finals[$1]!.mean
        }
        var clear: [String] = [], unclear: [String] = []
        for (i, a) in ranking.enumerated() {
            for b in ranking[(i + 1)...] {
                let separated = higherIsBetter ? finals[a]!.isClearlyAbove(finals[b]!) : finals[a]!.isClearlyBelow(finals[b]!)
                if separated { clear.append("\(a) \(higherIsBetter ? ">" : "<") \(b)") } else { unclear.append("\(a) ≈ \(b)") }
            }
        }
        return (ranking, clear, unclear)
    }
}

extension ChapterContext {
    /// Trains `base` changed by each variant, over every seed of the chapter, all side by side,
    /// and records what a report needs: the setup in the provenance, every run's raw series in
    /// results.json, and each group's final values in the summary.
    public func compare(_ title: String, base: TrainingSetup, _ variants: [Variant], measuring: [Probe] = []) -> Comparison {
        let setups = variants.map { base.with($0.change) }
        let runs = zip(variants, setups).flatMap { variant, setup in
            seeds.map { TrainingRun(label: variant.label, setup: setup, seed: $0) }
        }
        settings.record(title, base.summary(in: dataset) + (variants.count > 1 ? "; " + variants.map(\.label).joined(separator: ", ") : ""))
        let results = train(runs, on: dataset, measuring: measuring, title: title, workers: options.workerCount, cache: cache)
        let comparison = Comparison(title: title, groups: RunGroup.grouping(results))
        record(comparison)
        return comparison
    }

    /// Puts a comparison's raw series into results.json and its final values into the summary.
    func record(_ comparison: Comparison) {
        var finals: [String: JSONValue] = [:]
        for group in comparison.groups {
            var values: [String: JSONValue] = [:]
            for metric in group.setup.metrics {
                report.series += group.series(metric)
                values[metric.rawValue] = .number(group.final(metric).mean)
            }
            if group.results.contains(where: { $0.finalTestAccuracy != nil }) { values["final_test_acc"] = .number(group.finalTestAccuracy.mean) }
            if !group.divergedSeeds.isEmpty { values["diverged_seeds"] = .array(group.divergedSeeds.map { .number(Double($0)) }) }
            finals[group.label] = .object(values)
        }
        var all = report.summary["comparisons"]?.objectValue ?? [:]
        all[comparison.title] = .object(finals)
        report.summary["comparisons"] = .object(all)
    }
}

/// A column of a comparison table: a header and what each group shows under it.
public struct Column {
    public let header: String
    let cell: (RunGroup) -> String

    public init(_ header: String, _ cell: @escaping (RunGroup) -> String) {
        self.header = header
        self.cell = cell
    }

    /// The metric at x (the mean loss of the 50 iterations up to x, or the accuracy at epoch x).
    public static func metric(_ metric: Metric, at x: Int, header: String? = nil) -> Column {
        Column(header ?? "\(metric.displayName) at \(metric.axis) \(x)") { formatted($0.value(metric, at: x), as: metric) }
    }

    /// The metric where the runs ended.
    public static func final(_ metric: Metric, header: String? = nil) -> Column {
        Column(header ?? "final \(metric.displayName)") { formatted($0.final(metric), as: metric) }
    }

    /// Test accuracy when the runs ended.
    public static func finalTestAccuracy(header: String = "test accuracy") -> Column {
        Column(header) { percentWithRange($0.finalTestAccuracy) }
    }
}

extension Report {
    /// A table with one row per group: its label, then one cell per column. Cells give the mean
    /// over seeds with the spread (± standard deviation for numbers, lowest–highest for percentages).
    public func table(_ groups: [RunGroup], first header: String, columns: [Column]) {
        table(headers: [header] + columns.map(\.header), rows: groups.map { group in [group.label] + columns.map { $0.cell(group) } })
    }
}
