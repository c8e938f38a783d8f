import Statistics
import Testing
@testable import Formatting

struct FormatTests {
    @Test func compactNumbersReadBackAsTheSameNumber() {
        #expect(Format.compact(1) == "1" && Format.compact(0.01) == "0.01" && Format.compact(1e-5) == "1e-05")
        #expect(Format.compact(-2.5) == "-2.5" && Format.compact(0.1) == "0.1")
    }

    @Test func significantDigitsForTicksAndTitles() {
        #expect(Format.significant(0.54117) == "0.541" && Format.significant(1e-4) == "0.0001" && Format.significant(1e-5) == "1e-5")
        #expect(Format.significant(25000) == "2.5e4" && Format.significant(123456) == "1.23e5")
        #expect(Format.significant(1) == "1" && Format.significant(0.0251188) == "0.0251")
    }

    @Test func scientificForHyperparameters() {
        #expect(Format.scientific(0.00623) == "6.2e-3" && Format.scientific(9.96e-3) == "1.0e-2" && Format.scientific(1e-8) == "1.0e-8")
        #expect(Format.scientific(0) == "0.0")
    }

    @Test func tableNumbersAndPercentages() {
        #expect(Format.number(0.123456) == "0.1235")
        #expect(Format.number(1234.6) == "1235")
        #expect(Format.number(0.00001234) == "1.234e-05")
        #expect(Format.number(2.3, digits: 3) == "2.30" && Format.number(0) == "0")
        #expect(Format.number(.nan) == "—" && Format.number(.infinity) == "∞")
        #expect(Format.percent(0.9312) == "93.1%" && Format.percent(0.5, decimals: 0) == "50%" && Format.percent(.nan) == "—")
        #expect(Format.points(0.241) == "+24.1" && Format.points(-0.0004) == "-0.0")
    }

    @Test func exponents() {
        #expect(Format.powerOfTen(-3) == "10⁻³" && Format.powerOfTen(0) == "10⁰" && Format.powerOfTen(12) == "10¹²")
        #expect(Format.exponent(-6) == "-6" && Format.exponent(-2.25) == "-2.25")
    }
}

struct SeedTextTests {
    @Test func tableTextSaysWhatIsMissing() {
        #expect(percentWithRange(SeedSummary([0.9, 0.92, 0.94])) == "92.0% (90.0–94.0%)")
        #expect(percentWithRange(SeedSummary([0.9, .nan, 0.94])) == "92.0% (90.0–94.0%) (1 of 3 seeds diverged)")
        #expect(percentWithRange(SeedSummary([.nan, .nan])) == "diverged on all 2 seeds")
        #expect(percentWithRange(SeedSummary([1, 1, 0.99999])) == "100.0% (every seed)")
        #expect(percentagePoints(SeedSummary([0, 0])) == "+0.0 points (every seed)")
        #expect(meanAndSpread(SeedSummary([1, 3])) == "2.00 ± 1.4")
        #expect(percentagePoints(SeedSummary([0.24, 0.2])) == "+22.0 points (seeds from +20.0 to +24.0)")
        #expect(epochText(SeedSummary([80, 96, .nan])) == "88 (80–96); 1 of 3 seeds never")
        #expect(epochText(SeedSummary([.nan])) == "never")
    }
}
