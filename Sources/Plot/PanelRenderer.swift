import Foundation

/// Draws one panel into its cell of a figure.
struct PanelRenderer {
    let panel: Panel
    let canvas: CairoCanvas
    let style: Style
    /// The figure decided, on the panel's nominal cell, that its legend goes outside, and widened
    /// the cell for it: keep it there even if the wider plot would leave a corner free.
    var legendOutside = false
    /// The room the figure keeps below the plot for a legend (the most of any panel in the row,
    /// so that their axes line up); nil: the panel's own.
    var legendBelow: Double? = nil
    /// Another panel of the column draws a colour bar: keep the same room, so that the plots' right
    /// edges line up.
    var barRoom = false

    /// The room a colour bar and its ticks take to the right of the plot.
    static let colorBarRoom = 62.0

    /// Data limits in transformed (log10 where logarithmic) coordinates.
    struct Limits { var x: ClosedRange<Double>; var y: ClosedRange<Double> }

    /// Where the axes go inside `cell`, and the ticks they carry.
    struct Layout {
        let map: CoordinateMap
        let xTicks: [Double]
        let yTicks: [Double]
        let yTickLabels: [String]
        /// Where the legend goes, and whether its entries run across (below the panel) or down.
        var legend: (box: Rect, across: Bool)?
        /// The legend sits beside the plot, in room taken from it.
        var beside = false
    }

    func draw(in cell: Rect) {
        let layout = self.layout(in: cell)
        let map = layout.map, plot = map.plot, xTicks = layout.xTicks, yTicks = layout.yTicks, yTickLabels = layout.yTickLabels
        if panel.grid { drawGrid(map, xTicks: xTicks, yTicks: yTicks) }
        canvas.save()
        canvas.clip(plot)
        let context = MarkContext(canvas: canvas, map: map, panel: panel, style: style)
        for mark in panel.marks.enumerated().sorted(by: { ($0.element.layer, $0.offset) < ($1.element.layer, $1.offset) }) {
            mark.element.draw(context)
        }
        canvas.restore()

        drawAxes(map, xTicks: xTicks, yTicks: yTicks, yTickLabels: yTickLabels)
        if let title = panel.title {
            canvas.font(size: style.titleFontSize, bold: false)
            canvas.text(title, at: Point(x: plot.x + plot.width / 2, y: cell.y + 8), align: .center, baseline: .top)
        }
        if let label = panel.xLabel {
            canvas.font(size: style.labelFontSize)
            canvas.text(label, at: Point(x: plot.x + plot.width / 2, y: plot.maxY + 22), align: .center, baseline: .top)
        }
        if let label = panel.yLabel {
            canvas.font(size: style.labelFontSize)
            canvas.text(label, at: Point(x: cell.x + 8, y: plot.y + plot.height / 2), align: .center, baseline: .top, angle: -.pi / 2)
        }
        if let scale = panel.colorScale, scale.showsBar { drawColorBar(scale, beside: plot) }
        if let legend = layout.legend { drawLegend(in: legend.box, across: legend.across) }
    }

    /// The room an outside legend takes to the right of the plot in a cell of this size: 0 when
    /// the legend is hidden, below, or fits in a corner. The figure widens the cell by as much.
    func outsideLegendWidth(in cell: Rect) -> Double {
        guard panel.legend == .automatic, !legendEntries.isEmpty else { return 0 }
        let layout = self.layout(in: cell)
        guard let legend = layout.legend, layout.beside else { return 0 }
        return legend.box.width + 10
    }

    /// The room a legend below the plot takes in `cell` (0 for any other legend).
    func legendBelowHeight(in cell: Rect) -> Double {
        guard panel.legend == .below, !legendEntries.isEmpty else { return 0 }
        return legendAcrossHeight(width: cell.width - 20) + 4
    }

    /// The height of the legend laid across a box `width` wide, its entries wrapping onto rows.
    func legendAcrossHeight(width: Double) -> Double {
        canvas.font(size: style.legendFontSize)
        let rows = (Self.across(legendEntries.map { canvas.textWidth($0.1) + 38 }, width: width).last?.row ?? 0) + 1
        return Double(rows) * (style.legendFontSize + 5) + 8
    }

    /// The axes' place in `cell` and the legend's: inside the plot in a corner that covers no data;
    /// to the right of the plot (which narrows to make room: the figure widens the cell by as
    /// much, see `outsideLegendWidth`) when every corner would; below it when the panel asks.
    func layout(in cell: Rect) -> Layout {
        let entries = legendEntries
        guard panel.legend != .hidden, !entries.isEmpty else { return layout(in: cell, right: 0, bottom: legendBelow ?? 0) }
        canvas.font(size: style.legendFontSize)
        let rowHeight = style.legendFontSize + 5
        let widths = entries.map { canvas.textWidth($0.1) + 38 }
        if panel.legend == .below {
            // Entries side by side, wrapping onto as many rows as the cell's width needs.
            let height = legendAcrossHeight(width: cell.width - 20)
            var result = layout(in: cell, right: 0, bottom: max(height + 4, legendBelow ?? 0))
            result.legend = (Rect(x: cell.x + 10, y: cell.maxY - height - 2, width: cell.width - 20, height: height), true)
            return result
        }
        let size = (width: widths.max()!, height: Double(entries.count) * rowHeight + 8)
        var result = layout(in: cell, right: 0, bottom: legendBelow ?? 0)
        if !legendOutside, let corner = freeCorner(width: size.width, height: size.height, result.map) {
            result.legend = (corner, false)
            return result
        }
        result = layout(in: cell, right: size.width + 10, bottom: legendBelow ?? 0)
        result.legend = (Rect(x: cell.maxX - 8 - size.width, y: result.map.plot.y, width: size.width, height: size.height), false)
        result.beside = true
        return result
    }

    func layout(in cell: Rect, right reservedRight: Double, bottom reservedBottom: Double) -> Layout {
        let limits = dataLimits()
        let xTicks = panel.xTickLabels?.map(\.0) ?? ticks(limits.x, scale: panel.xScale)
        let yTicks = panel.yTickLabels?.map(\.0) ?? ticks(limits.y, scale: panel.yScale)
        let yTickLabels = panel.yTickLabels?.map(\.1) ?? yTicks.map { panel.yUnit.label($0, among: yTicks, scale: panel.yScale) }
        canvas.font(size: style.tickFontSize)
        let yTickWidth = yTickLabels.map(canvas.textWidth).max() ?? 0
        let left = cell.x + 10 + (panel.yLabel == nil ? 0 : style.labelFontSize + 8) + yTickWidth + 6
        let right = cell.maxX - 14 - (panel.colorScale?.showsBar == true || barRoom ? Self.colorBarRoom : 0) - reservedRight
        let top = cell.y + (panel.title == nil ? 10 : style.titleFontSize + 14)
        let bottom = cell.maxY - (panel.xLabel == nil ? 24 : 24 + style.labelFontSize + 8) - reservedBottom
        var plot = Rect(x: left, y: top, width: max(right - left, 10), height: max(bottom - top, 10))
        if panel.equalAspect {
            // The plot keeps the data's shape: the longer side shrinks, centred in its room.
            let ratio = (limits.y.upperBound - limits.y.lowerBound) / max(limits.x.upperBound - limits.x.lowerBound, 1e-12)
            if plot.width * ratio <= plot.height {
                let height = plot.width * ratio
                plot = Rect(x: plot.x, y: plot.y + (plot.height - height) / 2, width: plot.width, height: height)
            } else {
                let width = plot.height / ratio
                plot = Rect(x: plot.x + (plot.width - width) / 2, y: plot.y, width: width, height: plot.height)
            }
        }
        let map = CoordinateMap(plot: plot, limits: limits, xScale: panel.xScale, yScale: panel.yScale)
        return Layout(map: map, xTicks: xTicks, yTicks: yTicks, yTickLabels: yTickLabels)
    }

    // MARK: Limits and ticks

    func dataLimits() -> Limits {
        var xs: [Double] = [], ys: [Double] = []
        for mark in panel.marks {
            let e = mark.extent(xScale: panel.xScale, yScale: panel.yScale)
            xs += e.xs; ys += e.ys
        }
        func range(_ values: [Double], fixed: ClosedRange<Double>?, scale: AxisScale, pad: Bool, labelled: Bool) -> ClosedRange<Double> {
            if let fixed { return scale.transform(fixed.lowerBound)...scale.transform(fixed.upperBound) }
            let t = values.map(scale.transform).filter(\.isFinite)
            guard var low = t.min(), var high = t.max() else { return 0...1 }
            if scale == .logarithmic, low < high, !labelled {
                // Out to the labelled values around the data, so that none lies past the last label
                // (an axis whose labels the panel sets has its own).
                let enclosing = Ticks.logarithmicEnclosing(pow(10, low)...pow(10, high))
                (low, high) = (log10(enclosing.lowerBound), log10(enclosing.upperBound))
            }
            if low == high { low -= 0.5; high += 0.5 }
            if pad { let margin = (high - low) * 0.04; low -= margin; high += margin }
            return low...high
        }
        let hasHistogram = panel.marks.contains { $0 is HistogramMark }
        var y = range(ys, fixed: panel.yLimits, scale: panel.yScale, pad: true, labelled: panel.yTickLabels != nil)
        if hasHistogram, panel.yLimits == nil { y = 0...y.upperBound }
        return Limits(x: range(xs, fixed: panel.xLimits, scale: panel.xScale, pad: !hasHistogram, labelled: panel.xTickLabels != nil), y: y)
    }

    func ticks(_ transformed: ClosedRange<Double>, scale: AxisScale) -> [Double] {
        switch scale {
        case .linear: Ticks.linear(transformed)
        case .logarithmic: Ticks.logarithmic(pow(10, transformed.lowerBound)...pow(10, transformed.upperBound))
        }
    }

    // MARK: Frame, grid, ticks

    func drawGrid(_ map: CoordinateMap, xTicks: [Double], yTicks: [Double]) {
        canvas.setColor(.grid)
        canvas.setLine(width: 0.7)
        for t in xTicks { let x = map.x(t); canvas.strokeLine(from: Point(x: x, y: map.plot.y), to: Point(x: x, y: map.plot.maxY)) }
        for t in yTicks { let y = map.y(t); canvas.strokeLine(from: Point(x: map.plot.x, y: y), to: Point(x: map.plot.maxX, y: y)) }
    }

    func drawAxes(_ map: CoordinateMap, xTicks: [Double], yTicks: [Double], yTickLabels: [String]) {
        let plot = map.plot
        canvas.setColor(.axis)
        canvas.setLine(width: 0.9)
        canvas.strokeRect(plot)
        canvas.font(size: style.tickFontSize)
        let xLabels = panel.xTickLabels.map { $0.map(\.1) } ?? xTicks.map { panel.xUnit.label($0, among: xTicks, scale: panel.xScale) }
        for (t, label) in zip(xTicks, xLabels) {
            let x = map.x(t)
            canvas.setColor(.axis)
            canvas.strokeLine(from: Point(x: x, y: plot.maxY), to: Point(x: x, y: plot.maxY + 4))
            canvas.text(label, at: Point(x: x, y: plot.maxY + 6), align: .center, baseline: .top, color: .axis)
        }
        for (t, label) in zip(yTicks, yTickLabels) {
            let y = map.y(t)
            canvas.setColor(.axis)
            canvas.strokeLine(from: Point(x: plot.x - 4, y: y), to: Point(x: plot.x, y: y))
            canvas.text(label, at: Point(x: plot.x - 6, y: y), align: .right, baseline: .middle, color: .axis)
        }
    }

    // MARK: Colour bar and legend

    func drawColorBar(_ scale: ColorScale, beside plot: Rect) {
        let bar = Rect(x: plot.maxX + 12, y: plot.y, width: 12, height: plot.height)
        let steps = 64
        for i in 0..<steps {
            let t0 = Double(i) / Double(steps)
            canvas.setColor(scale.map.color(at: t0 + 0.5 / Double(steps)))
            canvas.fillRect(Rect(x: bar.x, y: bar.maxY - (t0 + 1 / Double(steps)) * bar.height, width: bar.width,
                                 height: bar.height / Double(steps) + 0.3))
        }
        canvas.setColor(.axis)
        canvas.setLine(width: 0.7)
        canvas.strokeRect(bar)
        canvas.font(size: style.tickFontSize)
        let ticks = Ticks.linear(scale.range, target: 5)
        let span = scale.range.upperBound - scale.range.lowerBound
        for t in ticks {
            let y = bar.maxY - (span > 0 ? (t - scale.range.lowerBound) / span : 0.5) * bar.height
            canvas.strokeLine(from: Point(x: bar.maxX, y: y), to: Point(x: bar.maxX + 3, y: y))
            canvas.text(scale.unit.label(t, among: ticks, scale: .linear), at: Point(x: bar.maxX + 5, y: y), baseline: .middle,
                        color: .axis)
        }
        canvas.font(size: style.tickFontSize)
        canvas.text(scale.label, at: Point(x: bar.maxX + 44, y: plot.y + plot.height / 2), align: .center, baseline: .bottom,
                    angle: -.pi / 2)
    }

    /// The labelled marks, in the order they were added: one legend entry each.
    var legendEntries: [(any Drawable, String)] { panel.marks.compactMap { mark in mark.legendLabel.map { (mark, $0) } } }

    /// The legend in `box`: framed, one entry per row; or `across`, its entries side by side and
    /// wrapping, each row `centred` in the box if asked.
    func drawLegend(in box: Rect, across: Bool, centred: Bool = false) {
        let entries = legendEntries
        canvas.font(size: style.legendFontSize)
        let rowHeight = style.legendFontSize + 5
        if !across {
            canvas.setColor(Color.white.withAlpha(0.88))
            canvas.fillRect(box)
            canvas.setColor(Color(hex: "#cccccc"))
            canvas.setLine(width: 0.6)
            canvas.strokeRect(box)
        }
        // Down: one entry per row. Across: where `across` puts them, as the layout counted its rows.
        let widths = entries.map { canvas.textWidth($0.1) + 38 }
        var places = across ? Self.across(widths, width: box.width) : entries.indices.map { (x: 6.0, row: $0) }
        if centred {
            // Each row moves right by half of what it leaves free.
            var shift = [Int: Double]()
            for (place, width) in zip(places, widths) { shift[place.row] = (box.width - place.x - width) / 2 }
            places = places.map { (x: $0.x + max(0, shift[$0.row] ?? 0), row: $0.row) }
        }
        for ((mark, label), place) in zip(entries, places) {
            let y = box.y + 4 + (Double(place.row) + 0.5) * rowHeight
            mark.drawSwatch(canvas, left: box.x + place.x, y: y)
            canvas.font(size: style.legendFontSize)
            canvas.text(label, at: Point(x: box.x + place.x + 28, y: y), baseline: .middle)
        }
    }

    /// Where each entry of a legend laid across a box `width` wide goes: its x from the box's left
    /// edge and its row, the next entry 8 points after the last and on a new row when it would
    /// pass the edge. The layout counts rows with it and the legend draws with it, so they agree.
    static func across(_ widths: [Double], width: Double) -> [(x: Double, row: Int)] {
        var x = 6.0, row = 0
        return widths.map { w in
            if x > 6 && x + w > width { row += 1; x = 6 }
            defer { x += w + 8 }
            return (x, row)
        }
    }

    /// Of the four corners and the middles of the two sides, the first box that covers no data
    /// point; nil when each would.
    func freeCorner(width: Double, height: Double, _ map: CoordinateMap) -> Rect? {
        let p = map.plot.insetBy(6)
        let middle = p.y + (p.height - height) / 2
        let candidates = [Rect(x: p.maxX - width, y: p.y, width: width, height: height),
                          Rect(x: p.x, y: p.y, width: width, height: height),
                          Rect(x: p.x, y: p.maxY - height, width: width, height: height),
                          Rect(x: p.maxX - width, y: p.maxY - height, width: width, height: height),
                          Rect(x: p.maxX - width, y: middle, width: width, height: height),
                          Rect(x: p.x, y: middle, width: width, height: height)]
        let points = dataPoints(map)
        return candidates.first { box in !points.contains(where: box.insetBy(-4).contains) }
    }

    /// Points along every mark, a few points apart, for judging what a legend would cover.
    func dataPoints(_ map: CoordinateMap) -> [Point] { panel.marks.flatMap { $0.outline(map) } }
}

/// Data coordinates to canvas points.
struct CoordinateMap {
    let plot: Rect
    let limits: PanelRenderer.Limits
    let xScale: AxisScale
    let yScale: AxisScale

    func x(_ v: Double) -> Double {
        plot.x + (xScale.transform(v) - limits.x.lowerBound) / (limits.x.upperBound - limits.x.lowerBound) * plot.width
    }

    func y(_ v: Double) -> Double {
        plot.maxY - (yScale.transform(v) - limits.y.lowerBound) / (limits.y.upperBound - limits.y.lowerBound) * plot.height
    }

    /// nil for points a log axis cannot show or NaN; `clampY` pins bars to the visible range.
    func point(_ vx: Double, _ vy: Double, clampY: Bool = false) -> Point? {
        guard xScale.accepts(vx), yScale.accepts(vy) else { return nil }
        var py = y(vy)
        if clampY { py = min(max(py, plot.y - 1), plot.maxY + 1) }
        return Point(x: x(vx), y: py)
    }
}
