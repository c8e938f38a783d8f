import ArgumentParser
import Formatting
import Foundation
import Plot
import Report
import Runs
import Search

// The hyperparameter search as a notebook shows it: its command-line values, its figures, and its
// trials as results.json rows.

extension Shard: ExpressibleByArgument {}

extension Figure {
    /// One panel per trial, in rows of five: the validation (solid) and training (dashed)
    /// accuracy after every epoch of each trial's `curve`, titled "Best-k" with its settings.
    public static func trialCurves(_ trials: [TrialRecord], curves: [RunResult], title: String) -> Figure {
        var grid = Figure.grid(trials.count, columns: 5, title: title, width: 1100, panelHeight: 190) { k in
            let h = trials[k].hyperparameters
            var panel = Panel.accuracy(title: "Best-\(k + 1) lr \(Format.scientific(h.learningRate)), wd \(Format.scientific(h.weightDecay))",
                                       xLabel: "epoch", yLabel: "accuracy")
            let validation = curves[k].history.curve(.validationAccuracy), training = curves[k].history.curve(.trainAccuracy)
            panel.line(validation.x, validation.y, label: "validation", color: Palette.color(0), dataName: "val_acc")
            panel.line(training.x, training.y, label: "training", color: Palette.color(1), style: .dashed, dataName: "train_acc")
            if k != 0 { panel.legend = .hidden }
            return panel
        }
        grid.style.titleFontSize = 10
        return grid
    }
}

extension Panel {
    /// The trials of one method and seed at their learning rate and weight decay (log axes, the
    /// box with a little room), coloured by score on `scale`: circles for the random start, squares
    /// for the trials placed after it (from `later` on), red crosses for failed trials, and the
    /// narrowed box when there is one.
    public static func trials(_ trials: [TrialRecord], method: SearchMethod, in space: SearchSpace, startsAfter later: Int,
                              narrowed box: SearchSpace?, scale: ColorScale, yLabel: String?) -> Panel {
        var panel = Panel(title: method.rawValue, xLabel: "learning rate", yLabel: yLabel)
        panel.xScale = .logarithmic
        panel.yScale = .logarithmic
        // A little room around the box, so that trials on its edge are drawn whole.
        func padded(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
            let pad = 0.04 * (r.upperBound - r.lowerBound)
            return pow(10, r.lowerBound - pad)...pow(10, r.upperBound + pad)
        }
        panel.xLimits = padded(space.learningRate)
        panel.yLimits = padded(space.weightDecay)
        panel.colorScale = scale
        let done = trials.filter { !$0.failed }, failed = trials.filter(\.failed)
        let groups = [(done.filter { $0.number <= later }, MarkerShape.circle, method == .random ? "trials" : "random start"),
                      (done.filter { $0.number > later }, MarkerShape.square, method == .coarseToFine ? "second round" : "proposed")]
        for (group, shape, label) in groups where !group.isEmpty {
            panel.add(ScatterMark(x: group.map(\.hyperparameters.learningRate), y: group.map(\.hyperparameters.weightDecay),
                                  values: group.map { $0.score! }, size: 7, shape: shape, label: label, dataName: "trials"))
        }
        if !failed.isEmpty {
            panel.add(ScatterMark(x: failed.map(\.hyperparameters.learningRate), y: failed.map(\.hyperparameters.weightDecay),
                                  color: .red, size: 9, shape: .cross, label: "failed (NaN)", dataName: "failed_trials"))
        }
        if let box {
            panel.add(RectangleMark(x: pow(10, box.learningRate.lowerBound)...pow(10, box.learningRate.upperBound),
                                    y: pow(10, box.weightDecay.lowerBound)...pow(10, box.weightDecay.upperBound),
                                    color: .black, label: "narrowed box"))
        }
        return panel
    }
}

extension SearchResults {
    /// `best_val_so_far` of a method against the trial number, one series per seed, for results.json.
    public func bestSoFarSeries(_ method: SearchMethod, label: String) -> [Series] {
        settings.seeds.map { seed in
            let curve = bestSoFar(method, seed: seed)
            return Series(label: label, seed: seed, metric: "best_val_so_far", x: curve.indices.map { Double($0 + 1) }, y: curve)
        }
    }
}

extension TrialRecord {
    /// The trial as a row of results.json: method, seed, trial number, settings, and its scores
    /// or the epoch in which it failed.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["method": .string(method.rawValue), "seed": .number(Double(seed)), "trial": .number(Double(number)),
                                           "learning_rate": .number(hyperparameters.learningRate),
                                           "weight_decay": .number(hyperparameters.weightDecay)]
        if let v = score { object["val_acc"] = .number(v) }
        if let t = outcome.trainingScore { object["train_acc"] = .number(t) }
        if let e = failedEpoch { object["failed_in_epoch"] = .number(Double(e)) }
        return .object(object)
    }
}
