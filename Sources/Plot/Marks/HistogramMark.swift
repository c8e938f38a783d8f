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
