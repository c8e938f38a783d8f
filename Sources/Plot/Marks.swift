/// How a line is stroked.
public enum LineStyle: Sendable, Hashable {
    case solid, dashed, dotted
}

/// A marker drawn at data points.
public enum MarkerShape: Sendable, Hashable {
    case circle, square, triangle, plus
}

/// Markers on a line: which shape, and on every how-many-th point.
public struct Markers: Sendable, Hashable {
    public var shape: MarkerShape
    public var every: Int
    public var size: Double

    public init(_ shape: MarkerShape, every: Int = 1, size: Double = 5) {
        self.shape = shape; self.every = max(every, 1); self.size = size
    }
}

/// Something drawn inside a panel. Each kind carries its own data, already in data coordinates.
public enum Mark: Sendable {
    /// A polyline through (x, y); NaN breaks it.
    case line(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, style: LineStyle = .solid,
              width: Double = 1.6, markers: Markers? = nil)
    /// The area between two curves over the same x (for min-max across seeds).
    case band(x: [Double], lower: [Double], upper: [Double], color: Color? = nil, opacity: Double = 0.2, label: String? = nil)
    /// Points; with `values`, each is coloured by the panel's colour scale.
    case scatter(x: [Double], y: [Double], values: [Double]? = nil, color: Color? = nil, size: Double = 4,
                 shape: MarkerShape = .circle, label: String? = nil)
    /// A histogram of `values` with `bins` equal bins over `range`.
    case histogram(values: [Double], bins: Int, range: ClosedRange<Double>, color: Color? = nil, label: String? = nil)
    /// Contour lines of a function sampled on a grid: `z[i][j]` is the value at (x[j], y[i]).
    case contour(x: [Double], y: [Double], z: [[Double]], levels: [Double], color: Color = .contour, labelsLevels: Bool = false)
    /// Vertical bars centred on x.
    case bars(x: [Double], heights: [Double], width: Double, color: Color? = nil, label: String? = nil)

    /// The label shown in the legend, if any.
    var legendLabel: String? {
        switch self {
        case let .line(_, _, label, _, _, _, _): label
        case let .band(_, _, _, _, _, label): label
        case let .scatter(_, _, values, _, _, _, label): values == nil ? label : nil
        case let .histogram(_, _, _, _, label): label
        case .contour: nil
        case let .bars(_, _, _, _, label): label
        }
    }

    /// The (x, y) extent the mark needs, for automatic limits.
    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        func keep(_ xs: [Double], _ ys: [Double]) -> ([Double], [Double]) {
            let pairs = zip(xs, ys).filter { xScale.accepts($0.0) && yScale.accepts($0.1) }
            return (pairs.map(\.0), pairs.map(\.1))
        }
        switch self {
        case let .line(x, y, _, _, _, _, _), let .scatter(x, y, _, _, _, _, _):
            return keep(x, y)
        case let .band(x, lower, upper, _, _, _):
            let a = keep(x, lower), b = keep(x, upper)
            return (a.0 + b.0, a.1 + b.1)
        case let .histogram(values, bins, range, _, _):
            let counts = Histogram.counts(values, bins: bins, range: range)
            return ([range.lowerBound, range.upperBound], [0, Double(counts.max() ?? 0)])
        case let .contour(x, y, _, _, _, _):
            return ([x.first ?? 0, x.last ?? 1], [y.first ?? 0, y.last ?? 1])
        case let .bars(x, heights, width, _, _):
            return (x.flatMap { [$0 - width / 2, $0 + width / 2] }, heights + [0])
        }
    }
}

/// Histogram counting shared by drawing and tests.
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
}
