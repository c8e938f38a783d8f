import Foundation

/// Numbers as text, for every place a reader sees one: labels, legends, tick marks, tables,
/// prose. One home, so that the same number reads the same everywhere, by the same rules:
/// a minus is U+2212 ("−0.5"), a value that rounds to zero has no sign ("0.0", never "-0.0"),
/// and no number a reader sees is in e-notation (small ones are decimals down to 0.0001, then
/// "2.3 × 10⁻⁵"; large ones are "1.2 × 10⁶").
public enum Format {
    /// The minus sign a reader sees.
    public static let minus = "\u{2212}"

    /// Text that C's printf made, as a reader should see it: the hyphen-minus of a negative number
    /// turned into U+2212, and the sign dropped where every digit is zero ("-0.0" is "0.0").
    static func signed(_ text: String) -> String {
        guard text.hasPrefix("-") else { return text }
        let digits = text.dropFirst()
        if digits.allSatisfy({ $0 == "0" || $0 == "." || $0 == "%" }) { return String(digits) }
        return minus + digits
    }

    /// "2.3 × 10⁻⁵": a number too small or too large for decimals, with `digits` significant digits.
    static func timesPowerOfTen(_ v: Double, digits: Int) -> String {
        let exponent = Int(floor(log10(abs(v))))
        var mantissa = v / pow(10, Double(exponent)), e = exponent
        let rounded = String(format: "%.\(max(digits - 1, 0))f", mantissa)
        if abs(Double(rounded) ?? mantissa) >= 10 { mantissa /= 10; e += 1 }
        var text = String(format: "%.\(max(digits - 1, 0))f", mantissa)
        if text.contains(".") { while text.hasSuffix("0") { text.removeLast() }; if text.hasSuffix(".") { text.removeLast() } }
        if text == "1" || text == "-1" { return (text == "-1" ? minus : "") + powerOfTen(e) }
        return signed(text) + " × " + powerOfTen(e)
    }

    /// Whether a magnitude reads as decimals: from 0.0001 up to a million.
    static func decimal(_ magnitude: Double) -> Bool { magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e6) }

    /// "1", "0.01", "0.0033", "1 × 10⁻⁵": a setting as a label shows it ("λ=0.1", "std=0.01", "lr 0.0033"):
    /// the shortest text that reads back as the number where that has at most four significant
    /// digits, otherwise two significant digits (a rate of 0.01 / 3 is "0.0033").
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return number(value) }
        guard decimal(abs(value)) else { return timesPowerOfTen(value, digits: 2) }
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        let significantDigits = text.filter(\.isNumber).drop { $0 == "0" }.count
        if text.contains("e") || significantDigits > 4 { return significant(value, digits: 2) }
        return signed(text)
    }

    /// "0.1", "-1", "1e-05": a number as a command line takes it, for `--help` defaults and for
    /// errors that quote what was typed (a reader's "−" could not be typed back).
    public static func typed(_ value: Double) -> String {
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Items as English lists them: "A", "A and B", "A, B and C".
    public static func list(_ items: [String]) -> String {
        items.count <= 2 ? items.joined(separator: " and ") : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// "0.541", "0.0001", "25,000" as "25000": `digits` significant digits (three by default), for
    /// tick labels, titles and legends; trailing zeros dropped.
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return number(value) }
        if value == 0 { return "0" }
        guard decimal(abs(value)) else { return timesPowerOfTen(value, digits: digits) }
        let decimals = max(0, digits - 1 - Int(floor(log10(abs(value)))))
        var text = String(format: "%.\(min(decimals, 10))f", value)
        if text.contains(".") { while text.hasSuffix("0") { text.removeLast() }; if text.hasSuffix(".") { text.removeLast() } }
        return signed(text)
    }

    /// "0.0062", "0.00001", "2.3 × 10⁻⁹": a hyperparameter spread over decades (a learning rate, a
    /// weight decay), two significant digits.
    public static func rate(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return number(value) }
        return value < 1e-5 ? timesPowerOfTen(value, digits: 2) : significant(value, digits: 2)
    }

    /// A number for a table: about `digits` significant digits, decimals for everyday sizes;
    /// "—" for a missing value.
    public static func number(_ v: Double, digits: Int = 4) -> String {
        guard v.isFinite else { return v.isNaN ? "—" : (v > 0 ? "∞" : minus + "∞") }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if !decimal(magnitude) { return timesPowerOfTen(v, digits: digits) }
        let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
        return signed(String(format: "%.\(min(decimals, 8))f", v))
    }

    /// "0.25", "−1.50": exactly `decimals` decimals, with a real minus and no "−0".
    public static func fixed(_ v: Double, decimals: Int) -> String {
        v.isFinite ? signed(String(format: "%.\(max(decimals, 0))f", v)) : number(v)
    }

    /// "93.4%" for 0.934; "—" for a missing value.
    public static func percent(_ v: Double, decimals: Int = 1) -> String {
        v.isFinite ? signed(String(format: "%.\(decimals)f%%", v * 100)) : "—"
    }

    /// "+24.1" for a difference of accuracies of 0.241, "−0.3" for −0.003, "0.0" for one that
    /// rounds to nothing: percentage points with their sign.
    public static func points(_ v: Double, decimals: Int = 1) -> String {
        guard v.isFinite else { return "—" }
        let text = String(format: "%.\(decimals)f", abs(v) * 100)
        if text.allSatisfy({ $0 == "0" || $0 == "." }) { return text }
        return (v < 0 ? minus : "+") + text
    }

    /// "10⁻³", "10⁰", "10²"
    public static func powerOfTen(_ exponent: Int) -> String {
        let superscripts: [Character: Character] = ["-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴",
                                                     "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        return "10" + String(String(exponent).map { superscripts[$0] ?? $0 })
    }

    /// "−6", "−2.25": an exponent of ten as a box edge is written, whole where it is whole.
    public static func exponent(_ e: Double) -> String {
        e == e.rounded() ? signed(String(Int(e))) : signed(String(format: "%.2f", e))
    }

    /// "20 seeds", "1 seed", "3 to 20 seeds": how many seeds a statement rests on, said once.
    public static func seeds(_ counts: [Int]) -> String {
        let present = counts.filter { $0 > 0 }
        guard let low = present.min(), let high = present.max() else { return "no seeds" }
        return low == high ? (high == 1 ? "1 seed" : "\(high) seeds") : "\(low) to \(high) seeds"
    }
}
