// Chapter: initial weights. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
import Plot
import Report
import Runs

struct InitialValuesChapter: Chapter {
    static let name = "initial-values"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "Why initial weights matter: equal weights, activation histograms, and std 0.01 vs Xavier vs He on MNIST.",
        discussion: "Writes <output>/initial-values/README.md with its figures, their CSV data and results.json.")

    @OptionGroup var options: ChapterOptions
    @OptionGroup var length: IterationOptions

    static let inits: [WeightInitialization] = [.standardDeviation(1), .standardDeviation(0.01), .xavier, .he]
    static let activations: [Activation] = [.sigmoid, .tanh, .relu]

    func build(_ report: Report, context: ChapterContext) throws {
        report.title = "Initial weights: where training starts decides whether it starts"
        report.paragraph("""
            Before the first step, every weight needs a value. The choice looks like a detail, yet it decides \
            whether signals survive the trip through the layers, whether gradients survive the trip back, and \
            whether the hidden units can become different from one another at all. This chapter shows each of \
            these effects directly, then measures what they cost when training on MNIST.
            """)
        try equalWeights(report, context: context)
        activationHistograms(report, context: context)
        try mnist(report, context: context)
    }

    // MARK: - 1. Equal weights

    func equalWeights(_ report: Report, context: ChapterContext) throws {
        report.heading("Why the weights cannot all start equal")
        report.paragraph("""
            If every weight of a layer starts at the same value, every unit of that layer computes the same \
            output for every input. In the backward pass they then receive the same gradient, so after the \
            update they are still equal, and so on forever: a layer of 100 units behaves like a layer of one. \
            All-zero weights are the extreme case: the hidden outputs are constant and the gradients reaching \
            the hidden weights are exactly zero, so only the last bias learns. Random initial weights break \
            this symmetry. The experiment: a 784-100-100-10 ReLU network trained with SGD (lr 0.1) from three \
            starts, and afterwards, how different the 100 units of the first hidden layer have become.
            """)
        let iterations = context.pick(length.iterations, full: 1000, quick: 100)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [100, 100], activation: .relu),
                                 optimizer: .sgd(learningRate: 0.1), batchSize: 100, length: .iterations(iterations))
        let starts: [WeightInitialization] = [.constant(0), .constant(0.01), .he]
        let comparison = context.compare("equal initial weights", base: base,
                                         starts.map { start in Variant(start, label: start.displayName) { $0.network.weightInitialization = start } },
                                         measuring: [.hiddenUnits])
        report.table(comparison.groups, first: "initial weights", columns: [
            Column("distinct units in hidden layer 1") { group in
                let counts = group.measurement(.distinctUnits)
                return counts.minimum == counts.maximum ? "\(Int(counts.mean)) of 100" : "\(Int(counts.minimum))–\(Int(counts.maximum)) of 100"
            },
            .measurement(.largestUnitDifference, header: "largest difference between two units' weights"),
            .measurement(.largestWeight, header: "largest weight"),
            .finalTestAccuracy(),
        ])
        report.paragraph("""
            Starting from equal weights, the units of the first layer are still copies of one another after \
            \(iterations) updates on every seed (the distinct count compares their incoming weights bit for bit), \
            and the network is no better than its one effective unit per layer allows. From all zeros nothing but \
            the output bias moves, and the accuracy is that of always guessing one class. He's random start gives \
            100 different units and a working classifier.
            """)
        let zero = comparison[.constant(0)], equal = comparison[.constant(0.01)], he = comparison[.he]
        let stuck = [zero, equal].allSatisfy { $0.measurement(.distinctUnits).maximum == 1 }
        report.claim("Equal initial weights (all zero) keep the units of a layer identical, so the many parameters are wasted; the start must be random.",
                     stuck && he.measurement(.distinctUnits).minimum == 100 ? .holds : .doesNotHold,
                     evidence: "Distinct units in hidden layer 1 after \(iterations) updates: all 0 → \(Int(zero.measurement(.distinctUnits).maximum)), "
                        + "all 0.01 → \(Int(equal.measurement(.distinctUnits).maximum)), He → \(Int(he.measurement(.distinctUnits).minimum)) (every seed); "
                        + "test accuracy \(percentWithRange(zero.finalTestAccuracy)), \(percentWithRange(equal.finalTestAccuracy)), \(percentWithRange(he.finalTestAccuracy)).")
        report.summary["distinct_units"] = .object(Dictionary(uniqueKeysWithValues: comparison.groups.map { ($0.label, .number($0.measurement(.distinctUnits).mean)) }))
    }

    // MARK: - 2. Activation histograms

    func activationHistograms(_ report: Report, context: ChapterContext) {
        report.heading("What happens to activations, layer by layer")
        report.paragraph("""
            The course's experiment: 1000 random inputs of 100 standard-normal values pass through five layers \
            of 100 units without biases; each layer's weights are Gaussian with a standard deviation of 1, of \
            0.01, Xavier's $\\sqrt{1/n}$, or He's $\\sqrt{2/n}$ (with $n = 100$ inputs per unit). We draw the \
            distribution of each layer's outputs for sigmoid, tanh and ReLU.
            """)
        let seed = context.seeds[0]
        context.settings.record("activation experiment", "1000 x 100 standard-normal inputs, 5 layers of 100, no bias, 30 bins, seed \(seed)")
        var outputs: [Stack: [[Double]]] = [:]
        for activation in Self.activations {
            for initialization in Self.inits {
                outputs[Stack(activation, initialization)] = ActivationSpread.layerOutputs(activation: activation, initialization: initialization, seed: seed)
            }
            histograms(activation, outputs: outputs, report: report)
        }
        let spreads = outputs.mapValues { $0.map(ActivationSpread.standardDeviation) }
        let spreadNumber = spreadFigure(spreads, seed: seed, report: report)
        func std(_ a: Activation, _ i: WeightInitialization, _ layer: Int) -> String { Format.number(spreads[Stack(a, i)]![layer - 1], digits: 3) }
        report.table(headers: ["activation", "initial weights"] + (1...5).map { "std, layer \($0)" },
                     rows: Self.activations.flatMap { a in Self.inits.map { i in [a.displayName, i.displayName] + (1...5).map { std(a, i, $0) } } })
        report.paragraph("""
            **Reading the figures.** With a standard deviation of 1, each sigmoid unit sums 100 inputs with large \
            weights, so its input is far from zero and its output is pinned near 0 or 1: the histograms pile up \
            at both ends. There the sigmoid is flat, its derivative $y(1 - y)$ nearly zero, and the gradient \
            fades as it passes back through each layer: the *vanishing gradient* problem. With 0.01 the opposite \
            happens: the inputs are tiny, every sigmoid output sits at 0.5 (layer-5 std \
            \(std(.sigmoid, .standardDeviation(0.01), 5))), and 100 units that all say the same thing are no \
            more expressive than one. Xavier's $\\sqrt{1/n}$ keeps the variance of a unit's input about equal \
            to that of one input, and the outputs stay spread over a wide range in every layer; with tanh, \
            which is symmetric around zero, the histograms also stay centred (layer-5 std \(std(.tanh, .xavier, 5)) \
            against \(std(.tanh, .standardDeviation(0.01), 5)) with 0.01). ReLU zeroes half of its inputs, halving \
            the variance at every layer: with Xavier its spread shrinks layer after layer \
            (\(std(.relu, .xavier, 1)) to \(std(.relu, .xavier, 5))), with He's $\\sqrt{2/n}$, which doubles \
            the variance to compensate, it stays level (\(std(.relu, .he, 1)) to \(std(.relu, .he, 5))), and \
            with a standard deviation of 1 it explodes (Figure \(spreadNumber)).
            """)
        activationClaims(outputs: outputs, spreads: spreads, report: report)
    }

    /// One activation and one initial weight scale: a stack of five layers.
    struct Stack: Hashable {
        let activation: Activation
        let initialization: WeightInitialization
        init(_ activation: Activation, _ initialization: WeightInitialization) { self.activation = activation; self.initialization = initialization }
    }

    /// The share of each layer's outputs within 0.05 of 0 or 1, where a sigmoid is flat.
    static func saturation(_ layers: [[Double]]) -> [Double] {
        layers.map { values in Double(values.filter { $0 < 0.05 || $0 > 0.95 }.count) / Double(values.count) }
    }

    func histograms(_ activation: Activation, outputs: [Stack: [[Double]]], report: Report) {
        let range: ClosedRange<Double> = activation == .tanh ? -1...1 : 0...1
        // ReLU's exact zeros are left out; each row shares the vertical scale of its tallest bin.
        let shown = Self.inits.map { i in outputs[Stack(activation, i)]!.map { values in activation == .relu ? values.filter { $0 != 0 } : values } }
        let tallest = shown.map { row in row.map { Histogram.counts($0, bins: 30, range: range).max() ?? 0 }.max() ?? 1 }
        let figure = Figure.grid(Self.inits.count * 5, columns: 5, title: "\(activation.displayName): outputs of five layers, by initial weights",
                                 width: 900, panelHeight: 150) { index in
            let row = index / 5, layer = index % 5, initialization = Self.inits[row]
            var panel = Panel(title: "layer \(layer + 1)", xLabel: "output", yLabel: initialization.displayName)
            panel.legend = .hidden
            panel.add(HistogramMark(values: shown[row][layer], bins: 30, range: range, color: Palette.color(row),
                                    label: initialization.displayName, dataName: "histogram_\(activation.rawValue)_layer\(layer + 1)"))
            panel.xLimits = range
            panel.yLimits = 0...Double(max(tallest[row], 1)) * 1.08
            return panel
        }
        for layer in 1...5 {
            report.describeMetric("histogram_\(activation.rawValue)_layer\(layer)",
                                  "how many \(activation.displayName) outputs of layer \(layer) fall in each of 30 bins (x: bin centre), one series per initial weight scale")
        }
        let caption = "Histograms (30 bins over \(activation == .tanh ? "−1 to 1" : "0 to 1")) of the outputs of five \(activation.displayName) layers, one row per initial weight scale; the rows share their vertical scale."
            + (activation == .relu ? " ReLU's exact zeros (about half of its outputs) are left out so that the rest stays visible; outputs above 1 fall outside the range." : "")
        report.figure(figure, name: "activations-\(activation.rawValue)", caption: caption)
    }

    func spreadFigure(_ spreads: [Stack: [Double]], seed: UInt64, report: Report) -> Int {
        var figure = Figure(rows: 1, columns: 3, title: "Standard deviation of each layer's outputs", width: 900, panelHeight: 300)
        for (column, activation) in Self.activations.enumerated() {
            var panel = Panel(title: activation.displayName, xLabel: "layer", yLabel: column == 0 ? "std of outputs" : nil)
            panel.yScale = .logarithmic
            panel.xTickLabels = (1...5).map { (Double($0), "\($0)") }
            panel.xLimits = 0.7...5.3
            for (index, initialization) in Self.inits.enumerated() {
                let y = spreads[Stack(activation, initialization)]!
                panel.line((1...5).map(Double.init), y.map { max($0, 1e-12) }, label: initialization.displayName,
                           color: Palette.color(index), markers: Markers(.circle, size: 5), dataName: "activation_std_\(activation.rawValue)")
                report.series.append(Series(label: initialization.displayName, seed: seed, metric: "activation_std_\(activation.rawValue)",
                                            x: (1...5).map(Double.init), y: y))
            }
            figure[0, column] = panel
        }
        for activation in Self.activations {
            report.describeMetric("activation_std_\(activation.rawValue)", "the standard deviation of each \(activation.displayName) layer's outputs (x: layer 1 to 5)")
        }
        return report.figure(figure, name: "activation-spread",
                             caption: "The standard deviation of each layer's outputs (log scale): the histograms above, each reduced to one number.")
    }

    func activationClaims(outputs: [Stack: [[Double]]], spreads: [Stack: [Double]], report: Report) {
        func std(_ a: Activation, _ i: WeightInitialization, _ layer: Int) -> String { Format.number(spreads[Stack(a, i)]![layer - 1], digits: 3) }
        func percents(_ values: [Double]) -> String { values.map { Format.percent($0, decimals: 0) }.joined(separator: ", ") }
        let saturated = Self.saturation(outputs[Stack(.sigmoid, .standardDeviation(1))]!)
        report.claim("With a standard deviation of 1, sigmoid outputs pile up near 0 and 1 (where the gradient vanishes).",
                     .share(saturated.filter { $0 > 0.5 }.count, of: saturated.count),
                     evidence: "Share of outputs within 0.05 of 0 or 1, layers 1–5: \(percents(saturated)).")
        let collapsed = spreads[Stack(.sigmoid, .standardDeviation(0.01))]!
        report.claim("With a standard deviation of 0.01, sigmoid outputs gather at 0.5 and the units lose their expressiveness.",
                     collapsed.allSatisfy { $0 < 0.05 } ? .holds : .doesNotHold,
                     evidence: "Std of the outputs, layers 1–5: \(collapsed.map { Format.number($0, digits: 2) }.joined(separator: ", ")) (a uniform spread over 0–1 would be 0.29).")
        let xavier = spreads[Stack(.sigmoid, .xavier)]!, xavierEnds = Self.saturation(outputs[Stack(.sigmoid, .xavier)]!)
        let moderate = zip(xavier, xavierEnds).allSatisfy { $0.0 >= 0.05 && $0.1 < 0.2 }
        report.claim("Xavier's initial weights give sigmoid layers a moderately wide spread of outputs.", moderate ? .holds : .doesNotHold,
                     evidence: "Std, layers 1–5: \(xavier.map { Format.number($0, digits: 2) }.joined(separator: ", ")); share within 0.05 of 0 or 1: \(percents(xavierEnds)) (rule: std at least 0.05 and under 20% at the ends in every layer).")
        let he = spreads[Stack(.relu, .he)]!, xavierReLU = spreads[Stack(.relu, .xavier)]!
        let heKeeps = he.allSatisfy { $0 / he[0] > 0.5 && $0 / he[0] < 2 } && xavierReLU[4] / xavierReLU[0] < he[4] / he[0]
        report.claim("He's initial weights suit ReLU: its layers keep their spread, where Xavier's shrink.", heKeeps ? .holds : .doesNotHold,
                     evidence: "ReLU std from layer 1 to layer 5: He \(std(.relu, .he, 1)) → \(std(.relu, .he, 5)), Xavier \(std(.relu, .xavier, 1)) → \(std(.relu, .xavier, 5)).")
        report.summary["relu_he_std_layer5"] = .number(he[4])
        report.summary["sigmoid_std001_std_layer5"] = .number(collapsed[4])
    }

    // MARK: - 3. MNIST

    func mnist(_ report: Report, context: ChapterContext) throws {
        report.heading("On \(context.dataset.name): std 0.01, Xavier and He")
        let iterations = context.pick(length.iterations, full: 2000, quick: 200)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu),
                                 optimizer: .sgd(learningRate: 0.01), batchSize: length.batchSize ?? 128, length: .iterations(iterations))
        let starts: [WeightInitialization] = [.standardDeviation(0.01), .xavier, .he]
        report.paragraph("""
            The course's comparison: a \(base.network.summary.replacingOccurrences(of: ", He", with: "")) network trained \
            with SGD (lr 0.01, batch \(base.batchSize)) for \(iterations) iterations on \(context.dataset.training.count) \
            \(context.dataset.name) images, from weights with a standard deviation of 0.01, Xavier's or \
            He's, each over \(context.seeds.count) seeds.
            """)
        let comparison = context.compare("initial weights on \(context.dataset.name)", base: base,
                                         starts.map { start in Variant(start, label: start.displayName) { $0.network.weightInitialization = start } })
        var figure = Figure(width: 800, panelHeight: 420)
        var panel = Panel(xLabel: "iteration", yLabel: "training loss (smoothed)")
        panel.yLimits = 0...2.5
        for group in comparison.groups { panel.plot(group, .trainLoss, smoothed: true) }
        figure[0, 0] = panel
        let number = report.figure(figure, name: "mnist-loss",
                                   caption: "Training loss on \(context.dataset.name) by initial weights (ReLU, SGD lr 0.01, batch \(base.batchSize)): mean over \(context.seeds.count) seeds of the smoothed loss, band from the lowest to the highest seed.")
        let checkpoints = [iterations / 4, iterations / 2, iterations]
        report.table(comparison.groups, first: "initial weights",
                     columns: Column.checkpoints(.trainLoss, at: checkpoints) { "loss at \($0)" } + [.finalTestAccuracy(header: "test accuracy at \(iterations)")])
        let small = comparison[.standardDeviation(0.01)].final(.trainLoss), xavier = comparison[.xavier].final(.trainLoss), he = comparison[.he].final(.trainLoss)
        let uniform = log(10.0)
        report.paragraph("""
            **What Figure \(number) shows.** With a standard deviation of 0.01 the loss hardly leaves \
            $\\ln 10 \\approx \(Format.number(uniform, digits: 3))$, the loss of guessing uniformly \
            (\(Format.number(small.mean, digits: 3)) after \(iterations) iterations): the signal shrinks \
            a hundredfold per layer, and so does the gradient on its way back, so SGD has almost nothing to \
            follow. Xavier and He both learn; He, made for ReLU, ends at \(Format.number(he.mean, digits: 3)) \
            against Xavier's \(Format.number(xavier.mean, digits: 3)), a gap that is \
            \(he.isClearlyBelow(xavier) ? "larger than the seed-to-seed noise (every He seed ends below every Xavier seed)" : "within the seed-to-seed noise here"). \
            That matches the notes: with 0.01 learning does not get going, and He with ReLU learns best.
            """)
        report.claim("A standard deviation of 0.01 hardly learns at all.", small.minimum > 0.9 * uniform ? .holds : .doesNotHold,
                     evidence: "Loss after \(iterations) iterations: \(meanAndSpread(small)), against ln 10 = \(Format.number(uniform, digits: 3)) for uniform guessing.")
        report.claim("Xavier's initial weights learn well.", xavier.maximum < uniform / 4 ? .holds : .doesNotHold,
                     evidence: "Loss after \(iterations) iterations: \(meanAndSpread(xavier)) (a quarter of ln 10 is \(Format.number(uniform / 4, digits: 3))); the notes pair Xavier with sigmoid, the course's experiment (and this one) uses ReLU for all three.")
        report.claim("He's initial weights with ReLU learn better than Xavier's.",
                     .lower(he, than: xavier),
                     evidence: "Loss after \(iterations) iterations: He \(meanAndSpread(he)), Xavier \(meanAndSpread(xavier))"
                        + (he.isClearlyBelow(xavier) ? "; every He seed ends below every Xavier seed." : "."))
        report.summary["finding"] = .string("Std 0.01 barely learns (loss \(Format.number(small.mean, digits: 3)) after \(iterations) iterations); He ends at \(Format.number(he.mean, digits: 3)), Xavier at \(Format.number(xavier.mean, digits: 3)); equal weights keep every hidden unit identical.")
    }
}

runChapter(InitialValuesChapter.self)
