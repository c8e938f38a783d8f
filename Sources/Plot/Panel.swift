/// Where a panel's legend goes.
public enum LegendPlacement: Sendable, Hashable {
    /// The corner that hides the fewest data points.
    case automatic
    case upperRight, upperLeft, lowerLeft, lowerRight
    case hidden
}

/// A colour scale for scatter values, drawn as a colour bar beside the panel.
public struct ColorScale: Sendable {
    public var map: ColorMap
    public var range: ClosedRange<Double>
    public var label: String

    public init(map: ColorMap = .viridis, range: ClosedRange<Double>, label: String) {
        self.map = map; self.range = range; self.label = label
    }
}

/// One set of axes with its marks.
public struct Panel: Sendable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    /// Fixed limits; nil means from the data, padded a little.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    /// Tick positions with their own labels, replacing the automatic ones.
    public var xTickLabels: [(Double, String)]?
    public var grid = true
    public var legend: LegendPlacement = .automatic
    /// Same scale on both axes (a circle stays round).
    public var equalAspect = false
    public var colorScale: ColorScale?
    public private(set) var marks: [Mark] = []
    /// How many marks took an automatic colour so far: each new series takes the next palette colour.
    private var automaticColors = 0

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    /// The next palette colour, for series the caller does not colour itself.
    public mutating func nextColor() -> Color {
        defer { automaticColors += 1 }
        return Palette.color(automaticColors)
    }

    public mutating func add(_ mark: Mark) { marks.append(mark) }

    /// A line in the next palette colour unless `color` is given.
    public mutating func line(_ x: [Double], _ y: [Double], label: String? = nil, color: Color? = nil,
                              style: LineStyle = .solid, width: Double = 1.6, markers: Markers? = nil) {
        add(.line(x: x, y: y, label: label, color: color ?? nextColor(), style: style, width: width, markers: markers))
    }

    /// A mean line with a shaded min-max band in the same colour.
    public mutating func lineWithBand(_ x: [Double], mean: [Double], lower: [Double], upper: [Double], label: String? = nil,
                                      color: Color? = nil, style: LineStyle = .solid) {
        let c = color ?? nextColor()
        add(.band(x: x, lower: lower, upper: upper, color: c, opacity: 0.18))
        add(.line(x: x, y: mean, label: label, color: c, style: style))
    }
}
