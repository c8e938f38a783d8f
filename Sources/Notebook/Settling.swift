import Analysis
import Claims
import Foundation
import Runs
import Statistics

/// Whether a group of runs has stopped improving, by one rule every chapter uses: over the last
/// tenth of its epochs, neither its training nor its test accuracy rises, on average over seeds, by
/// as much as one standard error of an accuracy on the test set (the noise of the measurement).
/// Each rise compares the mean of the measurements in the last quarter of that tenth (at least 10
/// epochs) with the same window a tenth of the epochs earlier (`RunGroup.trend`).
public enum Convergence: Equatable, Sendable {
    case rising, settled
    /// Every run diverged: there is nothing to settle.
    case diverged
    /// The runs were not measured often enough near their end to tell (a sweep's other settings,
    /// measured on the test set only when they end).
    case unmeasured

    /// The epochs the rule looks back over: the last tenth (at least one).
    public static func span(_ epochs: Int) -> Int { max(1, epochs / 10) }

    /// The epochs each end of a rise is averaged over: a quarter of the span, at least 10 (and no
    /// more than the span), so that a long run measured every few epochs still has a few points there.
    public static func window(_ span: Int) -> Int { min(span, max(10, span / 4)) }

    public init(_ group: RunGroup, testImages: Int) {
        let epochs = group.setup.length.end, span = Self.span(epochs)
        let window = Self.window(span)
        let rises = [Metric.trainAccuracy, .testAccuracy].map { group.trend($0, overLast: span, window: window) }
        guard rises.allSatisfy({ !$0.present.isEmpty }) else {
            self = group.divergedSeeds.count == group.results.count ? .diverged : .unmeasured
            return
        }
        // The curve's own noise: of the images it was measured on (its first images, where it was drawn on fewer).
        let noise = accuracyResolution(group.final(.testAccuracy).mean, count: min(group.setup.testCurveImages ?? testImages, testImages))
        self = rises.contains { $0.mean >= noise } ? .rising : .settled
    }

    public var text: String {
        switch self {
        case .rising: "still rising"
        case .settled: "settled"
        case .diverged: "diverged on every seed"
        case .unmeasured: "not measured often enough to tell"
        }
    }

    /// One sentence for a report: the group, its epochs and the rule's verdict.
    public func sentence(label: String, epochs: Int) -> String {
        let span = Self.span(epochs)
        switch self {
        case .rising: return """
            The \(label) run has not settled: over the last \(span) of its \(epochs) epochs its training or test accuracy still \
            rose by at least the test set's noise (one standard error).
            """
        case .settled: return """
            The \(label) run has settled: over the last \(span) of its \(epochs) epochs neither its training nor its test accuracy \
            rose by as much as the test set's noise (one standard error).
            """
        case .diverged: return "The \(label) run diverged on every seed: there is nothing to settle."
        case .unmeasured: return "Whether the \(label) run has settled cannot be told: it was not measured often enough near its end."
        }
    }
}

extension ChapterContext {
    /// Trains the comparison at each of `lengths` (increasing numbers of epochs) on the chapter's
    /// seeds until every group has settled (see `Convergence`), or the last length, the cap, is
    /// reached; then, at that length, lets `claims` grow the seeds as `compare` does. Returns the
    /// comparison, whether it settled (a comparison that reached the cap first is not called
    /// settled), and the claims' decisions on it. Each length is recorded once.
    public func compareUntilSettled<Key: Hashable & Sendable>(_ title: String, base: TrainingSetup, _ variants: [Variant<Key>],
                                                             lengths: [Int], measuring: [Probe] = [],
                                                             judging claims: @escaping (Comparison<Key>) -> Decisions)
        -> (comparison: Comparison<Key>, settled: Bool, decisions: Decisions) {
        precondition(!lengths.isEmpty && lengths == lengths.sorted(), "lengths are increasing numbers of epochs")
        let test = dataset.test.count
        // Longer runs are measured as often for their length as the base is for its own: their curves keep their points.
        func setup(_ epochs: Int) -> TrainingSetup { base.with { $0.length = $0.length.scaled(to: epochs) } }
        for epochs in lengths.dropLast() {
            // A length that settles is recorded with its claims' seeds; one that does not, as it was tried.
            let trial = trainUntilDecided("\(title), \(epochs) epochs", base: setup(epochs), variants, measuring: measuring, decidedBy: nil)
            if trial.groups.allSatisfy({ Convergence($0, testImages: test) == .settled }) {
                let judged = compare("\(title), \(epochs) epochs", base: setup(epochs), variants, measuring: measuring, judging: claims)
                return (judged.comparison, true, judged.decisions)
            }
            record(trial, variants: variants)
        }
        let judged = compare("\(title), \(lengths.last!) epochs", base: setup(lengths.last!), variants, measuring: measuring,
                             judging: claims)
        return (judged.comparison, judged.comparison.groups.allSatisfy { Convergence($0, testImages: test) == .settled }, judged.decisions)
    }
}
