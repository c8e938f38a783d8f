/// The area between two curves over the same x (for the spread across seeds).
public struct BandMark: Sendable {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var color: Color?
    public var opacity: Double
    public var label: String?
    /// False when a line drawn over the band already shows the label in the legend.
    public var inLegend: Bool
    /// Exported as `<dataName>_min` (lower edge) and `<dataName>_max` (upper edge).
    public var dataName: DataName?
    /// The setting the mark stands for: in a report, marks with the same key share one colour in
    /// every figure (see `ColorBook`); nil keeps the colour the mark was given.
    public var colorKey: ColorKey?

    public init(x: [Double], lower: [Double], upper: [Double], color: Color? = nil, opacity: Double = 0.2,
                label: String? = nil, inLegend: Bool = true, dataName: DataName? = nil) {
        self.x = x; self.lower = lower; self.upper = upper; self.color = color; self.opacity = opacity
        self.label = label; self.inLegend = inLegend; self.dataName = dataName
    }
}

extension BandMark: Drawable {
    var layer: Int { 0 }
    var legendLabel: String? { inLegend ? label : nil }
    private var fill: Color { resolvedColor.withAlpha(opacity) }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        let a = visible(x, lower, xScale, yScale), b = visible(x, upper, xScale, yScale)
        return (a.xs + b.xs, a.ys + b.ys)
    }

    func draw(_ context: MarkContext) {
        context.canvas.setColor(fill)
        // One polygon per unbroken run of points that both edges can show.
        var run: [(lower: Point, upper: Point)] = []
        func flush() {
            if run.count > 1 { context.canvas.fillPolygon(run.map(\.upper) + run.reversed().map(\.lower)) }
            run = []
        }
        for i in 0..<min(x.count, lower.count, upper.count) {
            if let lo = context.map.point(x[i], lower[i]), let hi = context.map.point(x[i], upper[i]) {
                run.append((lo, hi))
            } else {
                flush()
            }
        }
        flush()
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) { areaSwatch(canvas, left: left, y: y, color: fill) }

    func outline(_ map: CoordinateMap) -> [Point] {
        densePath(zip(x, lower).map { map.point($0.0, $0.1) }) + densePath(zip(x, upper).map { map.point($0.0, $0.1) })
    }

    var exported: [FigureSeries] {
        guard let dataName else { return [] }
        return [FigureSeries(label: label ?? "", data: dataName.lowest, x: x, y: lower),
                FigureSeries(label: label ?? "", data: dataName.highest, x: x, y: upper)]
    }
}
