/// The outline of a rectangle in data coordinates, from (x0, y0) to (x1, y1): a region of interest.
public struct RectangleMark: Sendable {
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    public var color: Color?
    public var style: LineStyle
    public var label: String?

    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, color: Color? = nil, style: LineStyle = .dashed, label: String? = nil) {
        self.x = x; self.y = y; self.color = color; self.style = style; self.label = label
    }
}

extension RectangleMark: Drawable {
    var layer: Int { 3 }
    var legendLabel: String? { label }
    private var corners: [(Double, Double)] {
        [(x.lowerBound, y.lowerBound), (x.upperBound, y.lowerBound), (x.upperBound, y.upperBound),
         (x.lowerBound, y.upperBound), (x.lowerBound, y.lowerBound)]
    }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        visible(corners.map(\.0), corners.map(\.1), xScale, yScale)
    }

    func draw(_ context: MarkContext) {
        context.canvas.setColor(resolvedColor)
        context.canvas.setLine(width: 1.6, style: style)
        context.canvas.strokePolyline(corners.map { context.map.point($0.0, $0.1) })
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        canvas.setColor(resolvedColor)
        canvas.setLine(width: 1.6, style: style)
        canvas.strokeRect(Rect(x: left + 2, y: y - 5, width: 18, height: 10))
    }

    func outline(_ map: CoordinateMap) -> [Point] {
        densePath(corners.map { map.point($0.0, $0.1) })
    }
}
