/// A function sampled on a grid, each cell filled with the colour the panel's colour scale gives
/// its value: `values[j][i]` is the value at (x[i], y[j]), and each cell reaches halfway to its
/// neighbours (measured on the axis's own scale, so a log axis gets even cells).
public struct HeatmapMark: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var values: [[Double]]
    /// Exported as one row of values per y: x against the value, labelled with y.
    public var dataName: DataName?

    public init(x: [Double], y: [Double], values: [[Double]], dataName: DataName? = nil) {
        self.x = x; self.y = y; self.values = values; self.dataName = dataName
    }
}

extension HeatmapMark: Drawable {
    var layer: Int { 0 }

    func extent(xScale: AxisScale, yScale: AxisScale) -> (xs: [Double], ys: [Double]) {
        (Self.edges(x, xScale), Self.edges(y, yScale))
    }

    /// Cell boundaries: midway between centres, and as far beyond the outer ones.
    static func edges(_ centres: [Double], _ scale: AxisScale) -> [Double] {
        let t = centres.map(scale.transform)
        guard t.count > 1 else { return centres }
        var edges = [t[0] - (t[1] - t[0]) / 2]
        for (a, b) in zip(t, t.dropFirst()) { edges.append((a + b) / 2) }
        edges.append(t[t.count - 1] + (t[t.count - 1] - t[t.count - 2]) / 2)
        return edges.map(scale.inverse)
    }

    func draw(_ context: MarkContext) {
        guard let scale = context.panel.colorScale else { return }
        let xe = Self.edges(x, context.map.xScale), ye = Self.edges(y, context.map.yScale)
        for (j, row) in values.enumerated() where j + 1 < ye.count {
            for (i, value) in row.enumerated() where i + 1 < xe.count && value.isFinite {
                guard let a = context.map.point(xe[i], ye[j]), let b = context.map.point(xe[i + 1], ye[j + 1]) else { continue }
                context.canvas.setColor(scale.color(for: value))
                // A hair wider than the cell, so that neighbours meet without a seam.
                context.canvas.fillRect(Rect(x: min(a.x, b.x) - 0.3, y: min(a.y, b.y) - 0.3, width: abs(b.x - a.x) + 0.6, height: abs(b.y - a.y) + 0.6))
            }
        }
    }

    var exported: [FigureSeries] {
        guard let dataName else { return [] }
        return zip(y, values).map { FigureSeries(label: "y=\($0)", data: dataName, x: x, y: $1) }
    }
}
