/// A histogram of `values` in `bins` equal bins over `range`.
public struct HistogramMark: Sendable {
    public var values: [Double]
    public var bins: Int
    public var range: ClosedRange<Double>
    public var color: Color?
    public var label: String?
    /// Exported as the count of each bin against the bin's centre.
    public var dataName: DataName?
    /// The setting the mark stands for: in a report, marks with the same key share one colour in
    /// every figure (see `ColorBook`); nil keeps the colour the mark was given.
    public var colorKey: ColorKey?
    /// Whether values above the range get a bar of their own beyond it (the overflow bin, six bins
    /// wide after a gap of three), instead of being left out.
    public var overflow = false

    public init(values: [Double], bins: Int, range: ClosedRange<Double>, color: Color? = nil, label: String? = nil,
                dataName: DataName? = nil) {
        self.values = values; self.bins = bins; self.range = range; self.color = color; self.label = label
        self.dataName = dataName
    }
}

extension HistogramMark: Drawable {
    var layer: Int { 1 }
    var legendLabel: String? { label }

    public var binWidth: Double { (range.upperBound - range.lowerBound) / Double(max(bins, 1)) }
    /// The overflow bin's extent on the x axis.
    public var overflowBin: ClosedRange<Double> { (range.upperBound + 3 * binWidth)...(range.upperBound + 9 * binWidth) }
    public var overflowCount: Int { values.filter { $0 > range.upperBound }.count }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        let tallest = Double(max(Histogram.counts(values, bins: bins, range: range).max() ?? 0, overflow ? overflowCount : 0))
        return ([range.lowerBound, overflow ? overflowBin.upperBound : range.upperBound], [0, tallest])
    }

    func draw(_ context: MarkContext) {
        let counts = Histogram.counts(values, bins: bins, range: range)
        for (i, count) in counts.enumerated() where count > 0 {
            let x0 = range.lowerBound + Double(i) * binWidth
            drawBar(context, from: x0, to: x0 + binWidth, height: Double(count), color: resolvedColor)
        }
        if overflow, overflowCount > 0 {
            // Darker than the rest, so that it does not read as one more bin of the range.
            let c = resolvedColor
            drawBar(context, from: overflowBin.lowerBound, to: overflowBin.upperBound, height: Double(overflowCount),
                    color: Color(red: c.red * 0.55, green: c.green * 0.55, blue: c.blue * 0.55))
        }
    }

    func drawSwatch(_ canvas: CairoCanvas, left: Double, y: Double) {
        areaSwatch(canvas, left: left, y: y, color: resolvedColor.withAlpha(0.85))
    }

    var exported: [FigureSeries] {
        guard let dataName else { return [] }
        let counts = Histogram.counts(values, bins: bins, range: range).map(Double.init)
        return [FigureSeries(label: label ?? "", data: dataName,
                             x: Histogram.centres(bins: bins, range: range) + (overflow ? [(overflowBin.lowerBound + overflowBin.upperBound) / 2] : []),
                             y: counts + (overflow ? [Double(overflowCount)] : []))]
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
