/// An RGBA colour with components in [0, 1].
public struct Color: Sendable, Hashable {
    public var red, green, blue, alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// A colour from a hex string such as "#1f77b4".
    public init(hex: String, alpha: Double = 1) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        let value = UInt32(digits, radix: 16) ?? 0
        self.init(red: Double((value >> 16) & 0xFF) / 255, green: Double((value >> 8) & 0xFF) / 255,
                  blue: Double(value & 0xFF) / 255, alpha: alpha)
    }

    public func withAlpha(_ alpha: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: alpha) }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let red = Color(hex: "#d62728")
    public static let text = Color(hex: "#222222")
    public static let axis = Color(hex: "#444444")
    public static let grid = Color(hex: "#e3e3e3")
    public static let contour = Color(hex: "#7a7a7a")
}

/// The ink and paper a figure is drawn with. The light theme draws as given; the dark one (the
/// HTML edition's dark mode) turns the greys over, the white paper first, so that text, axes,
/// grid and grey marks read on a dark page, and keeps every colour that is not a grey: the data's
/// colours mean the same in both.
public enum Theme: String, Sendable, CaseIterable {
    case light, dark

    /// The HTML edition's dark background (style.css), which the dark figure's paper matches.
    static let darkPaper = Color(hex: "#0d1117")

    /// `color` as this theme draws it.
    public func ink(_ color: Color) -> Color {
        guard self == .dark else { return color }
        let levels = [color.red, color.green, color.blue]
        guard levels.max()! - levels.min()! < 0.02 else { return color }
        if levels.min()! > 0.995 { return Self.darkPaper.withAlpha(color.alpha) }
        // Lightness turned over into the dark page's range: #222 text becomes light grey, the
        // light grid a dark one.
        let level = 0.07 + (1 - (levels.reduce(0, +) / 3)) * 0.86
        return Color(red: level, green: level, blue: level, alpha: color.alpha)
    }
}

/// The ten-colour qualitative palette of matplotlib ("tab10"), used in order for series.
public enum Palette {
    public static let tab10: [Color] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"].map { Color(hex: $0) }

    /// The `index`-th colour, cycling after ten.
    public static func color(_ index: Int) -> Color { tab10[((index % 10) + 10) % 10] }
}

/// A perceptual colour map: viridis, from dark purple (0) to yellow (1), interpolated between
/// eleven evenly spaced samples of matplotlib's table.
public struct ColorMap: Sendable {
    let stops: [Color]

    public static let viridis = ColorMap(stops: ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
                                                 "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"].map { Color(hex: $0) })

    /// The colour at `t` in [0, 1] (clamped).
    public func color(at t: Double) -> Color {
        let clamped = t.isFinite ? min(max(t, 0), 1) : 0
        let position = clamped * Double(stops.count - 1)
        let i = min(Int(position), stops.count - 2)
        let f = position - Double(i)
        let a = stops[i], b = stops[i + 1]
        return Color(red: a.red + (b.red - a.red) * f, green: a.green + (b.green - a.green) * f,
                     blue: a.blue + (b.blue - a.blue) * f)
    }
}
