// The optimizers chapter, sections 1 and 2: each update rule as a formula and as the code that ran, and the loop
// that calls them.
import Analysis
import Claims
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs
import Statistics

extension OptimizersChapter {
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
}
