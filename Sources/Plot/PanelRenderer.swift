import Foundation

/// Draws one panel into its cell of a figure.
struct PanelRenderer {
    let panel: Panel
    let canvas: CairoCanvas
    let style: Style

    /// Data limits in transformed (log10 where logarithmic) coordinates.
    struct Limits { var x: ClosedRange<Double>; var y: ClosedRange<Double> }

    /// Where the axes go inside `cell`, and the ticks they carry.
    struct Layout {
        let map: CoordinateMap
        let xTicks: [Double]
        let yTicks: [Double]
        let yTickLabels: [String]
    }

    func draw(in cell: Rect) {
        let layout = self.layout(in: cell)
        let map = layout.map, plot = map.plot, xTicks = layout.xTicks, yTicks = layout.yTicks, yTickLabels = layout.yTickLabels
        if panel.grid { drawGrid(map, xTicks: xTicks, yTicks: yTicks) }
        canvas.save()
        canvas.clip(plot)
        let marks = panel.marks
        for mark in marks { if case .band = mark { drawMark(mark, map) } }
        for mark in marks { if case .histogram = mark { drawMark(mark, map) } else if case .bars = mark { drawMark(mark, map) } }
        for mark in marks { if case .contour = mark { drawMark(mark, map) } }
        for mark in marks { if case .line = mark { drawMark(mark, map) } }
        for mark in marks { if case .scatter = mark { drawMark(mark, map) } }
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
        if let scale = panel.colorScale { drawColorBar(scale, beside: plot) }
        drawLegend(map)
    }

    func layout(in cell: Rect) -> Layout {
        let limits = dataLimits()
        let xTicks = panel.xTickLabels?.map(\.0) ?? ticks(limits.x, scale: panel.xScale)
        let yTicks = ticks(limits.y, scale: panel.yScale)
        let yTickLabels = yTicks.map { Ticks.label($0, among: yTicks, scale: panel.yScale) }
        canvas.font(size: style.tickFontSize)
        let yTickWidth = yTickLabels.map(canvas.textWidth).max() ?? 0
        let left = cell.x + 10 + (panel.yLabel == nil ? 0 : style.labelFontSize + 8) + yTickWidth + 6
        let right = cell.maxX - 14 - (panel.colorScale == nil ? 0 : 62)
        let top = cell.y + (panel.title == nil ? 10 : style.titleFontSize + 14)
        let bottom = cell.maxY - (panel.xLabel == nil ? 24 : 24 + style.labelFontSize + 8)
        var plot = Rect(x: left, y: top, width: max(right - left, 10), height: max(bottom - top, 10))
        if panel.equalAspect {
            let dataAspect = (limits.y.upperBound - limits.y.lowerBound) / (limits.x.upperBound - limits.x.lowerBound)
            let height = plot.width * dataAspect
            if height <= plot.height {
                plot.y += (plot.height - height) / 2; plot.height = height
            } else {
                let width = plot.height / dataAspect
                plot.x += (plot.width - width) / 2; plot.width = width
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
        func range(_ values: [Double], fixed: ClosedRange<Double>?, scale: AxisScale, pad: Bool) -> ClosedRange<Double> {
            if let fixed { return scale.transform(fixed.lowerBound)...scale.transform(fixed.upperBound) }
            let t = values.map(scale.transform).filter(\.isFinite)
            guard var low = t.min(), var high = t.max() else { return 0...1 }
            if low == high { low -= 0.5; high += 0.5 }
            if pad { let margin = (high - low) * 0.04; low -= margin; high += margin }
            return low...high
        }
        let hasHistogram = panel.marks.contains { if case .histogram = $0 { true } else { false } }
        var y = range(ys, fixed: panel.yLimits, scale: panel.yScale, pad: true)
        if hasHistogram, panel.yLimits == nil { y = 0...y.upperBound }
        return Limits(x: range(xs, fixed: panel.xLimits, scale: panel.xScale, pad: !hasHistogram), y: y)
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
        let xLabels = panel.xTickLabels.map { $0.map(\.1) } ?? xTicks.map { Ticks.label($0, among: xTicks, scale: panel.xScale) }
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

    // MARK: Marks

    func drawMark(_ mark: Mark, _ map: CoordinateMap) {
        switch mark {
        case let .line(x, y, _, color, lineStyle, width, markers):
            let points = zip(x, y).map { map.point($0.0, $0.1) }
            canvas.setColor(color ?? Palette.color(0))
            canvas.setLine(width: width, style: lineStyle)
            canvas.strokePolyline(points)
            if let markers {
                for (i, p) in points.enumerated() where i % markers.every == 0 {
                    if let p { canvas.marker(markers.shape, at: p, size: markers.size, color: color ?? Palette.color(0)) }
                }
            }
        case let .band(x, lower, upper, color, opacity, _):
            canvas.setColor((color ?? Palette.color(0)).withAlpha(opacity))
            // One polygon per unbroken run of valid points.
            var run: [(Point, Point)] = []
            func flush() {
                if run.count > 1 { canvas.fillPolygon(run.map(\.1) + run.reversed().map(\.0)) }
                run = []
            }
            for i in 0..<min(x.count, lower.count, upper.count) {
                if let lo = map.point(x[i], lower[i]), let hi = map.point(x[i], upper[i]) { run.append((lo, hi)) } else { flush() }
            }
            flush()
        case let .scatter(x, y, values, color, size, shape, _):
            for i in 0..<min(x.count, y.count) {
                guard let p = map.point(x[i], y[i]) else { continue }
                var c = color ?? Palette.color(0)
                if let values, let scale = panel.colorScale, i < values.count {
                    let span = scale.range.upperBound - scale.range.lowerBound
                    c = values[i].isFinite ? scale.map.color(at: span > 0 ? (values[i] - scale.range.lowerBound) / span : 0.5)
                                           : Color(hex: "#bbbbbb")
                }
                canvas.marker(shape, at: p, size: size, color: c)
            }
        case let .histogram(values, bins, range, color, _):
            let counts = Histogram.counts(values, bins: bins, range: range)
            let width = (range.upperBound - range.lowerBound) / Double(bins)
            for (i, count) in counts.enumerated() where count > 0 {
                let x0 = range.lowerBound + Double(i) * width
                drawBar(from: x0, to: x0 + width, height: Double(count), color: color ?? Palette.color(0), map)
            }
        case let .bars(x, heights, width, color, _):
            for (xi, h) in zip(x, heights) { drawBar(from: xi - width / 2, to: xi + width / 2, height: h, color: color ?? Palette.color(0), map) }
        case let .contour(x, y, z, levels, color, labelsLevels):
            canvas.setColor(color)
            canvas.setLine(width: 0.9)
            for level in levels {
                let segments = MarchingSquares.segments(x: x, y: y, z: z, level: level)
                for s in segments {
                    if let a = map.point(s.x0, s.y0), let b = map.point(s.x1, s.y1) { canvas.strokeLine(from: a, to: b) }
                }
                if labelsLevels, let top = segments.max(by: { $0.y0 < $1.y0 }), let p = map.point(top.x0, top.y0) {
                    canvas.font(size: style.tickFontSize - 1.5)
                    let text = Ticks.compact(level)
                    canvas.setColor(.white)
                    let w = canvas.textWidth(text)
                    canvas.fillRect(Rect(x: p.x - w / 2 - 1.5, y: p.y - 6, width: w + 3, height: 12))
                    canvas.text(text, at: p, align: .center, baseline: .middle, color: color)
                    canvas.setColor(color)
                    canvas.setLine(width: 0.9)
                }
            }
        }
    }

    func drawBar(from x0: Double, to x1: Double, height: Double, color: Color, _ map: CoordinateMap) {
        let base = panel.yScale == .logarithmic ? pow(10, map.limits.y.lowerBound) : 0
        guard let a = map.point(x0, base, clampY: true), let b = map.point(x1, height, clampY: true) else { return }
        let rect = Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
        canvas.setColor(color.withAlpha(0.85))
        canvas.fillRect(rect)
        canvas.setColor(.white)
        canvas.setLine(width: 0.4)
        canvas.strokeRect(rect)
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
        canvas.font(size: style.tickFontSize - 1)
        let ticks = Ticks.linear(scale.range, target: 5)
        let span = scale.range.upperBound - scale.range.lowerBound
        for t in ticks {
            let y = bar.maxY - (span > 0 ? (t - scale.range.lowerBound) / span : 0.5) * bar.height
            canvas.strokeLine(from: Point(x: bar.maxX, y: y), to: Point(x: bar.maxX + 3, y: y))
            canvas.text(Ticks.label(t, among: ticks, scale: .linear), at: Point(x: bar.maxX + 5, y: y), baseline: .middle, color: .axis)
        }
        canvas.font(size: style.tickFontSize)
        canvas.text(scale.label, at: Point(x: bar.maxX + 44, y: plot.y + plot.height / 2), align: .center, baseline: .bottom,
                    angle: -.pi / 2)
    }

    func drawLegend(_ map: CoordinateMap) {
        guard panel.legend != .hidden else { return }
        let entries = panel.marks.compactMap { mark in mark.legendLabel.map { (mark, $0) } }
        guard !entries.isEmpty else { return }
        canvas.font(size: style.legendFontSize)
        let rowHeight = style.legendFontSize + 5
        let width = (entries.map { canvas.textWidth($0.1) }.max() ?? 0) + 38
        let height = Double(entries.count) * rowHeight + 8
        let box = legendBox(width: width, height: height, map)
        canvas.setColor(Color.white.withAlpha(0.88))
        canvas.fillRect(box)
        canvas.setColor(Color(hex: "#cccccc"))
        canvas.setLine(width: 0.6)
        canvas.strokeRect(box)
        for (i, entry) in entries.enumerated() {
            let y = box.y + 4 + (Double(i) + 0.5) * rowHeight
            let sample = (Point(x: box.x + 6, y: y), Point(x: box.x + 28, y: y))
            switch entry.0 {
            case let .line(_, _, _, color, lineStyle, width, markers):
                canvas.setColor(color ?? Palette.color(0))
                canvas.setLine(width: width, style: lineStyle)
                canvas.strokeLine(from: sample.0, to: sample.1)
                if let markers { canvas.marker(markers.shape, at: Point(x: box.x + 17, y: y), size: markers.size, color: color ?? Palette.color(0)) }
            case let .scatter(_, _, _, color, size, shape, _):
                canvas.marker(shape, at: Point(x: box.x + 17, y: y), size: size, color: color ?? Palette.color(0))
            case let .band(_, _, _, color, opacity, _):
                canvas.setColor((color ?? Palette.color(0)).withAlpha(opacity))
                canvas.fillRect(Rect(x: box.x + 6, y: y - 5, width: 22, height: 10))
            case let .histogram(_, _, _, color, _), let .bars(_, _, _, color, _):
                canvas.setColor((color ?? Palette.color(0)).withAlpha(0.85))
                canvas.fillRect(Rect(x: box.x + 6, y: y - 5, width: 22, height: 10))
            case .contour:
                break
            }
            canvas.font(size: style.legendFontSize)
            canvas.text(entry.1, at: Point(x: box.x + 34, y: y), baseline: .middle)
        }
    }

    /// The legend's box: a fixed corner, or the corner that covers the fewest data points.
    func legendBox(width: Double, height: Double, _ map: CoordinateMap) -> Rect {
        let p = map.plot.insetBy(6)
        let corners: [(LegendPlacement, Rect)] = [
            (.upperRight, Rect(x: p.maxX - width, y: p.y, width: width, height: height)),
            (.upperLeft, Rect(x: p.x, y: p.y, width: width, height: height)),
            (.lowerLeft, Rect(x: p.x, y: p.maxY - height, width: width, height: height)),
            (.lowerRight, Rect(x: p.maxX - width, y: p.maxY - height, width: width, height: height)),
        ]
        if let fixed = corners.first(where: { $0.0 == panel.legend }) { return fixed.1 }
        // Automatic: the corners first, then the middle of either side, the first of the least covered wins.
        let middle = p.y + (p.height - height) / 2
        let candidates = corners.map(\.1) + [Rect(x: p.maxX - width, y: middle, width: width, height: height),
                                             Rect(x: p.x, y: middle, width: width, height: height)]
        let points = dataPoints(map)
        let covered = candidates.map { box in points.filter(box.insetBy(-4).contains).count }
        return candidates[covered.firstIndex(of: covered.min()!)!]
    }

    /// Points along every mark, a few pixels apart, for judging what a legend would cover.
    func dataPoints(_ map: CoordinateMap) -> [Point] {
        var result: [Point] = []
        func addPath(_ points: [Point?]) {
            for (a, b) in zip(points, points.dropFirst()) {
                guard let a, let b else { continue }
                let steps = max(1, Int((abs(b.x - a.x) + abs(b.y - a.y)) / 6))
                for s in 0..<steps {
                    let t = Double(s) / Double(steps)
                    result.append(Point(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)))
                }
            }
            if let last = points.last, let last { result.append(last) }
        }
        for mark in panel.marks {
            switch mark {
            case let .line(x, y, _, _, _, _, _): addPath(zip(x, y).map { map.point($0.0, $0.1) })
            case let .band(x, lower, upper, _, _, _):
                addPath(zip(x, lower).map { map.point($0.0, $0.1) }); addPath(zip(x, upper).map { map.point($0.0, $0.1) })
            case let .scatter(x, y, _, _, _, _, _): result += zip(x, y).compactMap { map.point($0.0, $0.1) }
            default:
                let e = mark.extent(xScale: panel.xScale, yScale: panel.yScale)
                result += zip(e.xs, e.ys).compactMap { map.point($0.0, $0.1) }
            }
        }
        return result
    }
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
