/// A short note at a point of the panel, in data coordinates: what a reader must know about the
/// data there ("diverged"). Drawn over everything else, on a white backing.
public struct TextMark: Sendable {
    public var x: Double
    public var y: Double
    public var text: String
    public var color: Color
    /// Whether the figure's alt text repeats the note: false for a label that only restates what a
    /// mark's own description already says (the count on a clipped bar).
    public var described: Bool

    public init(x: Double, y: Double, text: String, color: Color = .text, described: Bool = true) {
        self.x = x; self.y = y; self.text = text; self.color = color; self.described = described
    }
}

extension TextMark: Drawable {
    var layer: Int { 5 }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) { visible([x], [y], xScale, yScale) }

    func draw(_ context: MarkContext) {
        guard let p = context.map.point(x, y) else { return }
        context.canvas.font(size: context.style.legendFontSize)
        let width = context.canvas.textWidth(text)
        context.canvas.setColor(Color.white.withAlpha(0.85))
        context.canvas.fillRect(Rect(x: p.x - width / 2 - 3, y: p.y - 8, width: width + 6, height: 16))
        context.canvas.text(text, at: p, align: .center, baseline: .middle, color: color)
    }
}
