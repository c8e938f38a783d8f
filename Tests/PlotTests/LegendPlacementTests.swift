import Testing
@testable import Plot
import Foundation

struct LegendPlacementTests {
    /// Where the legend of `panel` goes in a 400 x 300 cell, and the axes.
    static func box(for panel: Panel) throws -> (Rect, CoordinateMap) {
        let canvas = try CairoCanvas(width: 400, height: 300, format: .png, scale: 1)
        let layout = PanelRenderer(panel: panel, canvas: canvas, style: .standard).layout(in: Rect(x: 0, y: 0, width: 400, height: 300))
        return (try #require(layout.legend).box, layout.map)
    }

    static func panel(_ lines: [([Double], [Double])]) -> Panel {
        var panel = Panel()
        panel.xLimits = 0...10
        panel.yLimits = 0...10
        for (x, y) in lines { panel.line(x, y, label: "series") }
        return panel
    }

    @Test func theLegendAvoidsTheData() throws {
        // A line along the top: both upper corners are taken, a lower corner is free.
        let (box1, map1) = try Self.box(for: Self.panel([([0, 10], [9.2, 9.2])]))
        #expect(box1.y > map1.plot.y + map1.plot.height / 2)
        // Lines along the top and the bottom: only the middle of a side is free.
        let (box2, map2) = try Self.box(for: Self.panel([([0, 10], [9.5, 9.5]), ([0, 10], [0.5, 0.5])]))
        let middle = map2.plot.y + map2.plot.height / 2
        #expect(box2.y < middle && box2.maxY > middle && box2.maxX <= map2.plot.maxX)
    }

    @Test func whenEveryCornerHoldsDataTheLegendGoesOutside() throws {
        // A grid of points over the whole panel: no corner is free.
        let grid = (0...10).flatMap { x in (0...10).map { (Double(x), Double($0)) } }
        var panel = Self.panel([])
        panel.add(ScatterMark(x: grid.map(\.0), y: grid.map(\.1), color: .black, size: 3, label: "trials"))
        let (box, map) = try Self.box(for: panel)
        #expect(box.x > map.plot.maxX && box.maxX <= 400)
        // Drawn, the figure grows by the legend's room instead of narrowing the plot: the plot ends
        // where it ends with no legend at all, and the legend's text is beside it.
        var figure = Figure(width: 400, panelHeight: 300)
        figure[0, 0] = panel
        let extra = try figure.drawnSize().width - 400
        #expect(abs(extra - (box.width + 10)) < 1e-9)
        var bare = figure
        bare[0, 0].legend = .hidden
        #expect(try figure.position(ofX: 10, y: 0, row: 0, column: 0).x == bare.position(ofX: 10, y: 0, row: 0, column: 0).x)
        let image = try figure.bitmap()
        #expect(image.width == 400 + Int(extra.rounded()))
        let shifted = box.x + extra
        #expect((Int(shifted) + 28..<Int(shifted + box.width)).contains { x in (Int(box.y)..<Int(box.maxY)).contains { image.darkness(x: x, y: $0) > 100 } })
        // Below, when asked: under the axis labels, across the cell.
        panel.legend = .below
        let (below, belowMap) = try Self.box(for: panel)
        #expect(below.y > belowMap.plot.maxY + 20 && below.maxY <= 300 && below.width > 300)
    }

    @Test func aHiddenLegendDrawsNothing() throws {
        var figure = Figure(width: 400, panelHeight: 300)
        var panel = Self.panel([([0, 10], [0, 0])])
        panel.grid = false
        panel.legend = .hidden
        figure[0, 0] = panel
        let image = try figure.bitmap()
        let (box, _) = try Self.box(for: Self.panel([([0, 10], [0, 0])]))
        // Where the legend would have gone (a corner away from the line), the panel is blank.
        let ink = (Int(box.x)..<Int(box.maxX)).flatMap { x in (Int(box.y)..<Int(box.maxY)).map { image.darkness(x: x, y: $0) } }
        #expect(ink.allSatisfy { $0 < 10 })
        panel.legend = .automatic
        figure[0, 0] = panel
        let shown = try figure.bitmap()
        #expect((Int(box.x)..<Int(box.maxX)).contains { x in (Int(box.y)..<Int(box.maxY)).contains { shown.darkness(x: x, y: $0) > 100 } })
    }
}
