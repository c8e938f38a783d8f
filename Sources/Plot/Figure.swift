/// Font sizes and spacing shared by every figure.
///
/// A figure is designed at the size it is shown: no wider than `columnWidth`, the text column of
/// the HTML edition, where one point of the design is one CSS pixel. Its text is then shown at its
/// size in points, and no text is smaller than `smallestText` there.
public struct Style: Sendable {
    public var figureTitleFontSize = 15.0
    public var titleFontSize = 12.5
    public var labelFontSize = 12.0
    public var tickFontSize = 11.0
    public var legendFontSize = 11.0

    public init() {}

    public static let standard = Style()

    /// The widest a figure is drawn, in points: the HTML edition's text column in CSS pixels.
    public static let columnWidth = 832.0
    /// The smallest text a reader should meet, in CSS pixels at the size a figure is shown.
    public static let smallestText = 11.0
}

/// A figure: a grid of panels under an optional title.
///
/// Sizes are in points; PNGs are rendered at `scale` pixels per point (2 by default, so an
/// 800-point figure is 1600 pixels wide and stays sharp on high-DPI screens).
public struct Figure: Sendable {
    public var title: String?
    public let rows: Int
    public let columns: Int
    public var width: Double
    public var panelHeight: Double
    public var style = Style.standard
    public var panels: [Panel]
    /// One legend for the whole figure, laid across under its title: the entries of the first
    /// panel that has any. The panels then draw none of their own. For grids of panels that all
    /// draw the same series, where a legend in one panel would crowd it.
    public var sharedLegend = false

    public init(rows: Int = 1, columns: Int = 1, title: String? = nil, width: Double = 800, panelHeight: Double = 320) {
        precondition(rows > 0 && columns > 0, "a figure needs at least one panel")
        self.rows = rows
        self.columns = columns
        self.title = title
        self.width = width
        self.panelHeight = panelHeight
        panels = Array(repeating: Panel(), count: rows * columns)
    }

    /// The panel in row `row`, column `column` (both from zero).
    public subscript(row: Int, column: Int) -> Panel {
        get { panels[row * columns + column] }
        set { panels[row * columns + column] = newValue }
    }

    var titleHeight: Double { title == nil ? 0 : style.figureTitleFontSize + 16 }

    /// The panels as drawn: without legends of their own when the figure has a shared one.
    var drawnPanels: [Panel] {
        guard sharedLegend else { return panels }
        return panels.map { var panel = $0; panel.legend = .hidden; return panel }
    }

    /// The panel whose entries the shared legend shows.
    var legendSource: Panel? {
        sharedLegend ? panels.first { panel in panel.marks.contains { $0.legendLabel != nil } } : nil
    }

    /// Where the panels go: each panel's cell, whether its legend goes outside, and the width of
    /// the whole figure.
    struct Arrangement {
        let cells: [Rect]
        let outside: [Bool]
        /// The room each panel keeps below its plot for a legend: the most of any in its row.
        let below: [Double]
        /// Whether a panel of each panel's column draws a colour bar.
        let bar: [Bool]
        /// The shared legend's box, under the title.
        let legend: Rect?
        let width: Double
        let height: Double
    }

    /// The panels share `width` (at most `Style.columnWidth`), a column with a colour bar taking the
    /// bar's room more. A column whose legend cannot go inside any panel of it (every corner holds
    /// data) is widened by the legend's width, so that the legend sits beside the plot without
    /// narrowing it, as long as the whole stays within `Style.columnWidth`; past that, the panels
    /// narrow instead. Panels of one row whose legends go below reserve the same room for them, so that
    /// their axes line up. Measured with a small canvas of its own at the scale the figure is
    /// drawn at (text widths need fonts, and hinting makes them depend on the scale).
    func arrangement(scale: Double = 1) throws -> Arrangement {
        let canvas = try CairoCanvas(width: 10, height: 10, format: .png, scale: scale)
        defer { _ = try? canvas.finish() }
        let panels = drawnPanels, widest = min(width, Style.columnWidth)
        func renderer(_ panel: Panel) -> PanelRenderer { PanelRenderer(panel: panel, canvas: canvas, style: style) }
        // A legend that goes beside its plot stays there once it has (narrower panels only crowd
        // the corners more), so that narrowing the panels for it cannot oscillate.
        var outside = [Bool](repeating: false, count: panels.count), extra = [Double](repeating: 0, count: columns)
        func measure(nominal: Double) {
            for (index, panel) in panels.enumerated() where !panel.isEmpty {
                let room = renderer(panel).outsideLegendWidth(in: Rect(x: 0, y: 0, width: nominal, height: panelHeight))
                if room > 0 { outside[index] = true }
                extra[index % columns] = max(extra[index % columns], room)
            }
        }
        // A column with a colour bar is wider by the bar's room, so that every plot is as wide.
        let bars = (0..<columns).map { column in panels.indices.contains { $0 % columns == column && panels[$0].colorScale?.showsBar == true } }
        let barRoom = bars.map { $0 && columns > 1 ? PanelRenderer.colorBarRoom : 0 }
        var nominal = (widest - barRoom.reduce(0, +)) / Double(columns)
        measure(nominal: nominal)
        for _ in 0..<3 where nominal * Double(columns) + extra.reduce(0, +) + barRoom.reduce(0, +) > Style.columnWidth + 0.5 {
            nominal = max(60, (Style.columnWidth - extra.reduce(0, +) - barRoom.reduce(0, +)) / Double(columns))
            measure(nominal: nominal)
        }
        var x = [0.0]
        for column in 0..<columns { x.append(x[column] + nominal + extra[column] + barRoom[column]) }
        var top = titleHeight, legend: Rect?
        if let source = legendSource {
            let height = renderer(source).legendAcrossHeight(width: x[columns] - 20)
            legend = Rect(x: 10, y: top, width: x[columns] - 20, height: height)
            top += height + 4
        }
        let cells = panels.indices.map { index in
            Rect(x: x[index % columns], y: top + Double(index / columns) * panelHeight,
                 width: nominal + extra[index % columns] + barRoom[index % columns], height: panelHeight)
        }
        var below = [Double](repeating: 0, count: rows)
        for (index, panel) in panels.enumerated() where !panel.isEmpty {
            below[index / columns] = max(below[index / columns], renderer(panel).legendBelowHeight(in: cells[index]))
        }
        return Arrangement(cells: cells, outside: outside, below: panels.indices.map { below[$0 / columns] },
                           bar: panels.indices.map { bars[$0 % columns] }, legend: legend, width: x[columns],
                           height: top + Double(rows) * panelHeight)
    }

    /// The size the figure is drawn at, in points: at most `width` (and `Style.columnWidth`) wide.
    public func drawnSize() throws -> (width: Double, height: Double) {
        let arrangement = try arrangement()
        return (arrangement.width, arrangement.height)
    }

    /// Where the data point (x, y) of a panel lands, in points from the figure's top-left corner
    /// (multiply by the scale for PNG pixels).
    public func position(ofX x: Double, y: Double, row: Int, column: Int) throws -> (x: Double, y: Double) {
        let arrangement = try arrangement(), index = row * columns + column
        let canvas = try CairoCanvas(width: 10, height: 10, format: .png, scale: 1)
        let map = renderer(drawnPanels[index], at: index, on: canvas, arrangement).layout(in: arrangement.cells[index]).map
        _ = try canvas.finish()
        return (map.x(x), map.y(y))
    }

    /// The figure rendered to pixels, for tests that look at what was drawn.
    public func bitmap(scale: Double = 1, theme: Theme = .light) throws -> Bitmap {
        let arrangement = try arrangement(scale: scale)
        let canvas = try CairoCanvas(width: arrangement.width, height: arrangement.height, format: .png, scale: scale, theme: theme)
        draw(on: canvas, arrangement)
        return canvas.bitmap()
    }

    func draw(on canvas: CairoCanvas, _ arrangement: Arrangement) {
        if let title {
            canvas.font(size: style.figureTitleFontSize, bold: true)
            canvas.text(title, at: Point(x: arrangement.width / 2, y: 10), align: .center, baseline: .top)
        }
        if let source = legendSource, let box = arrangement.legend {
            PanelRenderer(panel: source, canvas: canvas, style: style).drawLegend(in: box, across: true, centred: true)
        }
        for (index, panel) in drawnPanels.enumerated() where !panel.isEmpty || panel.title != nil {
            renderer(panel, at: index, on: canvas, arrangement).draw(in: arrangement.cells[index])
        }
    }

    /// The renderer of the panel at `index`, with the room the arrangement gave it.
    func renderer(_ panel: Panel, at index: Int, on canvas: CairoCanvas, _ arrangement: Arrangement) -> PanelRenderer {
        PanelRenderer(panel: panel, canvas: canvas, style: style, legendOutside: arrangement.outside[index],
                      legendBelow: arrangement.below[index], barRoom: arrangement.bar[index])
    }

    /// The size the figure is drawn at, in points, and the smallest text it draws at that size,
    /// measured from what is drawn: one layout and one drawing for all three.
    public func measured() throws -> (width: Double, height: Double, smallestText: Double) {
        let arrangement = try arrangement()
        let canvas = try CairoCanvas(width: arrangement.width, height: arrangement.height, format: .png, scale: 1)
        draw(on: canvas, arrangement)
        _ = try canvas.finish()
        return (arrangement.width, arrangement.height, canvas.smallestFontSize)
    }

    /// The smallest text the figure draws, in CSS pixels, where the HTML edition shows it: at its
    /// drawn width, or narrowed to `column` if wider.
    public func smallestTextShown(column: Double = Style.columnWidth) throws -> Double {
        let measured = try measured()
        return measured.smallestText * min(1, column / measured.width)
    }

    /// The numbers the figure shows, panel by panel: what its data file holds.
    public var exportedSeries: [FigureSeries] { panels.flatMap(\.exportedSeries) }

    /// The figure encoded as a file of the given format, in the ink and paper of `theme`.
    public func render(_ format: ImageFormat, scale: Double = 2, theme: Theme = .light) throws -> [UInt8] {
        let arrangement = try arrangement(scale: scale)
        let canvas = try CairoCanvas(width: arrangement.width, height: arrangement.height, format: format, scale: scale, theme: theme)
        draw(on: canvas, arrangement)
        return try canvas.finish()
    }
}
