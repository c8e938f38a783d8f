import Testing
@testable import Plot

/// Figures are designed at the width the HTML column shows them, so that their text is read at
/// the size it was set in.
struct DisplaySizeTests {
    /// A panel of two lines over 0...10, the second labelled `label`.
    static func panel(label: String = "second", yLabel: String? = "y") -> Panel {
        var panel = Panel(title: "panel", xLabel: "x", yLabel: yLabel)
        panel.line([0, 5, 10], [0, 10, 0], label: "first")
        panel.line([0, 5, 10], [10, 0, 10], label: label)
        return panel
    }

    /// How wide a panel's plot is drawn: from x = 0 to x = 10 of its data.
    static func plotWidth(_ figure: Figure, row: Int = 0, column: Int) throws -> Double {
        try figure.position(ofX: 10, y: 0, row: row, column: column).x - figure.position(ofX: 0, y: 0, row: row, column: column).x
    }

    @Test func aWideFigureIsDrawnAtTheColumnsWidthWithItsTextAtFullSize() throws {
        var figure = Figure(rows: 2, columns: 5, title: "ten panels", width: 2400, panelHeight: 200)
        for index in 0..<10 { figure[index / 5, index % 5] = Self.panel() }
        let size = try figure.drawnSize()
        #expect(size.width <= Style.columnWidth && size.width > Style.columnWidth - 1)
        #expect(try figure.smallestTextShown() == Style.standard.tickFontSize)
        #expect(Style.standard.tickFontSize >= Style.smallestText)
        // Shown in a column half as wide, the same figure's text is half the size.
        #expect(try figure.smallestTextShown(column: Style.columnWidth / 2) == Style.standard.tickFontSize / 2)
    }

    @Test func aLegendTooWideForAnyCornerTakesRoomWithoutCrushingThePlot() throws {
        // The legend of the second panel covers data wherever it goes inside, and is long.
        var figure = Figure(rows: 1, columns: 2, width: 1000, panelHeight: 300)
        figure[0, 0] = Self.panel()
        figure[0, 1] = Self.panel(label: "a long label for the second line of the panel")
        let size = try figure.drawnSize()
        #expect(size.width <= Style.columnWidth)
        let first = try Self.plotWidth(figure, column: 0), second = try Self.plotWidth(figure, column: 1)
        #expect(second > first / 2, "the plot beside the legend keeps most of its width: \(second) against \(first)")
    }

    @Test func aSharedLegendIsDrawnOnceUnderTheTitle() throws {
        var figure = Figure(rows: 2, columns: 2, title: "four panels", width: 600, panelHeight: 200)
        for index in 0..<4 { figure[index / 2, index % 2] = Self.panel() }
        let alone = try figure.position(ofX: 0, y: 10, row: 0, column: 0).y
        figure.sharedLegend = true
        let arrangement = try figure.arrangement()
        let legend = try #require(arrangement.legend)
        // Under the title, above every panel, which move down by its height.
        #expect(legend.y >= figure.titleHeight && arrangement.cells.allSatisfy { $0.y >= legend.maxY })
        #expect(try figure.position(ofX: 0, y: 10, row: 0, column: 0).y > alone + legend.height)
        #expect(arrangement.height == figure.titleHeight + legend.height + 4 + 2 * 200)
        // Ink in the legend's row (its swatches and labels), none left in the panels' corners:
        // every panel's legend box would be framed in grey, and the panels hold only two lines.
        let image = try figure.bitmap()
        let inked = (Int(legend.x)..<Int(legend.maxX)).filter { x in (Int(legend.y)..<Int(legend.maxY)).contains { image.darkness(x: x, y: $0) > 100 } }
        #expect(inked.count > 40)
        #expect(figure.drawnPanels.allSatisfy { $0.legend == .hidden })
        #expect(arrangement.outside.allSatisfy { !$0 })
    }

    @Test func aColumnWithAColourBarIsWiderByItsRoomSoThatThePlotsMatch() throws {
        var figure = Figure(rows: 1, columns: 3, width: 900, panelHeight: 300)
        for column in 0..<3 {
            var panel = Panel(title: "panel")
            panel.xLimits = 0...10
            panel.yLimits = 0...10
            panel.add(ScatterMark(x: [1, 9], y: [1, 9], values: [0, 1]))
            panel.colorScale = ColorScale(range: 0...1, label: "value", showsBar: column == 2)
            figure[0, column] = panel
        }
        let widths = try (0..<3).map { try Self.plotWidth(figure, column: $0) }
        #expect(abs(widths[0] - widths[2]) < 0.5 && abs(widths[1] - widths[2]) < 0.5, "\(widths)")
        #expect(try figure.drawnSize().width <= Style.columnWidth)
    }
}
