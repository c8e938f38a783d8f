import Analysis
import Claims
import Engine
import Foundation
import NeuralNet
import NumericCore
import Plot
import Runs
import Statistics

/// The course's activation experiment: random inputs through a stack of equal-width layers
/// without biases, keeping every layer's output to look at its distribution.
public enum ActivationSpread {
    /// The outputs of each of `layers` layers (Affine with zero bias, then `activation`) for a
    /// `samples x width` standard-normal input, with weights drawn by `initialization`.
    public static func layerOutputs(samples: Int = 1000, width: Int = 100, layers: Int = 5, activation: Activation,
                                    initialization: WeightInitialization, seed: UInt64) -> [[Double]] {
        var inputs = SeededGenerator(seed: seed, stream: "activation inputs")
        let x = Matrix<Double>(rows: samples, columns: width)
        inputs.fillNormal(x, standardDeviation: 1)
        // The same configuration type as the networks, so the weights follow exactly the same rules.
        let stack = Network<Double>(NetworkConfiguration(inputSize: width,
                                                         hiddenSizes: Array(repeating: width, count: layers),
                                                         outputSize: width, activation: activation,
                                                         weightInitialization: initialization),
                                    seed: seed, backend: CPUBackend())
        var outputs: [[Double]] = []
        var current = x
        for layer in stack.layers.dropLast() {      // the last Affine is the output layer: not part of the experiment
            current = layer.forward(current, training: false)
            if !(layer is Affine<Double>) { outputs.append(current.elements) }
        }
        return outputs
    }

    /// The experiment for every pair of activation and initial weights, on every seed.
    public struct Study: Sendable {
        public struct Key: Hashable, Sendable { let activation: Activation, initialization: WeightInitialization }
        public let seeds: [UInt64]
        let outputs: [Key: [[[Double]]]]   // per seed, per layer
        /// How many stacks go side by side, here and when a claim asks for more seeds.
        let workers: Int

        /// Every stack on every seed, side by side on `workers` cores.
        public init(activations: [Activation], initializations: [WeightInitialization], seeds: [UInt64], workers: Int) {
            self.seeds = seeds
            self.workers = workers
            let keys = activations.flatMap { a in initializations.map { Key(activation: a, initialization: $0) } }
            let cases = keys.flatMap { key in seeds.map { (key, $0) } }
            let computed = runInParallel(cases, workers: workers) { key, seed in
                layerOutputs(activation: key.activation, initialization: key.initialization, seed: seed)
            }
            var outputs: [Key: [[[Double]]]] = [:]
            for ((key, _), layers) in zip(cases, computed) { outputs[key, default: []].append(layers) }
            self.outputs = outputs
        }

        /// Each layer's outputs on the first seed (what the histograms draw).
        public func firstSeed(_ activation: Activation, _ initialization: WeightInitialization) -> [[Double]] {
            outputs[Key(activation: activation, initialization: initialization)]![0]
        }

        /// A statistic of the layers on each of `seeds`: from the study's outputs where it has the
        /// seed, computed afresh for the others (a claim that asked for more seeds).
        public func summary(seeds: [UInt64], _ activation: Activation, _ initialization: WeightInitialization,
                            _ measure: ([Double]) -> Double, _ pick: ([Double]) -> Double) -> SeedSummary {
            let known = outputs[Key(activation: activation, initialization: initialization)]
            return SeedSummary(runInParallel(seeds, workers: workers) { seed in
                let layers = self.seeds.firstIndex(of: seed).flatMap { known?[$0] }
                    ?? layerOutputs(activation: activation, initialization: initialization, seed: seed)
                return pick(layers.map(measure))
            })
        }

        /// `measure` of each layer, the mean over seeds.
        public func mean(_ activation: Activation, _ initialization: WeightInitialization,
                         _ measure: ([Double]) -> Double) -> [Double] {
            let perSeed = outputs[Key(activation: activation, initialization: initialization)]!.map { $0.map(measure) }
            return perSeed[0].indices.map { layer in perSeed.map { $0[layer] }.reduce(0, +) / Double(perSeed.count) }
        }
    }


    /// The share of a layer's outputs within 0.05 of 0 or 1, where a sigmoid is flat.
    public static func saturation(_ values: [Double]) -> Double {
        Double(values.filter { $0 < 0.05 || $0 > 0.95 }.count) / Double(values.count)
    }
}

extension Figure {
    /// One row of five histograms (30 bins) per initial weight scale, one panel per layer, each row
    /// on the vertical scale of its tallest bin, with counts on the axis. ReLU's exact zeros are
    /// left out so that the rest of its outputs stays visible, and its outputs above 1 are counted
    /// in an overflow bin ("> 1") rather than dropped. `rows[r][k]` holds layer k's outputs for row r.
    public static func layerHistograms(_ rows: [[[Double]]], rows starts: [WeightInitialization],
                                       activation: Activation) -> Figure {
        let names = starts.map(\.displayName)
        let range: ClosedRange<Double> = activation == .tanh ? -1...1 : 0...1
        let overflow = activation == .relu
        let shown = rows.map { row in row.map { values in activation == .relu ? values.filter { $0 != 0 } : values } }
        let histograms = shown.enumerated().map { row, layers in
            layers.enumerated().map { layer, values -> HistogramMark in
                var histogram = HistogramMark(values: values, bins: 30, range: range, color: Palette.color(row),
                                              label: names[row],
                                              dataName: histogramData(activation, layer: layer + 1))
                histogram.colorKey = ColorKey(starts[row])
                histogram.overflow = overflow
                return histogram
            }
        }
        // Each row on the scale of its tallest bin within the range: an overflow bar taller than that
        // is cut at the top and says its count.
        let tallest = histograms.map { row in row.map { Histogram.counts($0.values, bins: 30, range: range).max()
            ?? 0 }.max() ?? 1 }
        let bin = histograms[0][0].overflowBin
        let ticks: [(Double, String)] = activation == .tanh ? [(-1, "−1"), (0, "0"), (1, "1")]
            : [(0, "0"), (0.5, "0.5"), (1, "1")] + (overflow ? [((bin.lowerBound + bin.upperBound) / 2, "> 1")] : [])
        return .grid(rows.count * 5, columns: 5, title: """
            \(activation.displayName): outputs of five layers, by initial weights
            """,
                     width: 900, panelHeight: 150) { index in
            let row = index / 5, layer = index % 5
            var panel = Panel(title: "layer \(layer + 1)", xLabel: "output", yLabel: "count, " + names[row])
            panel.legend = .hidden
            let histogram = histograms[row][layer], top = Double(max(tallest[row], 1)) * 1.08
            panel.add(histogram)
            panel.xLimits = range.lowerBound...(overflow ? bin.upperBound + 1.0 / 30 : range.upperBound)
            panel.xTickLabels = ticks
            panel.yLimits = 0...top
            if overflow, Double(histogram.overflowCount) > top {
                let count = Double(histogram.overflowCount)
                let text = count >= 1000 ? "\(Int((count / 1000).rounded()))k" : "\(histogram.overflowCount)"
                let x = (bin.lowerBound + bin.upperBound) / 2
                panel.add(TextMark(x: x, y: top * 0.85, text: text, described: false))
            }
            return panel
        }
    }

    /// How the histograms of `activation`'s layer `layer` are named in the data files.
    static func histogramData(_ activation: Activation, layer: Int) -> DataName {
        DataName("histogram_\(activation.rawValue)_layer\(layer)", """
            how many \(activation.displayName) outputs of layer \(layer) fall in each of 30 bins (x: bin centre), one series per \
            initial weight scale\(activation == .relu ? "; the last point (x beyond 1) counts the outputs above 1" : "")
            """)
    }

    /// The standard deviation of each layer's outputs against the layer (log scale), one panel per
    /// activation, one line per initial weight scale: `panels[p]` holds (start, std per layer).
    public static func layerSpreads(_ panels: [(Activation, [(WeightInitialization, [Double])])]) -> Figure {
        var figure = Figure(rows: 1, columns: panels.count, title: "Standard deviation of each layer's outputs",
                            width: 900, panelHeight: 300)
        for (column, (activation, lines)) in panels.enumerated() {
            var panel = Panel(title: activation.displayName, xLabel: "layer",
                              yLabel: column == 0 ? "std of outputs" : nil)
            panel.yScale = .logarithmic
            panel.xTickLabels = (1...5).map { (Double($0), "\($0)") }
            panel.xLimits = 0.7...5.3
            if column != panels.count - 1 { panel.legend = .hidden }   // one legend for the figure, at its right
            let data = DataName("activation_std_\(activation.rawValue)",
                                """
                                    the standard deviation of each \(activation.displayName) layer's outputs (x: layer \
                                    1 to 5), mean over seeds
                                    """)
            for (index, (start, y)) in lines.enumerated() {
                panel.line((1...5).map(Double.init), y.map { max($0, 1e-12) }, label: start.displayName,
                           color: Palette.color(index),
                           markers: Markers(.circle, size: 5), dataName: data, colorKey: ColorKey(start))
            }
            figure[0, column] = panel
        }
        return figure
    }
}
