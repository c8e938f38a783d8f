/// A polyline through (x, y); a NaN breaks it.
public struct LineMark: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var label: String?
    /// nil: the panel's next palette colour.
    public var color: Color?
    public var style: LineStyle
    public var width: Double
    public var markers: Markers?
    /// False to keep the label out of the legend (it still names the line in the data file).
    public var inLegend: Bool
    /// The name of these numbers in the figure's data file; nil keeps them out of it.
    public var dataName: DataName?
    /// The setting the mark stands for: in a report, marks with the same key share one colour in
    /// every figure (see `ColorBook`); nil keeps the colour the mark was given.
    public var colorKey: ColorKey?

    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, style: LineStyle = .solid,
                width: Double = 1.6, markers: Markers? = nil, inLegend: Bool = true, dataName: DataName? = nil) {
        self.x = x; self.y = y; self.label = label; self.color = color; self.style = style
        self.width = width; self.markers = markers; self.inLegend = inLegend; self.dataName = dataName
    }
}

extension LineMark: Drawable {
    var layer: Int { 3 }
    var legendLabel: String? { inLegend ? label : nil }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) { visible(x, y, xScale, yScale) }

    func draw(_ context: MarkContext) {
        let points = zip(x, y).map { context.map.point($0.0, $0.1) }
        context.canvas.setColor(resolvedColor)
        context.canvas.setLine(width: width, style: style)
        context.canvas.strokePolyline(points)
        guard let markers else { return }
        for p in points {
            if let p { context.canvas.marker(markers.shape, at: p, size: markers.size, color: resolvedColor) }
        }
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        canvas.setColor(resolvedColor)
        canvas.setLine(width: width, style: style)
        canvas.strokeLine(from: Point(x: left, y: y), to: Point(x: left + 22, y: y))
        if let markers { canvas.marker(markers.shape, at: Point(x: left + 11, y: y), size: markers.size, color: resolvedColor) }
    }

    func outline(_ map: CoordinateMap) -> [Point] { densePath(zip(x, y).map { map.point($0.0, $0.1) }) }

    var exported: [FigureSeries] {
        dataName.map { [FigureSeries(label: label ?? "", data: $0, x: x, y: y)] } ?? []
    }
}
