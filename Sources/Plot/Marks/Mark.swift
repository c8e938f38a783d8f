import Foundation

/// How a line is stroked.
public enum LineStyle: Sendable, Hashable {
    case solid, dashed, dotted, dashDotted
}

/// A marker drawn at data points.
public enum MarkerShape: Sendable, Hashable {
    case circle, square, triangle, diamond, plus, cross
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
    /// The numbers' name in the figure's CSV file, with what they are.
    public var data: DataName
    public var x: [Double]
    public var y: [Double]

    public init(label: String, data: DataName, x: [Double], y: [Double]) {
        self.label = label; self.data = data; self.x = x; self.y = y
    }

    public var name: String { data.name }
}

/// The name of a figure's numbers in its CSV file and in results.json, with what they are. The two
/// travel together, so a figure's data cannot go undescribed: a chapter declares its own names as
/// values (`static let monteCarlo = DataName("mc_test_acc", "test accuracy of …")`), and a mark
/// carries one.
public struct DataName: Sendable, Hashable {
    public let name: String
    public let meaning: String
    /// For a part of a quantity (its mean over seeds, its band's edges): the quantity's own name
    /// and meaning, so that a data section can describe the parts in one row.
    public let wholeName: String?
    public let wholeMeaning: String?

    public init(_ name: String, _ meaning: String) {
        self.name = name; self.meaning = meaning; wholeName = nil; wholeMeaning = nil
    }

    init(_ name: String, _ meaning: String, partOf whole: DataName) {
        self.name = name; self.meaning = meaning; wholeName = whole.name; wholeMeaning = whole.meaning
    }

    /// The same quantity with a suffix, for one of its parts: `_mean`, `_min`, `_max`, `_value`.
    public func part(_ suffix: String, _ what: String) -> DataName { DataName(name + suffix, "\(what) \(meaning)", partOf: self) }

    /// The mean over seeds, the lowest seed's value and the highest: a line over its band.
    public var mean: DataName { part("_mean", "the mean over seeds of") }
    public var geometricMean: DataName { part("_geomean", "the geometric mean over seeds of") }
    public var lowest: DataName { part("_min", "the lowest seed's value of") }
    public var highest: DataName { part("_max", "the highest seed's value of") }
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
    /// The setting the mark's colour stands for, if any.
    var colorKey: ColorKey? { get }
    /// One clause of alt text on what the mark shows (see `Figure.altText`).
    var summary: String? { get }
    /// Gives the mark the colour of its setting.
    mutating func recolor(_ color: Color)
}

extension Drawable {
    var legendLabel: String? { nil }
    var wantsPaletteColor: Bool { false }
    var paletteColor: Color? { get { nil } set {} }
    var colorKey: ColorKey? { nil }
    mutating func recolor(_ color: Color) {}
    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {}
    var exported: [FigureSeries] { [] }

    /// Points within the mark's extent: enough for marks that fill an area.
    func outline(_ map: CoordinateMap) -> [Point] {
        let e = extent(xScale: map.xScale, yScale: map.yScale)
        return zip(e.xs, e.ys).compactMap { map.point($0.0, $0.1) }
    }
}

/// Only the (x, y) pairs an axis can show.
func visible(_ xs: [Double], _ ys: [Double], _ xScale: AxisScale, _ yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
    let pairs = zip(xs, ys).filter { xScale.accepts($0.0) && yScale.accepts($0.1) }
    return (pairs.map(\.0), pairs.map(\.1))
}

/// Canvas points every few points along a polyline (nil breaks it).
func densePath(_ points: [Point?]) -> [Point] {
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
func areaSwatch(_ canvas: CairoCanvas, left: Double, y: Double, color: Color) {
    canvas.setColor(color)
    canvas.fillRect(Rect(x: left, y: y - 5, width: 22, height: 10))
}

/// Marks whose `color` may be left out, to be filled from the palette.
protocol PaletteColored: Drawable {
    var color: Color? { get set }
}

extension PaletteColored {
    mutating func recolor(_ color: Color) { self.color = color }
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
    /// ...nor the colour of a setting.
    mutating func recolor(_ color: Color) { if values == nil { self.color = color } }
}

/// A bar from `x0` to `x1`, from the bottom of the axis (zero, or the lowest decade on a log axis) up to `height`.
func drawBar(_ context: MarkContext, from x0: Double, to x1: Double, height: Double, color: Color) {
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
