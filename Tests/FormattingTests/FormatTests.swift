import Statistics
import Testing
@testable import Formatting

struct FormatTests {
    @Test func compactNumbersReadBackAsTheSameNumberOrTwoDigits() {
        #expect(Format.compact(1) == "1" && Format.compact(0.01) == "0.01" && Format.compact(0.1) == "0.1")
        #expect(Format.compact(-2.5) == "\u{2212}2.5")
        // A computed rate is not printed to seventeen digits, nor in e-notation.
        #expect(Format.compact(0.01 / 3) == "0.0033" && Format.compact(0.03) == "0.03" && Format.compact(0.003) == "0.003")
        #expect(Format.compact(1e-5) == "10⁻⁵" && Format.compact(2.5e-6) == "2.5 × 10⁻⁶")
    }

    @Test func significantDigitsWithoutENotation() {
        #expect(Format.significant(0.54117) == "0.541" && Format.significant(1e-4) == "0.0001")
        #expect(Format.significant(1e-5) == "10⁻⁵" && Format.significant(2.5e-6) == "2.5 × 10⁻⁶")
        #expect(Format.significant(25000) == "25000" && Format.significant(2000) == "2000" && Format.significant(2.5e7) == "2.5 × 10⁷")
        #expect(Format.significant(1) == "1" && Format.significant(0.0251188) == "0.0251" && Format.significant(-0.5) == "\u{2212}0.5")
        #expect(Format.significant(-0.00001, digits: 1) == "\u{2212}10⁻⁵")
    }

    @Test func ratesForHyperparameters() {
        #expect(Format.rate(0.00623) == "0.0062" && Format.rate(9.96e-3) == "0.01" && Format.rate(0.00889) == "0.0089")
        #expect(Format.rate(1e-8) == "10⁻⁸" && Format.rate(3.2e-7) == "3.2 × 10⁻⁷" && Format.rate(0) == "0")
    }

    @Test func tableNumbersAndPercentages() {
        #expect(Format.number(0.123456) == "0.1235")
        #expect(Format.number(1234.6) == "1235")
        #expect(Format.number(0.00001234) == "1.234 × 10⁻⁵")
        #expect(Format.number(2.3, digits: 3) == "2.30" && Format.number(0) == "0")
        #expect(Format.number(.nan) == "—" && Format.number(.infinity) == "∞")
        #expect(Format.percent(0.9312) == "93.1%" && Format.percent(0.5, decimals: 0) == "50%" && Format.percent(.nan) == "—")
        #expect(Format.percent(-0.0123) == "\u{2212}1.2%" && Format.percent(-0.0001) == "0.0%")
    }

    @Test func noNegativeZeroAndARealMinus() {
        #expect(Format.points(0.241) == "+24.1" && Format.points(-0.015) == "\u{2212}1.5")
        #expect(Format.points(-0.0004) == "0.0" && Format.points(0.0004) == "0.0")
        #expect(Format.number(-0.00001, digits: 2) == "\u{2212}10⁻⁵")
        #expect(Format.number(-0.00004, digits: 1) == "\u{2212}4 × 10⁻⁵")
        #expect(Format.number(-0.0000001 + 0.0000001) == "0" && Format.number(-0.04, digits: 1) == "\u{2212}0.04")
        for text in [Format.points(-1e-9), Format.percent(-1e-9), Format.number(-1e-12), Format.significant(-1e-12)] {
            #expect(!text.contains("-"), "\(text) carries a hyphen-minus")
        }
    }

    @Test func exponents() {
        #expect(Format.powerOfTen(-3) == "10⁻³" && Format.powerOfTen(0) == "10⁰" && Format.powerOfTen(12) == "10¹²")
        #expect(Format.exponent(-6) == "\u{2212}6" && Format.exponent(-2.25) == "\u{2212}2.25")
    }

    @Test func numbersAsACommandLineTakesThem() {
        #expect(Format.typed(-1) == "-1" && Format.typed(0.1) == "0.1" && Format.typed(1e-5) == "1e-05")
    }

    @Test func seedCountsSaidOnce() {
        #expect(Format.seeds([20]) == "20 seeds" && Format.seeds([1]) == "1 seed" && Format.seeds([3, 20, 5]) == "3 to 20 seeds")
    }
}

struct SeedTextTests {
    @Test func tableTextSaysWhatIsMissing() {
        #expect(percentWithRange(SeedSummary([0.9, 0.92, 0.94])) == "92.0% (90.0–94.0%)")
        #expect(percentWithRange(SeedSummary([0.9, .nan, 0.94]), missing: .diverged) == "92.0% (90.0–94.0%) (1 of 3 seeds diverged)")
        #expect(percentWithRange(SeedSummary([.nan, .nan]), missing: .diverged) == "diverged on all 2 seeds")
        // A value that is only missing is never called diverged.
        #expect(percentWithRange(SeedSummary([0.9, .nan, 0.94])) == "92.0% (90.0–94.0%) (no value on 1 of 3 seeds)")
        #expect(percentagePoints(SeedSummary([.nan, .nan, .nan])) == "not measured")
        #expect(percentWithRange(SeedSummary([1, 1, 0.99999])) == "100.0% (every seed)")
        #expect(percentagePoints(SeedSummary([0, 0])) == "0.0 points (every seed)")
        #expect(meanAndSpread(SeedSummary([1, 3])) == "2.00 ± 1.4")
        #expect(percentagePoints(SeedSummary([0.24, 0.2])) == "+22.0 points (seeds from +20.0 to +24.0)")
        #expect(epochText(SeedSummary([80, 96, .nan])) == "88 (80–96); 1 of 3 seeds never")
        #expect(epochText(SeedSummary([.nan])) == "never")
    }
}
