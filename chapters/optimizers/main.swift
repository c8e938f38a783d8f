// Chapter: optimizers. Reads top to bottom like the notebook it replaces.
import Analysis
import ArgumentParser
import Claims
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs
import Statistics

struct OptimizersChapter: Chapter {
    static let name = "optimizers"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: "How SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam move: on a valley, and training on MNIST.",
        discussion: "Writes <output>/optimizers/README.md with its figures, their CSV data and results.json.")

    /// The course's comparison: 2000 iterations in mini-batches of 128.
    enum Defaults: ChapterDefaults {
        static let length = 2000, quickLength = 200
        static let batchSize: Int? = 128
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var length: IterationOptions<Defaults>

    func build(_ report: Report, context: ChapterContext) throws {
        report.title = "Optimizers: how the update rule shapes training"
        report.paragraph("""
            Training a network means walking downhill on its loss. Backpropagation tells us which way is down \
            for every weight; the *optimizer* decides how far to step and how much to trust the past. This \
            chapter writes each rule out as a formula, watches the rules on a two-dimensional valley where their \
            characters are easy to see, and then trains the same network on \(context.dataset.name) \
            (\(report.cite(context.dataset.name == "MNIST" ? .lecun1998 : .xiao2017))) with each of them, over several seeds, \
            to see which differences are real. The Swift code that ran, and the loop that calls it, are at the end.
            """)
        updateRules(report)
        valley(report, context: context)
        mnist(report, context: context)
        try report.computation("The update rules as code") { try ruleCode(report) }
        try report.computation("The loop that calls them") { try trainingLoop(report) }
    }

    // MARK: - 1. The update rules

    /// A rule as the report presents it: what it does, its formula, the code that ran.
    struct Rule {
        let name: String, intro: String, formula: String
        /// The code that ran, by file and marker: the optimizer's `update` (NeuralNet) and its step on
        /// the CPU backend (Engine), or whichever of them says what the rule does.
        let code: [(file: String, marker: String)]
        /// What the reader should know after the code, if anything.
        var note: String? = nil
        /// The work that introduced the rule, cited with its formula.
        var reference: Reference? = nil
    }

    static let rules = [
        Rule(name: "SGD", intro: """
            Stochastic gradient descent steps straight down the gradient of the current mini-batch. It has no memory: \
            where the loss is steep in one direction and flat in another, the gradient points mostly across the \
            valley, not along it, and SGD zig-zags.
            """,
             formula: "W \\leftarrow W - \\eta \\frac{\\partial L}{\\partial W}",
             code: [("Sources/NeuralNet/Optimizers/SGD.swift", "sgd-update")]),
        Rule(name: "Momentum", intro: """
            Momentum keeps a velocity $v$ that gathers gradients and loses a share $1 - \\alpha$ of itself each step, \
            like a ball rolling with friction. Components that flip sign from step to step cancel out; components that \
            keep their sign build up.
            """,
             formula: """
                 v \\leftarrow \\alpha v - \\eta \\frac{\\partial L}{\\partial W}, \\qquad W \\leftarrow W + v
                 """, code: [("Sources/Engine/Kernels/OptimizerKernels.swift", "momentum-step")], reference: .sutskever2013),
        Rule(name: "Nesterov", intro: """
            Nesterov's variant applies the velocity once more before measuring where it is going: the step is taken as \
            if from the point the momentum is about to carry the weights to. In the form that needs only the gradient \
            at the current weights:
            """,
             formula: """
                 v \\leftarrow \\alpha v - \\eta \\frac{\\partial L}{\\partial W}, \\qquad W \\leftarrow W + \\alpha v \
                 - \\eta \\frac{\\partial L}{\\partial W}
                 """,
             code: [("Sources/Engine/Kernels/OptimizerKernels.swift", "nesterov-step")], note: """
                 Two rules go by this name, and this is the one of Bengio, Boulanger-Lewandowski and Pascanu (2012). \
                 Written in terms of the velocity before the step, it moves the weights by \
                 $\\alpha^2 v - (1 + \\alpha)\\,\\eta\\, g$: the old velocity damped twice, the fresh gradient \
                 counted $1 + \\alpha$ times, exactly what Momentum would do from the point its velocity is about to \
                 reach. The course's `common/optimizer.py` updates the velocity first and then adds $\\alpha^2$ times \
                 that *new* velocity, besides $-(1 + \\alpha)\\,\\eta\\, g$. Expanded, its step is \
                 $\\alpha^3 v - (1 + \\alpha + \\alpha^2)\\,\\eta\\, g$: the gradient weighs 2.71 at \
                 $\\alpha = 0.9$ instead of 1.9, and the old velocity is damped once more. That is a longer step \
                 along the current gradient rather than a look ahead, so its paths and curves would differ from the \
                 ones below; we run the look-ahead form, which is the one the method's name promises.
                 """, reference: .bengio2013),
        Rule(name: "AdaGrad", intro: """
            AdaGrad gives each weight its own learning rate. It adds up the squares of that weight's gradients in $h$ \
            and divides the step by $\\sqrt{h}$: weights that have moved a lot slow down, rarely-moved weights keep a \
            large step. Because $h$ only grows, every step shrinks, and after long enough training the weights stop \
            moving at all. The small $\\epsilon = 10^{-7}$ sits outside the root, as in the course, and only guards \
            against division by zero.
            """,
             formula: """
                 h \\leftarrow h + \\frac{\\partial L}{\\partial W} \\odot \\frac{\\partial L}{\\partial W}, \\qquad W \
                 \\leftarrow W - \\frac{\\eta}{\\sqrt{h} + \\epsilon} \\frac{\\partial L}{\\partial W}
                 """,
             code: [("Sources/Engine/Kernels/OptimizerKernels.swift", "adagrad-step")], reference: .duchi2011),
        Rule(name: "RMSProp", intro: """
            RMSProp fixes AdaGrad's ever-shrinking step by forgetting: $h$ becomes an exponentially decaying average \
            of squared gradients, so the step size follows the recent size of the gradient.
            """,
             formula: """
                 h \\leftarrow \\rho h + (1 - \\rho) \\frac{\\partial L}{\\partial W} \\odot \\frac{\\partial \
                 L}{\\partial W}, \\qquad W \\leftarrow W - \\frac{\\eta}{\\sqrt{h} + \\epsilon} \\frac{\\partial \
                 L}{\\partial W}
                 """,
             code: [("Sources/Engine/Kernels/OptimizerKernels.swift", "rmsprop-step")], reference: .tieleman2012),
        Rule(name: "Adam", intro: """
            Adam combines both ideas: a momentum-like running mean $m$ of the gradient and an RMSProp-like running \
            mean $v$ of its square. Both start at zero, which biases them towards zero in the first steps; dividing by \
            $1 - \\beta^t$ removes that bias.
            """,
             formula: """
                 m \\leftarrow \\beta_1 m + (1 - \\beta_1) g, \\quad v \\leftarrow \\beta_2 v + (1 - \\beta_2)\\, g \
                 \\odot g, \\quad W \\leftarrow W - \\eta \\frac{\\sqrt{1 - \\beta_2^t}}{1 - \\beta_1^t} \
                 \\frac{m}{\\sqrt{v} + \\epsilon}
                 """,
             code: [("Sources/NeuralNet/Optimizers/Adam.swift", "adam-update"),
                    ("Sources/Engine/Kernels/OptimizerKernels.swift", "adam-step")],
             reference: .kingma2015),
    ]

    func updateRules(_ report: Report) {
        report.heading("The update rules")
        report.paragraph("""
            Below, $W$ is any parameter array, $\\frac{\\partial L}{\\partial W}$ (or $g$) its gradient, $\\eta$ the \
            learning rate. Every rule acts element by element, so each weight gets its own step.
            """)
        for rule in Self.rules {
            report.heading(rule.name, level: 3)
            report.paragraph(rule.intro + (rule.reference.map { " (\(report.cite($0)))" } ?? ""))
            report.math(rule.formula)
            if let note = rule.note { report.paragraph(note) }
        }
    }

    /// Each rule's code, as it ran, and the slips in the notes' versions of three of them.
    func ruleCode(_ report: Report) throws {
        for rule in Self.rules {
            report.heading(rule.name, level: 3)
            for (file, marker) in rule.code { try report.code(file: file, marker: marker) }
        }
        report.heading("Three slips in the notes' code", level: 3)
        report.paragraph("""
            The notes print three of these classes, and each has a slip that Python reveals only when the line \
            runs: each would stop the program at its first update. The versions above are corrected, and they \
            are what this report ran.
            """)
        report.table(
            headers: ["class", "what the notes wrote", "what happens", "what ran here"],
            rows: [
                ["`SGD`", "`self.lr` alone in `__init__`", """
                    the rate is never stored; the first `update` raises `AttributeError`
                    """,
                 "the initialiser stores `learningRate`"],
                ["`Momentum`", "`self.grads[key]` in `update`", """
                    the object has no `grads`; `update` raises `AttributeError`
                    """,
                 "the step reads the gradient handed to `update` (`p.gradient`)"],
                ["`AdaGrad`", "`self.h += grads[key] * grads[key]`", """
                    adds an array to the dictionary `self.h` instead of to `self.h[key]`: a `TypeError` (had it run, \
                    one sum shared by all parameters)
                    """,
                 "one running sum per parameter (`squares` below)"],
            ],
            alignments: [.left, .left, .left, .left])
        try report.code(file: "Sources/NeuralNet/Optimizers/AdaGrad.swift", marker: "adagrad-update")
        report.paragraph("""
            Each corrected rule is checked in the test suite against two steps worked out by hand from its \
            formula (`Tests/NeuralNetTests/OptimizerTests.swift`).
            """)
    }

    // MARK: - 2. The training loop

    func trainingLoop(_ report: Report) throws {
        report.paragraph("""
            The notes sketch the loop every optimizer sits in: draw a mini-batch, compute the gradient by \
            backpropagation, hand parameters and gradients to `optimizer.update`. This is that loop as it ran for \
            every network in these reports, one network at a time. Networks compared at one seed draw the same \
            mini-batches because their trainers start from the same seed: that is what pairs them. A loss that becomes \
            NaN or infinite stops the run before its update and records where.
            """)
        try report.code(file: "Sources/Engine/Trainer.swift", marker: "training-step")
        report.paragraph("""
            For plain SGD on a few hundred images, the first layer takes a shortcut that is still exactly SGD. Each step \
            moves its weights by $-\\eta\\, x^\\top \\delta$, a sum of training images, so after any number of steps \
            $W = a W_0 + X^\\top C$, with $X$ the $N$ training images, $a$ what weight decay has shrunk the start $W_0$ by, \
            and $C$ one row of coefficients per image. The first layer's outputs on all training images, $A = XW$, then \
            follow from the images' inner products $G = X X^\\top$ without touching the 784 pixels again:
            """)
        report.math("""
            A \\leftarrow (1 - \\eta\\lambda)\\, A - \\eta\\, G_{:,\\,\\text{batch}}\\, \\delta, \\qquad C \\leftarrow \
            (1 - \\eta\\lambda)\\, C, \\quad C_{\\text{batch}} \\mathrel{+}= -\\eta\\, \\delta
            """)
        report.paragraph("""
            A batch's first-layer outputs are rows of $A$, and the update is one product of $N \\times 100 \\times 100$ \
            instead of two of $100 \\times 784 \\times 100$: a fifth of the work for 300 images. Test images $Z$ are \
            measured through $ZW = a\\,ZW_0 + (ZX^\\top)\\, C$, and when training ends $W$ is written out. The trainer \
            takes this form whenever a network learns by plain SGD on fewer images than about one and a half times its \
            784 inputs (the BatchNorm, overfitting, weight-decay, dropout and search networks); the test suite checks \
            that it trains and measures as the usual form does, up to rounding.
            """)
        try report.code(file: "Sources/Engine/DualFirstLayer.swift", marker: "dual-update")
    }

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
        let figure = report.descents(runs, on: .valley, x: -10...10, y: -5...5, levels: [0.5, 1, 2, 3, 4, 5, 6, 7],
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
        let sgd = path[.sgd]!, momentum = path[.momentum]!, adaGrad = path[.adaGrad]!
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

    // MARK: - 4. On real images

    func mnist(_ report: Report, context: ChapterContext) {
        report.heading("On \(context.dataset.name): which differences are real")
        let iterations = length.iterations(quick: context.quick)
        let network = NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu,
                                           weightInitialization: .he)
        let base = TrainingSetup(network: network, optimizer: .sgd(), batchSize: length.batch,
                                 length: .iterations(iterations))
        let optimizers = OptimizerSpec.referenceDefaults
        let checkpoints = [iterations / 4, iterations / 2, iterations]
        let test = context.dataset.test.count
        let comparison = context.compare("optimizers on \(context.dataset.name)", base: base,
                                         optimizers.map { spec in Variant(spec.kind,
                                                 label: spec.name) { $0.optimizer = spec } },
                                         decidedBy: { claims($0, checkpoints: checkpoints, test: test).all })
        let decisions = claims(comparison, checkpoints: checkpoints, test: test)
        report.paragraph("""
            The course's comparison: a \(base.network.summary) network, mini-batches of \(base.batchSize) drawn at \
            random from the \(context.dataset.training.count) training \(context.dataset.items) of \(context.dataset.name), \
            \(iterations) iterations, each optimizer at the reference's default settings \
            (\(optimizers.map { "\($0.name) \($0.settings)" }.joined(separator: "; "))). \
            The course shows one run; here each optimizer runs with \(comparison.seedText), as many as the claims below \
            needed. For a given seed every \
            optimizer starts from the same weights and sees the same mini-batches, so the comparison between optimizers is paired. \
            The notes compare four methods, SGD, Momentum, AdaGrad and Adam (the course's script leaves RMSProp out); \
            their claims are judged on those four, and Nesterov and RMSProp are trained and shown beside them.
            """)
        let losses = Figure.trainingLoss(comparison.groups, range: 0...1, logarithmic: true)
        let number = report.figure(losses, name: "training-loss", caption: """
            Training loss on \(context.dataset.name), \(base.network.summary), batch \(base.batchSize): each line is the geometric \
            mean over \(comparison.seedText) of the loss smoothed as the course smooths it (Kaiser window, 11 points); the shaded \
            band spans the lowest to the highest seed. Left: the course's linear axis from 0 to 1; right: the same curves on a log \
            axis, where a geometric mean, unlike an arithmetic one, is not lifted far above most seeds by one that spikes.
            """ + RunGroup.coincidingNote(comparison.groups, .trainLoss))
        report.paragraph("""
            The table gives the training loss at three points, each the median mini-batch loss over the 50 \
            iterations up to that point (RMSProp's spikes would sway a mean), as mean ± standard deviation over seeds, and the accuracy on the \
            \(context.dataset.test.count) test \(context.dataset.items) at the end (mean, then lowest–highest seed).
            """)
        report.table(comparison.groups, first: "optimizer",
                     columns: Column.checkpoints(.trainLoss, at: checkpoints) { "loss at \($0)" }
                        + [.finalTestAccuracy(header: "test accuracy at \(iterations)")])
        let ranking = comparison.rankedPairs(by: .trainLoss, higherIsBetter: false).ranking
        let (lowest, highest) = (comparison[ranking.first!], comparison[ranking.last!])
        report.paragraph("""
            **What Figure \(number) and the table show.** Ranked by loss at iteration \(iterations): \
            \(ranking.map { comparison[$0].label }.joined(separator: ", ")). On the log axis the curves keep falling long after they reach the \
            bottom of the linear plot: after \(iterations) iterations the lowest (\(lowest.label)) is about \
            \(Format.number(highest.final(.trainLoss).mean / lowest.final(.trainLoss).mean, digits: 2)) \
            times below the highest (\(highest.label)). Which of these differences are more than luck is for the \
            claims below to say: each compares two optimizers seed by seed.
            """)
        let (tunedDecisions, tunedNumber) = atTheirBestRates(base, report: report, context: context,
                                                                   checkpoints: checkpoints)
        // The claims that compare the four methods are judged twice: at the reference's rates and each at its best.
        let rated = Set([Self.othersFaster, Self.momentumFaster, Self.adaGradFastest, Self.othersMoreAccurate])
        let final = Decisions(decisions.claims.map { claim in
            (claim, rated.contains(claim) ? .parts([("at the reference's rates", decisions[claim]),
                                                    ("each at its best rate", tunedDecisions[claim])])
                                          : decisions[claim])
        })
        for claim in final.claims {
            report.claim(claim, final[claim], figures: rated.contains(claim) ? [number, tunedNumber] : [number])
        }
        report.summary["ranking"] = .array(ranking.map { .string(comparison[$0].label) })
        let ratio = highest.final(.trainLoss).mean / lowest.final(.trainLoss).mean
        report.lead("""
            On \(context.dataset.name), with the course's network and \(iterations) mini-batches, the claim that Momentum, AdaGrad and Adam \
            learn faster than SGD \(final[Self.othersFaster].verdict.predicate), judged seed by seed at three checkpoints, at the \
            reference's rates and with each method at its best of three. The notes' sharper claim, that AdaGrad is a little faster \
            than the other three, \(final[Self.adaGradFastest].verdict.predicate): after \(iterations) iterations the lowest loss is \
            \(lowest.label)'s, about \(Format.number(ratio, digits: 2)) times below \(highest.label)'s.
            """, claim: Self.adaGradFastest.id, figure: number)
    }

    /// The notes' four methods at a third of, at and at three times the reference's rate, each then
    /// judged at the rate where its training loss ends lowest: a claim about a method should not
    /// rest on one rate that may suit one method and starve another. Returns the decisions at the
    /// best rates and their figure.
    func atTheirBestRates(_ base: TrainingSetup, report: Report, context: ChapterContext, checkpoints: [Int])
        -> (Decisions, FigureRef) {
        report.heading("Each at its best rate", level: 3)
        let test = context.dataset.test.count
        let specs = Dictionary(uniqueKeysWithValues: OptimizerSpec.referenceDefaults.map { ($0.kind, $0) })
        let arms = Self.notesMethods.flatMap { kind in Self.rateFactors.map { Tuned(kind: kind, factor: $0) } }
        func spec(_ arm: Tuned) -> OptimizerSpec {
            specs[arm.kind]!.with(learningRate: specs[arm.kind]!.learningRate * arm.factor)
        }
        func decide(_ t: Comparison<Tuned>) -> Decisions {
            rateClaims({ t[Tuned(kind: $0, factor: bestFactor(t, $0))] }, checkpoints: checkpoints, test: test)
        }
        let tuned = context.compare("the notes' four optimizers at three rates", base: base, arms.map { arm in
            let armSpec = spec(arm)
            let label = "\(armSpec.name), lr \(Format.compact(armSpec.learningRate))"
            // A method keeps its colour from the figure above, whatever its rate.
            return Variant(arm, label: label, setting: ColorKey(arm.kind)) { $0.optimizer = armSpec }
        }, decidedBy: { decide($0).all })
        let best = Self.notesMethods.map { tuned[Tuned(kind: $0, factor: bestFactor(tuned, $0))] }
        let ends = [Self.rateFactors.first!, Self.rateFactors.last!]
        let atTheEdge = Self.notesMethods.filter { ends.contains(bestFactor(tuned, $0)) }
        let edgeNote = atTheEdge.isEmpty ? "" : """
             For \(atTheEdge.count) of the 4 the best is an end of the range tried, so a rate beyond it might do better still: \
            "best" means best of these three.
            """
        report.paragraph("""
            Every method above runs at the reference's default rate, which may suit one and starve another. So the notes' four \
            are also trained at a third of it and at three times it, over \(tuned.seedText), and each claim below is judged a \
            second time with every method at the rate where its training loss ends lowest (the loss the claims are about; the \
            test set plays no part in the choice): \(best.map(\.label).joined(separator: ", ")).
            """ + edgeNote)
        let figure = Figure.trainingLoss(best, range: 0...1, logarithmic: true)
        let number = report.figure(figure, name: "training-loss-best-rates", caption: """
            The notes' four methods, each at its best of three rates: training loss on \(context.dataset.name), geometric mean over \
            \(tuned.seedText) of the smoothed loss, band from the lowest to the highest seed; linear axis left, log axis right.
            """ + RunGroup.coincidingNote(best, .trainLoss))
        report.table(tuned.groups, first: "optimizer and rate",
                     columns: [.final(.trainLoss, header: "final loss"), .finalTestAccuracy(header: "test accuracy")])
        return (decide(tuned), number)
    }

    /// The four methods the notes compare; the other two are shown beside them, not judged.
    static let notesMethods: [OptimizerSpec.Kind] = [.sgd, .momentum, .adaGrad, .adam]

    /// The notes' claims about the comparison, on the notes' four methods, decided from the losses at
    /// each checkpoint (lower by a tenth at least, compared as ratios) and the final test accuracy
    /// (higher by more than the test set resolves).
    func claims(_ c: Comparison<OptimizerSpec.Kind>, checkpoints: [Int], test: Int) -> Decisions {
        let tenth = Margin(log(1.1), "a loss a tenth lower")
        let rated = rateClaims({ c[$0] }, checkpoints: checkpoints, test: test)
        // Adam at its default settings (the only ones it runs with here) against each of the other five.
        let adamAmongTheBest = Decision.parts(c.keys.filter { $0 != .adam }.map { kind in
            (c[kind].label, Decision.notWorse(c[kind].final(.trainLoss), c[.adam].final(.trainLoss), margin: tenth,
                                              scale: .ratio,
                                              names: (c[kind].label, c[.adam].label)).reading(c[kind], c[.adam]))
        })
        return Decisions([
            (Self.othersFaster, rated[Self.othersFaster]),
            (Self.momentumFaster, rated[Self.momentumFaster]),
            (Self.adamDefaults, adamAmongTheBest.explained(
                "Adam at its default settings (learning rate 0.001, β₁ 0.9, β₂ 0.999) against each of the other "
                + "five on the final loss, its loss no more than a tenth above theirs; ")),
            (Self.adamWidelyUsed, .notTestable(
                "how many researchers use Adam is a fact about the field, and no run of a network measures it")),
            (Self.dependsOnTheProblem, .notTestable(
                "one chapter run trains on one dataset; the two editions rank the methods side by side, one "
                + "problem each, which is too few to say how the best method depends on the problem")),
            (Self.adaGradFastest, rated[Self.adaGradFastest]),
            (Self.othersMoreAccurate, rated[Self.othersMoreAccurate]),
        ])
    }

    /// The claims that compare the notes' four methods, on the groups `group` gives for each (at the
    /// reference's rates, or each at its best): faster than SGD (a loss a tenth lower at every
    /// checkpoint), Momentum faster, AdaGrad fastest, and a higher final test accuracy than SGD.
    func rateClaims(_ group: (OptimizerSpec.Kind) -> RunGroup, checkpoints: [Int], test: Int) -> Decisions {
        let tenth = Margin(log(1.1), "a loss a tenth lower")
        func lowerLoss(_ a: OptimizerSpec.Kind, than b: OptimizerSpec.Kind) -> Decision {
            let (x, y) = (group(a), group(b))
            return .parts(checkpoints.map { at in
                ("at \(at)", Decision.paired(x.value(.trainLoss, at: at), y.value(.trainLoss, at: at), .lower,
                                             margin: tenth, scale: .ratio, names: (x.label, y.label)).reading(x, y))
            })
        }
        let others = Self.notesMethods.filter { $0 != .sgd }, rivals = Self.notesMethods.filter { $0 != .adaGrad }
        let adaGrad = group(.adaGrad)
        let fastest = Decision.parts(checkpoints.map { at in
            ("at \(at)", .best(adaGrad.label, adaGrad.value(.trainLoss, at: at),
                               over: rivals.map { (group($0).label, group($0).value(.trainLoss, at: at)) }, .lower,
                               margin: tenth, scale: .ratio)
                .reading(Self.notesMethods.map(group)))
        })
        let sgd = group(.sgd)
        let moreAccurate = others.map { kind in
            (group(kind).label,
             Decision.paired(group(kind).finalTestAccuracy, sgd.finalTestAccuracy, .higher,
                             margin: .testDifference(group(kind), sgd, testImages: test),
                             scale: .accuracy, names: (group(kind).label, sgd.label)).reading(group(kind), sgd))
        }
        return Decisions([
            (Self.othersFaster, .parts(others.map { (group($0).label, lowerLoss($0, than: .sgd)) })),
            (Self.momentumFaster, lowerLoss(.momentum, than: .sgd)),
            (Self.adaGradFastest, fastest),
            (Self.othersMoreAccurate, .parts(moreAccurate)),
        ])
    }

    /// An arm of the rate comparison: one of the notes' methods at a multiple of its reference rate.
    struct Tuned: Hashable, Sendable {
        let kind: OptimizerSpec.Kind, factor: Double
    }

    /// The multiples of each reference rate tried.
    static let rateFactors = [1.0 / 3, 1, 3]

    /// Each of the notes' methods at its best rate: the factor whose final training loss is lowest
    /// on average over seeds (a seed that diverged counts as infinitely bad).
    func bestFactor(_ t: Comparison<Tuned>, _ kind: OptimizerSpec.Kind) -> Double {
        Self.rateFactors.min { t[Tuned(kind: kind, factor: $0)].final(.trainLoss).replacingMissing(with: .infinity).mean
            < t[Tuned(kind: kind, factor: $1)].final(.trainLoss).replacingMissing(with: .infinity).mean }!
    }

    static let sgdZigzags = NotesClaim("optimizers.sgd-zigzag", quote: "SGDは最適解に行くまでが非効率なことがある．ジグザグの動きになって，移動距離が長くなる．",
                                       claim: """
                                           SGD zig-zags across the valley and so travels a long way to the minimum.
                                           """)
    static let momentumSmooths = NotesClaim("optimizers.momentum-less-zigzag", quote: "反動を考慮するので，ジグザグの動きを軽減できる．",
                                            claim: "Momentum reduces the zig-zag of SGD.")
    static let adaGradEfficient = NotesClaim("optimizers.adagrad-efficient", quote: "めっちゃ効率的に最小値に向かう！",
                                             claim: "AdaGrad heads for the minimum very efficiently.")
    static let othersFaster = NotesClaim("optimizers.others-faster-than-sgd", quote: "SGDよりも他の手法が早く",
                                         claim: """
                                             The other methods the notes compare (Momentum, AdaGrad, Adam) learn \
                                             faster than SGD.
                                             """)
    static let adaGradFastest = NotesClaim("optimizers.adagrad-fastest", quote: "特にAdaGradはやや他の手法より早い．",
                                           claim: """
                                               AdaGrad learns a little faster than the other three methods the notes \
                                               compare.
                                               """)
    static let momentumFaster = NotesClaim("optimizers.momentum-faster", quote: "SGDよりは早く解に向かう",
                                           claim: """
                                               Momentum heads for the solution faster than SGD: its loss is lower at every checkpoint.
                                               """)
    static let adaGradShrinks = NotesClaim("optimizers.adagrad-steps-shrink", quote: "更新される重みは学習が進むほど小さくなっていく",
                                           claim: "AdaGrad's updates shrink as learning goes on.")
    static let adamDefaults = NotesClaim("optimizers.adam-defaults", quote: "多くの場合うまくいく設定値がある．",
                                         claim: """
                                             Adam has settings that work well in most cases: at its defaults it trains as well as any \
                                             of the six.
                                             """)
    static let adamWidelyUsed = NotesClaim("optimizers.adam-widely-used", quote: "最近はAdamを使う研究者が多いらしい",
                                           claim: "Many researchers use Adam these days.")
    static let dependsOnTheProblem = NotesClaim("optimizers.depends-on-the-problem",
                                                quote: "どれが一番適しているかは，解くべき問題によって異なる",
                                                claim: "Which method suits best depends on the problem.")
    static let othersMoreAccurate = NotesClaim("optimizers.others-more-accurate", quote: "最終的な認識性能も高くなる．",
                                               claim: """
                                                   Momentum, AdaGrad and Adam also end with a higher recognition \
                                                   accuracy than SGD.
                                                   """)
}

runChapter(OptimizersChapter.self)
