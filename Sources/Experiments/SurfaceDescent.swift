import NeuralNet
import NumericCore

/// A two-variable function with its gradient, for watching optimizers move on a surface.
public struct Surface: Sendable {
    public let value: @Sendable (Double, Double) -> Double
    public let gradient: @Sendable (Double, Double) -> (Double, Double)

    public init(value: @escaping @Sendable (Double, Double) -> Double,
                gradient: @escaping @Sendable (Double, Double) -> (Double, Double)) {
        self.value = value; self.gradient = gradient
    }

    /// `f(x, y) = x²/20 + y²`: a valley forty times steeper across (y) than along (x).
    public static let valley = Surface(value: { x, y in x * x / 20 + y * y }, gradient: { x, y in (x / 10, 2 * y) })

    /// The path of `optimizer` from `start`: the start and the point after each of `steps` updates.
    /// The optimizer is the same code that trains networks, acting on two 1x1 parameters.
    public func descent(_ optimizer: OptimizerSpec, from start: (Double, Double), steps: Int) -> [(x: Double, y: Double)] {
        let x = Parameter(name: "x", value: Matrix<Double>([[start.0]]), isWeight: false)
        let y = Parameter(name: "y", value: Matrix<Double>([[start.1]]), isWeight: false)
        let rule = optimizer.make(Double.self)
        var path = [(x: start.0, y: start.1)]
        for _ in 0..<steps {
            let (gx, gy) = gradient(x.value[0, 0], y.value[0, 0])
            x.gradient[0, 0] = gx
            y.gradient[0, 0] = gy
            rule.update([x, y])
            path.append((x.value[0, 0], y.value[0, 0]))
        }
        return path
    }
}
