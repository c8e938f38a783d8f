import Analysis
import Claims
import Engine
import Formatting
import Foundation
import NeuralNet
import NumericCore
import Plot
import Report
import Statistics

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

    /// The length of each of `steps` updates of `optimizer` from `start`, where every gradient has
    /// normal noise of standard deviation `noise` added to each component (drawn from `seed`): a
    /// mini-batch's gradient, which keeps its noise however close the point is to the minimum.
    public func stepLengths(_ optimizer: OptimizerSpec, from start: (Double, Double), steps: Int, noise: Double,
                            seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed, stream: "noisy gradient")
        let x = Parameter(name: "x", value: Matrix<Double>([[start.0]]), isWeight: false)
        let y = Parameter(name: "y", value: Matrix<Double>([[start.1]]), isWeight: false)
        let rule = optimizer.make(on: CPUBackend<Double>())
        var lengths: [Double] = []
        lengths.reserveCapacity(steps)
        for _ in 0..<steps {
            let (px, py) = (x.value[0, 0], y.value[0, 0])
            let (gx, gy) = gradient(px, py)
            x.gradient[0, 0] = gx + noise * generator.nextNormal()
            y.gradient[0, 0] = gy + noise * generator.nextNormal()
            rule.update([x, y])
            let (dx, dy) = (x.value[0, 0] - px, y.value[0, 0] - py)
            lengths.append((dx * dx + dy * dy).squareRoot())
        }
        return lengths
    }

    /// The path of `optimizer` from `start`: the start and the point after each of `steps` updates.
    /// The optimizer is the same code that trains networks, acting on two 1x1 parameters.
    public func descent(_ optimizer: OptimizerSpec, from start: (Double, Double),
                        steps: Int) -> [(x: Double, y: Double)] {
        let x = Parameter(name: "x", value: Matrix<Double>([[start.0]]), isWeight: false)
        let y = Parameter(name: "y", value: Matrix<Double>([[start.1]]), isWeight: false)
        let rule = optimizer.make(on: CPUBackend<Double>())
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

    /// How far each update moved the point, in order.
    public var stepLengths: [Double] { zip(points, points.dropFirst()).map { hypot($1.x - $0.x, $1.y - $0.y) } }

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

extension DescentPath {
    static let pathData = DataName("valley_path", """
        the points an optimizer visits on the valley, start first (x, y: the point's coordinates)
        """)
    static let xData = DataName("valley_x", """
        x after each step on the valley (x axis of the series: step number, 0 = start)
        """)
    static let yData = DataName("valley_y", "y after each step on the valley")
}

extension Panel {
    /// An optimizer's path on a surface whose minimum is the origin: grey contour lines of the
    /// surface at `levels` over the panel's box, the path as red dots joined by lines (its points
    /// go into the data file as `valley_path`), and a + at the minimum.
    public static func descent(_ path: DescentPath, on surface: Surface, x: ClosedRange<Double>, y: ClosedRange<Double>,
                               levels: [Double], title: String?, xLabel: String? = "x",
                               yLabel: String? = "y") -> Panel {
        let gridX = stride(from: x.lowerBound, through: x.upperBound, by: 0.1).map { $0 }
        let gridY = stride(from: y.lowerBound, through: y.upperBound, by: 0.1).map { $0 }
        var panel = Panel(title: title, xLabel: xLabel, yLabel: yLabel)
        panel.xLimits = x
        panel.yLimits = y
        panel.equalAspect = true   // the valley's true shape: forty times steeper across than along
        panel.legend = .hidden
        panel.add(ContourMark(x: gridX, y: gridY, z: gridY.map { b in gridX.map { a in surface.value(a, b) } },
                              levels: levels,
                              color: Color(hex: "#9a9a9a")))
        panel.add(LineMark(x: path.points.map(\.x), y: path.points.map(\.y), label: path.optimizer.name, color: .red,
                           width: 1.3,
                           markers: Markers(.circle, size: 4.5), dataName: DescentPath.pathData))
        panel.add(ScatterMark(x: [0], y: [0], color: .black, size: 9, shape: .plus))
        return panel
    }
}

extension Report {
    /// The paths of several optimizers on a surface, one panel each in rows of three, with their
    /// points in results.json (`valley_x`, `valley_y` by step) under `experiment`; returns the figure.
    @discardableResult
    public func descents(_ paths: [DescentPath], experiment: String, on surface: Surface, x: ClosedRange<Double>,
                         y: ClosedRange<Double>,
                         levels: [Double],
                         title: String, name: String, caption: String) -> FigureRef {
        var figure = Figure.grid(paths.count, columns: 3, title: title, width: 900, panelHeight: 190) { index in
            let optimizer = paths[index].optimizer
            return Panel.descent(paths[index], on: surface, x: x, y: y, levels: levels,
                                 title: "\(optimizer.name) (lr \(Format.compact(optimizer.learningRate)))")
        }
        // Every panel keeps its y label, so that all plots get the same room and, at one scale, the same size.
        for index in figure.panels.indices { figure.panels[index].yLabel = "y" }
        let steps = { (path: DescentPath) in path.points.indices.map(Double.init) }
        add(paths.map { Series(experiment: experiment, label: $0.optimizer.name, metric: DescentPath.xData.name,
                               x: steps($0),
                               y: $0.points.map(\.x)) },
            described: DescentPath.xData)
        add(paths.map { Series(experiment: experiment, label: $0.optimizer.name, metric: DescentPath.yData.name,
                               x: steps($0),
                               y: $0.points.map(\.y)) },
            described: DescentPath.yData)
        return self.figure(figure, name: name, caption: caption)
    }
}
