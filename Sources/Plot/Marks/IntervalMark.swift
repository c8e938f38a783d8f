/// Estimates with their intervals, one per row: a bar from `low` to `high` at height `y` with a
/// marker at `estimate`. An interval that runs past the panel's x limits is cut there and ends in
/// an arrowhead, so that a clipped interval is not read as one that ends at the frame. For a
/// claim's decision strip and the index's forest plot.
public struct IntervalMark: Sendable {
    public var y: [Double]
    public var estimate: [Double]
    public var low: [Double]
    public var high: [Double]
    public var color: Color?
    public var shape: MarkerShape
    public var size: Double
    public var label: String?
    /// Exported as `<name>` (the estimates against y), `<name>_low` and `<name>_high`.
    public var dataName: DataName?
    public var colorKey: ColorKey?

    public init(y: [Double], estimate: [Double], low: [Double], high: [Double], color: Color? = nil, shape: MarkerShape = .circle,
                size: Double = 7, label: String? = nil, dataName: DataName? = nil) {
        precondition(y.count == estimate.count && y.count == low.count && y.count == high.count, "one estimate and interval per row")
        self.y = y; self.estimate = estimate; self.low = low; self.high = high; self.color = color; self.shape = shape
        self.size = size; self.label = label; self.dataName = dataName
    }
}

extension IntervalMark: Drawable, PaletteColored {
    var layer: Int { 4 }
    var legendLabel: String? { label }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        visible(low + high + estimate, y + y + y, xScale, yScale)
    }

    func draw(_ context: MarkContext) {
        let map = context.map, canvas = context.canvas, color = resolvedColor
        let (left, right) = (map.xScale.inverse(map.limits.x.lowerBound), map.xScale.inverse(map.limits.x.upperBound))
        for i in y.indices where low[i].isFinite && high[i].isFinite && y[i].isFinite {
            // An interval wholly past an edge is an arrow at that edge.
            let (a, b) = (min(max(low[i], left), right), max(min(high[i], right), left))
            guard let start = map.point(a, y[i]), let end = map.point(b, y[i]) else { continue }
            canvas.setColor(color)
            canvas.setLine(width: max(2.2, size / 3))
            canvas.strokeLine(from: start, to: end)
            // Arrowheads where the interval goes on past the frame.
            if low[i] < left {
                canvas.fillPolygon([Point(x: start.x - 1, y: start.y), Point(x: start.x + 7, y: start.y - 5), Point(x: start.x + 7, y: start.y + 5)])
            }
            if high[i] > right {
                canvas.fillPolygon([Point(x: end.x + 1, y: end.y), Point(x: end.x - 7, y: end.y - 5), Point(x: end.x - 7, y: end.y + 5)])
            }
            if estimate[i].isFinite, estimate[i] >= left, estimate[i] <= right, let p = map.point(estimate[i], y[i]) {
                canvas.marker(shape, at: p, size: size + 3, color: .white)
                canvas.marker(shape, at: p, size: size, color: color)
            }
        }
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        canvas.setColor(resolvedColor)
        canvas.setLine(width: 2.5)
        canvas.strokeLine(from: Point(x: left, y: y), to: Point(x: left + 22, y: y))
        canvas.marker(shape, at: Point(x: left + 11, y: y), size: size, color: resolvedColor)
    }

    func outline(_ map: CoordinateMap) -> [Point] {
        y.indices.flatMap { i in densePath([map.point(low[i], y[i]), map.point(high[i], y[i])]) }
    }

    var exported: [FigureSeries] {
        guard let dataName else { return [] }
        return [FigureSeries(label: label ?? "", data: dataName, x: y, y: estimate),
                FigureSeries(label: label ?? "", data: dataName.part("_low", "the lower end of the interval of"), x: y, y: low),
                FigureSeries(label: label ?? "", data: dataName.part("_high", "the upper end of the interval of"), x: y, y: high)]
    }

    var summary: String? {
        let rows = y.indices.filter { estimate[$0].isFinite }
        guard !rows.isEmpty else { return nil }
        return "\(rows.count) interval\(rows.count == 1 ? "" : "s")\(label.map { " (\($0))" } ?? "")"
    }
}
