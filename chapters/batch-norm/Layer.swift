// The batch-norm chapter: the layer, its code, and its gradient check.
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
import Runs
import Statistics

extension BatchNormChapter {
    // MARK: - The layer

    func forwardAndBackward(_ report: Report) {
        report.heading("Forward and backward")
        report.paragraph("""
            For one feature over a mini-batch $x_1, \\dots, x_N$, the forward pass normalises with the batch's \
            mean and variance ($\\epsilon = 10^{-6}$ keeps the division safe), then applies the learned scale \
            $\\gamma$ (starting at 1) and shift $\\beta$ (starting at 0):
            """)
        report.math("""
            \\mu = \\frac{1}{N}\\sum_i x_i, \\quad \\sigma^2 = \\frac{1}{N}\\sum_i (x_i - \\mu)^2, \\quad \\hat{x}_i = \
            \\frac{x_i - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}, \\quad y_i = \\gamma \\hat{x}_i + \\beta
            """)
        report.paragraph("""
            The backward pass is the notes' "slightly tedious" part, because every $x_i$ reaches every $y_j$ \
            through $\\mu$ and $\\sigma^2$. Collecting the three paths gives, with $\\delta_i = \\partial L / \\partial y_i$:
            """)
        report.math("""
            \\frac{\\partial L}{\\partial \\beta} = \\sum_i \\delta_i, \\quad \\frac{\\partial L}{\\partial \\gamma} = \
            \\sum_i \\delta_i \\hat{x}_i, \\quad \\frac{\\partial L}{\\partial x_i} = \
            \\frac{\\gamma}{N\\sqrt{\\sigma^2 + \\epsilon}} \\Big( N \\delta_i - \\sum_j \\delta_j - \\hat{x}_i \
            \\sum_j \\delta_j \\hat{x}_j \\Big)
            """)
        report.paragraph("""
            At test time a prediction must not depend on the rest of its batch, so the layer uses running averages of \
            $\\mu$ and $\\sigma^2$ kept during training (momentum 0.9, as in the course).
            """)
    }

    /// The forward pass, the backward pass and the test-time pass, as they ran.
    func layerCode(_ report: Report) throws {
        let parts = [("batchnorm-forward", "The forward pass in training:"),
                     ("batchnorm-backward", "The backward pass:"),
                     ("batchnorm-inference", "At test time, with the running averages:")]
        for (marker, what) in parts {
            report.paragraph(what)
            try report.code(file: "Sources/Engine/Kernels/BatchNormKernels.swift", marker: marker)
        }
    }

    // MARK: - What the layer's output looks like

    /// L178 / L258: each BatchNorm layer's output, feature by feature over a mini-batch of 100 real
    /// images in training mode, at the start (γ = 1, β = 0): its largest mean and its variance
    /// furthest from 1, over every feature of every layer.
    static func outputMoments(seed: UInt64, on data: LabeledSamples<Float>) -> (mean: Double, variance: Double) {
        let network = Network<Float>(NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 5),
            activation: .relu,
                                                          weightInitialization: .he, batchNormalization: true),
                                     seed: seed, backend: CPUBackend())
        var current = data.rows(0..<100).samples
        var largestMean = 0.0, furthestVariance = 0.0
        for layer in network.layers {
            current = layer.forward(current, training: true)
            guard layer is BatchNorm<Float> else { continue }
            for j in 0..<current.columns {
                let column = (0..<current.rows).map { Double(current[$0, j]) }
                let mean = column.reduce(0, +) / Double(column.count)
                let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
                largestMean = max(largestMean, abs(mean))
                furthestVariance = max(furthestVariance, abs(variance - 1))
            }
        }
        return (largestMean, furthestVariance)
    }

    func outputMoments(_ report: Report, context: ChapterContext) {
        let moments = Self.outputMoments(seed: context.seeds[0], on: context.dataset.training)
        report.paragraph("""
            What the layer promises, checked on the chapter's network (five hidden layers of 100 with BatchNorm, He's weights) over a \
            mini-batch of the first 100 training images: across every feature of every BatchNorm layer, the largest mean of the \
            output is \(Format.number(moments.mean, digits: 2)) and the variance furthest from 1 is off by \
            \(Format.number(moments.variance, digits: 2)) (the $\\epsilon$ in the square root and Float32 rounding). That is the \
            start, with $\\gamma = 1$ and $\\beta = 0$; as the notes say, training then moves $\\gamma$ and $\\beta$, and with them \
            the output's mean and variance, wherever the loss wants them.
            """)
        report.claim(Self.outputMoments, .parts([
            ("mean 0", .value(moments.mean, .lower, 1e-4, tolerance: 0, name: "largest |mean| of a feature")),
            ("variance 1", .value(moments.variance, .lower, 1e-3, tolerance: 0,
                name: "largest |variance − 1| of a feature")),
        ]))
    }

    static let outputMoments = NotesClaim("batch-norm.output-moments", quote: "Batch Normレイヤはデータの分布を平均0，分散1になるよう調整する．",
                                          claim: """
                                              A BatchNorm layer makes each feature's distribution over the mini-batch mean 0 and \
                                              variance 1.
                                              """)
        .illustrated("""
            the layer subtracts the batch's mean and divides by its standard deviation: algebra fixes the answer at the start
            """)

    // MARK: - The gradient check

    func gradientCheck(_ report: Report, context: ChapterContext) {
        let checked = NetworkConfiguration(hiddenSizes: [100, 100], activation: .relu, weightInitialization: .he,
                                           batchNormalization: true)
        let seed = context.seeds[0]
        context.settings.record("gradient check", """
            \(checked.summary), Float64, h = 1e-5, first 100 (and first 1) training images, seed \(seed)
            """)
        let batchCheck = context.gradientCheck(checked, batchSize: 100, seed: seed, perParameter: 40)
        report.gradientCheck(batchCheck, perParameter: 40, lead: """
            The course checks this layer inside a \(checked.summary) network, and so do we.
            """)
        let singleCheck = context.gradientCheck(checked, batchSize: 1, seed: seed, perParameter: 40)
        let shifted = batchCheck.rows.filter(\.feedsBatchNorm), biases = shifted.allSatisfy { $0.meanMagnitude < 1e-12 }
        report.paragraph("""
            The biases \(shifted.map(\.name).joined(separator: " and ")) feed a BatchNorm, which subtracts any shift of a column again: their true gradient \
            is zero, and the analytic one is \(biases ? "zero too (to within rounding)" : "not quite zero"). The course's own \
            check uses a batch of **one** image, where BatchNorm's output is constant ($x_1 - \\mu = 0$, so \
            $y_1 = \\beta$ whatever came before): the loss depends on nothing before the last BatchNorm but its \
            $\\beta$, and almost every gradient is exactly zero, analytic and numerical alike:
            """)
        GradientReport.degenerateTable(single: singleCheck, batch: batchCheck, in: report)
        let live = singleCheck.live, onKink = singleCheck.onKink
        report.paragraph("""
            With one image, only \(live.joined(separator: ", ")) \(live.count == 1 ? "has" : "have") any non-zero gradient. \
            \(onKink.isEmpty ? "" : "The one disagreement, \(onKink.joined(separator: ", ")), is not a bug either: that β starts at exactly 0 and, with the layer's output stuck at β, every unit after it sits on the ReLU's kink, where backpropagation takes the slope 0 and the central difference averages the slopes 0 and 1. ")\
            Comparing zeros with zeros passes whatever the backward pass computes for $\\partial L / \\partial x$, the \
            hard part of the layer; a real batch is the check that can fail.
            """)
    }
}
