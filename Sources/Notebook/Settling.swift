import Analysis
import Claims
import Foundation
import Runs
import Statistics

/// Whether a group of runs has stopped improving, by one rule every chapter uses, the same for a run
/// of any length: neither its training nor its test accuracy still rises, on average over seeds, at a
/// rate of one standard error of an accuracy on the images its curve is measured on (the noise of the
/// measurement) per `perEpochs` epochs. The rate is read over the last quarter of the run (at least
/// `minimumSpan` epochs): the mean of the last `window` epochs' measurements against the same window
/// a span earlier, divided by the span (`RunGroup.trend`).
public enum Convergence: Equatable, Sendable {
    case rising, settled
    /// Every run diverged: there is nothing to settle.
    case diverged
    /// The runs were not measured often enough near their end to tell (a sweep's other settings,
    /// measured on the test set only when they end).
    case unmeasured

    /// The fixed stretch a rise is judged over, whatever the run's length: a run still gaining one
    /// standard error per this many epochs has not settled.
    public static let perEpochs = 100
    /// The fewest epochs a rate is read over.
    static let minimumSpan = 20

    /// The epochs the rate is read over: the last quarter of the run, at least `minimumSpan` (and no more than the run).
    public static func span(_ epochs: Int) -> Int { min(max(1, epochs - 1), max(minimumSpan, epochs / 4)) }

    /// The epochs each end of a rise is averaged over: a tenth of the span, at least 10 (no more than
    /// the span), so that a long run measured every few dozen epochs still has a point at each end.
    public static func window(_ span: Int) -> Int { min(span, max(10, span / 10)) }

    /// The mean rise per `perEpochs` epochs of `metric` over seeds.
    static func rate(_ group: RunGroup, _ metric: Metric, epochs: Int) -> SeedSummary {
        let span = span(epochs)
        return group.trend(metric, overLast: span, window: window(span)).map { $0 * Double(perEpochs) / Double(span) }
    }

    public init(_ group: RunGroup, testImages: Int) {
        let epochs = group.setup.length.end
        let rises = [Metric.trainAccuracy, .testAccuracy].map { Self.rate(group, $0, epochs: epochs) }
        guard rises.allSatisfy({ !$0.present.isEmpty }) else {
            self = group.divergedSeeds.count == group.results.count ? .diverged : .unmeasured
            return
        }
        // The curve's own noise: of the images it was measured on.
        let noise = accuracyResolution(group.final(.testAccuracy).mean, count: min(group.setup.testCurveImages ?? testImages, testImages))
        self = rises.contains { $0.mean >= noise } ? .rising : .settled
    }

    /// The rule in one sentence, for a report.
    public static var ruleText: String {
        "*settled* when neither training nor test accuracy still rises, on average over seeds, by one standard error of an "
            + "accuracy on the images the curve is measured on per \(perEpochs) epochs, a rate read over the last quarter of the run "
            + "(at least \(minimumSpan) epochs; each end the mean of the measurements in a tenth of that stretch, at least 10 epochs); *still rising* otherwise. "
            + "The rule is the same for a run of any length"
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
            rose at a rate of at least the curve's noise (one standard error) per \(Self.perEpochs) epochs.
            """
        case .settled: return """
            The \(label) run has settled: over the last \(span) of its \(epochs) epochs neither its training nor its test accuracy \
            rose at a rate of the curve's noise (one standard error) per \(Self.perEpochs) epochs.
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
