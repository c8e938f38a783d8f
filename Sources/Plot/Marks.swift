import Foundation

/// How a line is stroked.
public enum LineStyle: Sendable, Hashable {
    case solid, dashed
}

/// A marker drawn at data points.
public enum MarkerShape: Sendable, Hashable {
    case circle, square, plus, cross
}

/// Markers on every point of a line: which shape, how large.
public struct Markers: Sendable, Hashable {
    public var shape: MarkerShape
    public var size: Double

    public init(_ shape: MarkerShape, size: Double = 5) {
        self.shape = shape; self.size = size
    }
}

/// Numbers a figure draws, as they go into its data file: a name (the metric), the legend label
/// of the mark they came from, and the points.
public struct FigureSeries: Sendable, Equatable {
    public var label: String
    public var name: String
    public var x: [Double]
    public var y: [Double]
}

// MARK: - The marks

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
    public var dataName: String?

    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, style: LineStyle = .solid,
                width: Double = 1.6, markers: Markers? = nil, inLegend: Bool = true, dataName: String? = nil) {
        self.x = x; self.y = y; self.label = label; self.color = color; self.style = style
        self.width = width; self.markers = markers; self.inLegend = inLegend; self.dataName = dataName
    }
}

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
    public var dataName: String?

    public init(x: [Double], lower: [Double], upper: [Double], color: Color? = nil, opacity: Double = 0.2,
                label: String? = nil, inLegend: Bool = true, dataName: String? = nil) {
        self.x = x; self.lower = lower; self.upper = upper; self.color = color; self.opacity = opacity
        self.label = label; self.inLegend = inLegend; self.dataName = dataName
    }
}

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
    public var dataName: String?

    public init(x: [Double], y: [Double], values: [Double]? = nil, color: Color? = nil, size: Double = 4,
                shape: MarkerShape = .circle, label: String? = nil, dataName: String? = nil) {
        self.x = x; self.y = y; self.values = values; self.color = color; self.size = size
        self.shape = shape; self.label = label; self.dataName = dataName
    }
}

/// A histogram of `values` in `bins` equal bins over `range`.
public struct HistogramMark: Sendable {
    public var values: [Double]
    public var bins: Int
    public var range: ClosedRange<Double>
    public var color: Color?
    public var label: String?
    /// Exported as the count of each bin against the bin's centre.
    public var dataName: String?

    public init(values: [Double], bins: Int, range: ClosedRange<Double>, color: Color? = nil, label: String? = nil,
                dataName: String? = nil) {
        self.values = values; self.bins = bins; self.range = range; self.color = color; self.label = label
        self.dataName = dataName
    }
}

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

/// Vertical bars of the given heights, centred on x.
public struct BarMark: Sendable {
    public var x: [Double]
    public var heights: [Double]
    public var width: Double
    public var color: Color?
    public var label: String?
    public var dataName: String?

    public init(x: [Double], heights: [Double], width: Double, color: Color? = nil, label: String? = nil, dataName: String? = nil) {
        self.x = x; self.heights = heights; self.width = width; self.color = color; self.label = label
        self.dataName = dataName
    }
}

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

/// A short note at a point of the panel, in data coordinates: what a reader must know about the
/// data there ("diverged"). Drawn over everything else, on a white backing.
public struct TextMark: Sendable {
    public var x: Double
    public var y: Double
    public var text: String
    public var color: Color

    public init(x: Double, y: Double, text: String, color: Color = .text) {
        self.x = x; self.y = y; self.text = text; self.color = color
    }
}

/// Histogram counting shared by drawing, data files and tests.
public enum Histogram {
    /// Counts per bin; values outside the range are left out, the upper edge belongs to the last bin.
    public static func counts(_ values: [Double], bins: Int, range: ClosedRange<Double>) -> [Int] {
        var counts = [Int](repeating: 0, count: max(bins, 1))
        let width = (range.upperBound - range.lowerBound) / Double(max(bins, 1))
        guard width > 0 else { return counts }
        for v in values where v >= range.lowerBound && v <= range.upperBound {
            counts[min(Int((v - range.lowerBound) / width), bins - 1)] += 1
        }
        return counts
    }

    /// The centre of each bin.
    public static func centres(bins: Int, range: ClosedRange<Double>) -> [Double] {
        let width = (range.upperBound - range.lowerBound) / Double(max(bins, 1))
        return (0..<max(bins, 1)).map { range.lowerBound + (Double($0) + 0.5) * width }
    }
}

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
}

extension LineMark: PaletteColored {}
extension BandMark: PaletteColored {}
extension HistogramMark: PaletteColored {}
extension BarMark: PaletteColored {}
extension ScatterMark: PaletteColored {
    /// Points coloured by the panel's scale take no palette colour.
    var wantsPaletteColor: Bool { color == nil && values == nil }
}

extension LineMark: Drawable {
    var layer: Int { 3 }
    var legendLabel: String? { inLegend ? label : nil }
    private var resolvedColor: Color { color ?? Palette.color(0) }

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
    private var fill: Color { (color ?? Palette.color(0)).withAlpha(opacity) }

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
    private var resolvedColor: Color { color ?? Palette.color(0) }

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
    private var resolvedColor: Color { color ?? Palette.color(0) }

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
    private var resolvedColor: Color { color ?? Palette.color(0) }

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

extension RectangleMark: PaletteColored {}

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
        context.canvas.setColor(color ?? Palette.color(0))
        context.canvas.setLine(width: 1.6, style: style)
        context.canvas.strokePolyline(corners.map { context.map.point($0.0, $0.1) })
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        canvas.setColor(color ?? Palette.color(0))
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
