/// Contour lines of a function sampled on a grid: `z[i][j]` is the value at (x[j], y[i]).
public struct ContourMark: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var z: [[Double]]
    public var levels: [Double]
    public var color: Color

    public init(x: [Double], y: [Double], z: [[Double]], levels: [Double], color: Color = .contour) {
        self.x = x; self.y = y; self.z = z; self.levels = levels; self.color = color
    }
}

extension ContourMark: Drawable {
    var layer: Int { 2 }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        ([x.first ?? 0, x.last ?? 1], [y.first ?? 0, y.last ?? 1])
    }

    func draw(_ context: MarkContext) {
        context.canvas.setColor(color)
        context.canvas.setLine(width: 0.9)
        for level in levels {
            for s in MarchingSquares.segments(x: x, y: y, z: z, level: level) {
                if let a = context.map.point(s.x0, s.y0), let b = context.map.point(s.x1, s.y1) {
                    context.canvas.strokeLine(from: a, to: b)
                }
            }
        }
    }
}
