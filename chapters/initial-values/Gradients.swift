// The initial-values chapter: what the gradient does on its way back, from all-zero weights and from
// saturated sigmoid layers, measured on a batch of real images.
import Analysis
import Claims
import Engine
import Formatting
import Foundation
import NeuralNet
import Notebook
import NumericCore
import Plot
import Report
import Statistics

extension InitialValuesChapter {
    /// The size of each weight matrix's gradient (its root mean square over elements) and the
    /// largest absolute gradient of any hidden layer's weights or biases, for one backward pass of
    /// `configuration`'s network, started from `seed`, on the first 100 training images.
    static func backwardPass(_ configuration: NetworkConfiguration, seed: UInt64, on data: LabeledSamples<Float>)
        -> (layerSizes: [Double], largestBelowOutput: Double) {
        let network = Network<Float>(configuration, seed: seed, backend: CPUBackend())
        let batch = data.rows(0..<100)
        network.gradient(batch.samples, labels: batch.labels)
        let weights = network.parameters.filter(\.isWeight)
        let sizes = weights.map { p -> Double in
            let g = p.gradient.elements.map(Double.init)
            return (g.map { $0 * $0 }.reduce(0, +) / Double(max(g.count, 1))).squareRoot()
        }
        // Every parameter but the output layer's weights and bias: the last two parameters.
        let below = network.parameters.dropLast(2).flatMap { $0.gradient.elements.map { abs(Double($0)) } }
        return (sizes, below.max() ?? 0)
    }

    /// The course's activation experiment with no activation at all: 1000 standard-normal inputs of
    /// 100 through five linear layers of Xavier's weights; the last layer's spread over the first's.
    static func linearSpread(seed: UInt64) -> Double {
        var generator = SeededGenerator(seed: seed, stream: "linear stack")
        var x = (0..<100_000).map { _ in generator.nextNormal() }
        var spreads: [Double] = []
        for _ in 0..<5 {
            let w = (0..<10_000).map { _ in generator.nextNormal() * (1.0 / 100).squareRoot() }
            var y = [Double](repeating: 0, count: 100_000)
            for row in 0..<1000 {
                for k in 0..<100 {
                    let v = x[row * 100 + k]
                    for j in 0..<100 { y[row * 100 + j] += v * w[k * 100 + j] }
                }
            }
            spreads.append(Descriptive.populationStandardDeviation(y))
            x = y
        }
        return spreads[4] / spreads[0]
    }

    /// L111–112: from all-zero weights, the gradient that comes back to every layer below the output is zero.
    func zeroWeights(_ report: Report, context: ChapterContext) {
        report.heading("All-zero weights send back nothing", level: 3)
        let activations: [Activation] = [.relu, .sigmoid]
        let results = activations.map { a in
            Self.backwardPass(NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: a,
                                                   weightInitialization: .constant(0)),
                              seed: context.seeds[0], on: context.dataset.training)
        }
        report.paragraph("""
            The notes give the reason equal weights fail: a zero passed forward comes back as zeros. One backward pass of the \
            chapter's network (four hidden layers of 100) with every weight 0, on the first 100 training images, confirms it: \
            the largest gradient of any weight or bias below the output layer is \
            \(zip(activations, results).map { "\(Format.number($1.largestBelowOutput, digits: 2)) with \($0.displayName)" }.joined(separator: " and ")). \
            Only the output layer learns anything: its bias, and with sigmoid (whose hidden outputs are all 0.5) its weights too, \
            identically for every hidden unit, so the units stay equal.
            """)
        report.claim(Self.zeroGradients, .parts(zip(activations, results).map { a, r in
            (a.displayName, Decision.value(r.largestBelowOutput, .lower, 1e-12, tolerance: 0,
                                          name: "largest gradient below the output layer"))
        }))
    }

    /// L145: in a sigmoid network started from a standard deviation of 1, the gradient shrinks on
    /// its way back, and the more layers, the more it shrinks.
    func vanishingGradient(_ report: Report, context: ChapterContext) {
        report.heading("The vanishing gradient, layer by layer", level: 3)
        let depths = [5, 10]
        func sizes(_ layers: Int, seed: UInt64) -> [Double] {
            Self.backwardPass(NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: layers),
                activation: .sigmoid,
                                                   weightInitialization: .standardDeviation(1)),
                              seed: seed, on: context.dataset.training).layerSizes
        }
        // The first hidden layer's gradient against the last hidden layer's (the output layer left out).
        func ratio(_ s: [Double]) -> Double { s[0] / s[s.count - 2] }
        let decision = context.decide { seeds in
            let perDepth = depths.map { d in SeedSummary(seeds.map { ratio(sizes(d, seed: $0)) }) }
            return Decision.parts([
                ("shrinks on the way back, 5 layers",
                 .threshold(perDepth[0], .lower, 1, levelText: "1 (as large as the last layer's)",
                     scale: .number(digits: 3),
                            name: "first layer's gradient / last hidden layer's")),
                ("more layers, more shrinking",
                 .paired(perDepth[1], perDepth[0], .lower, margin: Margin(log(1.1), "a tenth"), scale: .ratio,
                         names: ("10 layers", "5 layers"))),
            ])
        }
        // The hidden layers only: the output layer's weights meet no sigmoid on the way back.
        let shown = depths.map { sizes($0, seed: context.seeds[0]).dropLast() }
        var panel = Panel(title: "sigmoid, std 1: gradient size by layer", xLabel: "layer (1 = nearest the input)",
                          yLabel: "RMS of the weight gradient")
        panel.yScale = .logarithmic
        for (depth, s) in zip(depths, shown) {
            panel.line(s.indices.map { Double($0 + 1) }, Array(s), label: "\(depth) hidden layers",
                markers: Markers(.circle))
        }
        panel.xTickLabels = (1...depths.max()!).map { (Double($0), "\($0)") }
        var figure = Figure()
        figure[0, 0] = panel
        let number = report.figure(figure, name: "vanishing-gradient", caption: """
            The size of each layer's weight gradient (root mean square), one backward pass on the first 100 training images of a \
            sigmoid network started from a standard deviation of 1, with 5 and with 10 hidden layers of 100 (seed \
            \(context.seeds[0]); hidden layers only).
            """)
        report.paragraph("""
            **What Figure \(number) shows.** Saturated sigmoid units pass back $y(1-y)$, close to zero, at every layer, while the \
            large weights multiply the gradient back up: which wins decides whether the gradient vanishes. The claim reads the \
            first hidden layer's gradient against the last hidden layer's, over seeds, and asks whether ten layers shrink it \
            more than five.
            """)
        report.claim(Self.vanishingDeeper, decision, figures: [number])
    }

    static let zeroGradients = NotesClaim("initial-values.zero-gradients",
                                          quote: "順伝搬で次の層に0が渡されれば，逆伝搬時に返ってくる値が全て0になってしまう．",
                                          claim: """
                                              With every weight 0, the gradient that comes back to every layer below the output \
                                              is 0.
                                              """)
        .illustrated("with zero weights the backward pass multiplies by zero at every layer: algebra fixes the answer")
    static let vanishingDeeper = NotesClaim("initial-values.vanishing-deeper", quote: "この問題を**勾配消失**と呼び，層が深くなるほど深刻になる．",
                                            claim: """
                                                In a sigmoid network started from a standard deviation of 1, the gradient shrinks on \
                                                its way back to the input, and more layers shrink it more.
                                                """)
}
