import Foundation

/// Numbers as text, for every place a reader sees one: labels, legends, tick marks, tables,
/// prose. One home, so that the same number reads the same everywhere.
public enum Format {
    /// "1", "0.01", "1e-05": the shortest text that reads back as the same number, for settings
    /// and labels ("λ=0.1", "std=0.01").
    public static func compact(_ value: Double) -> String {
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Items as English lists them: "A", "A and B", "A, B and C".
    public static func list(_ items: [String]) -> String {
        items.count <= 2 ? items.joined(separator: " and ") : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// "0.541", "1e-4": three significant digits, for tick labels, titles and legends.
    public static func significant(_ value: Double) -> String {
        var text = String(format: "%.3g", value)
        if text.contains("e") {
            text = text.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
        }
        return text
    }

    /// "6.2e-3": two significant digits, for hyperparameters spread over decades.
    public static func scientific(_ value: Double) -> String {
        guard value > 0, value.isFinite else { return "\(value)" }
        let exponent = Int(floor(log10(value)))
        var mantissa = value / pow(10, Double(exponent))
        var e = exponent
        if (mantissa * 10).rounded() >= 100 { mantissa /= 10; e += 1 }
        return String(format: "%.1fe%d", mantissa, e)
    }

    /// A number for a table: about `digits` significant digits, no exponent for everyday sizes;
    /// "—" for a missing value.
    public static func number(_ v: Double, digits: Int = 4) -> String {
        guard v.isFinite else { return v.isNaN ? "—" : (v > 0 ? "∞" : "−∞") }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.\(max(digits - 1, 1))e", v) }
        let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
        return String(format: "%.\(min(decimals, 8))f", v)
    }

    /// "93.4%" for 0.934; "—" for a missing value.
    public static func percent(_ v: Double, decimals: Int = 1) -> String {
        v.isFinite ? String(format: "%.\(decimals)f%%", v * 100) : "—"
    }

    /// "+24.1" for a difference of accuracies of 0.241: percentage points with their sign.
    public static func points(_ v: Double) -> String { String(format: "%+.1f", v * 100) }

    /// "10⁻³", "10⁰", "10²"
    public static func powerOfTen(_ exponent: Int) -> String {
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                     "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "10" + String(String(exponent).map { superscripts[$0] ?? $0 })
    }

    /// "-6", "-2.25": an exponent of ten as a box edge is written, whole where it is whole.
    public static func exponent(_ e: Double) -> String {
        e == e.rounded() ? String(Int(e)) : String(format: "%.2f", e)
    }
}
