/// Points; with `values`, each takes its colour from the panel's colour scale (grey where a value is not finite).
public struct ScatterMark: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var values: [Double]?
    public var color: Color?
    public var size: Double
    public var shape: MarkerShape
    public var label: String?
    /// Exported as the (x, y) points, and with `values` also as `<dataName>_value` against x.
    public var dataName: DataName?
    /// The setting the mark stands for: in a report, marks with the same key share one colour in
    /// every figure (see `ColorBook`); nil keeps the colour the mark was given.
    public var colorKey: ColorKey?
    /// A rim around each point, so that points coloured like the ground they sit on stay visible.
    public var rim: Color?

    public init(x: [Double], y: [Double], values: [Double]? = nil, color: Color? = nil, size: Double = 4,
                shape: MarkerShape = .circle, label: String? = nil, dataName: DataName? = nil, rim: Color? = nil) {
        self.x = x; self.y = y; self.values = values; self.color = color; self.size = size
        self.shape = shape; self.label = label; self.dataName = dataName; self.rim = rim
    }
}

extension ScatterMark: Drawable {
    var layer: Int { 4 }
    var legendLabel: String? { label }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) { visible(x, y, xScale, yScale) }

    func draw(_ context: MarkContext) {
        for i in 0..<min(x.count, y.count) {
            guard let p = context.map.point(x[i], y[i]) else { continue }
            var c = resolvedColor
            if let values, let scale = context.panel.colorScale, i < values.count {
                c = values[i].isFinite ? scale.color(for: values[i]) : Color(hex: "#bbbbbb")
            }
            if let rim { context.canvas.marker(shape, at: p, size: size + 3, color: rim) }
            context.canvas.marker(shape, at: p, size: size, color: c)
        }
    }

    /// Points coloured by a scale show their shape in grey: the colour bar explains the colours.
    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        canvas.marker(shape, at: Point(x: left + 11, y: y), size: size, color: values == nil ? resolvedColor : Color(hex: "#888888"))
    }

    func outline(_ map: CoordinateMap) -> [Point] { zip(x, y).compactMap { map.point($0.0, $0.1) } }

    var exported: [FigureSeries] {
        guard let dataName else { return [] }
        var result = [FigureSeries(label: label ?? "", data: dataName, x: x, y: y)]
        if let values { result.append(FigureSeries(label: label ?? "", data: dataName.part("_value", "the value shown by colour of"), x: x, y: values)) }
        return result
    }
}
