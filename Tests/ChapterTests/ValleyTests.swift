import NeuralNet
import Testing
@testable import chapter_optimizers

/// The valley paths come from the optimizers' own code: step them by hand from the formulas.
struct ValleyTests {
    /// ∇f for f(x, y) = x²/20 + y².
    static func gradient(_ x: Double, _ y: Double) -> (Double, Double) { (x / 10, 2 * y) }

    static func expectPath(_ spec: OptimizerSpec, _ expected: [(Double, Double)]) {
        let path = Surface.valley.descent(spec, from: (-7, 2), steps: expected.count - 1)
        // The lengths first: `zip` stops at the shorter, and would pass a path that came back short.
        #expect(path.count == expected.count, "\(spec): \(path.count) points, \(expected.count) expected")
        for (step, (p, e)) in zip(path, expected).enumerated() {
            #expect(abs(p.x - e.0) < 1e-12 && abs(p.y - e.1) < 1e-12, "\(spec) step \(step): \(p) vs \(e)")
        }
    }

    @Test func pathMeasuresByHand() {
        // (3, 4) → (0, −2) → (0, 1) → (0, 0.3): y crosses zero twice; the path is √45 + 3 + 0.7 long, the
        // straight line from start to end √(3² + 3.7²) = √22.69.
        let path = DescentPath(optimizer: .sgd(), points: [(3, 4), (0, -2), (0, 1), (0, 0.3)])
        #expect(abs(path.distance - 0.3) < 1e-12)
        #expect(path.ySignChanges == 2)
        #expect(abs(path.detour - (45.0.squareRoot() + 3.7) / 22.69.squareRoot()) < 1e-12)
        // Distances 5, 2, 1, 0.3: inside 1.5 from the third point (step 2) on, inside 0.5 only at the last.
        #expect(path.settled(within: 1.5) == 2 && path.settled(within: 0.5) == 3 && path.settled(within: 0.1) == nil)
        #expect(path.settled(within: 10) == 0)
    }

    @Test func sgdSteps() {
        var points = [(-7.0, 2.0)]
        for _ in 0..<3 {
            let (x, y) = points.last!, (gx, gy) = Self.gradient(x, y)
            points.append((x - 0.95 * gx, y - 0.95 * gy))
        }
        #expect(abs(points[1].0 - -6.335) < 1e-12 && abs(points[1].1 - -1.8) < 1e-12)
        Self.expectPath(.sgd(learningRate: 0.95), points)
    }

    @Test func momentumSteps() {
        var points = [(-7.0, 2.0)], v = (0.0, 0.0)
        for _ in 0..<3 {
            let (x, y) = points.last!, (gx, gy) = Self.gradient(x, y)
            v = (0.9 * v.0 - 0.1 * gx, 0.9 * v.1 - 0.1 * gy)
            points.append((x + v.0, y + v.1))
        }
        Self.expectPath(.momentum(learningRate: 0.1), points)
    }

    @Test func nesterovSteps() {
        // The look-ahead form: v ← α v − η g, then w ← w + α v − η g.
        var points = [(-7.0, 2.0)], v = (0.0, 0.0)
        for _ in 0..<3 {
            let (x, y) = points.last!, (gx, gy) = Self.gradient(x, y)
            v = (0.9 * v.0 - 0.1 * gx, 0.9 * v.1 - 0.1 * gy)
            points.append((x + 0.9 * v.0 - 0.1 * gx, y + 0.9 * v.1 - 0.1 * gy))
        }
        #expect(abs(points[1].0 - -6.867) < 1e-12 && abs(points[1].1 - 1.24) < 1e-12)
        Self.expectPath(.nesterov(learningRate: 0.1), points)
    }

    @Test func rmsPropSteps() {
        var points = [(-7.0, 2.0)], h = (0.0, 0.0)
        for _ in 0..<3 {
            let (x, y) = points.last!, (gx, gy) = Self.gradient(x, y)
            h = (0.99 * h.0 + 0.01 * gx * gx, 0.99 * h.1 + 0.01 * gy * gy)
            points.append((x - 0.15 * gx / (h.0.squareRoot() + 1e-7), y - 0.15 * gy / (h.1.squareRoot() + 1e-7)))
        }
        // The first step is lr / sqrt(0.01) = 1.5 times the sign of the gradient in each coordinate
        // (less a few millionths for ε = 1e-7 next to sqrt(h) = 0.07 and 0.4).
        #expect(abs(points[1].0 - -5.5) < 1e-5 && abs(points[1].1 - 0.5) < 1e-5)
        Self.expectPath(.rmsProp(learningRate: 0.15), points)
    }

    @Test func adaGradSteps() {
        var points = [(-7.0, 2.0)], h = (0.0, 0.0)
        for _ in 0..<3 {
            let (x, y) = points.last!, (gx, gy) = Self.gradient(x, y)
            h = (h.0 + gx * gx, h.1 + gy * gy)
            points.append((x - 1.5 * gx / (h.0.squareRoot() + 1e-7), y - 1.5 * gy / (h.1.squareRoot() + 1e-7)))
        }
        Self.expectPath(.adaGrad(learningRate: 1.5), points)
    }

    @Test func adamSteps() {
        var points = [(-7.0, 2.0)], m = (0.0, 0.0), v = (0.0, 0.0)
        for t in 1...3 {
            let (x, y) = points.last!, (gx, gy) = Self.gradient(x, y)
            m = (0.9 * m.0 + 0.1 * gx, 0.9 * m.1 + 0.1 * gy)
            v = (0.999 * v.0 + 0.001 * gx * gx, 0.999 * v.1 + 0.001 * gy * gy)
            let rate = 0.3 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
            points.append((x - rate * m.0 / (v.0.squareRoot() + 1e-7), y - rate * m.1 / (v.1.squareRoot() + 1e-7)))
        }
        Self.expectPath(.adam(learningRate: 0.3), points)
    }
}

import Foundation
