/// One colour per setting across every figure of a report. A mark with a `colorKey` takes the
/// colour its setting got where it first appeared; a setting seen for the first time keeps the
/// colour it was drawn with unless another setting already has that colour, and then takes the
/// first palette colour no setting has (once every one has a setting, the first no other setting of
/// the same figure has). Marks without a key keep their own colour.
public struct ColorBook: Sendable {
    /// The colour of each setting seen so far.
    public private(set) var colors: [ColorKey: Color] = [:]

    public init() {}

    /// Recolours `figure`'s keyed marks, learning the settings it shows for the first time.
    public mutating func paint(_ figure: inout Figure) {
        // First every setting in the figure, in drawing order, with the colour it was drawn with.
        var seen: [(key: ColorKey, color: Color)] = []
        for panel in figure.panels {
            for mark in panel.marks {
                guard let key = mark.colorKey, !seen.contains(where: { $0.key == key }) else { continue }
                seen.append((key, mark.paletteColor ?? Palette.color(0)))
            }
        }
        for (key, drawn) in seen where colors[key] == nil {
            let taken = Set(colors.values)
            // Once every palette colour has a setting, at least no two settings of this figure share one.
            let here = Set(seen.compactMap { colors[$0.key] })
            colors[key] = !taken.contains(drawn) ? drawn
                : (Palette.tab10.first { !taken.contains($0) } ?? Palette.tab10.first { !here.contains($0) } ?? drawn)
        }
        for index in figure.panels.indices { figure.panels[index].recolor(colors) }
    }
}

extension Panel {
    mutating func recolor(_ colors: [ColorKey: Color]) {
        for index in marks.indices {
            if let key = marks[index].colorKey, let color = colors[key] { marks[index].recolor(color) }
        }
    }
}

/// What a mark's colour stands for: a setting, as the typed value its chapter declares it by (a
/// dropout ratio, an optimizer, "with BatchNorm"), never a label: the same setting takes the same
/// colour in every figure of a report, whatever its lines are called.
public struct ColorKey: Hashable, @unchecked Sendable {
    // Only Sendable values go in (see `init`): the box is as safe to share as they are.
    private let value: AnyHashable

    public init<Setting: Hashable & Sendable>(_ setting: Setting) { value = AnyHashable(setting) }
}
