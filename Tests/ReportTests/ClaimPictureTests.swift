import Foundation
@testable import Plot
import Testing
@testable import Report

/// A claim's evidence in words and as a picture: the plain sentence, what would decide it, the
/// decision strip, and the forest plot's units.
struct ClaimPictureTests {
    /// Dropout's gap claim as the chapter reads it: 1.5 points narrower, interval 0.9 to 2.1 points,
    /// a margin of 0.48 points on 4,700 held-out images, over 20 seeds.
    static let gap = Reading(label: "gap with dropout − without", rule: .paired, unit: .points, estimate: -0.015, low: -0.021,
                             high: -0.009, holds: (-.infinity, -0.0048), margin: 0.0048, marginReason: "paired noise", seeds: 20,
                             images: 4700, verdict: .holds)

    @Test func aReadingSaysItsNumberItsIntervalAndItsNoiseInOneSentence() {
        #expect(Self.gap.sentence == "gap with dropout − without: \u{2212}1.5 points (interval \u{2212}2.1 to \u{2212}0.9 points, 20 seeds); "
                + "a difference within ±0.48 points is noise on 4,700 images")
        #expect(Self.gap.requirement == "below \u{2212}0.5 points")
        let ratio = Reading(label: "Adam / SGD", rule: .paired, unit: .ratio, estimate: log(0.5), low: log(0.4), high: log(0.6),
                            holds: (-.infinity, -log(1.1)), margin: log(1.1), seeds: 5, verdict: .holds)
        #expect(ratio.sentence == "Adam / SGD: 0.50× (interval 0.40× to 0.60×, 5 seeds); a ratio within 1.1× either way is no difference")
        let level = Reading(label: "final loss", rule: .threshold, unit: .number, estimate: 2.2, low: 2.1, high: 2.3,
                            holds: (2.07, .infinity), seeds: 3, verdict: .holds)
        #expect(level.sentence == "final loss: 2.2 (interval 2.1 to 2.3, 3 seeds); it must lie above 2.07")
        // A zero margin sets no images' noise apart.
        var any = Self.gap
        any.margin = 0
        #expect(any.sentence.hasSuffix("20 seeds); any difference beyond the seeds' spread counts (no margin)"))
    }

    @Test func aReadingInUnitsOfItsMarginPointsTheClaimedWayAndKnowsHowClearItIs() throws {
        let m = try #require(Self.gap.inMargins)
        // Turned so that the claim ("lower") points right: −1.5 points is +3.125 margins.
        #expect(abs(m.estimate - 3.125) < 1e-9 && abs(m.low - 1.875) < 1e-9 && abs(m.high - 4.375) < 1e-9 && abs(m.from - 1) < 1e-9)
        #expect(abs(Self.gap.clearance! - 0.0042) < 1e-12 && abs(Self.gap.clearanceInMargins! - 0.875) < 1e-9)
    }

    @Test func anUndecidedReadingSaysHowManySeedsOrImagesWouldDecideIt() throws {
        // +1.2 points, interval +0.2 to +2.2, over 10 seeds, against a margin of 1 point: the interval
        // straddles the margin. Half-width 1.0, 0.2 from the line: about 10 × 25 = 250 seeds.
        let close = Reading(label: "A − B", rule: .paired, unit: .points, estimate: 0.012, low: 0.002, high: 0.022,
                            holds: (0.01, .infinity), margin: 0.01, seeds: 10, images: 1000, verdict: .undecided)
        let text = try #require(close.wouldDecide)
        #expect(text.hasPrefix("about 250 seeds would decide it (towards holds) if the mean stayed at +1.2 points"))
        // The interval clears zero (+0.2), so a margin shrunk to 0.2 points would decide it: 1,000 × 25 images.
        #expect(text.hasSuffix("or about 25,000 evaluation images instead of 1,000, which would shrink the margin to the interval's near end"))
        // A mean on the line itself: no number of seeds moves the interval off it.
        var onTheLine = close
        onTheLine.estimate = 0.01
        #expect(onTheLine.wouldDecide?.hasPrefix("the mean sits on the line it must clear") == true)
        #expect(Self.gap.wouldDecide == nil)
    }

    @Test func aClaimWhoseOnlyPartsAreBesideReadsItsOwnNumbersAndHasItsOwnStrip() throws {
        var course = Self.gap
        course.verdict = .undecided
        let beside = ClaimPart(name: "at the course's rate", verdict: .undecided, rule: .paired, ruleText: "r", evidence: "e",
                               seeds: 3, readings: [course], beside: true)
        let part = ClaimPart(verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 20, readings: [Self.gap],
                             parts: [beside])
        // The sentence is the claim's own reading, not a count of the parts that decide it (none).
        #expect(part.sentence == "holds: " + Self.gap.sentence)
        let claim = Claim(id: "dropout.gap", quote: "q", claim: "c", decision: part)
        let (own, parts) = Report.strips(claim)
        #expect(try #require(own).name == "dropout-gap" && parts.count == 1 && parts[0]?.name == "dropout-gap-part-1")
        // With a deciding part, the claim's row only summarises, and the strips are the parts'.
        let decided = ClaimPart(verdict: .holds, rule: .parts, ruleText: "r", evidence: "e", seeds: nil, parts: [
            ClaimPart(name: "fair", verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 20, readings: [Self.gap]),
            beside,
        ])
        #expect(Report.strips(Claim(id: "a.b", quote: "q", claim: "c", decision: decided)).own == nil)
        #expect(decided.sentence.hasPrefix("holds: decided by fair: holds"))
    }

    @Test func aVerdictOfPartsSaysHowItFollowsAndNamesItsWeakestPart() throws {
        var failing = Self.gap
        failing.estimate = 0.002; failing.low = -0.003; failing.high = 0.007; failing.verdict = .doesNotHold
        let parts = ClaimPart(verdict: .holdsInPart, rule: .parts, ruleText: "r", evidence: "e", seeds: nil, parts: [
            ClaimPart(name: "at 0.01", verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 20, readings: [Self.gap]),
            ClaimPart(name: "at its best", verdict: .doesNotHold, rule: .paired, ruleText: "r", evidence: "e", seeds: 5, readings: [failing]),
        ])
        #expect(parts.howItFollows == "of 2 parts, 1 holds and 1 does not hold")
        #expect(parts.seedCounts == [20, 5])
        let weakest = try #require(parts.weakestReading)
        #expect(weakest.path == ["at its best"] && weakest.reading.verdict == .doesNotHold)
        #expect(parts.sentence.hasPrefix("holds in part: of 2 parts, 1 holds and 1 does not hold; nearest its line, at its best › gap with dropout"))
    }

    @Test func theStripDrawsTheClaimsOwnNumbers() throws {
        let part = ClaimPart(verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 20, readings: [Self.gap])
        let strip = try #require(DecisionStrip(part, name: "dropout-narrows-gap"))
        let marks = strip.figure.panels[0].marks
        let interval = try #require(marks.compactMap { $0 as? IntervalMark }.first)
        #expect(interval.estimate == [Self.gap.estimate] && interval.low == [Self.gap.low!] && interval.high == [Self.gap.high!])
        #expect(interval.color == Claim.Verdict.holds.color)
        // The band of noise is ±margin, and the dashed line is the edge of where the claim holds.
        let band = try #require(marks.compactMap { $0 as? BandMark }.first)
        #expect(band.x == [-Self.gap.margin!, Self.gap.margin!])
        let dashed = marks.compactMap { $0 as? LineMark }.filter { $0.style == .dashed }
        #expect(dashed.map { $0.x } == [[Self.gap.holdsTo, Self.gap.holdsTo]])
        #expect(strip.figure.panels[0].yTickLabels?.map(\.1) == ["n = 20"])
        // And its pixels: the interval's ends where the numbers put them, in the verdict's colour.
        let image = try strip.figure.bitmap(scale: 2)
        for x in [Self.gap.low! + 0.0003, Self.gap.estimate, Self.gap.high! - 0.0003] {
            let p = try strip.figure.position(ofX: x, y: 0, row: 0, column: 0)
            let c = image.rgb(x: Int((p.x * 2).rounded()), y: Int((p.y * 2).rounded()))
            #expect(abs(c.red - 0x1a) < 30 && abs(c.green - 0x7f) < 30 && abs(c.blue - 0x37) < 30, "\(c) at \(x)")
        }
    }

    @Test func aStripOfSeveralReadingsTitlesWhatTheyShareAndLabelsWhatDiffers() throws {
        func rival(_ name: String) -> Reading {
            Reading(label: "AdaGrad / \(name)", rule: .paired, unit: .ratio, estimate: -0.5, low: -0.6, high: -0.4,
                    holds: (-.infinity, -log(1.1)), margin: log(1.1), seeds: 10, verdict: .holds)
        }
        let part = ClaimPart(verdict: .holds, rule: .parts, ruleText: "r", evidence: "e", seeds: nil, parts: [
            ClaimPart(name: "at 500", verdict: .holds, rule: .best, ruleText: "r", evidence: "e", seeds: 10, readings: [rival("SGD"), rival("Adam")]),
        ])
        let strip = try #require(DecisionStrip(part, name: "x"))
        let panel = strip.figure.panels[0]
        #expect(panel.title == "at 500 › AdaGrad / each row")
        #expect(panel.yTickLabels?.map(\.1) == ["SGD", "Adam"])
        #expect(panel.xLabel == "ratio (log scale) · n = 10 each")
    }

    @Test func theForestAxisIsLinearWithinAMarginAndCompressedBeyond() {
        #expect(ReportIndex.forestAxis(0) == 0 && ReportIndex.forestAxis(1) == 1 && ReportIndex.forestAxis(-1) == -1)
        #expect(ReportIndex.forestAxis(3) == 2 && ReportIndex.forestAxis(-15) == -4)
    }

    @Test func theKeyFindingStatesTheNumberItsVerdictReads() {
        let claim = Claim(id: "dropout.narrows-gap", quote: "q", claim: "Dropout narrows the gap.",
                          decision: ClaimPart(verdict: .holds, rule: .paired, ruleText: "r", evidence: "e", seeds: 20, readings: [Self.gap]))
        #expect(Report.finding(claim) == "Dropout narrows the gap: holds; gap with dropout − without \u{2212}1.5 points "
                + "(interval \u{2212}2.1 to \u{2212}0.9 points, 20 seeds) against a noise of ±0.48 points.")
    }

    @Test func aClaimWithItsPartsAndReadingsReadsBackFromResultsJSON() throws {
        let parts = ClaimPart(verdict: .holds, rule: .parts, ruleText: "r", evidence: "e", seeds: nil, parts: [
            ClaimPart(name: "one", verdict: .holds, rule: .paired, ruleText: "r1", evidence: "e1", seeds: 20, readings: [Self.gap], looks: true),
            ClaimPart(name: "two", verdict: .holds, rule: .single, ruleText: "r2", evidence: "e2", seeds: nil),
        ])
        let claim = Claim(id: "x.y", quote: "q", claim: "c", decision: parts, settled: false)
        let back = try #require(Claim(json: claim.json))
        #expect(back == claim)
        #expect(claim.json.objectValue?["seeds"] == .number(20))
    }
}
