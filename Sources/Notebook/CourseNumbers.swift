import Analysis
import Datasets
import Formatting
import Foundation
import Report
import Statistics

/// The course's own numbers on the full MNIST: its chapter 6 scripts, run outside this project by
/// `scripts/course-fidelity.py` on the same four IDX files, seeds 0 to 2, one BLAS thread. Only the
/// numbers are kept (in `chapters/course-numbers.json`, with the course's commit); the course's
/// code stays out of the repository.
public struct CourseNumbers: Sendable {
    /// The scripts run, by the name the numbers file gives them.
    public enum Script: String, Sendable, CaseIterable {
        case optimizers, initialValues = "initial-values", overfitting, weightDecay = "weight-decay"
        case dropout, dropoutOff = "dropout-off", batchNorm = "batch-norm", hyperparameters
    }

    /// The course's repository and the commit whose scripts ran.
    public let repository: String, commit: String
    /// The NumPy seeds each script ran with.
    public let seeds: [Int]
    /// Each script's measurements, one object per seed, as the numbers file stores them.
    private let bySeed: [Script: [JSONValue]]
    /// The script file each run is.
    private let scripts: [Script: String]
    /// The seeds a script ran with where they are not `seeds` (more, to settle a departure).
    private let seedsOf: [Script: [Int]]

    /// Where the numbers are kept in the checkout.
    public static var file: String { MNISTFiles.repositoryRoot + "/chapters/course-numbers.json" }

    /// The numbers, or nil where the file is missing or unreadable (a report then leaves the
    /// course's column out).
    public static let stored: CourseNumbers? = load(file)

    static func load(_ path: String) -> CourseNumbers? {
        guard let data = FileManager.default.contents(atPath: path),
              case let .object(root)? = try? JSONDecoder().decode(JSONValue.self, from: data),
              case let .object(runs)? = root["runs"] else { return nil }
        var bySeed: [Script: [JSONValue]] = [:], scripts: [Script: String] = [:], seedsOf: [Script: [Int]] = [:]
        for (name, run) in runs {
            guard let script = Script(rawValue: name), case let .object(fields) = run, case let .array(seeds)? = fields["by_seed"] else { continue }
            bySeed[script] = seeds
            if case let .string(file)? = fields["script"] { scripts[script] = file }
            if case let .array(list)? = fields["seeds"] { seedsOf[script] = list.compactMap { if case let .number(n) = $0 { Int(n) } else { nil } } }
        }
        func text(_ key: String) -> String { if case let .string(s)? = root[key] { s } else { "?" } }
        var seeds: [Int] = []
        if case let .array(list)? = root["seeds"] { seeds = list.compactMap { if case let .number(n) = $0 { Int(n) } else { nil } } }
        return CourseNumbers(repository: text("course"), commit: text("commit"), seeds: seeds, bySeed: bySeed, scripts: scripts,
                             seedsOf: seedsOf)
    }

    /// The value at `path` (keys into each seed's measurements) for every seed the script ran with;
    /// empty where the file does not have it.
    public func values(_ script: Script, _ path: String...) -> [Double] { values(script, path: path) }

    func values(_ script: Script, path: [String]) -> [Double] {
        (bySeed[script] ?? []).compactMap { seed in
            var node = seed
            for key in path {
                guard case let .object(fields) = node, let next = fields[key] else { return nil }
                node = next
            }
            if case let .number(n) = node { return n }
            return nil
        }
    }

    /// The list at `key` for every seed (the batch-norm script's accuracies, one per scale).
    public func lists(_ script: Script, _ key: String) -> [[Double]] {
        (bySeed[script] ?? []).compactMap { seed in
            guard case let .object(fields) = seed, case let .array(list)? = fields[key] else { return nil }
            return list.compactMap { if case let .number(n) = $0 { n } else { nil } }
        }
    }

    /// "`ch06/optimizer_compare_mnist.py` of oreilly-japan/deep-learning-from-scratch at 07b1161, seeds 0–2".
    public func source(_ script: Script) -> String {
        let used = seedsOf[script] ?? seeds
        return "`ch06/\(scripts[script] ?? script.rawValue)` of \(repository) at `\(commit.prefix(7))`, NumPy seeds "
            + "\(used.first ?? 0)–\(used.last ?? 0)"
    }
}

/// One row of a comparison with the course's own run: what is measured, the course's value on each
/// of its seeds, and this project's over its seeds.
public struct CourseRow {
    public let label: String
    public let course: [Double]
    public let here: SeedSummary
    /// Accuracies are shown as percentages, losses as numbers.
    public let isAccuracy: Bool

    public init(_ label: String, course: [Double], here: SeedSummary, isAccuracy: Bool) {
        self.label = label; self.course = course; self.here = here; self.isAccuracy = isAccuracy
    }

    /// Whether the two means differ beyond seed noise, each side's spread over its own seeds: Welch's
    /// t-test, two-sided at `level` (its degrees of freedom rounded down). A departure to be explained.
    public func departs(level: Double = 0.05) -> Bool {
        let a = SeedSummary(course), b = here
        let (na, nb) = (Double(a.present.count), Double(b.present.count))
        guard na > 1, nb > 1 else { return false }
        let (va, vb) = (a.standardDeviation * a.standardDeviation / na, b.standardDeviation * b.standardDeviation / nb)
        let difference = abs(a.mean - b.mean)
        guard va + vb > 0 else { return difference > 0 }
        let df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1))
        return difference / (va + vb).squareRoot() > StudentT.quantile(1 - level / 2, degreesOfFreedom: max(1, Int(df.rounded(.down))))
    }
}

extension ChapterContext {
    /// The course's numbers where this run is the course's experiment on the course's data (the full
    /// MNIST, not a stand-in; not shortened by --quick), else nil: they compare with nothing else.
    public var courseNumbers: CourseNumbers? {
        !quick && options.dataset == .mnist && dataset.fallback == nil && dataset.training.count == 60_000 ? CourseNumbers.stored : nil
    }

    /// The course's value at `path` on each of its seeds; empty off the course's data.
    public func course(_ script: CourseNumbers.Script, _ path: String...) -> [Double] {
        courseNumbers?.values(script, path: path) ?? []
    }

    /// A run's final training and test accuracy beside the course's (its scripts' last `train_acc`
    /// and `test_acc`), as two rows.
    public func courseAccuracies(_ label: String, _ script: CourseNumbers.Script, _ group: RunGroup) -> [CourseRow] {
        [CourseRow("\(label): training accuracy at the end", course: course(script, "train_acc"), here: group.final(.trainAccuracy),
                   isAccuracy: true),
         CourseRow("\(label): test accuracy at the end", course: course(script, "test_acc"), here: group.final(.testAccuracy),
                   isAccuracy: true)]
    }

    /// A run's training loss beside the course's, as its scripts summarise a curve (the mean of the
    /// last 100 iterations), measured both ways: after each update (the course's curve, its
    /// `after_update` at `key`) and before it (`before_update`); two rows.
    public func courseLosses(_ script: CourseNumbers.Script, _ key: String, _ group: RunGroup) -> [CourseRow] {
        [CourseRow("\(group.label): last 100, after the update", course: course(script, key, "after_update"),
                   here: group.meanOfLast(.trainLossAfterUpdate, 100), isAccuracy: false),
         CourseRow("\(group.label): last 100, before it", course: course(script, key, "before_update"),
                   here: group.meanOfLast(.trainLoss, 100), isAccuracy: false)]
    }

    /// A table setting the course's own run beside this project's, with a sentence on where they
    /// come from; rows whose means differ beyond seed noise are marked, and `explain` (given the
    /// rows that depart) says why. Nothing where the course's numbers do not apply.
    public func showCourse(_ script: CourseNumbers.Script, _ rows: [CourseRow], intro: String,
                           explain: ([CourseRow]) -> String = { _ in "" }) {
        // A shortened run (--quick) is not the course's experiment: its numbers compare with nothing.
        guard !quick, let course = courseNumbers, rows.contains(where: { !$0.course.isEmpty }) else { return }
        func text(_ values: SeedSummary, _ accuracy: Bool) -> String {
            guard !values.present.isEmpty else { return "–" }
            func number(_ v: Double) -> String { accuracy ? Format.percent(v, decimals: 1) : Format.number(v, digits: 3) }
            return values.present.count == 1 ? number(values.mean)
                : "\(number(values.mean)) (\(number(values.minimum))–\(number(values.maximum)))"
        }
        // One table asks whether any of its rows departs: each row is tested at 5% / rows (Bonferroni),
        // so that a table flags a row by chance at most 5% of the time.
        let level = 0.05 / Double(rows.count)
        report.paragraph("**The course's own run.** " + intro + " Its numbers come from \(course.source(script)), "
                         + "run outside this project on the same four MNIST files (`scripts/course-fidelity.py`). Each cell is the mean "
                         + "over seeds, then the lowest–highest seed. Two means are apart by more than seed noise where Welch's t-test "
                         + "tells them apart, two-sided, at 5% shared among the table's \(rows.count) rows (Bonferroni: "
                         + "\(Format.number(level * 100, digits: 2))% each), so that a table marks a row by chance at most one time in twenty.")
        report.table(headers: ["", "the course", "here", "apart by more than seed noise?"],
                     rows: rows.map { row in
                         [row.label, text(SeedSummary(row.course), row.isAccuracy) + " (\(row.course.count) seeds)",
                          text(row.here, row.isAccuracy) + " (\(row.here.present.count) seeds)", row.departs(level: level) ? "yes" : "no"]
                     })
        let departing = rows.filter { $0.departs(level: level) }
        report.paragraph(departing.isEmpty ? "" : explain(departing))
        var stored: [String: JSONValue] = [:]
        if case let .object(earlier)? = report.summary["course"] { stored = earlier }
        report.summary["course"] = .object(stored.merging(rows.map { row in
            (row.label, JSONValue.object(["course": .array(row.course.map { .number($0) }), "here": .number(row.here.mean),
                                          "departs": .bool(row.departs(level: level))]))
        }) { $1 })
    }
}
