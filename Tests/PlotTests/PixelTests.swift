import Foundation
import Testing
@testable import Plot

/// What a reader sees: pixels where marks must be, white where they must not.
struct PixelTests {
    /// A one-panel figure with fixed limits, no grid, no labels, rendered at one pixel per point.
    static func figure(_ build: (inout Panel) -> Void) -> Figure {
        var figure = Figure(width: 400, panelHeight: 300)
        var panel = Panel()
        panel.grid = false
        panel.legend = .hidden
        panel.xLimits = 0...10
        panel.yLimits = 0...10
        build(&panel)
        figure[0, 0] = panel
        return figure
    }

    static func pixel(_ figure: Figure, _ x: Double, _ y: Double) throws -> (Int, Int) {
        let p = try figure.position(ofX: x, y: y, row: 0, column: 0)
        return (Int(p.x), Int(p.y))
    }

    @Test func aLineCoversThePixelsBetweenItsPoints() throws {
        let figure = Self.figure { $0.add(LineMark(x: [1, 9], y: [2, 8], color: .black, width: 2)) }
        let image = try figure.bitmap()
        for t in stride(from: 0.1, through: 0.9, by: 0.1) {
            let (px, py) = try Self.pixel(figure, 1 + 8 * t, 2 + 6 * t)
            let darkest = (-1...1).flatMap { dx in (-1...1).map { dy in image.darkness(x: px + dx, y: py + dy) } }.max()!
            #expect(darkest > 200, "no line at t=\(t)")
        }
        // Off the line, the panel stays white.
        let (ox, oy) = try Self.pixel(figure, 8, 2)
        #expect(image.darkness(x: ox, y: oy) < 10)
    }

    @Test func theDarkThemeTurnsTheGreysOverAndKeepsTheDataColours() throws {
        // A red line and a black one on white paper, framed by the dark grey axes.
        let figure = Self.figure {
            $0.add(LineMark(x: [1, 9], y: [2, 2], color: .red, width: 4))
            $0.add(LineMark(x: [1, 9], y: [8, 8], color: .black, width: 4))
        }
        let light = try figure.bitmap(), dark = try figure.bitmap(theme: .dark)
        let paper = (x: 3, y: 3), (rx, ry) = try Self.pixel(figure, 5, 2), (bx, by) = try Self.pixel(figure, 5, 8)
        #expect(light.rgb(x: paper.x, y: paper.y) == (255, 255, 255))
        #expect(dark.rgb(x: paper.x, y: paper.y) == (0x0d, 0x11, 0x17))           // the dark page's background
        #expect(dark.rgb(x: rx, y: ry) == light.rgb(x: rx, y: ry))                 // red stays red
        #expect(light.rgb(x: rx, y: ry) == (0xd6, 0x27, 0x28))
        #expect(light.darkness(x: bx, y: by) > 240 && dark.darkness(x: bx, y: by) < 30)   // black ink turns light
        // The axes' grey turns light on dark paper: the frame's left edge is lighter than the paper.
        let frame = try figure.position(ofX: 0, y: 5, row: 0, column: 0)
        let edge = (-3...3).map { dark.darkness(x: Int(frame.x) + $0, y: Int(frame.y)) }.min()!
        // (A 0.9-point line at one pixel per point shares its pixels with the paper: lighter, not white.)
        #expect(edge < dark.darkness(x: paper.x, y: paper.y) - 60, "the axis is dark on dark paper: \(edge)")
    }

    @Test func aHistogramBarReachesItsCount() throws {
        // Values: bin [0, 5) holds 3, bin [5, 10] holds 6.
        let figure = Self.figure {
            $0.add(HistogramMark(values: [1, 2, 3, 6, 7, 7, 8, 9, 9.5], bins: 2, range: 0...10, color: .black))
        }
        let image = try figure.bitmap()
        let (x1, top1) = try Self.pixel(figure, 2.5, 3)
        let (x2, top2) = try Self.pixel(figure, 7.5, 6)
        #expect(image.darkness(x: x1, y: top1 + 3) > 150)   // just inside the first bar
        #expect(image.darkness(x: x1, y: top1 - 3) < 10)    // just above it
        #expect(image.darkness(x: x2, y: top2 + 3) > 150)
        #expect(image.darkness(x: x2, y: top2 - 3) < 10)
        #expect(Histogram.counts([1, 2, 3, 6, 7, 7, 8, 9, 9.5, 10, 11], bins: 2, range: 0...10) == [3, 7])
    }

    @Test func tickLabelsAreDrawnUnderTheirTicks() throws {
        let figure = Self.figure { $0.add(LineMark(x: [0, 10], y: [0, 10])) }
        let image = try figure.bitmap()
        for tick in [0.0, 2, 4, 6, 8, 10] {
            let (px, py) = try Self.pixel(figure, tick, 0)
            // The label sits 6 to 18 points below the axis, centred on the tick.
            let ink = (py + 7...py + 17).flatMap { y in (px - 4...px + 4).map { image.darkness(x: $0, y: y) } }
            #expect(ink.contains { $0 > 120 }, "no label under tick \(tick)")
        }
        // And nothing between two labels.
        let (gx, gy) = try Self.pixel(figure, 1, 0)
        #expect((gy + 7...gy + 17).allSatisfy { image.darkness(x: gx, y: $0) < 30 })
    }

    @Test func aBandIsFilledBetweenItsCurvesOnly() throws {
        let figure = Self.figure {
            $0.add(BandMark(x: [0, 10], lower: [3, 3], upper: [6, 6], color: Color(red: 0, green: 0, blue: 1), opacity: 0.5))
        }
        let image = try figure.bitmap()
        let (ix, iy) = try Self.pixel(figure, 5, 4.5)
        let inside = image.rgb(x: ix, y: iy)
        #expect(inside.blue > 200 && inside.red < 160 && inside.red > 100)   // half-transparent blue on white
        for y in [2.0, 7.0] {
            let (ox, oy) = try Self.pixel(figure, 5, y)
            #expect(image.darkness(x: ox, y: oy) < 5)
        }
    }

    @Test func contoursOfXSquaredPlusYSquaredAreCirclesInDataCoordinates() throws {
        let grid = stride(from: -5.0, through: 5, by: 0.1).map { $0 }
        var figure = Figure(width: 400, panelHeight: 400)
        var panel = Panel()
        panel.grid = false
        panel.xLimits = -5...5
        panel.yLimits = -5...5
        panel.add(ContourMark(x: grid, y: grid, z: grid.map { y in grid.map { x in x * x + y * y } }, levels: [9], color: .black))
        figure[0, 0] = panel
        let image = try figure.bitmap(scale: 2)
        for angle in stride(from: 0.0, to: 2 * Double.pi, by: Double.pi / 8) {
            let p = try figure.position(ofX: 3 * cos(angle), y: 3 * sin(angle), row: 0, column: 0)
            let (px, py) = (Int(p.x * 2), Int(p.y * 2))
            let darkest = (-2...2).flatMap { dx in (-2...2).map { dy in image.darkness(x: px + dx, y: py + dy) } }.max()!
            #expect(darkest > 100, "no contour at angle \(angle)")
            // Radius 2 and radius 4 in the same direction are empty.
            for r in [2.0, 4.0] {
                let q = try figure.position(ofX: r * cos(angle), y: r * sin(angle), row: 0, column: 0)
                #expect(image.darkness(x: Int(q.x * 2), y: Int(q.y * 2)) < 10)
            }
        }
    }

    @Test func histogramBarsReachTheirCounts() throws {
        // Bins of width 2 over 0...10: four values in the first (centre 1), seven in the third (centre 5).
        let values = Array(repeating: 1.0, count: 4) + Array(repeating: 5.0, count: 7)
        let figure = Self.figure { $0.add(HistogramMark(values: values, bins: 5, range: 0...10, color: .black)) }
        let image = try figure.bitmap()
        for (x, height) in [(1.0, 4.0), (5.0, 7.0)] {
            let (px, top) = try Self.pixel(figure, x, height)
            #expect(image.darkness(x: px, y: top + 3) > 150 && image.darkness(x: px, y: top - 3) < 10)
        }
    }

    @Test func scatterPointsTakeTheirColourFromTheScale() throws {
        let figure = Self.figure {
            $0.colorScale = ColorScale(range: 0...1, label: "value")
            $0.add(ScatterMark(x: [2, 8], y: [5, 5], values: [0, 1], size: 10))
        }
        let image = try figure.bitmap()
        let (lx, ly) = try Self.pixel(figure, 2, 5), (hx, hy) = try Self.pixel(figure, 8, 5)
        let low = image.rgb(x: lx, y: ly), high = image.rgb(x: hx, y: hy)
        // viridis: 0 is dark purple (#440154), 1 is yellow (#fde725).
        #expect(low.red < 90 && low.green < 20 && low.blue > 60)
        #expect(high.red > 230 && high.green > 210 && high.blue < 60)
    }

    @Test func aBarIsFilledFromZeroToItsHeightAndAsWideAsAsked() throws {
        let figure = Self.figure { $0.add(BarMark(x: [3, 7], heights: [4, 8], width: 2, color: .black)) }
        let image = try figure.bitmap()
        for (x, height) in [(3.0, 4.0), (7, 8)] {
            let (px, top) = try Self.pixel(figure, x, height), (_, base) = try Self.pixel(figure, x, 0.5)
            #expect(image.darkness(x: px, y: top + 3) > 150 && image.darkness(x: px, y: base) > 150)
            #expect(image.darkness(x: px, y: top - 3) < 10)
            // One unit wide each side of the centre: ink just inside the edge, none just beyond it.
            let (inside, _) = try Self.pixel(figure, x + 0.9, 0), (beyond, _) = try Self.pixel(figure, x + 1.1, 0)
            #expect(image.darkness(x: inside, y: base) > 150 && image.darkness(x: beyond, y: base) < 10)
        }
    }

    @Test func aHeatmapCellTakesTheColourOfItsValueAndReachesHalfwayToItsNeighbours() throws {
        let figure = Self.figure {
            $0.colorScale = ColorScale(range: 0...1, label: "value")
            // Centres at x = 2.5, 7.5 and y = 2.5, 7.5: four cells of 5 x 5 that tile the panel.
            $0.add(HeatmapMark(x: [2.5, 7.5], y: [2.5, 7.5], values: [[0, 1], [1, .nan]]))
        }
        let image = try figure.bitmap()
        let (ax, ay) = try Self.pixel(figure, 4.5, 4.5), (bx, by) = try Self.pixel(figure, 5.5, 4.5)
        let low = image.rgb(x: ax, y: ay), high = image.rgb(x: bx, y: by)
        #expect(low.red < 90 && low.green < 20 && low.blue > 60)       // 0: viridis' dark purple
        #expect(high.red > 230 && high.green > 210 && high.blue < 60)   // 1: its yellow
        // A value that is not a number leaves its cell empty rather than painting a colour.
        let (nx, ny) = try Self.pixel(figure, 7.5, 7.5)
        #expect(image.darkness(x: nx, y: ny) < 10)
    }

    @Test func valuesAboveTheRangeFillAnOverflowBarBeyondIt() throws {
        // Bins of width 1 over 0...10; three values above 10 go to the overflow bin at 13...19.
        var histogram = HistogramMark(values: [1, 2, 11, 12, 50], bins: 10, range: 0...10, color: .black, dataName: DataName("h", "counts"))
        histogram.overflow = true
        #expect(histogram.overflowBin == 13...19 && histogram.overflowCount == 3)
        var figure = Figure(width: 400, panelHeight: 300)
        var panel = Panel()
        panel.grid = false
        panel.legend = .hidden
        panel.xLimits = 0...20
        panel.yLimits = 0...4
        panel.add(histogram)
        figure[0, 0] = panel
        let image = try figure.bitmap()
        let (inside, _) = try Self.pixel(figure, 16, 0), (_, top) = try Self.pixel(figure, 16, 3), (gap, low) = try Self.pixel(figure, 11.5, 0.5)
        #expect(image.darkness(x: inside, y: top + 3) > 150 && image.darkness(x: inside, y: top - 3) < 10)
        #expect(image.darkness(x: gap, y: low) < 10)     // nothing between the range and the overflow bar
        #expect(histogram.exported.first?.y.last == 3)
    }

    @Test func aSettingKeepsItsColourFromFigureToFigure() {
        func figure(_ keys: [String?], colors: [Color]) -> Figure {
            var figure = Figure()
            var panel = Panel()
            for (key, color) in zip(keys, colors) { panel.line([0, 1], [0, 1], label: key ?? "plain", color: color, colorKey: key.map(ColorKey.init)) }
            figure[0, 0] = panel
            return figure
        }
        var book = ColorBook()
        var first = figure(["ratio 0", "ratio 0.2"], colors: [Palette.color(0), Palette.color(1)])
        book.paint(&first)
        // The next figure draws ratio 0.1 in ratio 0.2's colour and ratio 0.2 in another: both are
        // put right, and a mark without a key keeps the colour it was given.
        var second = figure(["ratio 0.1", "ratio 0.2", nil], colors: [Palette.color(1), Palette.color(2), Palette.color(1)])
        book.paint(&second)
        let colors = second.panels[0].marks.map(\.paletteColor)
        #expect(colors[1] == Palette.color(1) && colors[0] != Palette.color(0) && colors[0] != Palette.color(1))
        #expect(colors[2] == Palette.color(1))
        #expect(book.colors[ColorKey("ratio 0")] == Palette.color(0) && book.colors[ColorKey("ratio 0.1")] == colors[0])
    }

    @Test func onceThePaletteIsSpentAFigureStillGetsDistinctColours() {
        var book = ColorBook()
        var earlier = Figure()
        var many = Panel()
        for i in 0..<10 { many.line([0, 1], [0, 1], label: "s\(i)", color: Palette.color(i), colorKey: ColorKey("s\(i)")) }
        earlier[0, 0] = many
        book.paint(&earlier)
        // Two new settings, both drawn in the first colour: every palette colour has a setting, so each
        // takes one no other line of this figure has.
        var later = Figure()
        var panel = Panel()
        panel.line([0, 1], [0, 1], label: "s0", color: Palette.color(0), colorKey: ColorKey("s0"))
        panel.line([0, 1], [0, 1], label: "new a", color: Palette.color(0), colorKey: ColorKey("new a"))
        panel.line([0, 1], [0, 1], label: "new b", color: Palette.color(0), colorKey: ColorKey("new b"))
        later[0, 0] = panel
        book.paint(&later)
        let colors = later.panels[0].marks.map(\.paletteColor)
        #expect(Set(colors).count == 3 && colors[0] == Palette.color(0))
    }

    @Test func aTextNoteIsDrawnAtItsPointOnAWhiteBacking() throws {
        let figure = Self.figure {
            $0.add(LineMark(x: [0, 10], y: [5, 5], color: .black, width: 3))
            $0.add(TextMark(x: 5, y: 5, text: "diverged", color: .red))
        }
        let image = try figure.bitmap(scale: 2)
        let p = try figure.position(ofX: 5, y: 5, row: 0, column: 0)
        // Red ink around the note's centre, and the black line hidden under its backing there...
        let pixels = (-20...20).flatMap { dx in (-6...6).map { dy in image.rgb(x: Int(p.x * 2) + dx, y: Int(p.y * 2) + dy) } }
        #expect(pixels.contains { $0.red > 150 && $0.green < 110 && $0.blue < 110 })
        #expect(!pixels.contains { $0.red < 40 && $0.green < 40 && $0.blue < 40 })
        // ...but still visible away from it.
        let q = try figure.position(ofX: 1, y: 5, row: 0, column: 0)
        #expect(image.darkness(x: Int(q.x * 2), y: Int(q.y * 2)) > 150)
    }

    @Test func aCrossMarkerFillsItsDiagonalsNotItsCentreLine() throws {
        let figure = Self.figure { $0.add(ScatterMark(x: [5], y: [5], color: .black, size: 20, shape: .cross)) }
        let image = try figure.bitmap(scale: 2)
        let p = try figure.position(ofX: 5, y: 5, row: 0, column: 0)
        let (cx, cy) = (Int(p.x * 2), Int(p.y * 2))
        #expect(image.darkness(x: cx + 10, y: cy + 10) > 150 && image.darkness(x: cx - 10, y: cy + 10) > 150)
        #expect(image.darkness(x: cx + 16, y: cy) < 20 && image.darkness(x: cx, y: cy - 16) < 20)
    }

    @Test func marchingSquaresPutsPointsOnTheLevel() {
        let grid = stride(from: -2.0, through: 2, by: 0.25).map { $0 }
        let segments = MarchingSquares.segments(x: grid, y: grid, z: grid.map { y in grid.map { x in x * x + y * y } }, level: 1)
        #expect(segments.count > 20)
        for s in segments {
            // Linear interpolation on a 0.25 grid stays within a few hundredths of the unit circle.
            #expect(abs((s.x0 * s.x0 + s.y0 * s.y0).squareRoot() - 1) < 0.03)
        }
    }
}

/// The interval mark, percent axes, and panels that keep their data's shape.
struct IntervalAndAspectTests {
    @Test func anIntervalIsABarWithItsEstimateAndAnArrowWhereTheFrameCutsIt() throws {
        let red = Color(hex: "#cf222e")
        let figure = PixelTests.figure {
            $0.add(IntervalMark(y: [5], estimate: [4], low: [2], high: [6], color: red))
            // This one runs on past the right edge of the panel.
            $0.add(IntervalMark(y: [2], estimate: [8], low: [7], high: [14], color: red))
        }
        let image = try figure.bitmap(scale: 2)
        func colour(_ x: Double, _ y: Double) throws -> (red: Int, green: Int, blue: Int) {
            let p = try figure.position(ofX: x, y: y, row: 0, column: 0)
            return image.rgb(x: Int((p.x * 2).rounded()), y: Int((p.y * 2).rounded()))
        }
        func isRed(_ c: (red: Int, green: Int, blue: Int)) -> Bool { c.red > 180 && c.green < 80 && c.blue < 90 }
        // The bar from 2 to 6 and the marker at 4; nothing before 2 or after 6.
        #expect(try isRed(colour(2.2, 5)) && isRed(colour(4, 5)) && isRed(colour(5.8, 5)))
        #expect(try !isRed(colour(1.6, 5)) && !isRed(colour(6.4, 5)))
        // The second runs to the frame, where an arrowhead (wider than the bar) says it goes on.
        let edge = try figure.position(ofX: 10, y: 2, row: 0, column: 0)
        // 6 points inside the frame and 3 above the bar's centre, inside the arrowhead.
        let above = image.rgb(x: Int(((edge.x - 6) * 2).rounded()), y: Int(((edge.y - 3) * 2).rounded()))
        #expect(isRed(above), "no arrowhead at the frame: \(above)")
        let bar = try figure.position(ofX: 9, y: 2, row: 0, column: 0)
        #expect(!isRed(image.rgb(x: Int((bar.x * 2).rounded()), y: Int(((bar.y - 3) * 2).rounded()))), "the bar itself is as thick as an arrowhead")
    }

    @Test func anEqualAspectPanelDrawsAUnitOfXAsLongAsAUnitOfY() throws {
        var figure = Figure(width: 600, panelHeight: 400)
        var panel = Panel(xLabel: "x", yLabel: "y")
        panel.xLimits = -10...10
        panel.yLimits = -5...5
        panel.equalAspect = true
        panel.add(LineMark(x: [0, 1], y: [0, 1], color: .black))
        figure[0, 0] = panel
        let origin = try figure.position(ofX: 0, y: 0, row: 0, column: 0)
        let right = try figure.position(ofX: 5, y: 0, row: 0, column: 0), up = try figure.position(ofX: 0, y: 5, row: 0, column: 0)
        #expect(abs((right.x - origin.x) - (origin.y - up.y)) < 0.01)
        // Without it, the same panel stretches y to fill its height.
        figure.panels[0].equalAspect = false
        let o = try figure.position(ofX: 0, y: 0, row: 0, column: 0)
        let r = try figure.position(ofX: 5, y: 0, row: 0, column: 0), u = try figure.position(ofX: 0, y: 5, row: 0, column: 0)
        #expect(abs((r.x - o.x) - (o.y - u.y)) > 10)
    }

    @Test func aPercentAxisLabelsItsTicksInPercent() {
        #expect(AxisUnit.percent.label(0.25, among: [0, 0.25, 0.5], scale: .linear) == "25%")
        #expect(AxisUnit.plain.label(-0.5, among: [-0.5, 0, 0.5], scale: .linear) == "\u{2212}0.5")
        #expect(AxisUnit.percent.text(0.9312) == "93.1%")
    }
}
