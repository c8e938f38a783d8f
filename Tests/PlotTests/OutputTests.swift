import Foundation
import Testing
@testable import Plot

struct OutputTests {
    static var sample: Figure {
        var figure = Figure(rows: 1, columns: 2, title: "Sample", width: 800, panelHeight: 300)
        var a = Panel(title: "lines", xLabel: "x", yLabel: "y")
        a.line([0, 1, 2], [1, 3, 2], label: "one")
        a.line([0, 1, 2], [2, 1, 0], label: "two", style: .dashed, markers: Markers(.square))
        figure[0, 0] = a
        var b = Panel(title: "scatter")
        b.xScale = .logarithmic
        b.colorScale = ColorScale(range: 0...1, label: "value")
        b.add(ScatterMark(x: [1e-3, 1e-2, 1e-1], y: [1, 2, 3], values: [0, 0.5, 1]))
        figure[0, 1] = b
        return figure
    }

    @Test func pngHasTheRequestedSize() throws {
        let bytes = try Self.sample.render(.png, scale: 2)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(16) == 1600)                      // IHDR width: 800 points at 2x
        #expect(bigEndian(20) == 662)                       // a 15-point title with 16 of room, one 300-point row
    }

    @Test func svgAndPdfAreRealFiles() throws {
        let svg = String(decoding: try Self.sample.render(.svg), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg") && svg.contains("</svg>"))
        #expect(svg.utf8.count > 5000)
        let pdf = try Self.sample.render(.pdf)
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
        #expect(String(decoding: pdf.suffix(6), as: UTF8.self).contains("%%EOF"))
        #expect(pdf.count > 5000)
    }

    @Test func formatListsParse() throws {
        #expect(try ImageFormat.list("png, svg,PDF") == [.png, .svg, .pdf])
        #expect(throws: PlotError.unknownFormat("jpeg")) { try ImageFormat.list("png,jpeg") }
    }
}

struct ExportTests {
    @Test func aFigureExportsWhatItsNamedMarksDraw() {
        var figure = Figure(rows: 1, columns: 2)
        var left = Panel()
        let accuracy = DataName("train_acc", "training accuracy"), histogram = DataName("histogram", "counts per bin")
        let trial = DataName("trial", "a trial's setting")
        left.lineWithBand([1, 2], mean: [0.5, 0.6], lower: [0.4, 0.5], upper: [0.6, 0.7], label: "Adam", dataName: accuracy)
        left.line([1, 2], [9, 9], label: "not exported")
        var right = Panel()
        right.add(HistogramMark(values: [0.1, 0.2, 0.9], bins: 2, range: 0...1, label: "He", dataName: histogram))
        right.add(ScatterMark(x: [1e-3], y: [1e-6], values: [0.8], dataName: trial))
        figure[0, 0] = left
        figure[0, 1] = right
        #expect(figure.exportedSeries.map(\.name) == ["train_acc_min", "train_acc_max", "train_acc_mean", "histogram", "trial", "trial_value"])
        #expect(figure.exportedSeries.map(\.y) == [[0.4, 0.5], [0.6, 0.7], [0.5, 0.6], [2, 1], [1e-6], [0.8]])
        #expect(figure.exportedSeries.map(\.label) == ["Adam", "Adam", "Adam", "He", "", ""])
        // Each part carries its meaning, and the quantity it is part of.
        let parts = figure.exportedSeries.map(\.data)
        #expect(parts[0].meaning == "the lowest seed's value of training accuracy" && parts[0].wholeName == "train_acc")
        #expect(parts[2].meaning == "the mean over seeds of training accuracy" && parts[3] == histogram)
    }

    @Test func aBandUnderALineGivesTheLegendOneEntry() {
        var panel = Panel()
        panel.lineWithBand([0, 1], mean: [1, 1], lower: [0, 0], upper: [2, 2], label: "SGD")
        panel.add(LineMark(x: [0, 1], y: [3, 3], label: "hidden", inLegend: false))
        #expect(panel.marks.compactMap(\.legendLabel) == ["SGD"])
    }

    @Test func marksWithoutAColourTakeThePaletteInTurn() {
        var panel = Panel()
        panel.line([0], [0])
        panel.add(BandMark(x: [0], lower: [0], upper: [1]))
        panel.line([0], [0], color: .black)
        panel.line([0], [0])
        let colours = panel.marks.compactMap { ($0 as? LineMark)?.color ?? ($0 as? BandMark)?.color }
        #expect(colours == [Palette.color(0), Palette.color(1), .black, Palette.color(2)])
    }
}

struct TickTests {
    @Test func linearTicksUseNiceSteps() {
        let unit = Ticks.linear(0...1)
        #expect(unit.count == 6 && zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Ticks.linear(0...2000) == [0, 500, 1000, 1500, 2000])
        #expect(Ticks.niceStep(0.37) == 0.5)
        #expect(Ticks.niceStep(1.2) == 2)
    }

    @Test func aLogAxisReachesTheLabelsAroundItsData() throws {
        #expect(Ticks.logarithmicEnclosing(5.6...35) == 5...50)
        #expect(Ticks.logarithmicEnclosing(0.0135...0.46) == 0.01...0.5)
        #expect(Ticks.logarithmicEnclosing(0.02...1) == 0.02...1)
        // The size of the weights from 5.6 to 35: labelled values at or beyond both ends.
        var panel = Panel()
        panel.yScale = .logarithmic
        panel.line([0, 1], [35, 5.6])
        let canvas = try CairoCanvas(width: 400, height: 300, format: .png, scale: 1)
        let layout = PanelRenderer(panel: panel, canvas: canvas, style: .standard).layout(in: Rect(x: 0, y: 0, width: 400, height: 300))
        #expect(try #require(layout.yTicks.first) <= 5.6 && layout.yTicks.last! >= 35, "\(layout.yTicks)")
    }

    @Test func logTicksArePowersOfTen() {
        #expect(Ticks.logarithmic(1e-6...1e-2) == [1e-6, 1e-5, 1e-4, 1e-3, 1e-2])
        #expect(Ticks.logarithmic(0.015...0.5) == [0.02, 0.05, 0.1, 0.2, 0.5])
        #expect(Ticks.label(1e-3, among: [1e-4, 1e-3], scale: .logarithmic) == "10⁻³")
        // Every decade up to ten of them; beyond that every other one, on even exponents.
        #expect(Ticks.logarithmic(2e-5...190) == [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100])
        #expect(Ticks.logarithmic(1e-12...1) == [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1])
        // About one decade: 1-2-3-5 steps where they reach both ends of the axis, and plain numbers
        // once not every tick is a power of ten.
        let ticks = Ticks.logarithmic(8...45)
        #expect(ticks == [10, 20, 30])
        #expect(ticks.map { Ticks.label($0, among: ticks, scale: .logarithmic) } == ["10", "20", "30"])
        // From 5.7, 10 would leave the lowest third of the axis unlabelled: every integer instead.
        #expect(Ticks.logarithmic(5.7...35) == [6, 7, 8, 9, 10, 20, 30])
    }
}
