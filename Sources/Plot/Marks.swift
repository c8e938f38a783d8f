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
