import Datasets
import NumericCore
import Testing
@testable import NeuralNet

/// Networks trained in lockstep (one `Trainer`, their first layers side by side) against the same
/// networks trained one at a time: equal bit for bit, so that a run's numbers never depend on the
/// runs it was trained beside.
struct LockstepTests {
    /// One BLAS thread, as every run uses (two split a product's sums differently, and an adaptive
    /// optimizer can grow that difference past rounding).
    static let data: Dataset = {
        BLASRuntime.useOneThreadPerRun()
        return try! Dataset.load(.mnist, environment: [:])
    }()
    static let images = data.training.prefix(300)

    /// `max |a − b| / max(|a|, |b|, floor)` over the pairs; infinite when the lengths differ.
    static func relativeDifference(_ a: [Double], _ b: [Double], floor: Double = .leastNormalMagnitude) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        let scale = max(a.map(abs).max()!, b.map(abs).max()!, floor)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    /// The arms of a comparison: networks of one shape that differ in what is compared.
    static func arms(_ count: Int) -> [(NetworkConfiguration, OptimizerSpec)] {
        let plain = NetworkConfiguration(hiddenSizes: [60, 40])
        let variants: [(NetworkConfiguration, OptimizerSpec)] = [
            (plain, .sgd(learningRate: 0.05)),
            (plain, .momentum()),
            (NetworkConfiguration(hiddenSizes: [60, 40], batchNormalization: true), .sgd(learningRate: 0.05)),
            (NetworkConfiguration(hiddenSizes: [60, 40], weightDecay: 0.1), .adaGrad()),
            (NetworkConfiguration(hiddenSizes: [60, 40], activation: .tanh, weightInitialization: .xavier), .adam()),
            (NetworkConfiguration(hiddenSizes: [30, 30, 30], dropoutRatio: 0.2), .rmsProp(learningRate: 0.001)),
            (NetworkConfiguration(hiddenSizes: [60, 40], weightDecay: 0.01, batchNormalization: true), .nesterov()),
        ]
        return Array(variants.prefix(count))
    }

    /// Trains `arms` together and each alone, from the same seeds on the same mini-batches, with
    /// the first layers in the form given (`alone`: for the networks trained one at a time).
    static func trainBothWays(_ arms: [(NetworkConfiguration, OptimizerSpec)], plans: [TrainingPlan],
                              form: Trainer<Float>.FirstLayerForm = .stacked, alone aloneForm: Trainer<Float>.FirstLayerForm = .stacked)
        -> (together: [Trainer<Float>.Outcome], alone: [Trainer<Float>.Outcome], networks: ([Network<Float>], [Network<Float>])) {
        let grouped = arms.enumerated().map { Network<Float>($1.0, seed: UInt64($0 + 1)) }
        let single = arms.enumerated().map { Network<Float>($1.0, seed: UInt64($0 + 1)) }
        let trainer = Trainer(training: images, test: data.test, batchSize: 50, seed: 9)
        trainer.firstLayerForm = form
        let together = trainer.train(zip(zip(grouped, arms), plans).map { Trainer.Member($0.0, $0.1.1.make(Float.self), $1) })
        let alone = zip(zip(single, arms), plans).map { pair, plan in
            let trainer = Trainer(training: images, test: data.test, batchSize: 50, seed: 9)
            trainer.firstLayerForm = aloneForm
            return trainer.train(pair.0, optimizer: pair.1.1.make(Float.self), plan)
        }
        return (together, alone, (grouped, single))
    }

    /// Arms that all learn by plain SGD: the dual form's.
    static let sgdArms: [(NetworkConfiguration, OptimizerSpec)] = [
        (NetworkConfiguration(hiddenSizes: [60, 40]), .sgd(learningRate: 0.05)),
        (NetworkConfiguration(hiddenSizes: [60, 40], batchNormalization: true), .sgd(learningRate: 0.1)),
        (NetworkConfiguration(hiddenSizes: [60, 40], weightDecay: 0.1), .sgd(learningRate: 0.05)),
        (NetworkConfiguration(hiddenSizes: [30, 30, 30], dropoutRatio: 0.2), .sgd(learningRate: 0.01)),
    ]

    /// Every loss and every parameter within `tolerance` (relative); by default, identical.
    static func expectEqualWithinRounding(_ together: [Trainer<Float>.Outcome], _ alone: [Trainer<Float>.Outcome],
                                          _ networks: ([Network<Float>], [Network<Float>]), steps: [Int], tolerance: Double = 0) {
        for (i, (t, a)) in zip(together, alone).enumerated() {
            #expect(t.history.losses.count == steps[i] && a.history.losses.count == steps[i], "arm \(i)")
            #expect(relativeDifference(t.history.losses, a.history.losses) <= tolerance, "arm \(i): losses")
            // A bias that feeds a BatchNorm has a true gradient of zero: its values are rounding noise
            // near zero, measured against a floor of 10⁻³ (the weights are of order 10⁻²).
            #expect(networks.0[i].parameters.count == networks.1[i].parameters.count)
            for (p, q) in zip(networks.0[i].parameters, networks.1[i].parameters) {
                #expect(relativeDifference(p.value.elements.map(Double.init), q.value.elements.map(Double.init), floor: 1e-3) <= tolerance,
                        "arm \(i): \(p.name)")
            }
        }
    }

    @Test(arguments: [2, 7])
    func networksInLockstepTrainAsEachWouldAlone(count: Int) {
        let plans = Array(repeating: TrainingPlan.iterations(20), count: count)
        let (together, alone, networks) = Self.trainBothWays(Self.arms(count), plans: plans)
        Self.expectEqualWithinRounding(together, alone, networks, steps: Array(repeating: 20, count: count))
    }

    @Test func aGroupMayMixBatchNormAndPlainArms() {
        let arms = Self.arms(3).filter { !$0.0.batchNormalization } + Self.arms(3).filter(\.0.batchNormalization)
        #expect(arms.map(\.0.batchNormalization) == [false, false, true])
        let (together, alone, networks) = Self.trainBothWays(arms, plans: Array(repeating: .iterations(20), count: 3))
        Self.expectEqualWithinRounding(together, alone, networks, steps: [20, 20, 20])
        // The running statistics BatchNorm keeps for inference agree too.
        let runningMeans = networks.0[2].layers.compactMap { $0 as? BatchNorm<Float> }.map(\.runningMean.elements)
        let aloneMeans = networks.1[2].layers.compactMap { $0 as? BatchNorm<Float> }.map(\.runningMean.elements)
        #expect(Self.relativeDifference(runningMeans.joined().map(Double.init), aloneMeans.joined().map(Double.init)) == 0)
    }

    @Test func aMemberWhoseStepsAreDoneLeavesAndTheOthersGoOn() {
        let plans: [TrainingPlan] = [.iterations(20), .iterations(7), .iterations(13)]
        let (together, alone, networks) = Self.trainBothWays(Self.arms(3), plans: plans)
        Self.expectEqualWithinRounding(together, alone, networks, steps: [20, 7, 13])
    }

    @Test func aDivergingMemberLeavesWithoutDisturbingTheOthers() {
        var arms = Self.arms(3)
        arms[1].1 = .sgd(learningRate: 1e6)
        let (together, alone, networks) = Self.trainBothWays(arms, plans: Array(repeating: .iterations(20), count: 3))
        #expect(together[1].history.diverged && together[1].history.divergedAt == alone[1].history.divergedAt)
        #expect(together[1].history.losses.count == together[1].history.divergedAt)
        for i in [0, 2] {
            #expect(together[i].history.losses == alone[i].history.losses, "arm \(i)")
            #expect(networks.0[i].parameters[0].value.elements == networks.1[i].parameters[0].value.elements)
        }
    }

    @Test func groupedEvaluationEqualsEvaluationAlone() {
        let count = 4
        let plans = Array(repeating: TrainingPlan.epochs(3, iterationsPerEpoch: 6), count: count)
        let (together, grouped, networks) = Self.trainBothWays(Self.arms(count), plans: plans)
        for (i, outcome) in together.enumerated() {
            let network = networks.0[i]
            // Measured in the group and by a trainer of its own: the same numbers.
            #expect(outcome.history.trainAccuracy == grouped[i].history.trainAccuracy, "arm \(i)")
            #expect(outcome.history.testAccuracy == grouped[i].history.testAccuracy, "arm \(i)")
            #expect(outcome.history.epochs == [0, 1, 2, 3] && outcome.history.heldOutEpochs == [0, 1, 2, 3])
            // Measured by the trainer, and by the network itself afterwards: the scores agree
            // within rounding, so the accuracies agree but for a tie at most.
            let alone = (network.accuracy(Self.images), network.accuracy(Self.data.test))
            #expect(abs(outcome.history.trainAccuracy.last! - alone.0) <= 1.0 / 300, "arm \(i): training set")
            #expect(abs(outcome.history.testAccuracy.last! - alone.1) <= 1.0 / 1000, "arm \(i): test set")
            #expect(outcome.finalTestAccuracy == outcome.history.testAccuracy.last)
        }
    }

    @Test func networksInLockstepInTheDualFormTrainAndMeasureAsEachWouldAlone() {
        let plans = [TrainingPlan.epochs(4, iterationsPerEpoch: 6), .epochs(2, iterationsPerEpoch: 6), .epochs(4, iterationsPerEpoch: 6, heldOutEvery: 4),
                     .iterations(9, measuringTestAtEnd: true)]
        let (together, alone, networks) = Self.trainBothWays(Self.sgdArms, plans: plans, form: .dual, alone: .dual)
        Self.expectEqualWithinRounding(together, alone, networks, steps: [24, 12, 24, 9])
        for (t, a) in zip(together, alone) {
            #expect(t.history.trainAccuracy == a.history.trainAccuracy && t.history.testAccuracy == a.history.testAccuracy)
            #expect(t.finalTestAccuracy == a.finalTestAccuracy)
        }
    }

    @Test func theDualFormOfSGDTrainsAsTheStackedFormDoes() {
        // The same SGD in its dual form (W = a W₀ + Xᵀ C) and in the usual one, grouped and alone;
        // weight decay enters the loss through ‖W‖² computed from the dual blocks. The dual form
        // adds its sums in another order (A accumulates G δ rather than being X W afresh), so the
        // two drift apart by a few rounding steps more than two widths of the same product do.
        let plans = Array(repeating: TrainingPlan.iterations(20), count: 4)
        let (together, alone, networks) = Self.trainBothWays(Self.sgdArms, plans: plans, form: .dual, alone: .stacked)
        Self.expectEqualWithinRounding(together, alone, networks, steps: [20, 20, 20, 20], tolerance: 1e-4)
    }

    @Test func theDualFormMeasuresAsTheStackedFormDoes() {
        let plans = [TrainingPlan.epochs(4, iterationsPerEpoch: 6), .epochs(2, iterationsPerEpoch: 6), .epochs(4, iterationsPerEpoch: 6, heldOutEvery: 4),
                     .iterations(9, measuringTestAtEnd: true)]
        let (together, alone, networks) = Self.trainBothWays(Self.sgdArms, plans: plans, form: .dual, alone: .stacked)
        Self.expectEqualWithinRounding(together, alone, networks, steps: [24, 12, 24, 9], tolerance: 1e-4)
        for (i, (t, a)) in zip(together, alone).enumerated() {
            #expect(t.history.epochs == a.history.epochs && t.history.heldOutEpochs == a.history.heldOutEpochs, "arm \(i)")
            #expect(zip(t.history.trainAccuracy, a.history.trainAccuracy).allSatisfy { abs($0 - $1) <= 1.0 / 300 }, "arm \(i): training set")
            #expect(zip(t.history.testAccuracy, a.history.testAccuracy).allSatisfy { abs($0 - $1) <= 1.0 / 1000 }, "arm \(i): test set")
            #expect(abs((t.finalTestAccuracy ?? -1) - (a.finalTestAccuracy ?? 1)) <= 1.0 / 1000, "arm \(i): at the end")
        }
    }

    @Test func aLossOnlyRunIsMeasuredOnTheTestSetWhereItEnds() {
        let plans: [TrainingPlan] = [.iterations(12, measuringTestAtEnd: true), .iterations(5, measuringTestAtEnd: true), .iterations(5)]
        let (together, _, networks) = Self.trainBothWays(Self.arms(3), plans: plans)
        #expect(abs(together[0].finalTestAccuracy! - networks.0[0].accuracy(Self.data.test)) <= 1.0 / 1000)
        #expect(abs(together[1].finalTestAccuracy! - networks.0[1].accuracy(Self.data.test)) <= 1.0 / 1000)
        #expect(together[2].finalTestAccuracy == nil)
        #expect(together.allSatisfy { $0.history.epochs.isEmpty && $0.history.testAccuracy.isEmpty })
    }
}

/// The dual form's two ways of measuring images it did not train on, against the layers' own outputs.
struct DualFirstLayersTests {
    @Test(arguments: [0, 1000])
    func heldOutImagesAreMeasuredEitherWay(evaluations: Int) {
        let data = LockstepTests.data, images = data.training.prefix(200)
        let configurations = [NetworkConfiguration(hiddenSizes: [20]), NetworkConfiguration(hiddenSizes: [30], weightDecay: 0.5)]
        let dualNetworks = configurations.map { Network<Double>($0, seed: 3) }, plainNetworks = configurations.map { Network<Double>($0, seed: 3) }
        let double = LabeledSamples(samples: Matrix<Double>(rows: 200, columns: 784, elements: images.samples.elements.map(Double.init)), labels: images.labels)
        let test = data.test.prefix(300)
        let heldOut = LabeledSamples(samples: Matrix<Double>(rows: 300, columns: 784, elements: test.samples.elements.map(Double.init)), labels: test.labels)
        // evaluations = 0 writes the weights out for every measurement; 1000 goes through Z Xᵀ.
        let dual = DualFirstLayers(dualNetworks.map(\.firstLayer), images: InnerProducts(double.samples), learningRates: [0.1, 0.05], decays: [0, 0.5],
                                   evaluations: [.test: (300, [evaluations, evaluations])])
        let stack = FirstLayerStack(plainNetworks.map(\.firstLayer))
        var generator = SeededGenerator(seed: 5)
        let gradient = Matrix<Double>(rows: 0, columns: 0)
        for _ in 0..<3 {
            let indices = (0..<16).map { _ in generator.nextIndex(below: 200) }
            let batch = double.subset(indices).samples
            dual.shapeGradient(gradient, rows: 16)
            generator.fillNormal(gradient, standardDeviation: 1)
            let copy = Matrix<Double>(rows: 16, columns: gradient.columns, elements: gradient.elements)
            dual.learn(batch: batch, indices: indices, wideGradient: gradient)
            // The same step in the usual form: W ← (1 − ηλ) W − η xᵀ dY.
            stack.learn(batch: batch, indices: indices, wideGradient: copy)
            for (network, rate) in zip(plainNetworks, [0.1, 0.05]) {
                let w = network.firstLayer.weight
                w.gradient.add(w.value, scaledBy: network.configuration.weightDecay)
                w.value.add(w.gradient, scaledBy: -rate)
            }
        }
        let expected = Matrix<Double>(rows: 0, columns: 0), measured = Matrix<Double>(rows: 0, columns: 0)
        stack.outputs(of: .test, heldOut, rows: 0..<300, members: 0..<2, into: expected)
        dual.outputs(of: .test, heldOut, rows: 0..<300, members: 0..<2, into: measured)
        #expect(LockstepTests.relativeDifference(expected.elements, measured.elements) < 1e-10)
        // A member that leaves takes W = a W₀ + Xᵀ C as its weights.
        dual.remove(1)
        #expect(LockstepTests.relativeDifference(dualNetworks[1].firstLayer.weight.value.elements,
                                                 plainNetworks[1].firstLayer.weight.value.elements) < 1e-10)
        // ‖W‖² from the dual blocks, for the one that stays.
        let squares = plainNetworks[0].firstLayer.weight.value.sumOfSquares
        #expect(abs(dual.squaredNorm(of: 0)! - squares) < 1e-10 * squares)
    }
}

/// The block that stacks first layers: what each layer holds stays put, and the stack's two
/// products give what each layer's own would.
struct FirstLayerStackTests {
    static func layers(_ widths: [Int], inputs: Int = 30) -> [Affine<Double>] {
        var generator = SeededGenerator(seed: 4)
        return widths.enumerated().map { index, width in
            let weights = Matrix<Double>(rows: inputs, columns: width)
            generator.fillNormal(weights, standardDeviation: 1)
            let layer = Affine(weights: weights, index: 1, transposed: true)
            for j in 0..<width { layer.bias.value[0, j] = Double(index * 100 + j) }
            return layer
        }
    }

    @Test func stackingAndLeavingKeepEveryWeight() {
        let layers = Self.layers([3, 5, 2])
        let before = layers.map(\.weight.value.elements)
        let stack = FirstLayerStack(layers)
        #expect(layers.map(\.weight.value.elements) == before)
        layers[2].weight.value[1, 4] = 42
        stack.remove(1)
        #expect(layers[1].weight.value.elements == before[1])
        #expect(layers[0].weight.value.elements == before[0])
        #expect(layers[2].weight.value[1, 4] == 42 && layers[2].weight.value[0, 0] == before[2][0])
        #expect(stack.count == 2 && stack.units(0..<2) == 5)
        // The member after the one that left moved up: its block now follows the first member's.
        let x = Matrix<Double>(rows: 4, columns: 30, repeating: 0.5), wide = Matrix<Double>(rows: 0, columns: 0)
        stack.forward(x, members: 0..<2, into: wide)
        let own = layers[2].forward(x, training: false)
        #expect(wide.columns == 5 && (0..<4).allSatisfy { r in (0..<2).allSatisfy { abs(wide[r, 3 + $0] - own[r, $0]) < 1e-12 } })
    }

    @Test func theWideProductsAreEachLayersOwn() {
        let layers = Self.layers([3, 5, 2]), copies = Self.layers([3, 5, 2])
        let stack = FirstLayerStack(layers)
        var generator = SeededGenerator(seed: 7)
        let x = Matrix<Double>(rows: 8, columns: 30)
        generator.fillNormal(x, standardDeviation: 1)
        let wide = Matrix<Double>(rows: 0, columns: 0), wideGradient = Matrix<Double>(rows: 0, columns: 0)
        stack.forward(x, members: 0..<3, into: wide)
        stack.shapeGradient(wideGradient, rows: 8)
        var gradients: [Matrix<Double>] = []
        for (m, copy) in copies.enumerated() {
            let own = copy.forward(x, training: true)
            let output = stack.output(of: m, from: wide, members: 0..<3)
            #expect(zip(own.elements, output.elements).allSatisfy { abs($0 - $1) < 1e-12 }, "member \(m): forward")
            let dy = Matrix<Double>(rows: 8, columns: copy.outputs)
            generator.fillNormal(dy, standardDeviation: 1)
            gradients.append(dy)
            stack.place(dy, of: m, into: wideGradient)
            _ = copy.backward(dy)
        }
        stack.weightGradients(x, wideGradient)
        for (m, (layer, copy)) in zip(layers, copies).enumerated() {
            #expect(zip(layer.weight.gradient.elements, copy.weight.gradient.elements).allSatisfy { abs($0 - $1) < 1e-12 }, "member \(m): dW")
        }
        // Some members only, as measuring a few of them computes: the last two, 7 columns.
        stack.forward(x, members: 1..<3, into: wide)
        #expect(wide.columns == 7)
        let own = copies[2].forward(x, training: false)
        #expect(zip(own.elements, stack.output(of: 2, from: wide, members: 1..<3).elements).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
