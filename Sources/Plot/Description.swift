import Formatting
import Foundation

// Alt text from the data: what a reader who cannot see a figure should learn from it, said from
// the numbers each mark draws rather than from its caption.

extension Figure {
    /// The longest alt text may run, in characters: a sentence or two that a screen reader reads
    /// out in full; the data's description goes under the figure instead (`dataDescription`).
    public static let altTextLimit = 250

    /// What the figure shows in one or two sentences, at most `altTextLimit` characters: its title
    /// (or its axes) and panels, then its key numbers, said from the data drawn.
    public var altText: String {
        let drawn = described
        guard let first = drawn.first else { return title.map { $0 + "." } ?? "An empty figure." }
        let axes = first.panel.axes(first.x, first.y)
        var what = title ?? (axes.isEmpty ? "A chart" : Self.capitalised(axes))
        let titles = drawn.compactMap(\.panel.title)
        let panels = drawn.count > 1 ? ", in \(drawn.count) panels" : ""
        let named = titles.count == drawn.count && drawn.count > 1 ? " (\(titles.joined(separator: ", ")))" : ""
        let key = Self.keyNumbers(drawn.map(\.panel), xNames: drawn.map(\.x)).map(Self.capitalised)
        for candidate in [what + panels + named, what + panels] {
            let text = candidate + "." + (key.map { " " + $0 + "." } ?? "")
            if text.count <= Self.altTextLimit { return text }
        }
        what += panels + "."
        guard let key else { return Self.cut(what, to: Self.altTextLimit) }
        return Self.cut(what + " " + key + ".", to: Self.altTextLimit)
    }

    /// Everything the figure draws, panel by panel: its axes, where each line starts and ends (and
    /// which ends highest and lowest), where points, bars and histograms lie, and any note on it.
    /// For the reader who wants the numbers without the picture; the data files hold them all.
    public var dataDescription: String {
        let drawn = described
        let parts = drawn.map { entry in
            let name = entry.panel.title ?? (drawn.count > 1 ? "panel \(entry.index + 1)" : nil)
            return (name.map { $0 + ": " } ?? "") + entry.panel.description(x: entry.x, y: entry.y)
        }
        return ((title.map { [$0] } ?? []) + parts).map(Self.capitalised).joined(separator: ". ") + "."
    }

    /// The panels with something drawn, each with the axis names it is read by: its own, or, where
    /// a grid leaves them to a neighbour, the ones its column and row show.
    var described: [(index: Int, panel: Panel, x: String?, y: String?)] {
        panels.enumerated().filter { !$0.element.isEmpty }.map { index, panel in
            let column = index % columns, row = index / columns
            let x = panel.xLabel ?? panels.enumerated().first { $0.offset % columns == column && $0.element.xLabel != nil }?.element.xLabel
            let y = panel.yLabel ?? panels[row * columns..<(row + 1) * columns].first { $0.yLabel != nil }?.yLabel
            return (index, panel, x, y)
        }
    }

    /// The figure's key numbers in a sentence: where its lines end (highest and lowest, at the last
    /// x, named by `xNames`), its best scored point, its tallest bar, or else what its first
    /// panel's marks show.
    static func keyNumbers(_ panels: [Panel], xNames: [String?]) -> String? {
        let lines = panels.map { panel in panel.marks.compactMap { $0 as? LineMark }.filter { $0.label != nil && $0.inLegend } }
        if let most = lines.indices.max(by: { lines[$0].count < lines[$1].count }), !lines[most].isEmpty {
            let ends = lines[most].compactMap { line in
                Array(zip(line.x, line.y)).last { $0.1.isFinite }.map { (label: line.label!, x: $0.0, y: $0.1) }
            }.sorted { $0.y > $1.y }
            let place = panels.count > 1 ? panels[most].title.map { "in \($0), " } ?? "" : ""
            let at = ends.map(\.x).max().map { x in xNames[most].map { "at \($0) \(Format.significant(x))" } ?? "at the right end" } ?? ""
            let unit = panels[most].yUnit
            if ends.count > 1, let high = ends.first, let low = ends.last {
                return "\(place)\(at) \(high.label) is highest (\(unit.text(high.y))) and \(low.label) lowest (\(unit.text(low.y)))"
            }
            if let only = ends.first { return "\(place)\(only.label) ends at \(unit.text(only.y))" }
        }
        let scored = panels.flatMap { panel in
            panel.marks.compactMap { $0 as? ScatterMark }.flatMap { mark in
                zip(zip(mark.x, mark.y), mark.values ?? []).filter { $0.1.isFinite }.map { (panel.title, $0.0, $0.1) }
            }
        }
        if let best = scored.max(by: { $0.2 < $1.2 }) {
            return "The best point scores \(Format.significant(best.2))\(best.0.map { " (\($0))" } ?? "") at "
                + "(\(Format.significant(best.1.0)), \(Format.significant(best.1.1)))"
        }
        for panel in panels {
            let bars = panel.marks.compactMap { $0 as? BarMark }.flatMap { zip($0.x, $0.heights) }
            if let tallest = bars.max(by: { $0.1 < $1.1 }) {
                let name = panel.categories?[tallest.0] ?? Format.significant(tallest.0)
                return "The tallest bar is \(name), at \(panel.yUnit.text(tallest.1))"
            }
        }
        return panels.lazy.compactMap { $0.marks.lazy.compactMap(\.summary).first }.first.map(Self.capitalised)
    }

    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// `text` cut at a word to at most `limit` characters, with an ellipsis where it was cut.
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let head = text.prefix(limit - 1)
        return String(head[..<(head.lastIndex(of: " ") ?? head.endIndex)]) + "…"
    }
}

extension Panel {
    /// The axes, read by `x` and `y` (the panel's own labels or its neighbours'): "y against x",
    /// with the log ones named.
    func axes(_ x: String?, _ y: String?) -> String {
        let scales = [xScale == .logarithmic ? "x" : nil, yScale == .logarithmic ? "y" : nil].compactMap { $0 }
        let names = [y, x].compactMap { $0 }
        let text = names.count == 2 ? "\(names[0]) against \(names[1])" : (names.first ?? "")
        if scales.isEmpty { return text }
        let log = "log \(scales.count == 2 ? "axes" : scales[0])"
        return text.isEmpty ? log : "\(text) (\(log))"
    }

    /// The panel's axes and what its marks show, by its own axis labels.
    var description: String { description(x: xLabel, y: yLabel) }

    /// The panel's axes (by `x` and `y`) and what its marks show.
    func description(x: String?, y: String?) -> String {
        var sentences = [axes(x, y)].filter { !$0.isEmpty }
        sentences += Self.lines(marks.compactMap { $0 as? LineMark }.filter { $0.label != nil && $0.inLegend }, unit: yUnit)
        sentences += marks.filter { !($0 is LineMark) }.compactMap { mark in
            // On a categorical axis, bars and points are named by their category, not their position.
            if let bars = mark as? BarMark { return categories.map { bars.summary($0, unit: yUnit) } ?? bars.summary(unit: yUnit) }
            guard let categories else { return mark.summary }
            if let points = mark as? ScatterMark { return points.summary(categories) }
            return mark.summary
        }
        return sentences.joined(separator: "; ")
    }

    /// The name of each x position when the axis is categorical (tick labels that are not numbers).
    var categories: [Double: String]? {
        guard let ticks = xTickLabels, ticks.contains(where: { Double($0.1) == nil }) else { return nil }
        return Dictionary(ticks, uniquingKeysWith: { first, _ in first })
    }

    /// Each labelled line from its first value to its last, ranked by the last when there are several.
    static func lines(_ lines: [LineMark], unit: AxisUnit = .plain) -> [String] {
        let ends = lines.compactMap { line -> (label: String, first: Double, last: Double)? in
            let ys = line.y.filter(\.isFinite)
            guard let first = ys.first, let last = ys.last, let label = line.label else { return nil }
            return (label, first, last)
        }
        guard !ends.isEmpty else { return [] }
        let ranked = ends.sorted { $0.last > $1.last }
        var text = ranked.prefix(8).map { "\($0.label) \(unit.text($0.first)) → \(unit.text($0.last))" }.joined(separator: ", ")
        if ranked.count > 8 { text += " and \(ranked.count - 8) more" }
        if ranked.count > 1 {
            text += " (ends highest: \(ranked.first!.label); lowest: \(ranked.last!.label))"
        }
        return [text]
    }
}

extension Drawable {
    /// One clause on what the mark shows, or nil for marks that only support others (bands).
    var summary: String? { nil }
}

extension ScatterMark {
    var summary: String? {
        let finite = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard !finite.isEmpty else { return nil }
        var text = "\(label.map { $0 + ": " } ?? "")\(finite.count) point\(finite.count == 1 ? "" : "s")"
        if let values, let best = zip(finite, values).max(by: { $0.1 < $1.1 }) {
            text += ", highest value \(Format.significant(best.1)) at (\(Format.significant(best.0.0)), \(Format.significant(best.0.1)))"
        } else if finite.count <= 4 {
            text += " at x = " + finite.map { Format.significant($0.0) }.joined(separator: ", ")
        }
        return text
    }
}

extension HistogramMark {
    var summary: String? {
        // From the bins drawn, with the values beyond the range counted on their side: the edges of
        // the bins that hold the first and the third quartile.
        let counts = Histogram.counts(values, bins: bins, range: range)
        let below = values.filter { $0 < range.lowerBound }.count, above = values.filter { $0 > range.upperBound }.count
        let total = counts.reduce(0, +) + below + above, name = label.map { $0 + ": " } ?? ""
        guard total > 0 else { return name + "no values" }
        func edge(_ q: Double, upper: Bool) -> Double? {
            var seen = below
            if Double(seen) >= q * Double(total) { return nil }
            for (i, c) in counts.enumerated() {
                seen += c
                if Double(seen) >= q * Double(total) { return range.lowerBound + Double(i + (upper ? 1 : 0)) * binWidth }
            }
            return nil
        }
        let (low, high) = (Format.significant(range.lowerBound), Format.significant(range.upperBound))
        var text = name
        switch (edge(0.25, upper: false), edge(0.75, upper: true)) {
        case let (a?, b?): text += "middle half between \(Format.significant(a)) and \(Format.significant(b))"
        case let (a?, nil): text += "middle half from \(Format.significant(a)) to beyond \(high)"
        case (nil, _) where below > total / 4: text += "middle half reaching below \(low)"
        default: text += "middle half above \(high)"
        }
        if above > 0 { text += ", \(Format.percent(Double(above) / Double(total), decimals: 0)) above \(high)" }
        if below > 0 { text += ", \(Format.percent(Double(below) / Double(total), decimals: 0)) below \(low)" }
        return text
    }
}

extension BarMark {
    var summary: String? { summary(unit: .plain) }

    func summary(unit: AxisUnit) -> String? {
        let bars = zip(x, heights).map { "\(Format.significant($0.0)): \(unit.text($0.1))" }
        return bars.isEmpty ? nil : "\(label.map { $0 + " " } ?? "")bars " + bars.joined(separator: ", ")
    }

    /// Each bar by its category's name (the label too when it says something else).
    func summary(_ categories: [Double: String], unit: AxisUnit = .plain) -> String? {
        let bars = zip(x, heights).map { x, height -> String in
            let name = categories[x] ?? Format.significant(x)
            return (label.map { $0 == name ? name : "\($0), \(name)" } ?? name) + ": " + unit.text(height)
        }
        return bars.isEmpty ? nil : bars.joined(separator: ", ")
    }
}

extension ScatterMark {
    /// The points of each category as the range of their values.
    func summary(_ categories: [Double: String]) -> String? {
        let points = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        let groups = Dictionary(grouping: points, by: \.0).sorted { $0.key < $1.key }.map { x, members -> String in
            let ys = members.map(\.1), (low, high) = (ys.min()!, ys.max()!)
            let range = low == high ? Format.significant(low) : "\(Format.significant(low))–\(Format.significant(high))"
            return "\(categories[x] ?? Format.significant(x)) \(range)"
        }
        return groups.isEmpty ? nil : "\(label ?? "points") by category, from lowest to highest: " + groups.joined(separator: ", ")
    }
}

extension HeatmapMark {
    var summary: String? {
        let cells = values.enumerated().flatMap { j, row in row.enumerated().compactMap { i, v in v.isFinite ? (x[i], y[j], v) : nil } }
        guard let high = cells.max(by: { $0.2 < $1.2 }), let low = cells.min(by: { $0.2 < $1.2 }) else { return nil }
        return "shading from \(Format.significant(low.2)) at (\(Format.significant(low.0)), \(Format.significant(low.1))) "
            + "to \(Format.significant(high.2)) at (\(Format.significant(high.0)), \(Format.significant(high.1)))"
    }
}

extension TextMark {
    var summary: String? { described ? "a note: \(text)" : nil }
}

extension RectangleMark {
    var summary: String? {
        label.map { "\($0): x \(Format.significant(x.lowerBound))–\(Format.significant(x.upperBound)), y \(Format.significant(y.lowerBound))–\(Format.significant(y.upperBound))" }
    }
}
