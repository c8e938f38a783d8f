import Foundation
import Testing
@testable import Statistics

struct SeedSummaryTests {
    @Test func meanSpreadAndExtremes() {
        let s = SeedSummary([0.2, 0.4, 0.9])
        #expect(abs(s.mean - 0.5) < 1e-12 && s.minimum == 0.2 && s.maximum == 0.9)
        // Sample standard deviation: sqrt(((−0.3)² + (−0.1)² + 0.4²) / 2) = sqrt(0.13)
        #expect(abs(s.standardDeviation - 0.13.squareRoot()) < 1e-12)
        #expect(SeedSummary([3]).standardDeviation == 0)
    }

    @Test func aSeedWithoutAValueIsMissingNotANumber() {
        let s = SeedSummary([0.5, .nan, 0.7])
        #expect(s.missing == 1 && !s.isComplete && s.present == [0.5, 0.7])
        #expect(abs(s.mean - 0.6) < 1e-12 && s.minimum == 0.5 && s.maximum == 0.7)
        #expect(SeedSummary([.nan, .infinity]).mean.isNaN)
    }

    @Test func clearlyMeansEverySeed() {
        let low = SeedSummary([0.1, 0.2, 0.3]), high = SeedSummary([0.31, 0.5, 0.4]), overlapping = SeedSummary([0.25, 0.6, 0.7])
        #expect(low.isClearlyBelow(high) && high.isClearlyAbove(low))
        #expect(!low.isClearlyBelow(overlapping) && !overlapping.isClearlyAbove(low))
        // A missing seed could have landed anywhere: never clearly separated.
        #expect(!SeedSummary([0.1, .nan]).isClearlyBelow(high) && !high.isClearlyAbove(SeedSummary([0.1, .nan])))
        #expect(high.subtracting(low).values.enumerated().allSatisfy { abs($0.element - [0.21, 0.3, 0.1][$0.offset]) < 1e-12 })
    }

    @Test func bandsUseTheSeedsThatReachEachPoint() {
        let band = SeedBand(x: [0, 1, 2, 3], curves: [[1, 2, 3, 4], [3, 4], [2, .nan, 5, 6]])
        #expect(band.mean == [2, 3, 4, 5])
        #expect(band.lower == [1, 2, 3, 4] && band.upper == [3, 4, 5, 6])
        let empty = SeedBand(x: [0, 1], curves: [[1], [2]])
        #expect(empty.mean[0] == 1.5 && empty.mean[1].isNaN)
    }
}

struct SmoothingTests {
    @Test func kaiserWindowMatchesNumPy() {
        // numpy.kaiser(11, 2)
        let expected = [0.43867628, 0.61139435, 0.767675, 0.89216143, 0.9723298, 1.0,
                        0.9723298, 0.89216143, 0.767675, 0.61139435, 0.43867628]
        let window = Smoothing.kaiserWindow(length: 11, beta: 2)
        #expect(zip(window, expected).allSatisfy { abs($0 - $1) < 1e-7 })
    }

    @Test func smoothingIsTheReferenceMovingAverage() {
        // A constant stays constant; a step is spread over the window as NumPy spreads it; the length is kept.
        #expect(Smoothing.smooth(Array(repeating: 2.0, count: 30)).allSatisfy { abs($0 - 2) < 1e-12 })
        let step = Array(repeating: 0.0, count: 20) + Array(repeating: 1.0, count: 20)
        let smoothed = Smoothing.smooth(step)
        #expect(smoothed.count == 40)
        #expect(smoothed[14] == 0 && abs(smoothed[25] - 1) < 1e-12)
        #expect(abs(smoothed[19] - 0.44022337614414997) < 1e-9 && abs(smoothed[20] - 0.55977662385585) < 1e-9)
        // Values the reference's smooth_curve gives (NumPy) for x = 0, 1, ..., 14, with its mirrored ends.
        let ramp = Smoothing.smooth((0..<15).map(Double.init))
        #expect(abs(ramp[0] - 2.319006978088358) < 1e-9 && abs(ramp[7] - 7) < 1e-9 && abs(ramp[14] - 12.12121639805579) < 1e-9)
    }
}

struct RankCorrelationTests {
    @Test func spearmanByHand() {
        // Any increasing relation ranks perfectly; a reversed one perfectly the other way.
        #expect(spearman([1, 2, 3, 4], [1, 8, 27, 64]) == 1 && spearman([1, 2, 3, 4], [9, 4, 1, 0]) == -1)
        // Ranks 1 2 3 4 5 against 2 1 4 3 5: Σd² = 4, ρ = 1 − 6·4/(5·24) = 0.8.
        #expect(abs(spearman([10, 20, 30, 40, 50], [2, 1, 4, 3, 5]) - 0.8) < 1e-12)
        // Tied values share their mean rank: y ranks 1.5 1.5 3 against 1 2 3 → ρ = √3/2.
        #expect(abs(spearman([1, 2, 3], [5, 5, 7]) - 3.0.squareRoot() / 2) < 1e-12)
        #expect(spearman([1, 1, 1], [1, 2, 3]).isNaN && spearman([1], [2]).isNaN)
    }
}

struct InferenceTests {
    @Test func studentQuantilesMatchThePrintedTables() {
        // Two-sided 95%, 99% and 99.9% points from the standard tables (three decimals).
        for (p, df, table) in [(0.975, 2, 4.303), (0.975, 9, 2.262), (0.975, 30, 2.042), (0.995, 4, 4.604), (0.995, 9, 3.250),
                               (0.9995, 5, 6.869), (0.95, 1, 6.314)] {
            #expect(abs(StudentT.quantile(p, degreesOfFreedom: df) - table) < 0.0006, "t(\(p), \(df))")
        }
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 100) - 1.984) < 0.0006)
        #expect(StudentT.quantile(0.025, degreesOfFreedom: 9) == -StudentT.quantile(0.975, degreesOfFreedom: 9))
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 3) == 0)
    }

    @Test func studentDistributionHasItsClosedForms() {
        // One degree of freedom is Cauchy: 1/2 + atan(t)/π; two: 1/2 + t / (2√(2 + t²)).
        for t in [-30.0, -2.5, -0.3, 0, 0.7, 4, 100] {
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 1) - (0.5 + atan(t) / .pi)) < 1e-12)
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 2) - (0.5 + t / (2 * (2 + t * t).squareRoot()))) < 1e-12)
        }
        // Many degrees of freedom approach the normal: Φ(1.96) = 0.9750.
        #expect(abs(StudentT.cdf(1.959964, degreesOfFreedom: 100_000) - 0.975) < 1e-5)
    }

    @Test func intervalsAtAnyLevel() {
        let i = MeanInterval([1, 2, 3])!                // mean 2, s = 1, half-width t(0.975, 2) / √3 = 4.303 / √3
        #expect(i.mean == 2 && abs(i.low - (2 - 4.303 / 3.0.squareRoot())) < 1e-3 && i.count == 3)
        // At 99% the half-width is t(0.995, 2) = 9.925 standard errors.
        let wide = MeanInterval([1, 2, 3], level: 0.99)!
        #expect(abs(wide.high - (2 + 9.925 / 3.0.squareRoot())) < 1e-3)
        #expect(MeanInterval([1, .nan]) == nil && MeanInterval([4, 4])!.low == 4)
    }
}

/// The descriptive statistics the chapters read, against values worked out by hand.
struct DescriptiveTests {
    @Test func spreadAndSkewnessOfSmallSamples() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4, standard deviation 2.
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(Descriptive.mean(values) == 5 && Descriptive.populationStandardDeviation(values) == 2)
        // Third central moment (−27 − 1 − 1 − 1 + 0 + 0 + 8 + 64) / 8 = 5.25; over σ³ = 8: 0.65625.
        #expect(abs(Descriptive.absoluteSkewness(values) - 0.65625) < 1e-12)
        // Symmetric about its mean, or not varying at all: no skew.
        #expect(Descriptive.absoluteSkewness([-3, -1, 1, 3]) == 0 && Descriptive.absoluteSkewness([2, 2, 2]) == 0)
        // A mirror image has the same absolute skewness.
        #expect(abs(Descriptive.absoluteSkewness(values.map { -$0 }) - 0.65625) < 1e-12)
        #expect(Descriptive.mean([]).isNaN)
        // 0, 0, 0, 4: mean 1, variance 3, third moment (−1 − 1 − 1 + 27) / 4 = 6; 6 / 3^1.5.
        #expect(abs(Descriptive.absoluteSkewness([0, 0, 0, 4]) - 6 / (3 as Double).squareRoot() / 3) < 1e-12)
    }

    @Test func theSlopeIsTheLeastSquaresTrendWithPosition() {
        #expect(Descriptive.slope([3, 5, 7, 9]) == 2)                 // exactly on a line of slope 2
        #expect(Descriptive.slope([1, 1, 1]) == 0)
        // 1, 3, 2: x̄ = 2, ȳ = 2; Σ(x − x̄)(y − ȳ) = (−1)(−1) + 0 + (1)(0) = 1, Σ(x − x̄)² = 2: slope 0.5.
        #expect(Descriptive.slope([1, 3, 2]) == 0.5)
        // Against given x: log-spaced points on y = 1 − x/2 (the slope a step shrinking as 1/√t has on log axes).
        #expect(abs(Descriptive.slope(x: [0, 1, 3, 7], y: [1, 0.5, -0.5, -2.5]) + 0.5) < 1e-12)
        #expect(Descriptive.slope(x: [2, 2], y: [1, 3]).isNaN && Descriptive.slope(x: [1], y: [1]).isNaN)
        #expect(Descriptive.slope([4]).isNaN)
    }
}
