import Foundation
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

/// Where an optimizer went on a surface whose minimum is the origin, with measures of how directly
/// it got there.
public struct DescentPath: Sendable {
    public let optimizer: OptimizerSpec
    /// The start, then the point after each update.
    public let points: [(x: Double, y: Double)]

    public init(optimizer: OptimizerSpec, points: [(x: Double, y: Double)]) {
        self.optimizer = optimizer
        self.points = points
    }

    /// How far the last point is from the minimum.
    public var distance: Double { (points.last!.x * points.last!.x + points.last!.y * points.last!.y).squareRoot() }

    /// How often y changes sign from one point to the next: crossings of the valley floor.
    public var ySignChanges: Int { zip(points, points.dropFirst()).filter { $0.y * $1.y < 0 }.count }

    /// The length of the path over the straight line from its start to its end.
    public var detour: Double {
        let length = zip(points, points.dropFirst()).map { hypot($1.x - $0.x, $1.y - $0.y) }.reduce(0, +)
        return length / hypot(points.last!.x - points[0].x, points.last!.y - points[0].y)
    }

    /// The first step after which the point stays within `radius` of the minimum; nil if the last is outside.
    public func settled(within radius: Double) -> Int? {
        let inside = points.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() <= radius }
        guard inside.last == true else { return nil }
        return (inside.lastIndex(of: false) ?? -1) + 1
    }
}
