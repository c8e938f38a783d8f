/// Vertical bars of the given heights, centred on x (for shares, counts, importances).
public struct BarMark: Sendable {
    public var x: [Double]
    public var heights: [Double]
    public var width: Double
    public var color: Color?
    public var label: String?
    /// Exported as the heights against x.
    public var dataName: DataName?
    /// The setting the mark stands for: in a report, marks with the same key share one colour in
    /// every figure (see `ColorBook`); nil keeps the colour the mark was given.
    public var colorKey: ColorKey?

    public init(x: [Double], heights: [Double], width: Double, color: Color? = nil, label: String? = nil, dataName: DataName? = nil) {
        self.x = x; self.heights = heights; self.width = width; self.color = color; self.label = label
        self.dataName = dataName
    }
}

extension BarMark: Drawable {
    var layer: Int { 1 }
    var legendLabel: String? { label }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        (x.flatMap { [$0 - width / 2, $0 + width / 2] }, heights + [0])
    }

    func draw(_ context: MarkContext) {
        for (xi, h) in zip(x, heights) {
            drawBar(context, from: xi - width / 2, to: xi + width / 2, height: h, color: resolvedColor)
        }
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        areaSwatch(canvas, left: left, y: y, color: resolvedColor.withAlpha(0.85))
    }

    var exported: [FigureSeries] {
        dataName.map { [FigureSeries(label: label ?? "", data: $0, x: x, y: heights)] } ?? []
    }
}
