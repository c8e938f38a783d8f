import Engine
import NumericCore
import Testing
@testable import NeuralNet

/// Two steps of each optimizer on w = (1, −2) with gradients g₁ = (0.5, −1) then g₂ = (0.25, 2),
/// against values worked out by hand from the update formulas (lr 0.1, other settings at defaults).
struct OptimizerTests {
    static func twoSteps(_ spec: OptimizerSpec) -> ([Double], [Double]) {
        let w = Parameter(name: "w", value: Matrix<Double>([[1, -2]]), isWeight: true)
        let optimizer = spec.make(on: CPUBackend<Double>())
        w.gradient[0, 0] = 0.5; w.gradient[0, 1] = -1
        optimizer.update([w])
        let first = w.value.elements
        w.gradient[0, 0] = 0.25; w.gradient[0, 1] = 2
        optimizer.update([w])
        return (first, w.value.elements)
    }

    static func expectClose(_ a: [Double], _ b: [Double], _ label: String) {
        // The lengths first: `zip` stops at the shorter, and would pass a result that came back short.
        #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }, "\(label): \(a) vs \(b)")
    }

    @Test func sgd() {
        // w₁ = w₀ − 0.1 g₁ = (0.95, −1.9);  w₂ = w₁ − 0.1 g₂ = (0.925, −2.1)
        let (w1, w2) = Self.twoSteps(.sgd(learningRate: 0.1))
        Self.expectClose(w1, [0.95, -1.9], "step 1")
        Self.expectClose(w2, [0.925, -2.1], "step 2")
    }

    @Test func momentum() {
        // v₁ = −0.1 g₁ = (−0.05, 0.1), w₁ = (0.95, −1.9);
        // v₂ = 0.9 v₁ − 0.1 g₂ = (−0.07, −0.11), w₂ = w₁ + v₂ = (0.88, −2.01)
        let (w1, w2) = Self.twoSteps(.momentum(learningRate: 0.1, momentum: 0.9))
        Self.expectClose(w1, [0.95, -1.9], "step 1")
        Self.expectClose(w2, [0.88, -2.01], "step 2")
    }

    @Test func nesterov() {
        // v₁ = (−0.05, 0.1), w₁ = w₀ + 0.9 v₁ − 0.1 g₁ = (0.905, −1.81);
        // v₂ = (−0.07, −0.11), w₂ = w₁ + 0.9 v₂ − 0.1 g₂ = (0.817, −2.109)
        let (w1, w2) = Self.twoSteps(.nesterov(learningRate: 0.1, momentum: 0.9))
        Self.expectClose(w1, [0.905, -1.81], "step 1")
        Self.expectClose(w2, [0.817, -2.109], "step 2")
    }

    @Test func adaGrad() {
        // h₁ = (0.25, 1), w₁ = w₀ − 0.1 g₁ / (√h₁ + 1e-7);
        // h₂ = (0.3125, 5), w₂ = w₁ − 0.1 g₂ / (√h₂ + 1e-7) = (0.90000002 − 0.025/0.5590170, ...)
        let (w1, w2) = Self.twoSteps(.adaGrad(learningRate: 0.1))
        Self.expectClose(w1, [0.900000019999996, -1.900000009999999], "step 1")
        Self.expectClose(w2, [0.8552786684499988, -1.9894427250999906], "step 2")
    }

    @Test func rmsProp() {
        // h₁ = 0.01 g₁² = (0.0025, 0.01), so w₁ ≈ w₀ − 0.1 g₁ / (0.05, 0.1) ≈ (0, −1);
        // h₂ = 0.99 h₁ + 0.01 g₂² = (0.0031, 0.0499), w₂ = w₁ − 0.1 g₂ / (√h₂ + 1e-7)
        let (w1, w2) = Self.twoSteps(.rmsProp(learningRate: 0.1, decay: 0.99))
        Self.expectClose(w1, [1.999996000034976e-06, -1.000000999999], "step 1")
        Self.expectClose(w2, [-0.4490104486207727, -1.895323561269267], "step 2")
    }

    @Test func adam() {
        // t=1: m = 0.1 g₁, v = 0.001 g₁², step size 0.1 √0.001 / 0.1: the first move is lr · sign(g₁)
        // t=2: m = (0.07, 0.11), v = (0.00031225, 0.004999), step size 0.1 √(1 − 0.999²) / (1 − 0.9²)
        let (w1, w2) = Self.twoSteps(.adam(learningRate: 0.1))
        Self.expectClose(w1, [0.900000632451532, -1.900000316226766], "step 1")
        Self.expectClose(w2, [0.8067831960988963, -1.936610617150388], "step 2")
    }

    @Test func stateIsKeptPerParameter() {
        // Two parameters with different gradients must not share AdaGrad's running sums (the notes' bug).
        let a = Parameter(name: "a", value: Matrix<Double>([[0]]), isWeight: true)
        let b = Parameter(name: "b", value: Matrix<Double>([[0]]), isWeight: true)
        let optimizer = OptimizerSpec.adaGrad(learningRate: 1).make(on: CPUBackend<Double>())
        a.gradient[0, 0] = 3; b.gradient[0, 0] = 4
        optimizer.update([a, b])
        #expect(abs(a.value[0, 0] + 3 / (3 + 1e-7)) < 1e-12)
        #expect(abs(b.value[0, 0] + 4 / (4 + 1e-7)) < 1e-12)
    }

    @Test func floatAndDoubleAgree() {
        let specs: [OptimizerSpec] = [.sgd(learningRate: 0.1), .momentum(learningRate: 0.1), .nesterov(learningRate: 0.1),
                                      .adaGrad(learningRate: 0.1), .rmsProp(learningRate: 0.1), .adam(learningRate: 0.1)]
        for spec in specs {
            let w = Parameter(name: "w", value: Matrix<Float>([[1, -2]]), isWeight: true)
            let optimizer = spec.make(on: CPUBackend<Float>())
            w.gradient[0, 0] = 0.5; w.gradient[0, 1] = -1
            optimizer.update([w])
            w.gradient[0, 0] = 0.25; w.gradient[0, 1] = 2
            optimizer.update([w])
            let (_, expected) = Self.twoSteps(spec)
            #expect(w.value.count == expected.count && zip(w.value.elements, expected).allSatisfy { abs(Double($0) - $1) < 1e-5 }, "\(spec)")
        }
    }
}

/// The schedules' rates, step by step, against the formulas worked by hand.
struct LearningRateScheduleTests {
    @Test func eachScheduleGivesTheRateOfItsFormula() {
        let base = 0.4
        #expect((0..<5).map { LearningRateSchedule.constant.rate(base, atStep: $0) } == [0.4, 0.4, 0.4, 0.4, 0.4])
        #expect((0..<7).map { LearningRateSchedule.stepDecay(every: 3, factor: 0.5).rate(base, atStep: $0) }
                == [0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1])
        // Half a cosine over 4 steps down to a quarter of the base: 0.4, 0.3561, 0.25, 0.1439, 0.1, then 0.1.
        let cosine = (0..<6).map { LearningRateSchedule.cosine(steps: 4, floor: 0.25).rate(base, atStep: $0) }
        for (rate, expected) in zip(cosine, [0.4, 0.356066, 0.25, 0.143934, 0.1, 0.1]) { #expect(abs(rate - expected) < 1e-6) }
        #expect(cosine.count == 6)
        #expect((0..<5).map { LearningRateSchedule.warmUp(steps: 4).rate(base, atStep: $0) } == [0.1, 0.2, 0.30000000000000004, 0.4, 0.4])
    }
}
