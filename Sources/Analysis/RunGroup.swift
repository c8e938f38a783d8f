import Formatting
import NeuralNet
import Plot
import Runs
import Statistics

/// The runs of one configuration across seeds ("Adam" with seeds 1, 2, 3), and what they measured,
/// for any metric.
public struct RunGroup: Sendable {
    public let label: String
    public let results: [RunResult]
    /// The setting the group stands for, as the typed value a chapter declared it by (a dropout
    /// ratio, an optimizer, "with BatchNorm"): figures colour it the same wherever it appears, and
    /// groups of one setting trained for different lengths share it.
    public var setting: ColorKey

    public init(label: String, results: [RunResult], setting: ColorKey) {
        self.label = label
        self.results = results
        self.setting = setting
    }

    public var seeds: [UInt64] { results.map(\.run.seed) }
    /// The setup the runs share (the first run's).
    public var setup: TrainingSetup { results[0].run.setup }

    /// What every summary of this group is measured on: its setup, which more seeds of it would train.
    public var source: SeedSource { SeedSource(setup) }

    /// `values`, one per seed, as a summary measured on this group.
    func summary(_ values: [Double]) -> SeedSummary { SeedSummary(values, sources: [source]) }

    /// The x values of the metric for the run that got furthest.
    func xValues(_ metric: Metric) -> [Double] {
        results.map { $0.history.curve(metric).x }.max { $0.count < $1.count } ?? []
    }

    /// Each seed's curve of `metric` (smoothed as the course smooths losses, if asked), reduced to a
    /// mean and a min-max band; a seed that stopped early counts where it has values.
    public func band(_ metric: Metric, smoothed: Bool = false, center: SeedBand.Center = .mean) -> SeedBand {
        SeedBand(x: xValues(metric), curves: results.map { result in
            let y = result.history.curve(metric).y
            return smoothed ? Smoothing.smooth(y) : y
        }, center: center)
    }

    /// The metric at `x` for each seed: for the loss, the median mini-batch loss of the `window`
    /// iterations up to iteration `x` (the median, because a rule such as RMSProp at the course's
    /// rate throws occasional spikes, and a mean of them moves with the last bits of rounding:
    /// another CPU's kernels change which iterations spike); for an accuracy, its value at epoch
    /// `x`. NaN for a seed that has no value there.
    public func value(_ metric: Metric, at x: Int, window: Int = 50) -> SeedSummary {
        summary(results.map { result in
            let curve = result.history.curve(metric)
            if !metric.isAccuracy {
                guard x > 0, x <= curve.y.count else { return .nan }
                let slice = curve.y[max(0, x - window)..<x].sorted(), middle = slice.count / 2
                return slice.count % 2 == 1 ? slice[middle] : (slice[middle - 1] + slice[middle]) / 2
            }
            guard let index = curve.x.firstIndex(of: Double(x)) else { return .nan }
            return curve.y[index]
        })
    }

    /// The metric where training was set to end: after the last iteration (loss) or the last
    /// epoch. A seed that diverged before then has no value. Test accuracy there is the whole test
    /// set's, also where the run drew its curve on fewer images (`TrainingSetup.testCurveImages`).
    public func final(_ metric: Metric, window: Int = 50) -> SeedSummary {
        guard metric == .testAccuracy, setup.testCurveImages != nil else { return value(metric, at: setup.length.end, window: window) }
        return summary(results.map { $0.history.diverged ? .nan : $0.finalTestAccuracy ?? .nan })
    }

    /// For each seed, the mean of the metric's last `count` values (the course's summary of a loss
    /// curve: `np.mean(train_loss[key][-100:])`); NaN for a seed that diverged.
    public func meanOfLast(_ metric: Metric, _ count: Int) -> SeedSummary {
        summary(results.map { result in
            let y = result.history.curve(metric).y
            guard !result.history.diverged, !y.isEmpty else { return .nan }
            let tail = y.suffix(count)
            return tail.reduce(0, +) / Double(tail.count)
        })
    }

    /// For each seed, the first x at which the metric reaches `threshold` (NaN if it never does).
    public func first(_ metric: Metric, reaching threshold: Double) -> SeedSummary {
        summary(results.map { result in
            let curve = result.history.curve(metric)
            return curve.y.firstIndex { $0 >= threshold }.map { curve.x[$0] } ?? .nan
        })
    }

    /// Training minus test accuracy where the runs end, seed by seed: how far the network fits its
    /// training images better than images it has not seen.
    public var finalGap: SeedSummary {
        final(.trainAccuracy).subtracting(final(.testAccuracy))
    }

    /// How much the metric moved over the last `span` epochs, seed by seed: the mean of its values
    /// in the last `window` epochs minus the mean of its values in the `window` epochs that ended
    /// `span` epochs earlier. Averaging over windows keeps epoch-to-epoch jitter from passing for a
    /// trend, and works the same whether accuracy was measured every epoch or every few.
    public func trend(_ metric: Metric, overLast span: Int, window: Int = 10) -> SeedSummary {
        summary(results.map { result in
            let curve = result.history.curve(metric)
            guard let last = curve.x.last else { return .nan }
            func mean(endingAt end: Double) -> Double {
                let values = zip(curve.x, curve.y).filter { $0.0 <= end && $0.0 > end - Double(window) }.map(\.1)
                return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
            }
            return mean(endingAt: last) - mean(endingAt: last - Double(span))
        })
    }

    /// Accuracy on the test set when each run ended.
    public var finalTestAccuracy: SeedSummary { summary(results.map { $0.finalTestAccuracy ?? .nan }) }

    /// Which test images each run got right when it ended (nil where it was not measured): with
    /// another group's, the noise of a paired difference (`Margin.paired`).
    public var finalTestCorrectness: [Correctness?] { results.map(\.finalTestCorrectness) }

    /// Which held-out images each run got right (see `heldOutAccuracy`); nil where they were not measured.
    public var heldOutCorrectness: [Correctness?] {
        results.map { $0.history.diverged ? nil : $0.marks[.heldOutAccuracy] }
    }

    /// Accuracy on the held-out images (the test set and the training images no run of this
    /// selection uses; see `Probe.heldOut`) when each run ended; NaN where it was not measured.
    /// A run that diverged has none: its network is not the one its curves end on.
    public var heldOutAccuracy: SeedSummary {
        summary(results.map { $0.history.diverged ? .nan : $0.measurements[.heldOutAccuracy] ?? .nan })
    }

    /// How many images `heldOutAccuracy` was measured on; nil where it was not.
    public var heldOutImages: Int? { results.lazy.compactMap { $0.measurements[.heldOutImages] }.first.map { Int($0) } }

    /// Training accuracy where the runs end minus held-out accuracy, seed by seed: the gap measured
    /// on several times more images than the test set alone holds.
    public var heldOutGap: SeedSummary { final(.trainAccuracy).subtracting(heldOutAccuracy) }

    /// Accuracy on images the runs never saw, as finely as it was measured: on the held-out images
    /// where the runs measured them, on the test set where they end otherwise.
    public var heldOutOrTestAccuracy: SeedSummary { heldOutImages == nil ? final(.testAccuracy) : heldOutAccuracy }

    /// The images behind `heldOutOrTestAccuracy`, run by run.
    public var heldOutOrTestCorrectness: [Correctness?] { heldOutImages == nil ? finalTestCorrectness : heldOutCorrectness }

    /// The gap to that accuracy: `heldOutGap` where held-out images were measured, `finalGap` otherwise.
    public var heldOutOrTestGap: SeedSummary { heldOutImages == nil ? finalGap : heldOutGap }

    /// A value measured on each trained network (see `Probe`).
    public func measurement(_ measure: Measure) -> SeedSummary {
        summary(results.map { $0.measurements[measure] ?? .nan })
    }

    public var divergedSeeds: [UInt64] { results.filter(\.history.diverged).map(\.run.seed) }

    /// Why a seed of this group has no value, as a table says it: its run diverged (its loss became
    /// NaN or infinite) where one did, otherwise it was not measured.
    public var missingValue: MissingValue { divergedSeeds.isEmpty ? .notMeasured : .diverged }
}

extension SeedSummary {
    /// A statistic of several groups, seed by seed, over the seeds every one of them has (their
    /// first seeds: claims grow only the groups they read): `value(s)` for seed index s. Measured on
    /// all of them, so a claim that reads it and cannot yet decide asks for more seeds of each.
    public static func perSeed(of groups: [RunGroup], _ value: (Int) -> Double) -> SeedSummary {
        let shared = groups.map(\.results.count).min() ?? 0
        return SeedSummary((0..<shared).map(value), sources: Set(groups.map(\.source)))
    }
}
