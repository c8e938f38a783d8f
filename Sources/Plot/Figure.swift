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

    func cell(_ index: Int) -> Rect {
        let cellWidth = width / Double(columns)
        return Rect(x: Double(index % columns) * cellWidth, y: titleHeight + Double(index / columns) * panelHeight,
                    width: cellWidth, height: panelHeight)
    }

    /// Where the data point (x, y) of a panel lands, in points from the figure's top-left corner
    /// (multiply by the scale for PNG pixels).
    public func position(ofX x: Double, y: Double, row: Int, column: Int) throws -> (x: Double, y: Double) {
        let canvas = try CairoCanvas(width: 10, height: 10, format: .png, scale: 1)
        let index = row * columns + column
        let map = PanelRenderer(panel: panels[index], canvas: canvas, style: style).layout(in: cell(index)).map
        _ = try canvas.finish()
        return (map.x(x), map.y(y))
    }

    /// The figure rendered to pixels, for tests that look at what was drawn.
    public func bitmap(scale: Double = 1) throws -> Bitmap {
        let canvas = try CairoCanvas(width: width, height: height, format: .png, scale: scale)
        draw(on: canvas)
        return canvas.bitmap()
    }

    func draw(on canvas: CairoCanvas) {
        if let title {
            canvas.font(size: style.figureTitleFontSize, bold: true)
            canvas.text(title, at: Point(x: width / 2, y: 10), align: .center, baseline: .top)
        }
        for (index, panel) in panels.enumerated() where !panel.isEmpty || panel.title != nil {
            PanelRenderer(panel: panel, canvas: canvas, style: style).draw(in: cell(index))
        }
    }

    /// The numbers the figure shows, panel by panel: what its data file holds.
    public var exportedSeries: [FigureSeries] { panels.flatMap(\.exportedSeries) }

    /// The figure encoded as a file of the given format.
    public func render(_ format: ImageFormat, scale: Double = 2) throws -> [UInt8] {
        let canvas = try CairoCanvas(width: width, height: height, format: format, scale: scale)
        draw(on: canvas)
        return try canvas.finish()
    }
}
