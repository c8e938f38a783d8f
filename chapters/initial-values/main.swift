// Chapter: initial weights. Reads top to bottom like the notebook it replaces.
import Analysis
import ArgumentParser
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

struct InitialValuesChapter: Chapter {
    static let name = "initial-values"
    static let configuration = CommandConfiguration(
        commandName: chapterCommandName,
        abstract: """
            Why initial weights matter: equal weights, activation histograms, and std 0.01 vs Xavier vs He on MNIST.
            """,
        discussion: "Writes <output>/initial-values/README.md with its figures, their CSV data and results.json.")

    /// The course's comparison: 2000 iterations in mini-batches of 128; the equal-weights check 1000.
    enum Defaults: ChapterDefaults {
        static let length = 2000, quickLength = 200
        static let batchSize: Int? = 128
        static let equalWeights = 1000, quickEqualWeights = 100
    }

    @OptionGroup var options: ChapterOptions
    @OptionGroup var length: IterationOptions<Defaults>

    static let inits: [WeightInitialization] = [.standardDeviation(1), .standardDeviation(0.01), .xavier, .he]
    static let activations: [Activation] = [.sigmoid, .tanh, .relu]

    func build(_ report: Report, context: ChapterContext) throws {
        report.title = "Initial weights: where training starts decides whether it starts"
        report.paragraph("""
            Before the first step, every weight needs a value. The choice looks like a detail, yet it decides \
            whether signals survive the trip through the layers, whether gradients survive the trip back, and \
            whether the hidden units can become different from one another at all. This chapter shows each of \
            these effects directly, then measures what they cost when training on \(context.dataset.name).
            """)
        equalWeights(report, context: context)
        zeroWeights(report, context: context)
        activationHistograms(report, context: context)
        vanishingGradient(report, context: context)
        mnist(report, context: context)
    }

    // MARK: - 1. Equal weights

    func equalWeights(_ report: Report, context: ChapterContext) {
        report.heading("Why the weights cannot all start equal")
        report.paragraph("""
            If every weight of a layer starts at the same value, every unit of that layer computes the same \
            output for every input. In the backward pass they then receive the same gradient, so after the \
            update they are still equal, and so on forever: a layer of 100 units behaves like a layer of one. \
            All-zero weights are the extreme case: the hidden outputs are constant and the gradients reaching \
            the hidden weights are exactly zero, so only the last bias learns. Random initial weights break \
            this symmetry. The experiment: a 784-100-100-10 ReLU network trained with SGD (lr 0.1) from three \
            starts, and afterwards, how different the 100 units of the first hidden layer have become. Two \
            units count as one when their incoming weights agree to a ten-thousandth of the largest weight: \
            the arithmetic of different processors rounds identical sums differently in the last bits, and that \
            must not pass for units that learnt something different.
            """)
        let iterations = length.iterations ?? (context.quick ? Defaults.quickEqualWeights : Defaults.equalWeights)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [100, 100], activation: .relu),
                                 optimizer: .sgd(learningRate: 0.1), batchSize: 100, length: .iterations(iterations))
        let starts: [WeightInitialization] = [.constant(0), .constant(0.01), .he]
        let comparison = context.compare("equal initial weights", base: base, starts.map { start in
            Variant(start, label: start.displayName) { $0.network.weightInitialization = start }
        }, measuring: [.hiddenUnits])
        report.table(comparison.groups, first: "initial weights", columns: [
            Column("distinct units in hidden layer 1") { group in
                let counts = group.measurement(.distinctUnits)
                return counts.minimum == counts.maximum ? "\(Int(counts.mean)) of 100"
                    : "\(Int(counts.minimum))–\(Int(counts.maximum)) of 100"
            },
            .measurement(.largestUnitDifference, header: "largest difference between two units' weights"),
            .measurement(.largestWeight, header: "largest weight"), .finalTestAccuracy(),
        ])
        let distinct = DataName("distinct_units", "distinct units in hidden layer 1, mean over seeds")
        let distinctBySeed = DataName("distinct_units_seed", "distinct units in hidden layer 1, each seed")
        let title = "distinct units in hidden layer 1 after \(iterations.formatted()) updates"
        let unitsFigure = report.figure(.measurement(.distinctUnits, of: comparison.groups, title: title,
                                                     yLabel: "distinct units (of 100)", yLimits: 0...100,
                                                     data: distinct,
                                                     seedData: distinctBySeed, format: { "\(Int($0.rounded()))" }),
                                        name: "distinct-units", caption: """
            How many of the 100 units of the first hidden layer differ from one another after \(iterations) updates, for \
            each start: the bar at the mean over seeds, a dot for each seed.
            """)
        report.paragraph("""
            **What Figure \(unitsFigure) shows.** Starting from equal weights, the units of the first layer are still copies \
            of one another after \(iterations) updates, and the network is no better than its one effective unit per layer \
            allows. From all zeros nothing but the output bias moves, and the accuracy is that of always guessing one \
            class. He's random start gives 100 different units and a working classifier.
            """)
        equalWeightsClaim(comparison, figure: unitsFigure, report: report)
    }

    /// Equal starts stay one unit; He's random start gives every unit its own weights.
    func equalWeightsClaim(_ comparison: Comparison<WeightInitialization>, figure unitsFigure: FigureRef,
                           report: Report) {
        func units(_ start: WeightInitialization) -> SeedSummary { comparison[start].measurement(.distinctUnits) }
        func oneUnit(_ start: WeightInitialization) -> Decision {
            .threshold(units(start), .lower, 1.5, levelText: "two units", scale: .number(digits: 3),
                       name: "distinct units")
        }
        report.claim(Self.equalWeights, .parts([
            ("all 0 stays one unit", oneUnit(.constant(0))),
            ("all 0.01 stays one unit", oneUnit(.constant(0.01))),
            ("He gives 100 units",
             .threshold(units(.he), .higher, 99.5, levelText: "100 units", scale: .number(digits: 3),
                        name: "distinct units")),
        ]), figures: [unitsFigure])
        report.summary["distinct_units"] = .object(Dictionary(uniqueKeysWithValues: comparison.groups.map {
            ($0.label, .number($0.measurement(.distinctUnits).mean))
        }))
    }

    // MARK: - 3. On real images

    /// A start of the comparison: initial weights with an activation.
    struct Start: Hashable, Sendable {
        let initialization: WeightInitialization, activation: Activation
        /// The learning rate: the course's 0.01 unless a sigmoid arm is given its own.
        var rate = InitialValuesChapter.courseRate
        var label: String {
            initialization.displayName + (activation == .relu ? "" : " + \(activation.displayName)")
                + (rate == InitialValuesChapter.courseRate ? "" : ", lr \(Format.compact(rate))")
        }
    }

    static let courseRate = 0.01
    /// The rates the sigmoid arms are also trained at: a sigmoid's gradient is at most a quarter,
    /// so the course's rate may starve it, and a claim about how well it learns should not rest on one rate.
    /// The grid reaches 10 because the best of the first three, 1, was its end.
    static let sigmoidRates = [0.01, 0.1, 1.0, 3.0, 10.0]

    /// The starts trained at every rate of `sigmoidRates` and judged at their best: sigmoid from
    /// Xavier's weights, a standard deviation of 1 and of 0.01 (the notes' moderate spread against its
    /// two extremes), and tanh from Xavier's and He's (the notes' symmetric activation, and the start
    /// they say suits it).
    static let tunedStarts: [(Activation, WeightInitialization)] = [
        (.sigmoid, .xavier), (.sigmoid, .standardDeviation(1)), (.sigmoid, .standardDeviation(0.01)), (.tanh,
            .xavier), (.tanh, .he),
    ]

    /// The loss the claims read: after each update, on the batch just learned, as the course's
    /// script draws it (the loss before the update is shown beside it).
    static let notesLoss = Metric.trainLossAfterUpdate

    func mnist(_ report: Report, context: ChapterContext) {
        report.heading("On \(context.dataset.name): std 0.01, Xavier and He")
        let iterations = length.iterations(quick: context.quick)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [100, 100, 100, 100], activation: .relu),
                                 optimizer: .sgd(learningRate: 0.01), batchSize: length.batch,
                                 length: .iterations(iterations), recordsLossAfterUpdate: true)
        let starts = [Start(initialization: .standardDeviation(0.01), activation: .relu),
                      Start(initialization: .xavier, activation: .relu),
                      Start(initialization: .he, activation: .relu)]
            + Self.tunedStarts.flatMap { a, i in Self.sigmoidRates.map { Start(initialization: i, activation: a,
                rate: $0) } }
        func variant(_ start: Start) -> Variant<Start> {
            // A ReLU start keeps the colour its initial weights have in the histograms above;
            // a sigmoid one has its own.
            Variant(start, label: start.label,
                    setting: start.activation == .relu ? ColorKey(start.initialization) : ColorKey(start)) {
                $0.network.weightInitialization = start.initialization
                $0.network.activation = start.activation
                $0.optimizer = .sgd(learningRate: start.rate)
            }
        }
        // The rates are chosen on tuning seeds no claim reads; the claims read the chosen ones on their own.
        let tuningTitle = "initial weights on \(context.dataset.name) at \(Self.sigmoidRates.count) rates, "
            + "on the tuning seeds"
        let tuning = context.tune(tuningTitle,
                                  base: base, starts.filter { $0.activation != .relu }.map(variant))
        let (comparison, decisions) = context.compare("initial weights on \(context.dataset.name)", base: base,
                                                      starts.map(variant), judging: { self.claims($0, tuning: tuning) })
        report.paragraph("""
            The course's comparison: a network of four hidden layers of 100 ReLU units trained with SGD (lr 0.01, \
            batch \(base.batchSize)) for \(iterations) iterations on \(context.dataset.training.count) \(context.dataset.name) \
            \(context.dataset.items), from weights with a standard deviation of 0.01, Xavier's or He's; and, because the \
            notes pair Xavier with sigmoid, the same network with sigmoid units and Xavier's weights; beside it, sigmoid units from \
            a standard deviation of 1, the start whose outputs pile up at 0 and 1. A sigmoid's slope is at most a quarter, so the \
            course's rate may starve these networks: each sigmoid start is also trained at \
            \(Format.list(Self.sigmoidRates.dropFirst().map { Format.compact($0) })), and judged at the rate where its \
            training loss ends lowest on \(context.tuningSeeds.count) tuning seeds of its own, which no claim reads; the course's \
            rate is shown beside. \
            \(comparison.seedText).
            """)
        let course = comparison.groups.filter {
            $0.setup.optimizer.learningRate == Self.courseRate
                && $0.setup.network.weightInitialization != .standardDeviation(1)
        }
        let losses = Figure.trainingLoss(course, Self.notesLoss, range: 0...2.5, logarithmic: false)
        let number = report.figure(losses, name: "training-loss", caption: """
            Training loss on \(context.dataset.name) by initial weights (SGD lr 0.01, batch \(base.batchSize); ReLU unless marked), \
            measured as the course draws it, after each update on the batch just learned: \
            geometric mean over \(comparison.seedText) of the smoothed loss, band from the lowest to the highest seed.
            """ + RunGroup.coincidingNote(course, Self.notesLoss))
        let sigmoid = comparison.groups.filter {
            $0.setup.network.activation == .sigmoid && $0.setup.network.weightInitialization != .standardDeviation(0.01)
        }
        let sigmoidLosses = Figure.lossByRate([WeightInitialization.xavier, .standardDeviation(1)].map { i in
            ("sigmoid from \(i.displayName)", Self.sigmoidRates.map { rate in
                (rate, comparison[Start(initialization: i, activation: .sigmoid, rate: rate)])
            })
        }, Self.notesLoss)
        let rates = report.figure(sigmoidLosses, name: "sigmoid-rates", caption: """
            The sigmoid networks at \(Self.sigmoidRates.count) learning rates, from Xavier's weights (left) and from a standard deviation of \
            1 (right), one colour per rate, log axis: geometric \
            mean over \(comparison.seedText) of the smoothed training loss, band from the lowest to the highest seed.
            """ + RunGroup.coincidingNote(sigmoid, Self.notesLoss))
        findings(comparison, tuning: tuning, decisions: decisions, figures: (number, rates), base: base, report: report,
                 context: context)
    }

    /// The table, what the figure shows, and the claims about training from each start.
    func findings(_ comparison: Comparison<Start>, tuning: Comparison<Start>, decisions: Decisions,
        figures: (loss: FigureRef, rates: FigureRef),
                  base: TrainingSetup, report: Report, context: ChapterContext) {
        let (number, rates) = figures, iterations = base.length.end
        let checkpoints = [iterations / 4, iterations / 2, iterations]
        report.table(comparison.groups, first: "initial weights",
                     columns: Column.checkpoints(Self.notesLoss, at: checkpoints) { "loss after the update at \($0)" }
                        + [.final(.trainLoss, header: "before it, at \(iterations)"),
                           .finalTestAccuracy(header: "test accuracy at \(iterations)")])
        func loss(_ i: WeightInitialization, _ a: Activation = .relu) -> SeedSummary {
            comparison[Start(initialization: i, activation: a)].final(Self.notesLoss)
        }
        report.paragraph("""
            **What Figure \(number) shows.** With a standard deviation of 0.01 the loss hardly leaves \
            $\\ln 10 \\approx 2.30$, the loss of guessing uniformly (\(Format.number(loss(.standardDeviation(0.01)).mean, digits: 3)) after \
            \(iterations) iterations): the signal shrinks a hundredfold per layer, and so does the gradient on its way back. \
            Xavier and He both learn with ReLU; He, made for ReLU, ends at \(Format.number(loss(.he).mean, digits: 3)) against \
            Xavier's \(Format.number(loss(.xavier).mean, digits: 3)). With sigmoid units, Xavier's start ends at \
            \(Format.number(loss(.xavier, .sigmoid).mean, digits: 3)): sigmoid's gradient is at most a quarter, and four layers of it slow SGD down.
            """)
        // The course's names for its three starts.
        let names: [(WeightInitialization, String)] = [(.standardDeviation(0.01), "std=0.01"), (.xavier, "Xavier"),
                                                       (.he, "He")]
        context.showCourse(.initialValues, names.flatMap { start, key in
            context.courseLosses(.initialValues, key, comparison[Start(initialization: start, activation: .relu)])
        }, intro: """
            The claims read the loss as the course draws it, after each update on the batch just learned (the optimizers chapter \
            explains the two measures); the table gives the last 100 iterations' mean both ways, the course's ReLU networks beside \
            this chapter's.
            """)
        var beside = besideParts(comparison, tuning: tuning, test: context.dataset.test.count)
        let identity = "the identity (certain by construction): a linear stack from Xavier's weights keeps its spread"
        beside[Self.xavierSuitsTanh] = [(identity,
                                         context.decide { seeds in
            .within(SeedSummary(seeds.map { Self.linearSpread(seed: $0) }), 0.5...2, rangeText: "0.5–2",
                scale: .number(digits: 3),
                    name: "layer-5 std / layer-1 std of five linear layers")
        })]
        let tuned = Self.tunedStarts.map { a, i in comparison[bestStart(tuning, i, a).value] }
        let bestNumber = report.figure(Figure.trainingLoss(tuned, Self.notesLoss, range: 0...2.5, logarithmic: true),
            name: "best-rates",
                                       caption: """
            Each start at the best of \(Self.sigmoidRates.count) rates (chosen on tuning seeds' final training loss): sigmoid from \
            Xavier's weights, from a standard deviation of 1 and of 0.01, and tanh from Xavier's and He's. Training loss after each \
            update, geometric mean over \(comparison.seedText) of the smoothed loss, band from the lowest to the highest seed; linear \
            axis left, log axis right.
            """ + RunGroup.coincidingNote(tuned, Self.notesLoss))
        report.paragraph("""
            **What Figure \(bestNumber) shows.** At their best rates the sigmoid starts end at \
            \(tuned.prefix(3).map { "\(Format.number($0.final(Self.notesLoss).geometricMean, digits: 3)) (\($0.label))" }.joined(separator: ", ")), \
            and tanh at \(tuned.suffix(2).map { "\(Format.number($0.final(Self.notesLoss).geometricMean, digits: 3)) (\($0.label))" }.joined(separator: " and ")). \
            The notes call the functions Xavier suits symmetric about the origin; tanh and the identity are, but sigmoid is not: it \
            is symmetric about the point (0, 0.5), and its outputs are all positive, which is what tilts the upper layers' \
            histograms above.
            """)
        let atRates: Set<NotesClaim> = [Self.saturationNoGood, Self.xavierSigmoidLearns]
        let tunedClaims: Set<NotesClaim> = [Self.moderateSpread, Self.tanhImproves, Self.xavierSuitsTanh]
        for claim in decisions.claims {
            report.claim(claim, decisions[claim].beside(beside[claim] ?? []),
                         figures: atRates.contains(claim) ? [number,
                             rates] : (tunedClaims.contains(claim) ? [bestNumber] : [number]))
        }
        let equal = report.claims.first { $0.id == Self.equalWeights.id }?.verdict ?? .undecided
        report.lead("""
            Equal initial weights keep the hidden units copies of one another, so a layer of 100 works as one (\(equal.rawValue), as algebra says it must). \
            On \(context.dataset.name), a standard deviation of 0.01 barely leaves the loss of guessing (\
            \(Format.number(loss(.standardDeviation(0.01)).geometricMean, digits: 3)) after \(iterations) iterations; \
            \(decisions[Self.std001Stalls].verdict.rawValue)), and with ReLU He's weights end at \
            \(Format.number(loss(.he).geometricMean, digits: 3)) against Xavier's \(Format.number(loss(.xavier).geometricMean, digits: 3)): \
            the claim that He learns better \(decisions[Self.heBeatsXavier].verdict.predicate). That Xavier's weights with \
            sigmoid learn well \(decisions[Self.xavierSigmoidLearns].verdict.predicate).
            """, claim: Self.heBeatsXavier.id, figure: number)
    }

    /// What is shown beside two verdicts without deciding them (no seeds are added for these): the
    /// course's rate, and for L251 the other reading of 「いい結果」, accuracy on the test set rather than
    /// the training loss the course's figure draws.
    func besideParts(_ c: Comparison<Start>, tuning: Comparison<Start>, test: Int) -> [NotesClaim: [(String,
        Decision)]] {
        func group(_ i: WeightInitialization, rate: Double) -> RunGroup { c[Start(initialization: i,
            activation: .sigmoid, rate: rate)] }
        func best(_ i: WeightInitialization) -> RunGroup { c[bestStart(tuning, i).value] }
        let rate = Format.compact(Self.courseRate)
        let course = group(.standardDeviation(1), rate: Self.courseRate)
        let (saturated, xavier) = (best(.standardDeviation(1)), best(.xavier))
        return [
            Self.xavierSigmoidLearns: [("at the course's rate \(rate)",
                                        Decision.threshold(group(.xavier,
                                            rate: Self.courseRate).final(Self.notesLoss), .lower,
                                                           log(10.0) / 2, levelText: "half of ln 10 = 1.15",
                                                           scale: .number(digits: 3), name: "final loss"))],
            Self.saturationNoGood: [
                ("no good result at the course's rate \(rate)",
                 Decision.threshold(course.final(Self.notesLoss), .higher, log(10.0) / 2,
                     levelText: "half of ln 10 = 1.15",
                                    scale: .number(digits: 3), name: "final loss from std 1")),
                ("the other reading: a lower test accuracy than Xavier's start, each at its best rate",
                 Decision.paired(saturated.finalTestAccuracy, xavier.finalTestAccuracy, .lower,
                                 margin: .testDifference(saturated, xavier, testImages: test), scale: .accuracy,
                                 names: ("std 1", "Xavier"))),
            ],
        ]
    }

    /// A tuned start's best rate (see `tunedStarts`) on the tuning seeds: where its final training loss
    /// is lowest on average (a seed that diverged counts as the loss of guessing, ln 10).
    func bestStart(_ c: Comparison<Start>, _ i: WeightInitialization, _ a: Activation = .sigmoid) -> GridChoice<Start> {
        c.choose(Self.sigmoidRates.map { Start(initialization: i, activation: a, rate: $0) }, .lower,
            missing: log(10)) {
            $0.final(Self.notesLoss)
        }
    }

    /// The notes' three sentences about training from each start, decided from the final losses.
    func claims(_ c: Comparison<Start>, tuning: Comparison<Start>) -> Decisions {
        func group(_ i: WeightInitialization, _ a: Activation = .relu, rate: Double = Self.courseRate) -> RunGroup {
            c[Start(initialization: i, activation: a, rate: rate)]
        }
        func loss(_ i: WeightInitialization, _ a: Activation = .relu, rate: Double = Self.courseRate) -> SeedSummary {
            group(i, a, rate: rate).final(Self.notesLoss)
        }
        /// A sigmoid start's best rate: where its final training loss is lowest on average over the
        /// first look's seeds, then kept (a seed that diverged counts as the loss of guessing, ln 10).
        func bestRate(_ i: WeightInitialization, _ a: Activation = .sigmoid) -> GridChoice<Start> { bestStart(tuning,
            i, a) }
        func best(_ i: WeightInitialization, _ a: Activation = .sigmoid) -> RunGroup { c[bestRate(i, a).value] }
        func described(_ i: WeightInitialization, _ a: Activation = .sigmoid) -> String {
            let choice = bestRate(i, a)
            return "\(i.displayName) + \(a.displayName) at \(Format.compact(choice.value.rate)) (\(choice.words))"
        }
        let tenth = Margin(log(1.1), "a loss a tenth lower")
        let stalls = Decision.threshold(loss(.standardDeviation(0.01)), .higher, 0.9 * log(10.0),
                                        levelText: "0.9 ln 10 = 2.07",
                                        scale: .number(digits: 3), name: "final loss")
        func learnsWell(_ i: WeightInitialization, rate: Double) -> Decision {
            Decision.threshold(loss(i, .sigmoid, rate: rate), .lower, log(10.0) / 2, levelText: "half of ln 10 = 1.15",
                               scale: .number(digits: 3), name: "final loss")
        }
        let xavierChoice = bestRate(.xavier), saturatedChoice = bestRate(.standardDeviation(1))
        let xavierRate = xavierChoice.value.rate, saturatedRate = saturatedChoice.value.rate
        let learns = learnsWell(.xavier, rate: xavierRate)
            .explained("at its best rate, \(Format.compact(xavierRate)) (\(xavierChoice.words)); ")
        let saturated = group(.standardDeviation(1), .sigmoid, rate: saturatedRate)
        let xavier = group(.xavier, .sigmoid, rate: xavierRate)
        let noGoodResult = Decision.parts([
            ("no good result, at its best rate \(Format.compact(saturatedRate))",
             Decision.threshold(saturated.final(Self.notesLoss), .higher, log(10.0) / 2,
                                levelText: "half of ln 10 = 1.15",
                                scale: .number(digits: 3), name: "final loss from std 1")),
            ("worse than Xavier's start, each at its best rate",
             Decision.paired(saturated.final(Self.notesLoss), xavier.final(Self.notesLoss), .higher, margin: tenth,
                             scale: .ratio, names: ("std 1", "Xavier"))),
        ]).explained("std 1 at its best rate (\(saturatedChoice.words)), Xavier at its own (\(xavierChoice.words)); ")
        let beatsReLU = Decision.paired(loss(.he), loss(.xavier), .lower, margin: tenth, scale: .ratio,
                                        names: ("He", "Xavier"))
        let beatsSigmoid = Decision.paired(loss(.he), loss(.xavier, .sigmoid), .lower, margin: tenth, scale: .ratio,
                                           names: ("He", "Xavier + sigmoid"))
        // L150–151: a moderate spread against both extremes, with sigmoid, each at its best rate.
        let moderate = Decision.best("Xavier", best(.xavier).final(Self.notesLoss),
                                     over: [("std 1", best(.standardDeviation(1)).final(Self.notesLoss)),
                                            ("std 0.01", best(.standardDeviation(0.01)).final(Self.notesLoss))],
                                     .lower, margin: tenth, scale: .ratio)
            .explained("each at its best rate: " + [described(.xavier), described(.standardDeviation(1)),
                                                    described(.standardDeviation(0.01))].joined(separator: "; ") + "; ")
        // L157–158: tanh, symmetric about the origin, against sigmoid, from Xavier's weights, each at its best rate.
        let tanhBetter = Decision.paired(best(.xavier, .tanh).final(Self.notesLoss),
            best(.xavier).final(Self.notesLoss), .lower,
                                         margin: tenth, scale: .ratio, names: ("tanh", "sigmoid"))
            .explained("Xavier's weights, each at its best rate (\(described(.xavier, .tanh)); "
                       + "\(described(.xavier))); ")
        // L160: Xavier's start suits tanh: no worse than He's, each at its best rate.
        // A ratio of He's loss to Xavier's no lower than 1/1.1: Xavier's loss at most a tenth higher.
        let suitsTanh = Decision.notWorse(best(.he, .tanh).final(Self.notesLoss), best(.xavier,
            .tanh).final(Self.notesLoss),
                                          margin: Margin(log(1.1), "a loss a tenth higher"), scale: .ratio,
                                          names: ("He's loss", "Xavier's"))
            .explained("with tanh, each at its best rate (\(described(.xavier, .tanh)); \(described(.he, .tanh))); ")
        return Decisions([
            (Self.moderateSpread, moderate),
            (Self.tanhImproves, tanhBetter),
            (Self.xavierSuitsTanh, suitsTanh),
            (Self.std001Stalls, stalls),
            (Self.xavierSigmoidLearns, learns),
            (Self.saturationNoGood, noGoodResult),
            (Self.heBeatsXavier, .parts([("against Xavier with ReLU", beatsReLU),
                                         ("against Xavier with sigmoid",
                                          beatsSigmoid)])),
        ])
    }

    static let moderateSpread = NotesClaim("initial-values.moderate-spread-learns",
                                           quote: "各層のアクティベーションの分布は，適度な広がりを持つことが求められる．そのほうが，学習が効率的に行える．",
                                           claim: """
                                               Activations with a moderate spread let the network learn better: with sigmoid, \
                                               Xavier's start ends with a lower loss than a standard deviation of 1 or of 0.01.
                                               """)
    static let tanhImproves = NotesClaim("initial-values.tanh-improves",
                                         quote: "活性化関数に，似た形のtanhを使うと改善される．なお，活性化関数に用いる関数は，原点対象であることが望ましい．",
                                         claim: """
                                             tanh, symmetric about the origin, learns better than sigmoid, which is not: a lower \
                                             final loss from Xavier's weights.
                                             """)
    static let xavierSuitsTanh = NotesClaim("initial-values.xavier-suits-tanh",
                                            quote: "Xavierの初期値は，左右対称で中央付近が線形関数としてみなせるSigmoid関数やtanh関数に適している．",
                                            claim: """
                                                Xavier's initial weights suit tanh: with tanh they learn at least as well as He's.
                                                """)
    static let equalWeights = NotesClaim("initial-values.equal-weights",
                                         quote: "重みの対称的な構造を崩す，すなわち重複する値を持たないようにすることが必要．従って，ランダムな初期値が必要になる．",
                                         claim: """
                                             Equal initial weights keep the units of a layer identical, so the many \
                                             parameters are wasted; the start must be random.
                                             """).illustrated("""
                                                 units that start equal get equal gradients, so they stay equal: algebra \
                                                 fixes the answer, and the runs show it
                                                 """)
    static let std1Saturates = NotesClaim("initial-values.std1-saturates", quote: "標準偏差1のとき，どの層も出力は0か1付近に固まることが分かる．",
                                          claim: """
                                              With a standard deviation of 1, sigmoid outputs pile up near 0 and 1 in \
                                              every layer (where the gradient vanishes).
                                              """)
    static let std001Collapses = NotesClaim("initial-values.std001-collapses", quote: "標準偏差0.01のとき，アクティベーションは0.5に固まる．",
                                            claim: """
                                                With a standard deviation of 0.01, sigmoid outputs gather at 0.5 and \
                                                the units lose their expressiveness.
                                                """)
    static let xavierSpreads = NotesClaim("initial-values.xavier-spread",
                                          quote: "この初期値を使うと，前よりも適度な広がりを持つアクティベーション分布になる．",
                                          claim: """
                                              Xavier's initial weights give sigmoid layers a moderately wide spread of \
                                              outputs.
                                              """)
    static let xavierLopsided = NotesClaim("initial-values.xavier-sigmoid-lopsided",
                                           quote: "上位の層になるほどいびつな形になるが，活性化関数に，似た形のtanhを使うと改善される．",
                                           claim: """
                                               With Xavier's weights, sigmoid layers turn lopsided towards the top; \
                                               tanh keeps them even.
                                               """)
    static let heSuitsReLU = NotesClaim("initial-values.he-suits-relu",
                                        quote: "初期値を$\\sqrt{\\frac{2}{n}}$とする「Heの初期値」は，ReLUに特化している．",
                                        claim: """
                                            He's initial weights suit ReLU: its layers keep their spread, where \
                                            Xavier's shrink.
                                            """)
    static let std001Stalls = NotesClaim("initial-values.std001-no-learning", quote: "標準偏差0.01 ＝＞ 学習全然進まない",
                                         claim: "A standard deviation of 0.01 hardly learns at all.")
    static let xavierSigmoidLearns = NotesClaim("initial-values.xavier-sigmoid-learns",
                                                quote: "Xavierの初期値＋Sigmoid ＝＞ 学習よく進む",
                                                claim: "Xavier's initial weights with sigmoid units learn well.")
    static let saturationNoGood = NotesClaim("initial-values.saturation-no-good-result",
                                             quote: "どの層も出力が0, 1に固まると，次の層の出力も0, 1になってしまい，いい結果が得られない",
                                             claim: """
                                                 When every layer's outputs sit at 0 or 1 (sigmoid from a standard deviation of 1), \
                                                 training gives no good result.
                                                 """)
    static let heBeatsXavier = NotesClaim("initial-values.he-beats-xavier", quote: "Heの初期値＋ReLU ＝＞ Xavierよりも学習良く進む",
                                          claim: "He's initial weights with ReLU learn better than Xavier's.")
}

runChapter(InitialValuesChapter.self)
