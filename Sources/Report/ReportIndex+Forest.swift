import Formatting
import Foundation
import NumericCore
import Plot

// The forest plot on the front page: every claim read from a difference, in units of its margin.
extension ReportIndex {
    /// A row of the forest plot: a claim, and its weakest reading in units of its margin on each edition.
    struct ForestRow {
        let chapter: String
        let claim: Claim
        let readings: [(reading: Reading, verdict: Claim.Verdict)?]
    }

    /// The rows of the forest plot: every claim read from a difference (its weakest reading has a
    /// margin and an interval), in chapter order, with the second edition's reading beside it.
    var forestRows: [ForestRow] {
        entries.flatMap { entry in
            entry.claims.compactMap { claim -> ForestRow? in
                let own = claim.decision.weakestReading?.reading
                guard let own, own.inMargins != nil else { return nil }
                let other = comparisonClaim(claim, in: entry.folder)
                let second = other.flatMap { o in o.decision.weakestReading.map { ($0.reading, o.verdict) } }
                return ForestRow(chapter: entry.folder, claim: claim,
                                 readings: [(own, claim.verdict)] + (comparison == nil ? [] : [second?.0.inMargins == nil ? nil : second]))
            }
        }
    }

    /// How far the forest plot's axis reaches, in margins: an interval beyond it ends in an arrow.
    static let forestRange = -64.0...256.0

    /// Where a value in margins goes on the forest plot's axis: linear within ±1 margin, and beyond
    /// it compressed as log₂(1 + |x|), so that a claim 50 margins clear and one on its line both show.
    static func forestAxis(_ x: Double) -> Double {
        guard x.isFinite else { return x > 0 ? 1e9 : -1e9 }
        return (x < 0 ? -1 : 1) * log2(1 + abs(x))
    }

    /// Every claim read from a difference on one axis, in units of its own margin and turned so
    /// that the claimed direction points right: the dot is the estimate, the bar its interval, in
    /// the colour of the verdict; the grey band is ±1 margin (noise), and a dashed tick on each row
    /// marks the line its interval must clear. Grouped by chapter; with a second edition, its
    /// reading sits just under the first (a square for the second, a circle for the first).
    public var forest: Figure? {
        let rows = forestRows
        guard !rows.isEmpty else { return nil }
        var labels: [(Double, String)] = [], y = 0.0, positions: [Double] = []
        var chapter = ""
        let titles = Dictionary(entries.map { ($0.folder, String($0.title.prefix { $0 != ":" })) }, uniquingKeysWith: { a, _ in a })
        // From the top: a chapter's name, then its rows.
        var placed: [(row: ForestRow, y: Double)] = []
        for row in rows {
            if row.chapter != chapter {
                chapter = row.chapter
                if !placed.isEmpty { y -= 0.4 }
                labels.append((y, (titles[chapter] ?? chapter).uppercased()))
                y -= 1
            }
            placed.append((row, y))
            labels.append((y, Self.shortName(row.claim)))
            positions.append(y)
            y -= 1
        }
        let range = Self.forestRange, bottom = y + 0.4, top = 0.6
        let t = Self.forestAxis
        var panel = Panel(xLabel: "the claim's direction →   estimate and interval, in units of each claim's margin (compressed beyond ±1)")
        panel.legend = .below
        panel.grid = false
        panel.yLimits = bottom...top
        panel.xLimits = t(range.lowerBound)...t(range.upperBound)
        panel.yTickLabels = labels
        panel.xTickLabels = [-64.0, -16, -4, -1, 0, 1, 4, 16, 64, 256].map { (t($0), Format.fixed($0, decimals: 0)) }
        panel.add(BandMark(x: [-1, 1], lower: [bottom, bottom], upper: [top, top], color: Color(hex: "#9a9a9a"), opacity: 0.28,
                           label: "±1 margin: noise", inLegend: true))
        panel.add(LineMark(x: [0, 0], y: [bottom, top], color: Color(hex: "#8c8c8c"), width: 0.8, inLegend: false))
        let shapes: [MarkerShape] = [.circle, .square]
        let editions = [entries.first?.dataset ?? "MNIST", comparison?.entries.first?.dataset ?? comparison?.folder ?? ""]
        for (row, at) in placed {
            for (k, entry) in row.readings.enumerated() {
                guard let entry, let m = entry.reading.inMargins else { continue }
                let offset = row.readings.count > 1 ? (k == 0 ? 0.17 : -0.17) : 0
                for line in [m.from, m.to] where line.isFinite {
                    panel.add(LineMark(x: [t(line), t(line)], y: [at + offset - 0.16, at + offset + 0.16], color: .text, style: .solid,
                                       width: 1.2, inLegend: false))
                }
                panel.add(IntervalMark(y: [at + offset], estimate: [t(m.estimate)], low: [t(m.low)], high: [t(m.high)],
                                       color: entry.verdict.color, shape: shapes[k], size: 6))
            }
        }
        // The legend: what the colours and the shapes mean.
        for verdict in [Claim.Verdict.holds, .holdsInPart, .doesNotHold, .undecided] {
            panel.add(IntervalMark(y: [], estimate: [], low: [], high: [], color: verdict.color, label: verdict.rawValue))
        }
        if comparison != nil {
            for k in 0..<2 {
                panel.add(ScatterMark(x: [], y: [], color: Color(hex: "#57606a"), size: 7, shape: shapes[k], label: editions[k]))
            }
        }
        var figure = Figure(width: Style.columnWidth, panelHeight: 80 + 19 * (top - bottom))
        figure[0, 0] = panel
        return figure
    }

    /// "narrows gap": a claim's id without its chapter, in words.
    static func shortName(_ claim: Claim) -> String {
        String(claim.id.drop { $0 != "." }.dropFirst()).replacingOccurrences(of: "-", with: " ")
    }

    /// The forest plot's file name in the index's folder (and `-dark.png` beside it).
    public static let forestName = "claims-forest"

    /// The forest plot's caption, with its counts.
    public var forestCaption: String {
        let rows = forestRows
        return """
            Every claim read from a difference (\(rows.count) of \(entries.flatMap(\.claims).count)), each in units of its own margin \
            and turned so that the direction the notes claim points right. Dot: the mean over seeds; bar: its interval; colour: the \
            verdict; grey band: ±1 margin, where a difference is noise; black ticks: the line each interval must clear (a paired claim \
            holds beyond +1, a "no worse" one beyond −1, "the same" between −1 and +1). A claim of several parts shows its weakest part, \
            the one its verdict hinges on. \
            \(comparison == nil ? "" : "Circles: \(entries.first?.dataset ?? "MNIST"); squares, just below: \(comparison!.entries.first?.dataset ?? comparison!.folder). ")\
            The axis is linear within ±1 margin and compressed beyond it (as log₂ of 1 + the distance), from \
            \(Format.fixed(Self.forestRange.lowerBound, decimals: 0)) to \(Format.fixed(Self.forestRange.upperBound, decimals: 0)) \
            margins; an interval that goes further ends in an arrow.
            """
    }
}
