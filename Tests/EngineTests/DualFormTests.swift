import Datasets
@testable import Engine
import NeuralNet
import NumericCore
import Testing

/// The dual form of SGD (`W = a W₀ + Xᵀ C`) against the usual form: the same SGD, so the same
/// networks up to the order its sums are added in.
struct DualFormTests {
    static var data: Dataset { TrainerTests.data }
    static let images = data.training.prefix(300)

    /// `max |a − b| / max(|a|, |b|, floor)` over the pairs; infinite when the lengths differ.
    static func relativeDifference(_ a: [Double], _ b: [Double], floor: Double = .leastNormalMagnitude) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        let scale = max(a.map(abs).max()!, b.map(abs).max()!, floor)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    /// Networks that learn by plain SGD: what the dual form is for.
    static let arms: [(NetworkConfiguration, OptimizerSpec)] = [
        (NetworkConfiguration(hiddenSizes: [60, 40]), .sgd(learningRate: 0.05)),
        (NetworkConfiguration(hiddenSizes: [60, 40], batchNormalization: true), .sgd(learningRate: 0.1)),
        (NetworkConfiguration(hiddenSizes: [60, 40], weightDecay: 0.1), .sgd(learningRate: 0.05)),
        (NetworkConfiguration(hiddenSizes: [30, 30, 30], dropoutRatio: 0.2), .sgd(learningRate: 0.01)),
    ]

    /// Each arm trained in `form`, from seed i + 1, on the same mini-batches.
    static func train(_ form: Trainer<Float>.FirstLayerForm, plans: [TrainingPlan]) -> [(Trainer<Float>.Outcome, Network<Float>)] {
        zip(arms.enumerated(), plans).map { arm, plan in
            let network = Network<Float>(arm.element.0, seed: UInt64(arm.offset + 1), backend: CPUBackend())
            let trainer = Trainer(training: images, test: data.test, batchSize: 50, seed: 9)
            trainer.firstLayerForm = form
            return (trainer.train(network, optimizer: arm.element.1, plan), network)
        }
    }

    /// Every loss and every parameter within `tolerance`, relative. A bias that feeds a BatchNorm has
    /// a true gradient of zero: its values are rounding noise near zero, measured against a floor of
    /// 10⁻³ (the weights are of order 10⁻²).
    static func expectClose(_ dual: [(Trainer<Float>.Outcome, Network<Float>)], _ usual: [(Trainer<Float>.Outcome, Network<Float>)],
                            steps: [Int], tolerance: Double) {
        for (i, (d, u)) in zip(dual, usual).enumerated() {
            #expect(d.0.history.losses.count == steps[i] && u.0.history.losses.count == steps[i], "arm \(i)")
            #expect(relativeDifference(d.0.history.losses, u.0.history.losses) <= tolerance, "arm \(i): losses")
            for (p, q) in zip(d.1.parameters, u.1.parameters) {
                #expect(relativeDifference(p.value.elements.map(Double.init), q.value.elements.map(Double.init), floor: 1e-3) <= tolerance,
                        "arm \(i): \(p.name)")
            }
        }
    }

    @Test func theDualFormOfSGDTrainsAsTheUsualFormDoes() {
        // Weight decay enters the loss through ‖W‖² computed from the dual blocks. The dual form adds
        // its sums in another order (A accumulates G δ rather than being X W afresh), so the two drift
        // apart by a few rounding steps.
        let plans = Array(repeating: TrainingPlan.iterations(20), count: Self.arms.count)
        Self.expectClose(Self.train(.dual, plans: plans), Self.train(.usual, plans: plans), steps: [20, 20, 20, 20], tolerance: 1e-4)
    }

    @Test func theDualFormMeasuresAsTheUsualFormDoes() {
        let plans = [TrainingPlan.epochs(4, iterationsPerEpoch: 6), .epochs(2, iterationsPerEpoch: 6), .epochs(4, iterationsPerEpoch: 6, heldOutEvery: 4),
                     .iterations(9, measuringTestAtEnd: true)]
        let dual = Self.train(.dual, plans: plans), usual = Self.train(.usual, plans: plans)
        Self.expectClose(dual, usual, steps: [24, 12, 24, 9], tolerance: 1e-4)
        for (i, (d, u)) in zip(dual, usual).enumerated() {
            let (a, b) = (d.0.history, u.0.history)
            #expect(a.epochs == b.epochs && a.heldOutEpochs == b.heldOutEpochs, "arm \(i)")
            #expect(zip(a.trainAccuracy, b.trainAccuracy).allSatisfy { abs($0 - $1) <= 1.0 / 300 }, "arm \(i): training set")
            #expect(zip(a.testAccuracy, b.testAccuracy).allSatisfy { abs($0 - $1) <= 1.0 / 1000 }, "arm \(i): test set")
            #expect(abs((d.0.finalTestAccuracy ?? -1) - (u.0.finalTestAccuracy ?? 1)) <= 1.0 / 1000, "arm \(i): at the end")
        }
        // When training ends the dual form writes W into the layer: the network then measures itself
        // as the trainer measured it, but for a tie at most.
        #expect(abs(dual[0].0.history.testAccuracy.last! - dual[0].1.accuracy(Self.data.test)) <= 1.0 / 1000)
    }

    @Test func theFormFollowsTheOptimizerAndTheData() {
        let few = Trainer(training: Self.images, batchSize: 50, seed: 1), many = Trainer(training: Self.data.training, batchSize: 50, seed: 1)
        #expect(few.usesDualForm(.sgd()) && !few.usesDualForm(.momentum()) && !few.usesDualForm(.adam()))
        #expect(!many.usesDualForm(.sgd()))   // 4,000 images: more work than the usual form's two products
        few.firstLayerForm = .usual
        #expect(!few.usesDualForm(.sgd()))
    }

    /// The dual form's two ways of measuring images it did not train on (through `Z Xᵀ`, or by
    /// writing the weights out), against the usual form's update done by hand, in Float64.
    @Test(arguments: [0, 1000])
    func heldOutImagesAreMeasuredEitherWay(evaluations: Int) {
        let backend = CPUBackend<Double>()
        let images = Self.data.training.prefix(200), test = Self.data.test.prefix(300)
        let double = LabeledSamples(samples: Matrix<Double>(rows: 200, columns: 784, elements: images.samples.elements.map(Double.init)), labels: images.labels)
        let heldOut = LabeledSamples(samples: Matrix<Double>(rows: 300, columns: 784, elements: test.samples.elements.map(Double.init)), labels: test.labels)
        let configuration = NetworkConfiguration(hiddenSizes: [30], weightDecay: 0.5)
        let dualNetwork = Network<Double>(configuration, seed: 3, backend: backend), plain = Network<Double>(configuration, seed: 3, backend: backend)
        // evaluations = 0 writes the weights out for every measurement; 1000 goes through Z Xᵀ.
        let dual = DualFirstLayer(dualNetwork.firstLayer, images: InnerProducts(double.samples), learningRate: 0.05, decay: 0.5,
                                  evaluations: [.test: (300, evaluations)], backend: backend)
        var generator = SeededGenerator(seed: 5)
        let w = plain.firstLayer.weight
        for _ in 0..<3 {
            let indices = (0..<16).map { _ in generator.nextIndex(below: 200) }
            let dy = Matrix<Double>(rows: 16, columns: 30)
            generator.fillNormal(dy, standardDeviation: 1)
            dual.learn(indices: indices, outputGradient: dy)
            // The same step in the usual form: W ← W − η (dYᵀ x + λ W).
            backend.multiply(dy, double.subset(indices).samples, into: w.gradient, transposeA: true)
            backend.add(w.value, scaledBy: 0.5, to: w.gradient)
            backend.add(w.gradient, scaledBy: -0.05, to: w.value)
        }
        let expected = plain.firstLayer.forward(heldOut.samples, training: false), measured = Matrix<Double>(rows: 0, columns: 0)
        dual.outputs(of: .test, heldOut, rows: 0..<300, into: measured)
        #expect(Self.relativeDifference(expected.elements, measured.elements) < 1e-10)
        // ‖W‖² from the dual blocks.
        let squares = backend.sumOfSquares(w.value)
        #expect(abs(dual.squaredNorm - squares) < 1e-10 * squares)
        // Released, the layer holds W = a W₀ + Xᵀ C.
        dual.release()
        #expect(Self.relativeDifference(dualNetwork.firstLayer.weight.value.elements, w.value.elements) < 1e-10)
    }
}
