import Formatting

/// Where a panel's legend goes.
public enum LegendPlacement: Sendable, Hashable {
    /// Inside, in the first corner (or side middle) that hides no data; outside, to the right of
    /// the plot, when each would.
    case automatic
    /// Below the panel, its entries side by side: for narrow panels full of data.
    case below
    case hidden
}

/// A colour scale for scatter values, drawn as a colour bar beside the panel.
public struct ColorScale: Sendable {
    public var map: ColorMap
    public var range: ClosedRange<Double>
    public var label: String
    /// False when a neighbouring panel with the same scale shows the bar.
    public var showsBar: Bool
    /// What the values are: accuracies show as percentages on the bar.
    public var unit: AxisUnit

    public init(map: ColorMap = .viridis, range: ClosedRange<Double>, label: String, showsBar: Bool = true, unit: AxisUnit = .plain) {
        self.map = map; self.range = range; self.label = label; self.showsBar = showsBar; self.unit = unit
    }

    /// The colour of `value`: its position in the range, clamped.
    public func color(for value: Double) -> Color {
        let span = range.upperBound - range.lowerBound
        return map.color(at: span > 0 ? (value - range.lowerBound) / span : 0.5)
    }
}

/// What an axis's numbers are, for its tick labels and the figure's words: plain numbers, or
/// shares (0 to 1) shown as percentages ("80%"), as every accuracy axis is.
public enum AxisUnit: Sendable, Hashable {
    case plain
    case percent

    /// A value in this unit, as a tick among `ticks` or a description says it.
    func label(_ value: Double, among ticks: [Double], scale: AxisScale) -> String {
        switch self {
        case .plain: Ticks.label(value, among: ticks, scale: scale)
        case .percent: Ticks.label(value * 100, among: ticks.map { $0 * 100 }, scale: scale) + "%"
        }
    }

    /// A value as a figure's words say it: "0.541", or "54.1%".
    public func text(_ value: Double) -> String {
        switch self {
        case .plain: Format.significant(value)
        case .percent: Format.percent(value)
        }
    }
}

/// One set of axes with its marks.
public struct Panel: Sendable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    /// What the axes' numbers are: percentages show as "80%".
    public var xUnit: AxisUnit = .plain
    public var yUnit: AxisUnit = .plain
    /// Fixed limits; nil means from the data, padded a little.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    /// Tick positions with their own labels, replacing the automatic ones.
    public var xTickLabels: [(Double, String)]?
    public var yTickLabels: [(Double, String)]?
    public var grid = true
    /// One unit of x as long as one unit of y (linear axes): the plot narrows or flattens inside its
    /// cell to keep a surface's shape, as a map does.
    public var equalAspect = false
    public var legend: LegendPlacement = .automatic
    public var colorScale: ColorScale?
    /// The marks in the order they were added (they are drawn by layer: areas first, points last).
    var marks: [any Drawable] = []
    /// How many marks took an automatic colour so far: each new series takes the next palette colour.
    private var automaticColors = 0

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    /// Whether anything has been added.
    public var isEmpty: Bool { marks.isEmpty }

    /// The next palette colour, for marks that do not bring their own.
    private mutating func nextColor() -> Color {
        defer { automaticColors += 1 }
        return Palette.color(automaticColors)
    }

    /// Adds a mark; one that brings no colour of its own takes the next palette colour.
    private mutating func append(_ mark: some Drawable) {
        var mark = mark
        if mark.wantsPaletteColor { mark.paletteColor = nextColor() }
        marks.append(mark)
    }

    public mutating func add(_ mark: LineMark) { append(mark) }
    public mutating func add(_ mark: BandMark) { append(mark) }
    public mutating func add(_ mark: ScatterMark) { append(mark) }
    public mutating func add(_ mark: HistogramMark) { append(mark) }
    public mutating func add(_ mark: BarMark) { append(mark) }
    public mutating func add(_ mark: HeatmapMark) { append(mark) }
    public mutating func add(_ mark: ContourMark) { append(mark) }
    public mutating func add(_ mark: TextMark) { append(mark) }
    public mutating func add(_ mark: RectangleMark) { append(mark) }
    public mutating func add(_ mark: IntervalMark) { append(mark) }

    /// A line in the next palette colour unless `color` is given.
    public mutating func line(_ x: [Double], _ y: [Double], label: String? = nil, color: Color? = nil,
                              style: LineStyle = .solid, width: Double = 1.6, markers: Markers? = nil, dataName: DataName? = nil,
                              colorKey: ColorKey? = nil) {
        var mark = LineMark(x: x, y: y, label: label, color: color, style: style, width: width, markers: markers, dataName: dataName)
        mark.colorKey = colorKey
        add(mark)
    }

    /// A mean line over a shaded band (the spread across seeds) in one colour; the legend shows the line.
    /// With `dataName`, the figure's data file gets `<dataName>_mean`, `<dataName>_min` and `<dataName>_max`.
    /// With `geometric`, the line is the geometric mean, and its data `<dataName>_geomean`.
    public mutating func lineWithBand(_ x: [Double], mean: [Double], lower: [Double], upper: [Double], label: String? = nil,
                                      color: Color? = nil, style: LineStyle = .solid, markers: Markers? = nil, dataName: DataName? = nil,
                                      colorKey: ColorKey? = nil, geometric: Bool = false) {
        let c = color ?? nextColor()
        var band = BandMark(x: x, lower: lower, upper: upper, color: c, opacity: 0.18, label: label, inLegend: false, dataName: dataName)
        var line = LineMark(x: x, y: mean, label: label, color: c, style: style, markers: markers,
                            dataName: geometric ? dataName?.geometricMean : dataName?.mean)
        band.colorKey = colorKey
        line.colorKey = colorKey
        add(band)
        add(line)
    }

    /// The numbers every mark with a data name shows, panel by panel, in the order they were added.
    public var exportedSeries: [FigureSeries] { marks.flatMap(\.exported) }
}
