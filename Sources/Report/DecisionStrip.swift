import Formatting
import Foundation
import Plot

/// The colour each verdict has in every picture: the same as its badge in the HTML edition.
extension Claim.Verdict {
    public var color: Color {
        switch self {
        case .holds: Color(hex: "#1a7f37")
        case .holdsInPart: Color(hex: "#9a6700")
        case .doesNotHold: Color(hex: "#cf222e")
        case .undecided: Color(hex: "#6e7781")
        case .notTestable: Color(hex: "#57606a")
        }
    }
}

/// A claim's evidence as a picture, small enough to sit in its row of the claims table: for each
/// reading, its estimate as a dot and its interval as a bar in the verdict's colour, the band of
/// noise (±margin) shaded around zero, the line the interval must clear, and the seeds in the
/// row's label. One strip per part of a claim (its readings as rows), light and dark.
public struct DecisionStrip {
    /// The file name without extension, under the chapter's `strips/` folder.
    public let name: String
    public let figure: Figure
    /// The alt text: the reading's numbers in a sentence.
    public let alt: String

    /// The width a strip is designed at, in CSS pixels: as wide as a claim's card on a phone, so
    /// that its text is shown at the size it was set in there too.
    public static let width = 330.0

    /// The strip of `part`'s readings (every reading below it, labelled by the parts that lead to
    /// it); nil where it has none with an interval or a single number to draw.
    public init?(_ part: ClaimPart, name: String) {
        let rows = part.leafReadings.filter { $0.reading.low != nil || $0.reading.rule == .single }
        guard !rows.isEmpty, let unit = rows.first?.reading.unit, rows.allSatisfy({ $0.reading.unit == unit }) else { return nil }
        self.name = name
        let readings = rows.map(\.reading)
        let count = Double(rows.count)
        // Rows say only what differs between them: what they share becomes the strip's title, and a
        // seed count they share goes under the axis once.
        let labelStart = Self.commonPrefix(rows.map(\.reading.label))
        // The parts every row lies under, whole.
        var pathStart = rows[0].path
        for row in rows.dropFirst() { while !row.path.starts(with: pathStart) { pathStart.removeLast() } }
        let paths = rows.map { row -> String in
            let own = String(row.reading.label.dropFirst(labelStart.count))
            return rows.count > 1 ? (Array(row.path.dropFirst(pathStart.count)) + [own]).joined(separator: " › ") : ""
        }
        // A shared start of a ratio or a difference says what each row's side is taken against.
        let operation = [" / ", " − "].first { labelStart.hasSuffix($0) }.map { $0 + "each row" } ?? ""
        let shared = (pathStart + [labelStart.isEmpty ? "" : Self.trimmed(labelStart) + operation])
            .filter { !$0.isEmpty }.joined(separator: " › ")
        let counts = Set(readings.map { $0.seeds ?? 0 })
        let sameSeeds = counts.count == 1
        let seedsText = readings[0].seeds.map { "n = \($0)" } ?? "one number"
        var panel = Panel(title: shared.isEmpty ? nil : Self.shortened(shared, to: 48),
                          xLabel: Self.axisLabel(unit) + (sameSeeds && rows.count > 1 ? " · \(seedsText) each" : ""))
        panel.legend = .hidden
        panel.grid = false
        panel.yLimits = -0.6...(count - 0.4)
        // The first row at the top.
        func y(_ index: Int) -> Double { count - 1 - Double(index) }
        panel.yTickLabels = rows.enumerated().map { index, row in
            let path = Self.shortened(paths[index], to: 30)
            let n = row.reading.seeds.map { "n = \($0)" } ?? "one number"
            if rows.count == 1 { return (y(index), n) }
            return (y(index), sameSeeds ? path : path + " · " + n)
        }
        // The x range: every end, the lines to clear, zero and the margin, with a little room.
        var xs = readings.flatMap { [$0.estimate] + [$0.low, $0.high].compactMap { $0 } }
        xs += readings.flatMap { [$0.holdsFrom, $0.holdsTo].filter(\.isFinite) }
        xs += readings.compactMap(\.margin).flatMap { [-$0, $0] }
        if unit == .points || unit == .ratio { xs.append(0) }
        let low = xs.min()!, high = xs.max()!, pad = max((high - low) * 0.08, 1e-9)
        panel.xLimits = (low - pad)...(high + pad)
        panel.xTickLabels = Self.ticks(in: (low - pad)...(high + pad), unit: unit)
        let top = count - 0.4, bottom = -0.6
        // The band of noise around zero, and zero itself.
        if let margin = readings.compactMap(\.margin).max() {
            panel.add(BandMark(x: [-margin, margin], lower: [bottom, bottom], upper: [top, top], color: Color(hex: "#9a9a9a"), opacity: 0.28))
        }
        if unit == .points || unit == .ratio {
            panel.add(LineMark(x: [0, 0], y: [bottom, top], color: Color(hex: "#8c8c8c"), style: .solid, width: 0.8, inLegend: false))
        }
        // The line each interval must clear, where it is finite: the same for every row where it is shared.
        for (index, reading) in readings.enumerated() {
            for line in [reading.holdsFrom, reading.holdsTo] where line.isFinite {
                let span: (Double, Double) = Set(readings.map(\.holdsFrom)).count == 1 && Set(readings.map(\.holdsTo)).count == 1
                    ? (bottom, top) : (y(index) - 0.42, y(index) + 0.42)
                panel.add(LineMark(x: [line, line], y: [span.0, span.1], color: .text, style: .dashed, width: 1.4, inLegend: false))
            }
        }
        for (index, reading) in readings.enumerated() {
            let (l, h) = (reading.low ?? reading.estimate, reading.high ?? reading.estimate)
            panel.add(IntervalMark(y: [y(index)], estimate: [reading.estimate], low: [l], high: [h], color: reading.verdict.color,
                                   shape: reading.low == nil ? .diamond : .circle, size: 7))
        }
        var figure = Figure(width: Self.width, panelHeight: 58 + 22 * count)
        figure[0, 0] = panel
        self.figure = figure
        alt = Self.cut(readings.count == 1 ? readings[0].sentence
                       : "\(readings.count) comparisons: " + readings.map { "\($0.label) \($0.text($0.estimate)) (\($0.verdict.rawValue))" }.joined(separator: "; "))
    }

    /// A long path of parts, cut to fit the strip's label column.
    static func shortened(_ path: String, to limit: Int = 26) -> String {
        path.count <= limit ? path : String(path.prefix(limit - 1)) + "…"
    }

    /// The longest start the texts share, cut back to where a part of a label ends (" › ", " / ",
    /// " − ", ", " or ": "), so that no word is cut.
    static func commonPrefix(_ texts: [String]) -> String {
        guard let first = texts.first, texts.count > 1 else { return "" }
        var prefix = Substring(first)
        for text in texts.dropFirst() { while !text.hasPrefix(prefix) { prefix = prefix.dropLast() } }
        // Never a whole label: each row keeps something of its own.
        let shortest = texts.map(\.count).min() ?? 0
        if prefix.count >= shortest { prefix = prefix.dropLast(prefix.count - shortest + 1) }
        let ends = [" › ", " / ", " − ", ", ", ": "].compactMap { prefix.range(of: $0, options: .backwards)?.upperBound }
        guard let end = ends.max() else { return "" }
        return String(prefix[..<end])
    }

    /// A shared start without the separator it ends on.
    static func trimmed(_ prefix: String) -> String {
        var text = prefix
        for end in [" › ", " / ", " − ", ", ", ": "] where text.hasSuffix(end) { text.removeLast(end.count) }
        return text
    }

    static func cut(_ text: String) -> String {
        text.count <= Figure.altTextLimit ? text : String(text.prefix(Figure.altTextLimit - 1)) + "…"
    }

    static func axisLabel(_ unit: Reading.Unit) -> String {
        switch unit {
        case .points: "difference in percentage points"
        case .percent: "accuracy"
        case .ratio: "ratio (log scale)"
        case .number: "value"
        }
    }

    /// Ticks at round values of the reading's unit across `range` (which is in the reading's own
    /// numbers: fractions for points and percentages, logarithms for ratios).
    static func ticks(in range: ClosedRange<Double>, unit: Reading.Unit, target: Int = 5) -> [(Double, String)] {
        switch unit {
        case .points:
            let ticks = Ticks.linear((range.lowerBound * 100)...(range.upperBound * 100), target: target)
            return ticks.map { ($0 / 100, Format.points($0 / 100, decimals: Self.decimals(ticks))) }
        case .percent:
            let ticks = Ticks.linear((range.lowerBound * 100)...(range.upperBound * 100), target: 5)
            return ticks.map { ($0 / 100, Format.fixed($0, decimals: Self.decimals(ticks)) + "%") }
        case .ratio:
            let ticks = Ticks.logarithmic(exp(range.lowerBound)...exp(range.upperBound))
            let powers = ticks.filter { abs(log10($0) - log10($0).rounded()) < 1e-9 }
            let chosen = powers.count >= 2 ? powers : ticks
            let shown = chosen.count > 5 ? stride(from: 0, to: chosen.count, by: (chosen.count + 4) / 5).map { chosen[$0] } : chosen
            return shown.map { (log($0), Format.significant($0, digits: 2) + "×") }
        case .number:
            let ticks = Ticks.linear(range, target: 5)
            return ticks.map { ($0, Format.fixed($0, decimals: Self.decimals(ticks))) }
        }
    }

    /// The decimals a set of evenly spaced ticks needs.
    static func decimals(_ ticks: [Double]) -> Int {
        guard ticks.count > 1 else { return 1 }
        return max(0, -Int(floor(log10(abs(ticks[1] - ticks[0])) + 1e-9)))
    }
}

extension Report {
    /// The strips of a claim: one for the claim itself where it has readings of its own, one per
    /// part otherwise (each part's readings as its rows), named after the claim's id.
    static func strips(_ claim: Claim) -> (own: DecisionStrip?, parts: [DecisionStrip?]) {
        let base = claim.id.replacingOccurrences(of: ".", with: "-")
        // A claim whose parts are all shown beside is decided by its own readings: it has its own strip.
        let own = claim.decision.decidingParts.isEmpty ? DecisionStrip(claim.decision, name: base) : nil
        return (own, claim.decision.parts.enumerated().map { DecisionStrip($0.element, name: "\(base)-part-\($0.offset + 1)") })
    }
}

extension Figure {
    /// A claim's difference drawn large, under the figure of the two arms it compares: each seed's
    /// difference as a dot, their mean with its interval in the verdict's colour, the band of noise
    /// (±margin) around zero, and the line the interval must clear (dashed).
    public static func difference(_ reading: Reading, seeds: [Double], title: String) -> Figure {
        var panel = Panel(title: title, xLabel: DecisionStrip.axisLabel(reading.unit))
        panel.legend = .below
        panel.grid = false
        let present = seeds.filter(\.isFinite)
        var xs = present + [reading.estimate] + [reading.low, reading.high].compactMap { $0 }
        xs += [reading.holdsFrom, reading.holdsTo].filter(\.isFinite) + (reading.margin.map { [-$0, $0] } ?? []) + [0]
        let low = xs.min()!, high = xs.max()!, pad = max((high - low) * 0.06, 1e-9)
        panel.xLimits = (low - pad)...(high + pad)
        panel.xTickLabels = DecisionStrip.ticks(in: (low - pad)...(high + pad), unit: reading.unit, target: 8)
        panel.yLimits = -0.7...1.7
        panel.yTickLabels = [(1, "each seed"), (0, "mean, interval")]
        if let margin = reading.margin {
            panel.add(BandMark(x: [-margin, margin], lower: [-0.7, -0.7], upper: [1.7, 1.7], color: Color(hex: "#9a9a9a"), opacity: 0.28,
                               label: "±margin: noise"))
        }
        panel.add(LineMark(x: [0, 0], y: [-0.7, 1.7], color: Color(hex: "#8c8c8c"), width: 0.8, inLegend: false))
        for line in [reading.holdsFrom, reading.holdsTo] where line.isFinite {
            panel.add(LineMark(x: [line, line], y: [-0.7, 1.7], label: "the line it must clear", color: .text, style: .dashed, width: 1.4))
        }
        // Seeds spread a little up and down, so that equal differences stay visible.
        let jitter = present.indices.map { 1 + 0.28 * sin(Double($0) * 2.4) }
        panel.add(ScatterMark(x: present, y: jitter, color: Color(hex: "#57606a"), size: 5, label: "one seed's difference",
                              dataName: DataName("seed_difference", "\(reading.label), one value per seed (y: jitter only)")))
        panel.add(IntervalMark(y: [0], estimate: [reading.estimate], low: [reading.low ?? reading.estimate],
                               high: [reading.high ?? reading.estimate], color: reading.verdict.color,
                               label: "mean and interval: \(reading.verdict.rawValue)",
                               dataName: DataName("mean_difference", "the mean of \(reading.label) over seeds (x: 0), with its interval")))
        var figure = Figure(width: Style.columnWidth, panelHeight: 200)
        figure[0, 0] = panel
        return figure
    }
}
