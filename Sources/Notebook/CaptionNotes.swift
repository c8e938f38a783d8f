import Analysis
import Claims
import Foundation
import Formatting
import NumericCore
import Plot
import Runs
import Statistics

// What a figure's caption says about the runs it draws: when they were measured, and which lines coincide.
extension RunGroup {
    /// For a figure's caption: after which epochs the group's runs measured the training set and
    /// the held-out sets, as a sentence beginning with a space ("" for runs that record only their
    /// loss). The curves and the CSV files hold exactly those points.
    public var measuredNote: String {
        guard let n = setup.length.epochs, let every = setup.length.trainingEvery, let heldOutEvery = setup.length.heldOutEvery else { return "" }
        func when(_ k: Int) -> String { k <= 1 ? "after every epoch" : k >= n ? "before and after training only" : "every \(k) epochs (and after the last)" }
        let heldOutSets = setup.metrics.filter { $0 == .testAccuracy || $0 == .validationAccuracy }.map(\.displayName).joined(separator: " and ")
        let curve = setup.testCurveImages.map {
            " The test curve is drawn on \($0.formatted()) test images spread evenly over the test set (near 80% they resolve an accuracy to "
                + "±\(Format.number(accuracyResolution(0.8, count: $0) * 100, digits: 2)) points, a few pixels here); the whole test set is "
                + "measured where the run ends."
        } ?? ""
        if heldOutEvery == every { return " Accuracy measured \(when(every)); the CSV holds exactly those points." + curve }
        return " Training accuracy measured \(when(every)), \(heldOutSets) \(when(heldOutEvery)); the CSV holds exactly those points." + curve
    }

    /// Pairs of groups (by index, the earlier first) whose smoothed mean curves of `metric` lie
    /// within 10% of each other over the second half of the run: lines a reader cannot tell apart.
    public static func coinciding(_ groups: [RunGroup], _ metric: Metric) -> [(Int, Int)] {
        let means = groups.map { $0.band(metric, smoothed: !metric.isAccuracy).mean }
        var pairs: [(Int, Int)] = []
        for a in groups.indices {
            for b in groups.indices where b > a {
                let n = min(means[a].count, means[b].count)
                let ratios = (n / 2..<n).compactMap { i -> Double? in
                    let (x, y) = (means[a][i], means[b][i])
                    return x > 0 && y > 0 ? abs(log(x / y)) : nil
                }.sorted()
                if !ratios.isEmpty && ratios[ratios.count / 2] < log(1.1) { pairs.append((a, b)) }
            }
        }
        return pairs
    }

    /// Lines of `metric` a reader cannot tell apart, gathered: each set holds the groups (by index,
    /// in order) joined by `coinciding` pairs, directly or through another; sets of one are left out.
    public static func coincidingSets(_ groups: [RunGroup], _ metric: Metric) -> [[Int]] {
        var set = Array(groups.indices)
        func root(_ i: Int) -> Int { set[i] == i ? i : root(set[i]) }
        for (a, b) in coinciding(groups, metric) { set[max(root(a), root(b))] = min(root(a), root(b)) }
        return Dictionary(grouping: groups.indices, by: root).values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// For a figure's caption: which lines of `metric` lie on one another, one sentence per set of
    /// them, beginning with a space; empty when none do. (Their style stays that of what they
    /// measure: a reader tells them apart by colour, and by this note where colour cannot.)
    public static func coincidingNote(_ groups: [RunGroup], _ metric: Metric) -> String {
        coincidingSets(groups, metric).map { set in
            " \(Format.list(set.map { groups[$0].label })) lie within 10% of one another over the second half, so their lines overlap."
        }.joined()
    }

    /// Each group's legend label: its label, with its seeds ("SGD (n = 20)") where the groups rest
    /// on different numbers of seeds.
    public static func legendLabels(_ groups: [RunGroup]) -> [String] {
        let counts = Set(groups.map(\.results.count))
        return groups.map { counts.count > 1 ? "\($0.label) (n = \($0.results.count))" : $0.label }
    }
}
