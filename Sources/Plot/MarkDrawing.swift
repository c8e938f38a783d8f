import Foundation

// MARK: - What every mark does

/// Where a mark is drawn: the canvas, the mapping from data to points, and the panel's settings.
struct MarkContext {
    let canvas: CairoCanvas
    let map: CoordinateMap
    let panel: Panel
    let style: Style
}

/// The behaviour each kind of mark supplies; the panel renderer knows no kind by name.
protocol Drawable: Sendable {
    /// Lower layers are drawn first: bands, then bars, contours, lines, points.
    var layer: Int { get }
    var legendLabel: String? { get }
    /// The data coordinates the mark needs to be visible, for automatic limits.
    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double])
    func draw(_ context: MarkContext)
    /// The small sample drawn in front of the label in a legend, centred vertically on `y`.
    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double)
    /// Canvas points along the mark, a few points apart, for judging what a legend would cover.
    func outline(_ map: CoordinateMap) -> [Point]
    /// The numbers the mark shows, for the figure's data file.
    var exported: [FigureSeries] { get }
    /// Whether the mark has no colour of its own and takes the panel's next palette colour.
    var wantsPaletteColor: Bool { get }
    /// Where that palette colour goes.
    var paletteColor: Color? { get set }
}

extension Drawable {
    var legendLabel: String? { nil }
    var wantsPaletteColor: Bool { false }
    var paletteColor: Color? { get { nil } set {} }
    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {}
    var exported: [FigureSeries] { [] }

    /// Points within the mark's extent: enough for marks that fill an area.
    func outline(_ map: CoordinateMap) -> [Point] {
        let e = extent(xScale: map.xScale, yScale: map.yScale)
        return zip(e.xs, e.ys).compactMap { map.point($0.0, $0.1) }
    }
}

/// Only the (x, y) pairs an axis can show.
private func visible(_ xs: [Double], _ ys: [Double], _ xScale: AxisScale, _ yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
    let pairs = zip(xs, ys).filter { xScale.accepts($0.0) && yScale.accepts($0.1) }
    return (pairs.map(\.0), pairs.map(\.1))
}

/// Canvas points every few points along a polyline (nil breaks it).
private func densePath(_ points: [Point?]) -> [Point] {
    var result: [Point] = []
    for (a, b) in zip(points, points.dropFirst()) {
        guard let a, let b else { continue }
        let steps = max(1, Int((abs(b.x - a.x) + abs(b.y - a.y)) / 6))
        for s in 0..<steps {
            let t = Double(s) / Double(steps)
            result.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
        }
    }
    if let last = points.last, let last { result.append(last) }
    return result
}

/// A filled swatch, for marks that cover an area.
private func areaSwatch(_ canvas: CairoCanvas, left: Double, y: Double, color: Color) {
    canvas.setColor(color)
    canvas.fillRect(Rect(x: left, y: y - 5, width: 22, height: 10))
}

/// Marks whose `color` may be left out, to be filled from the palette.
protocol PaletteColored: Drawable {
    var color: Color? { get set }
}

extension PaletteColored {
    var wantsPaletteColor: Bool { color == nil }
    var paletteColor: Color? { get { color } set { color = newValue } }
    /// The colour drawn: the mark's own, or the palette's first outside a panel.
    var resolvedColor: Color { color ?? Palette.color(0) }
}

extension LineMark: PaletteColored {}
extension BandMark: PaletteColored {}
extension HistogramMark: PaletteColored {}
extension BarMark: PaletteColored {}
extension RectangleMark: PaletteColored {}
extension ScatterMark: PaletteColored {
    /// Points coloured by the panel's scale take no palette colour.
    var wantsPaletteColor: Bool { color == nil && values == nil }
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
        dataName.map { [FigureSeries(label: label ?? "", name: $0, x: x, y: y)] } ?? []
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
        return [FigureSeries(label: label ?? "", name: dataName + "_min", x: x, y: lower),
                FigureSeries(label: label ?? "", name: dataName + "_max", x: x, y: upper)]
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
        var result = [FigureSeries(label: label ?? "", name: dataName, x: x, y: y)]
        if let values { result.append(FigureSeries(label: label ?? "", name: dataName + "_value", x: x, y: values)) }
        return result
    }
}

extension HistogramMark: Drawable {
    var layer: Int { 1 }
    var legendLabel: String? { label }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        ([range.lowerBound, range.upperBound], [0, Double(Histogram.counts(values, bins: bins, range: range).max() ?? 0)])
    }

    func draw(_ context: MarkContext) {
        let counts = Histogram.counts(values, bins: bins, range: range)
        let width = (range.upperBound - range.lowerBound) / Double(bins)
        for (i, count) in counts.enumerated() where count > 0 {
            let x0 = range.lowerBound + Double(i) * width
            drawBar(context, from: x0, to: x0 + width, height: Double(count), color: resolvedColor)
        }
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        areaSwatch(canvas, left: left, y: y, color: resolvedColor.withAlpha(0.85))
    }

    var exported: [FigureSeries] {
        guard let dataName else { return [] }
        return [FigureSeries(label: label ?? "", name: dataName, x: Histogram.centres(bins: bins, range: range),
                             y: Histogram.counts(values, bins: bins, range: range).map(Double.init))]
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
        dataName.map { [FigureSeries(label: label ?? "", name: $0, x: x, y: heights)] } ?? []
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

/// A bar from `x0` to `x1`, from the bottom of the axis (zero, or the lowest decade on a log axis) up to `height`.
private func drawBar(_ context: MarkContext, from x0: Double, to x1: Double, height: Double, color: Color) {
    let map = context.map
    let base = map.yScale == .logarithmic ? pow(10, map.limits.y.lowerBound) : 0
    guard let a = map.point(x0, base, clampY: true), let b = map.point(x1, height, clampY: true) else { return }
    let rect = Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
    context.canvas.setColor(color.withAlpha(0.85))
    context.canvas.fillRect(rect)
    context.canvas.setColor(.white)
    context.canvas.setLine(width: 0.4)
    context.canvas.strokeRect(rect)
}
