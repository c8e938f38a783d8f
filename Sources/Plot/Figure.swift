/// Font sizes and spacing shared by every figure.
public struct Style: Sendable {
    public var figureTitleFontSize = 15.0
    public var titleFontSize = 12.0
    public var labelFontSize = 11.0
    public var tickFontSize = 9.5
    public var legendFontSize = 9.5

    public init() {}

    public static let standard = Style()
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

    public var height: Double { titleHeight + Double(rows) * panelHeight }

    /// Where the panels go: each panel's cell, whether its legend goes outside, and the width of
    /// the whole figure.
    struct Arrangement {
        let cells: [Rect]
        let outside: [Bool]
        let width: Double
    }

    /// A column whose legend cannot go inside any panel of it (every corner holds data) is widened
    /// by the legend's width, so that the legend sits beside the plot without narrowing it: the
    /// figure grows instead. Measured with a small canvas of its own at the scale the figure is
    /// drawn at (text widths need fonts, and hinting makes them depend on the scale).
    func arrangement(scale: Double = 1) throws -> Arrangement {
        let canvas = try CairoCanvas(width: 10, height: 10, format: .png, scale: scale)
        defer { _ = try? canvas.finish() }
        let nominal = width / Double(columns)
        var extra = [Double](repeating: 0, count: columns), outside = [Bool](repeating: false, count: panels.count)
        for (index, panel) in panels.enumerated() where !panel.isEmpty {
            let cell = Rect(x: 0, y: 0, width: nominal, height: panelHeight)
            let room = PanelRenderer(panel: panel, canvas: canvas, style: style).outsideLegendWidth(in: cell)
            outside[index] = room > 0
            extra[index % columns] = max(extra[index % columns], room)
        }
        var x = [0.0]
        for column in 0..<columns { x.append(x[column] + nominal + extra[column]) }
        let cells = panels.indices.map { index in
            Rect(x: x[index % columns], y: titleHeight + Double(index / columns) * panelHeight, width: nominal + extra[index % columns], height: panelHeight)
        }
        return Arrangement(cells: cells, outside: outside, width: x[columns])
    }

    /// The width the figure is drawn at: `width`, plus any room its outside legends take.
    public func drawnWidth() throws -> Double { try arrangement().width }

    /// Where the data point (x, y) of a panel lands, in points from the figure's top-left corner
    /// (multiply by the scale for PNG pixels).
    public func position(ofX x: Double, y: Double, row: Int, column: Int) throws -> (x: Double, y: Double) {
        let arrangement = try arrangement(), index = row * columns + column
        let canvas = try CairoCanvas(width: 10, height: 10, format: .png, scale: 1)
        let map = PanelRenderer(panel: panels[index], canvas: canvas, style: style, legendOutside: arrangement.outside[index])
            .layout(in: arrangement.cells[index]).map
        _ = try canvas.finish()
        return (map.x(x), map.y(y))
    }

    /// The figure rendered to pixels, for tests that look at what was drawn.
    public func bitmap(scale: Double = 1) throws -> Bitmap {
        let arrangement = try arrangement(scale: scale)
        let canvas = try CairoCanvas(width: arrangement.width, height: height, format: .png, scale: scale)
        draw(on: canvas, arrangement)
        return canvas.bitmap()
    }

    func draw(on canvas: CairoCanvas, _ arrangement: Arrangement) {
        if let title {
            canvas.font(size: style.figureTitleFontSize, bold: true)
            canvas.text(title, at: Point(x: arrangement.width / 2, y: 10), align: .center, baseline: .top)
        }
        for (index, panel) in panels.enumerated() where !panel.isEmpty || panel.title != nil {
            PanelRenderer(panel: panel, canvas: canvas, style: style, legendOutside: arrangement.outside[index]).draw(in: arrangement.cells[index])
        }
    }

    /// The numbers the figure shows, panel by panel: what its data file holds.
    public var exportedSeries: [FigureSeries] { panels.flatMap(\.exportedSeries) }

    /// The figure encoded as a file of the given format.
    public func render(_ format: ImageFormat, scale: Double = 2) throws -> [UInt8] {
        let arrangement = try arrangement(scale: scale)
        let canvas = try CairoCanvas(width: arrangement.width, height: height, format: format, scale: scale)
        draw(on: canvas, arrangement)
        return try canvas.finish()
    }
}
