// The optimizers chapter, section 3: the six rules on a two-dimensional valley.
import Analysis
import Claims
import Engine
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs
import Statistics

extension OptimizersChapter {
    // MARK: - 3. A valley

    func valley(_ report: Report, context: ChapterContext) {
        report.heading("On a valley: how each rule moves")
        report.paragraph("""
            Take $f(x, y) = \\frac{x^2}{20} + y^2$. Its minimum is at the origin, but the surface is forty \
            times steeper across the valley ($y$) than along it ($x$), so the gradient mostly points across. \
            Each optimizer starts at $(-7, 2)$ and takes 30 steps with the gradient \
            $(x/10,\\ 2y)$. The learning rates for SGD, Momentum, AdaGrad and Adam are the course's; those for \
            Nesterov and RMSProp are ours, chosen in the same spirit (a rate that makes the rule's character visible).
            """)
        let specs: [OptimizerSpec] = [.sgd(learningRate: 0.95), .momentum(learningRate: 0.1),
                                      .nesterov(learningRate: 0.1), .adaGrad(learningRate: 1.5),
                                      .rmsProp(learningRate: 0.15), .adam(learningRate: 0.3)]
        let steps = 30
        let runs = specs.map { spec in
            DescentPath(optimizer: spec, points: Surface.valley.descent(spec, from: (-7, 2), steps: steps))
        }
        let path = Dictionary(uniqueKeysWithValues: runs.map { ($0.optimizer.kind, $0) })
        let rates = specs.map { "\($0.name) lr \(Format.compact($0.learningRate))" }.joined(separator: ", ")
        context.settings.record("valley", "f(x, y) = x²/20 + y², start (−7, 2), \(steps) steps; " + rates)
        let figure = report.descents(runs, experiment: "valley", on: .valley, x: -10...10, y: -5...5,
                                     levels: [0.5, 1, 2, 3, 4, 5, 6, 7],
                                     title: "30 steps on f(x, y) = x²/20 + y² from (−7, 2)", name: "valley-paths",
                                     caption: """
            Paths of six optimizers on the valley f(x, y) = x²/20 + y². Grey: contour lines of f at 0.5, 1, 2, …, 7; red: \
            the 31 points (start and 30 steps); +: the minimum.
            """)
        report.table(
            headers: ["optimizer", "learning rate", "distance to the minimum after 30 steps", "f after 30 steps",
                      "stays within 0.5 of the minimum from step", "sign changes of y", "path length / straight line"],
            rows: runs.map { run in
                [run.optimizer.name, Format.compact(run.optimizer.learningRate), Format.number(run.distance),
                 Format.number(Surface.valley.value(run.points.last!.x, run.points.last!.y)),
                 run.settled(within: 0.5).map(String.init) ?? "not within 30 steps", "\(run.ySignChanges)",
                 Format.number(run.detour, digits: 3)]
            })
        let sgd = path[.sgd]!
        let ranked = runs.sorted { $0.distance < $1.distance }
        report.paragraph("""
            SGD's $y$ changes sign \(sgd.ySignChanges) times in 30 steps: with a rate of 0.95 each step overshoots \
            the valley floor and lands on the far wall, while the $x$ component of the gradient is a fortieth \
            as large and carries it only slowly towards the minimum; its path is \(Format.number(sgd.detour, digits: 3)) \
            times as long as the straight line from where it started to where it ended. Momentum lets the \
            across-valley swings cancel in its velocity while the along-valley push accumulates; it overshoots \
            along $x$ and swings back. AdaGrad shrinks the $y$ step fast (its squared gradients there are large) \
            and keeps a comparatively large $x$ step, so it heads almost straight for the minimum. Closest after \
            30 steps: \(ranked[0].optimizer.name) (\(Format.number(ranked[0].distance))), then \(ranked[1].optimizer.name) \
            (\(Format.number(ranked[1].distance))); farthest: \(ranked.last!.optimizer.name) \
            (\(Format.number(ranked.last!.distance))). This toy ranking depends on the hand-picked rates and \
            says little about networks, which is why the next section measures.
            """)
        report.summary["valley_distance_after_30_steps"] = .object(Dictionary(uniqueKeysWithValues: runs.map {
            ($0.optimizer.name, .number($0.distance))
        }))
        valleyClaims(runs, steps: steps, figure: figure, report: report)
    }

    // MARK: - A long run with noisy gradients

    /// L76–78: over a long run whose gradients keep a mini-batch's noise, AdaGrad's steps go on
    /// shrinking towards zero, while RMSProp's, which forget old gradients, level off. The rate of
    /// shrinking is the slope of the log mean step against the log step number, over windows from
    /// step 1,000 to the end.
    func longRun(_ report: Report, context: ChapterContext) {
        report.heading("A long run: does AdaGrad stop moving?", level: 3)
        let steps = context.quick ? 20_000 : 100_000, noise = 1.0
        let specs: [OptimizerSpec] = [.adaGrad(learningRate: 1.5), .rmsProp(learningRate: 0.15)]
        // Ten windows of 1,000 steps, log-spaced from step 1,000 to the end.
        let starts = (0..<10).map { k in Int((1000 * pow(Double(steps - 1000) / 1000, Double(k) / 9)).rounded()) }
        func slope(_ spec: OptimizerSpec, seed: UInt64) -> (slope: Double, means: [Double]) {
            let lengths = Surface.valley.stepLengths(spec, from: (-7, 2), steps: steps, noise: noise, seed: seed)
            let means = starts.map { s in lengths[(s - 1)..<min(s - 1 + 1000, steps)].reduce(0, +) / 1000 }
            return (Descriptive.slope(x: starts.map { log(Double($0)) }, y: means.map(log)), means)
        }
        context.settings.record("long run", """
            f(x, y) = x²/20 + y², start (−7, 2), \(steps) steps, gradient noise N(0, \(Format.compact(noise))) per component; \
            AdaGrad lr 1.5, RMSProp lr 0.15 (decay 0.99)
            """)
        let adaGrad = context.decide { seeds in
            .threshold(SeedSummary(seeds.map { slope(specs[0], seed: $0).slope }), .lower, -0.25,
                       levelText: "−0.25 (steps shrinking at least as the fourth root of the step number)",
                       scale: .number(digits: 3), name: "AdaGrad: slope of log step against log step number")
        }
        let rmsProp = context.decide { seeds in
            .within(SeedSummary(seeds.map { slope(specs[1], seed: $0).slope }), -0.1...0.1, rangeText: "±0.1 (level)",
                    scale: .number(digits: 3), name: "RMSProp: slope of log step against log step number")
        }
        let shown = specs.map { slope($0, seed: context.seeds[0]).means }
        var panel = Panel(title: "mean step length, noisy gradients", xLabel: "step",
            yLabel: "mean length of 1,000 steps")
        panel.xScale = .logarithmic
        panel.yScale = .logarithmic
        for (spec, means) in zip(specs, shown) {
            panel.line(starts.map(Double.init), means, label: "\(spec.name), lr \(Format.compact(spec.learningRate))",
                       markers: Markers(.circle), colorKey: ColorKey(spec.kind))
        }
        var figure = Figure()
        figure[0, 0] = panel
        let number = report.figure(figure, name: "long-run-steps", caption: """
            The valley again, for \(steps.formatted()) steps whose gradients carry normal noise (standard deviation \(Format.compact(noise)) \
            per component, like a mini-batch's): the mean length of 1,000 steps from step 1,000 to the end, log axes, seed \
            \(context.seeds[0]).
            """)
        report.paragraph("""
            **What Figure \(number) shows.** AdaGrad divides by the root of every squared gradient it has ever seen; with noisy \
            gradients that sum grows in proportion to the number of steps, so its steps shrink like one over its square root and \
            would reach zero in an endless run, as the notes warn. RMSProp keeps an exponential average instead (decay 0.99, \
            about the last hundred gradients), so its divisor stops growing and its steps level off.
            """)
        report.claim(Self.adaGradStops, adaGrad, figures: [number])
        report.claim(Self.rmsPropKeepsMoving, rmsProp, figures: [number])
    }

    static let adaGradStops = NotesClaim("optimizers.adagrad-steps-vanish", quote: "無限に学習を行うと更新量が0になってしまう．",
                                         claim: "With endless learning, AdaGrad's updates go to zero.")
        .illustrated("""
            AdaGrad's divisor sums every squared gradient, so with gradients that stay noisy it grows without end: algebra
            """)
    static let rmsPropKeepsMoving = NotesClaim("optimizers.rmsprop-keeps-moving",
                                               quote: "これを改善した手法にRMSPropがある．こちらは，新しい勾配の情報が大きく反映されるように加算していく．",
                                               claim: """
                                                   RMSProp, which weighs recent gradients most, keeps its updates from shrinking to \
                                                   zero.
                                                   """)
        .illustrated("""
            its divisor averages about the last hundred squared gradients, so with noise that does not change it stops growing: \
            algebra
            """)

    /// The notes' claims about the valley, each read off the paths: SGD zig-zags, Momentum less, AdaGrad
    /// heads straight for the minimum with steps that shrink.
    func valleyClaims(_ runs: [DescentPath], steps: Int, figure: FigureRef, report: Report) {
        let path = Dictionary(uniqueKeysWithValues: runs.map { ($0.optimizer.kind, $0) })
        let sgd = path[.sgd]!, momentum = path[.momentum]!, adaGrad = path[.adaGrad]!
        let halfTheSteps = Double(steps) / 2 - 0.5
        report.claim(Self.sgdZigzags, .parts([
            ("y changes sign on at least half of the steps",
             .value(Double(sgd.ySignChanges), .higher, halfTheSteps, tolerance: 0, name: "sign changes of y")),
            ("the path is over three times the straight line",
             .value(sgd.detour, .higher, 3, tolerance: 0.03, name: "path / straight line")),
        ]), figures: [figure])
        report.claim(Self.momentumSmooths, .parts([
            ("fewer sign changes of y",
             .value(Double(momentum.ySignChanges), .lower, Double(sgd.ySignChanges), tolerance: 0.5,
                                               name: "Momentum's sign changes against SGD's")),
            ("a shorter path for the distance",
             .value(momentum.detour, .lower, sgd.detour, tolerance: 0.01 * sgd.detour,
                                                       name: "Momentum's path / straight line against SGD's")),
        ]), figures: [figure])
        let others = runs.filter { $0.optimizer.kind != .adaGrad }.map { ($0.optimizer.name, $0.detour) }
        report.claim(Self.adaGradEfficient, .parts([
            ("the most direct path of the six",
             .lowest(adaGrad.optimizer.name, adaGrad.detour, among: others, relativeTolerance: 0.01)),
            ("within 0.5 of the minimum before the 30th step",
             .value(Double(adaGrad.settled(within: 0.5) ?? steps + 1), .lower, Double(steps), tolerance: 0,
                    name: "first step from which AdaGrad stays within 0.5")),
        ]), figures: [figure])
        let lengths: [Double] = adaGrad.stepLengths
        let lengthening = zip(lengths, lengths.dropFirst()).filter { $1 > $0 * (1 + 1e-9) }.count
        let third = lengths.count / 3
        let late: Double = lengths.suffix(third).reduce(0, +), early: Double = lengths.prefix(third).reduce(0, +)
        let longer = Decision.value(Double(lengthening), .lower, 0.5, tolerance: 0,
                                    name: "AdaGrad's steps longer than the step before")
        let shrunk = Decision.value(late / early, .lower, 0.1, tolerance: 0,
                                    name: "mean step of the last \(third) over the first \(third)")
        report.claim(Self.adaGradShrinks, .parts([
            ("no step longer than the one before", longer),
            ("the last third of the steps at most a tenth as long as the first third", shrunk),
        ]), figures: [figure])
    }
}
