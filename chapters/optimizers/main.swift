// Chapter: optimizers. Reads top to bottom like the notebook it replaces.
import ArgumentParser
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs

struct OptimizersChapter: Chapter {
    static let name = "optimizers"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "How SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam move: on a valley, and training on MNIST.",
        discussion: "Writes <output>/optimizers/README.md with its figures, their CSV data and results.json.")

    @OptionGroup var options: ChapterOptions
    @OptionGroup var length: IterationOptions

    func build(_ report: Report, context: ChapterContext) throws {
        report.title = "Optimizers: how the update rule shapes training"
        report.paragraph("""
            Training a network means walking downhill on its loss. Backpropagation tells us which way is down \
            for every weight; the *optimizer* decides how far to step and how much to trust the past. This \
            chapter writes each rule out as a formula and as the Swift code that ran, watches the rules on a \
            two-dimensional valley where their characters are easy to see, and then trains the same MNIST \
            network with each of them, over several seeds, to see which differences are real.
            """)
        try updateRules(report)
        try valley(report, context: context)
        try mnist(report, context: context)
    }

    // MARK: - 1. The update rules

    func updateRules(_ report: Report) throws {
        report.heading("The update rules")
        report.paragraph("""
            Below, $W$ is any parameter array, $\\frac{\\partial L}{\\partial W}$ its gradient, $\\eta$ the \
            learning rate. Every rule acts element by element, so each weight gets its own step.
            """)

        report.heading("SGD", level: 3)
        report.paragraph("Stochastic gradient descent steps straight down the gradient of the current mini-batch:")
        report.math("W \\leftarrow W - \\eta \\frac{\\partial L}{\\partial W}")
        try report.code(file: "Sources/NeuralNet/Optimizers/SGD.swift", marker: "sgd-update")
        report.paragraph("""
            It is simple and often good enough, but it has no memory. Where the loss is steep in one direction \
            and flat in another, the gradient points mostly across the valley, not along it, and SGD zig-zags.
            """)

        report.heading("Momentum", level: 3)
        report.paragraph("""
            Momentum keeps a velocity $v$ that gathers gradients and loses a share $1 - \\alpha$ of itself each \
            step, like a ball rolling with friction. Components that flip sign from step to step cancel out; \
            components that keep their sign build up.
            """)
        report.math("v \\leftarrow \\alpha v - \\eta \\frac{\\partial L}{\\partial W}, \\qquad W \\leftarrow W + v")
        try report.code(file: "Sources/NeuralNet/Optimizers/Momentum.swift", marker: "momentum-step")

        report.heading("Nesterov", level: 3)
        report.paragraph("""
            Nesterov's variant applies the velocity once more before measuring where it is going: the step is \
            taken as if from the point the momentum is about to carry the weights to. In the form that needs \
            only the gradient at the current weights:
            """)
        report.math("v \\leftarrow \\alpha v - \\eta \\frac{\\partial L}{\\partial W}, \\qquad W \\leftarrow W + \\alpha v - \\eta \\frac{\\partial L}{\\partial W}")
        try report.code(file: "Sources/NeuralNet/Optimizers/Nesterov.swift", marker: "nesterov-step")

        report.heading("AdaGrad", level: 3)
        report.paragraph("""
            AdaGrad gives each weight its own learning rate. It adds up the squares of that weight's gradients \
            in $h$ and divides the step by $\\sqrt{h}$: weights that have moved a lot slow down, rarely-moved \
            weights keep a large step. Because $h$ only grows, every step shrinks, and after long enough \
            training the weights stop moving at all.
            """)
        report.math("h \\leftarrow h + \\frac{\\partial L}{\\partial W} \\odot \\frac{\\partial L}{\\partial W}, \\qquad W \\leftarrow W - \\frac{\\eta}{\\sqrt{h} + \\epsilon} \\frac{\\partial L}{\\partial W}")
        try report.code(file: "Sources/NeuralNet/Optimizers/AdaGrad.swift", marker: "adagrad-step")
        report.paragraph("The small $\\epsilon = 10^{-7}$ sits outside the root, as in the course, and only guards against division by zero.")

        report.heading("RMSProp", level: 3)
        report.paragraph("""
            RMSProp fixes AdaGrad's ever-shrinking step by forgetting: $h$ becomes an exponentially decaying \
            average of squared gradients, so the step size follows the recent size of the gradient.
            """)
        report.math("h \\leftarrow \\rho h + (1 - \\rho) \\frac{\\partial L}{\\partial W} \\odot \\frac{\\partial L}{\\partial W}, \\qquad W \\leftarrow W - \\frac{\\eta}{\\sqrt{h} + \\epsilon} \\frac{\\partial L}{\\partial W}")
        try report.code(file: "Sources/NeuralNet/Optimizers/RMSProp.swift", marker: "rmsprop-step")

        report.heading("Adam", level: 3)
        report.paragraph("""
            Adam combines both ideas: a momentum-like running mean $m$ of the gradient and an RMSProp-like \
            running mean $v$ of its square. Both start at zero, which biases them towards zero in the first \
            steps; dividing by $1 - \\beta^t$ removes that bias.
            """)
        report.math("""
            m \\leftarrow \\beta_1 m + (1 - \\beta_1) g, \\quad v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g \\odot g, \\quad \
            W \\leftarrow W - \\eta \\frac{\\sqrt{1 - \\beta_2^t}}{1 - \\beta_1^t} \\frac{m}{\\sqrt{v} + \\epsilon}
            """)
        try report.code(file: "Sources/NeuralNet/Optimizers/Adam.swift", marker: "adam-update")
        try report.code(file: "Sources/NeuralNet/Optimizers/Adam.swift", marker: "adam-step")

        report.heading("Three slips in the notes' code", level: 3)
        report.paragraph("""
            The notes print three of these classes, and each has a small slip that Python would only reveal when \
            the line runs. They are easy to make and worth knowing, because two of them fail silently rather \
            than loudly. The versions above are the corrected ones, and they are what this report ran.
            """)
        report.table(
            headers: ["class", "what the notes wrote", "what happens", "what ran here"],
            rows: [
                ["`SGD`", "`self.lr` alone in `__init__`", "the rate is never stored; the first `update` raises `AttributeError`",
                 "the initialiser stores `learningRate`"],
                ["`Momentum`", "`self.grads[key]` in `update`", "the object has no `grads`; `update` raises `AttributeError`",
                 "the step reads the gradient handed to `update` (`p.gradient`)"],
                ["`AdaGrad`", "`self.h += grads[key] * grads[key]`", "adds an array to the dictionary `self.h` instead of to `self.h[key]`: a `TypeError`, or, had it run, one sum shared by all parameters",
                 "one running sum per parameter (`squares` below)"],
            ],
            alignments: [.left, .left, .left, .left])
        try report.code(file: "Sources/NeuralNet/Optimizers/AdaGrad.swift", marker: "adagrad-update")
        report.paragraph("""
            Each corrected rule is checked in the test suite against two steps worked out by hand from its \
            formula (`Tests/NeuralNetTests/OptimizerTests.swift`).
            """)
    }

    // MARK: - 2. A valley

    func valley(_ report: Report, context: ChapterContext) throws {
        report.heading("On a valley: how each rule moves")
        report.paragraph("""
            Take $f(x, y) = \\frac{x^2}{20} + y^2$. Its minimum is at the origin, but the surface is forty \
            times steeper across the valley ($y$) than along it ($x$), so the gradient mostly points across. \
            Each optimizer starts at $(-7, 2)$ and takes 30 steps with the gradient \
            $(x/10,\\ 2y)$. The learning rates for SGD, Momentum, AdaGrad and Adam are the course's; those for \
            Nesterov and RMSProp are ours, chosen in the same spirit (a rate that makes the rule's character visible).
            """)
        let specs: [OptimizerSpec] = [.sgd(learningRate: 0.95), .momentum(learningRate: 0.1), .nesterov(learningRate: 0.1),
                                      .adaGrad(learningRate: 1.5), .rmsProp(learningRate: 0.15), .adam(learningRate: 0.3)]
        let steps = 30
        let runs = specs.map { DescentPath(optimizer: $0, points: Surface.valley.descent($0, from: (-7, 2), steps: steps)) }
        context.settings.record("valley", "f(x, y) = x²/20 + y², start (-7, 2), \(steps) steps; "
                                + specs.map { "\($0.name) lr \($0.learningRate)" }.joined(separator: ", "))

        let figure = Figure.grid(runs.count, columns: 3, title: "30 steps on f(x, y) = x²/20 + y² from (−7, 2)", width: 900, panelHeight: 250) { index in
            Panel.descent(runs[index], on: .valley, x: -10...10, y: -5...5, levels: [0.5, 1, 2, 3, 4, 5, 6, 7],
                          title: "\(runs[index].optimizer.name) (lr \(runs[index].optimizer.learningRate))")
        }
        for run in runs {
            report.series.append(Series(label: run.optimizer.name, metric: "valley_x", x: run.points.indices.map(Double.init), y: run.points.map(\.x)))
            report.series.append(Series(label: run.optimizer.name, metric: "valley_y", x: run.points.indices.map(Double.init), y: run.points.map(\.y)))
        }
        report.describeMetric("valley_path", "the points an optimizer visits on the valley, start first (x, y: the point's coordinates)")
        report.describeMetric("valley_x", "x after each step on the valley (x axis of the series: step number, 0 = start)")
        report.describeMetric("valley_y", "y after each step on the valley")
        report.figure(figure, name: "valley-paths",
                      caption: "Paths of six optimizers on the valley f(x, y) = x²/20 + y². Grey: contour lines of f at 0.5, 1, 2, …, 7; red: the 31 points (start and 30 steps); +: the minimum.")

        let ranked = runs.sorted { $0.distance < $1.distance }
        report.table(
            headers: ["optimizer", "learning rate", "distance to the minimum after 30 steps", "f after 30 steps",
                      "stays within 0.5 of the minimum from step", "sign changes of y", "path length / straight line"],
            rows: runs.map { run in
                [run.optimizer.name, "\(run.optimizer.learningRate)", Format.number(run.distance),
                 Format.number(Surface.valley.value(run.points.last!.x, run.points.last!.y)),
                 run.settled(within: 0.5).map(String.init) ?? "not within 30 steps", "\(run.ySignChanges)",
                 Format.number(run.detour, digits: 3)]
            })
        let sgd = runs[0], momentum = runs[1], adaGrad = runs[3]
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
        report.summary["valley_distance_after_30_steps"] = .object(Dictionary(uniqueKeysWithValues: runs.map { ($0.optimizer.name, .number($0.distance)) }))

        let zigzags = sgd.ySignChanges * 2 >= steps && sgd.detour > 3
        report.claim("SGD zig-zags across the valley and so travels a long way to the minimum.", zigzags ? .holds : .doesNotHold,
                     evidence: "SGD (lr 0.95): y changes sign \(sgd.ySignChanges) times in \(steps) steps; its path is \(Format.number(sgd.detour, digits: 3))× the straight line.")
        let fewerSwings = momentum.ySignChanges < sgd.ySignChanges, shorter = momentum.detour < sgd.detour
        report.claim("Momentum reduces the zig-zag of SGD.", .parts(fewerSwings, shorter),
                     evidence: "y sign changes: Momentum \(momentum.ySignChanges), SGD \(sgd.ySignChanges); path / straight line: Momentum \(Format.number(momentum.detour, digits: 3)), SGD \(Format.number(sgd.detour, digits: 3)).")
        let mostDirect = runs.allSatisfy { $0.detour >= adaGrad.detour }
        report.claim("AdaGrad heads for the minimum very efficiently.",
                     .parts(mostDirect, adaGrad.settled(within: 0.5) != nil),
                     evidence: "AdaGrad's path is \(Format.number(adaGrad.detour, digits: 3))× the straight line (\(mostDirect ? "the most direct of the six" : "not the most direct")); "
                        + (adaGrad.settled(within: 0.5).map { "it stays within 0.5 of the minimum from step \($0)." } ?? "it is not within 0.5 of the minimum after 30 steps."))
    }

    // MARK: - 3. MNIST

    func mnist(_ report: Report, context: ChapterContext) throws {
        report.heading("On \(context.dataset.name): which differences are real")
        let iterations = context.pick(length.iterations, full: 2000, quick: 200)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu, weightInitialization: .he),
                                 optimizer: .sgd(), batchSize: length.batchSize ?? 128, length: .iterations(iterations))
        let optimizers = OptimizerSpec.referenceDefaults
        report.paragraph("""
            The course's comparison: a \(base.network.summary) network, mini-batches of \(base.batchSize) drawn at \
            random from the \(context.dataset.training.count) training images of \(context.dataset.name), \
            \(iterations) iterations, each optimizer at the reference's default settings \
            (\(optimizers.map { "\($0.name) \($0.settings)" }.joined(separator: "; "))). \
            The course shows one run; here each optimizer runs with \(context.seeds.count) seeds \
            (\(context.seeds.map(String.init).joined(separator: ", "))). For a given seed every optimizer \
            starts from the same weights and sees the same mini-batches, so the seeds measure how much the \
            result depends on luck, and the comparison between optimizers is paired.
            """)
        let comparison = context.compare("optimizers on \(context.dataset.name)", base: base,
                                         optimizers.map { spec in Variant(spec, label: spec.name) { $0.optimizer = spec } })

        var figure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 440)
        var linear = Panel(title: "linear scale, as in the course", xLabel: "iteration", yLabel: "training loss (smoothed)")
        var logarithmic = Panel(title: "log scale: the differences near zero", xLabel: "iteration")
        linear.yLimits = 0...1
        logarithmic.yScale = .logarithmic
        let lowest = comparison.groups.map { $0.band(.trainLoss, smoothed: true).lower.filter { $0 > 0 }.min() ?? 1 }.min() ?? 1e-4
        logarithmic.yLimits = pow(10, floor(log10(lowest)))...10
        for group in comparison.groups {
            linear.plot(group, .trainLoss, smoothed: true)
            logarithmic.plot(group, .trainLoss, smoothed: true)
        }
        logarithmic.legend = .hidden
        figure[0, 0] = linear
        figure[0, 1] = logarithmic
        let number = report.figure(figure, name: "mnist-loss",
                                   caption: "Training loss on \(context.dataset.name), \(base.network.summary), batch \(base.batchSize): each line is the mean over \(context.seeds.count) seeds of the loss smoothed as the course smooths it (Kaiser window, 11 points); the shaded band spans the lowest to the highest seed. Left: the course's linear axis from 0 to 1; right: the same curves on a log axis, where the optimizers that all look like zero on the left separate.")

        let checkpoints = [iterations / 4, iterations / 2, iterations]
        report.paragraph("""
            The table gives the training loss at three points, each the mean mini-batch loss over the 50 \
            iterations up to that point, as mean ± standard deviation over seeds, and the accuracy on the \
            \(context.dataset.test.count) test images at the end (mean, then lowest–highest seed).
            """)
        report.table(comparison.groups, first: "optimizer",
                     columns: Column.checkpoints(.trainLoss, at: checkpoints) { "loss at \($0)" } + [.finalTestAccuracy(header: "test accuracy at \(iterations)")])

        let pairs = comparison.rankedPairs(by: .trainLoss, higherIsBetter: false)
        let ranking = pairs.ranking.map { comparison[$0].label }
        report.paragraph("""
            **What Figure \(number) and the table show.** Ranked by loss at iteration \(iterations): \
            \(ranking.joined(separator: ", ")). We call a difference larger than the seed noise when every seed \
            of one optimizer ends below every seed of the other. By that rule, \(pairs.clear.count) of \
            \(pairs.clear.count + pairs.unclear.count) pairs differ: \(pairs.clear.isEmpty ? "none" : pairs.clear.joined(separator: ", ")). \
            \(pairs.unclear.isEmpty ? "Every pair is separated." : "Within the noise: \(pairs.unclear.joined(separator: ", ")).") \
            On the log axis the curves keep falling long after they reach the bottom of the linear plot: \
            after \(iterations) iterations the lowest (\(ranking[0])) is about \
            \(Format.number(comparison[pairs.ranking.last!].final(.trainLoss).mean / comparison[pairs.ranking[0]].final(.trainLoss).mean, digits: 2)) \
            times below the highest (\(ranking.last!)).
            """)
        let diverged = comparison.groups.filter { !$0.divergedSeeds.isEmpty }
        if !diverged.isEmpty {
            report.paragraph("Diverged (loss became NaN, run stopped): " + diverged.map { "\($0.label) with seeds \($0.divergedSeeds)" }.joined(separator: "; ") + ".")
        }
        checkClaims(comparison, checkpoints: checkpoints, report: report)
        report.summary["ranking"] = .array(ranking.map { .string($0) })
        let sgd = comparison[.sgd()]
        let sgdClearlyLast = comparison.groups(except: .sgd()).allSatisfy { $0.final(.trainLoss).isClearlyBelow(sgd.final(.trainLoss)) }
        report.summary["finding"] = .string("On \(context.dataset.name), lowest loss after \(iterations) iterations: \(ranking[0]); "
            + (sgdClearlyLast ? "plain SGD is last, beyond the seed noise. " : "ranking: \(ranking.joined(separator: ", ")). ")
            + adaGradVerdict(comparison, checkpoints: checkpoints).sentence)
    }

    /// The notes' three claims about the MNIST comparison, each judged over every seed.
    func checkClaims(_ comparison: Comparison<OptimizerSpec>, checkpoints: [Int], report: Report) {
        let sgd = comparison[.sgd()]
        let others = comparison.groups(except: .sgd())
        // Faster than SGD: lower loss at every checkpoint on every seed.
        let isFaster = others.map { group in checkpoints.allSatisfy { group.value(.trainLoss, at: $0).isClearlyBelow(sgd.value(.trainLoss, at: $0)) } }
        let faster = zip(others, isFaster).filter(\.1).map(\.0.label), slower = zip(others, isFaster).filter { !$0.1 }.map(\.0.label)
        report.claim("The other methods learn faster than SGD.",
                     .share(faster.count, of: others.count),
                     evidence: "Below SGD's loss on every seed at every checkpoint (\(checkpoints.map(String.init).joined(separator: ", "))): "
                        + (faster.isEmpty ? "none" : faster.joined(separator: ", "))
                        + (slower.isEmpty ? "." : "; not: " + slower.joined(separator: ", ") + "."))
        let verdict = adaGradVerdict(comparison, checkpoints: checkpoints)
        report.paragraph("**The notes' claim.** The notes say that on MNIST AdaGrad learns a little faster than the other methods. Here, "
                         + verdict.detail + ". " + verdict.sentence)
        report.claim("AdaGrad learns a little faster than the other methods.", verdict.verdict, evidence: verdict.detail + ".")
        // Higher final accuracy than SGD.
        let better = others.filter { $0.finalTestAccuracy.isClearlyAbove(sgd.finalTestAccuracy) }
        let worse = others.filter { $0.finalTestAccuracy.isClearlyBelow(sgd.finalTestAccuracy) }
        report.claim("The other methods also end with a higher recognition accuracy than SGD.",
                     .share(better.count, of: others.count),
                     evidence: "Test accuracy: SGD \(percentWithRange(sgd.finalTestAccuracy)); above SGD on every seed: "
                        + (better.isEmpty ? "none" : better.map { "\($0.label) \(percentWithRange($0.finalTestAccuracy))" }.joined(separator: ", "))
                        + (worse.isEmpty ? "" : "; below SGD on every seed: " + worse.map { "\($0.label) \(percentWithRange($0.finalTestAccuracy))" }.joined(separator: ", "))
                        + ".")
    }

    /// The notes' claim, "AdaGrad learns a little faster than the others", judged at each checkpoint.
    func adaGradVerdict(_ comparison: Comparison<OptimizerSpec>, checkpoints: [Int]) -> (verdict: Claim.Verdict, detail: String, sentence: String) {
        let adaGrad = comparison[.adaGrad()]
        let others = comparison.groups(except: .adaGrad())
        let detail = checkpoints.map { iteration -> String in
            let mine = adaGrad.value(.trainLoss, at: iteration)
            let rank = 1 + others.filter { $0.value(.trainLoss, at: iteration).mean < mine.mean }.count
            let ahead = others.filter { mine.isClearlyBelow($0.value(.trainLoss, at: iteration)) }.map(\.label)
            let behind = others.filter { $0.value(.trainLoss, at: iteration).isClearlyBelow(mine) }.map(\.label)
            return "at \(iteration) it ranks \(rank) of \(comparison.groups.count)"
                + (ahead.isEmpty ? "" : ", clearly ahead of \(ahead.joined(separator: ", "))")
                + (behind.isEmpty ? "" : ", clearly behind \(behind.joined(separator: ", "))")
        }.joined(separator: "; ")
        let firstEverywhere = checkpoints.allSatisfy { it in others.allSatisfy { adaGrad.value(.trainLoss, at: it).mean < $0.value(.trainLoss, at: it).mean } }
        let clearlyFirst = checkpoints.allSatisfy { it in others.allSatisfy { adaGrad.value(.trainLoss, at: it).isClearlyBelow($0.value(.trainLoss, at: it)) } }
        let sgd = comparison[.sgd()]
        let beatsSGD = checkpoints.allSatisfy { adaGrad.value(.trainLoss, at: $0).isClearlyBelow(sgd.value(.trainLoss, at: $0)) }
        if clearlyFirst { return (.holds, detail, "The claim holds here: AdaGrad is lowest at every checkpoint, beyond the seed noise.") }
        if firstEverywhere { return (.holdsInPart, detail, "The claim holds only loosely: AdaGrad is lowest on average, but not beyond the seed noise against every rival.") }
        return (.doesNotHold, detail, "The claim does not hold here: AdaGrad is not the fastest" + (beatsSGD ? ", although it clearly beats plain SGD." : "."))
    }
}

runChapter(OptimizersChapter.self)
