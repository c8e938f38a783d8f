// The initial-values chapter, section 2: what each initial scale does to the activations, layer by layer.
import Analysis

import Claims
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
import Plot
import Report
import Runs
import Statistics

extension InitialValuesChapter {
    // MARK: - 2. Activation histograms

    func activationHistograms(_ report: Report, context: ChapterContext) {
        report.heading("What happens to activations, layer by layer")
        report.paragraph("""
            The course's experiment: 1000 random inputs of 100 standard-normal values pass through five layers \
            of 100 units without biases; each layer's weights are Gaussian with a standard deviation of 1, of \
            0.01, Xavier's $\\sqrt{1/n}$ (\(report.cite(.glorot2010))), or He's $\\sqrt{2/n}$ (\(report.cite(.he2015))), with \
            $n = 100$ inputs per unit. We draw the \
            distribution of each layer's outputs for sigmoid, tanh and ReLU from the first seed's inputs and \
            weights, and measure it on every seed (\(context.seeds.map(String.init).joined(separator: ", "))).
            """)
        let seeds = context.seeds
        context.settings.record("activation experiment", """
            1000 x 100 standard-normal inputs, 5 layers of 100, no bias, 30 bins, seeds \(seeds.map(String.init).joined(separator: ", "))
            """)
        let study = ActivationSpread.Study(activations: Self.activations, initializations: Self.inits, seeds: seeds,
                                           workers: context.workers)
        let histograms = histogramFigures(study, report: report)
        let spread = { (a: Activation, i: WeightInitialization) in
            study.mean(a, i, Descriptive.populationStandardDeviation)
        }
        let spreads = Figure.layerSpreads(Self.activations.map { a in (a, Self.inits.map { ($0, spread(a, $0)) }) })
        let spreadNumber = report.figure(spreads, name: "activation-spread", caption: """
            The standard deviation of each layer's outputs (log scale), mean over \(seeds.count) seeds: the histograms above, each \
            reduced to one number.
            """)
        func std(_ a: Activation, _ i: WeightInitialization, _ layer: Int) -> String {
            Format.number(spread(a, i)[layer - 1], digits: 3)
        }
        let rows = Self.activations.flatMap { a in
            Self.inits.map { i in [a.displayName, i.displayName] + (1...5).map { std(a, i, $0) } }
        }
        report.table(headers: ["activation", "initial weights"] + (1...5).map { "std, layer \($0)" }, rows: rows)
        let upper: ([Double]) -> Double = { ($0[3] + $0[4]) / 2 }
        let lopsided = { (a: Activation) in study.summary(seeds: seeds, a, .xavier, Descriptive.absoluteSkewness,
                                                          upper) }
        report.paragraph("""
            **Reading the figures.** With a standard deviation of 1, each sigmoid unit sums 100 inputs with large \
            weights, so its input is far from zero and its output is pinned near 0 or 1: the histograms pile up \
            at both ends. There the sigmoid is flat, its derivative $y(1 - y)$ nearly zero, and the gradient \
            fades as it passes back through each layer: the *vanishing gradient* problem. With 0.01 the opposite \
            happens: every sigmoid output sits at 0.5 (layer-5 std \(std(.sigmoid, .standardDeviation(0.01), 5))), and \
            100 units that all say the same thing are no more expressive than one. Xavier's $\\sqrt{1/n}$ keeps \
            the variance of a unit's input about equal to that of one input, and the outputs stay spread in every \
            layer. Yet with sigmoid the upper layers turn lopsided, as the notes say: sigmoid outputs are all \
            positive, so each unit of the next layer sums them into a random offset of its own, and the layer's \
            outputs become a tilted mixture (asymmetry \(Format.number(lopsided(.sigmoid).mean, digits: 2)) in layers \
            4–5, the absolute skewness). tanh is symmetric around zero, and its layers stay even \
            (\(Format.number(lopsided(.tanh).mean, digits: 2))). ReLU zeroes half of its inputs, halving the variance \
            at every layer: with Xavier its spread shrinks (\(std(.relu, .xavier, 1)) to \(std(.relu, .xavier, 5))), \
            with He's $\\sqrt{2/n}$, which doubles the variance to compensate, it stays level \
            (\(std(.relu, .he, 1)) to \(std(.relu, .he, 5))), and with a standard deviation of 1 it explodes (Figure \(spreadNumber)).
            """)
        activationClaims(study, histograms: histograms, spreadNumber: spreadNumber, report: report, context: context)
        report.summary["relu_he_std_layer5"] = .number(spread(.relu, .he)[4])
    }

    /// The notes' claims about the activations, each a statistic of every layer on every seed; a
    /// close one is measured on more seeds.
    func activationClaims(_ study: ActivationSpread.Study, histograms: [Activation: FigureRef], spreadNumber: FigureRef,
                          report: Report, context: ChapterContext) {
        let over = study.summary, upper: ([Double]) -> Double = { ($0[3] + $0[4]) / 2 }
        let std = Descriptive.populationStandardDeviation, ends = ActivationSpread.saturation
        let asymmetry = Descriptive.absoluteSkewness
        let sigmoid = [histograms[.sigmoid]!, spreadNumber]
        report.claim(Self.std1Saturates, context.decide {
            .threshold(over($0, .sigmoid, .standardDeviation(1), ends) { $0.min()! }, .higher, 0.5,
                       levelText: "half of the outputs",
                       scale: .accuracy, name: "share within 0.05 of 0 or 1, the lowest of five layers")
        }, figures: sigmoid)
        report.claim(Self.std001Collapses, context.decide {
            .threshold(over($0, .sigmoid, .standardDeviation(0.01), std) { $0.max()! }, .lower, 0.05,
                       levelText: "0.05 (uniform over 0–1 would be 0.29)", scale: .number(digits: 2),
                       name: "std of the outputs, the largest of five layers")
        }, figures: sigmoid)
        report.claim(Self.xavierSpreads, .parts([
            ("spread", context.decide {
                .threshold(over($0, .sigmoid, .xavier, std) { $0.min()! }, .higher, 0.05, levelText: "0.05",
                           scale: .number(digits: 2),
                           name: "smallest std of five layers")
            }),
            ("not at the ends", context.decide {
                .threshold(over($0, .sigmoid, .xavier, ends) { $0.max()! }, .lower, 0.2, levelText: "20%",
                           scale: .accuracy,
                           name: "largest share within 0.05 of 0 or 1")
            }),
        ]), figures: sigmoid)
        report.claim(Self.xavierLopsided, .parts([
            ("sigmoid lopsided", context.decide {
                .threshold(over($0, .sigmoid, .xavier, asymmetry, upper), .higher, 0.1, levelText: "0.1",
                           scale: .number(digits: 2),
                           name: "asymmetry of sigmoid layers 4–5")
            }),
            ("more lopsided the higher the layer", context.decide {
                .threshold(over($0, .sigmoid, .xavier, asymmetry, Descriptive.slope), .higher, 0,
                           levelText: "zero (no trend)",
                           scale: .number(digits: 2),
                           name: "least-squares slope of the sigmoid layers' asymmetry against their depth (per layer)")
            }),
            ("tanh even", context.decide {
                .threshold(over($0, .tanh, .xavier, asymmetry, upper), .lower, 0.1, levelText: "0.1",
                           scale: .number(digits: 2),
                           name: "asymmetry of tanh layers 4–5")
            }),
        ]), figures: [histograms[.sigmoid]!, histograms[.tanh]!])
        let growth: ([Double]) -> Double = { $0[4] / $0[0] }
        // Xavier's weights are He's divided by √2, so through four ReLU layers its spread shrinks to a quarter of
        // He's by algebra: shown beside, certain by construction; He keeping its spread decides.
        report.claim(Self.heSuitsReLU, .parts([
            ("He keeps the spread", context.decide {
                .within(over($0, .relu, .he, std, growth), 0.5...2, rangeText: "0.5–2", scale: .number(digits: 3),
                        name: "He: layer-5 std / layer-1 std")
            }),
        ]).beside([
            ("Xavier's shrinks (certain by construction: (1/√2)⁴ = 0.25 of He's)", context.decide {
                .paired(over($0, .relu, .xavier, std, growth), over($0, .relu, .he, std, growth), .lower,
                        margin: Margin(log(1.1), "a tenth"),
                        scale: .ratio, names: ("Xavier", "He"))
            }),
        ]), figures: [histograms[.relu]!, spreadNumber])
    }

    /// One figure per activation: the histograms of its five layers' outputs on the first seed, a row per
    /// initial scale.
    func histogramFigures(_ study: ActivationSpread.Study, report: Report) -> [Activation: FigureRef] {
        var histograms: [Activation: FigureRef] = [:]
        for activation in Self.activations {
            let range = activation == .tanh ? "−1 to 1" : "0 to 1"
            let relu = activation != .relu ? "" : """
                 ReLU's exact zeros (about half of its outputs) are left out so that the rest stays visible; outputs above 1 are \
                counted in the dark bar marked > 1, cut at the top with its count where it is taller than the row's scale.
                """
            let layers = Figure.layerHistograms(Self.inits.map { study.firstSeed(activation, $0) }, rows: Self.inits,
                                                activation: activation)
            histograms[activation] = report.figure(layers, name: "activations-\(activation.rawValue)", caption: """
                Histograms (30 bins over \(range)) of the outputs of five \(activation.displayName) layers, one row per initial \
                weight scale; the rows share their vertical scale.
                """ + relu)
        }
        return histograms
    }
}
