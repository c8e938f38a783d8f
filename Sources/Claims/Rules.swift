import Formatting
import Foundation
import Report
import Runs
import Statistics
import Analysis

// The claims engine: every verdict in every report comes from one of these rules. Measurements
// over seeds are judged by an interval of their mean at the sequential plan's level
// (97.5%: a false "holds" spent over four looks), so that three seeds can only settle a
// difference that is large against their spread; a difference smaller than the margin (the
// smallest difference the claim cares about) never settles anything.

/// "97.5%": the level of every interval the rules judge, from the sequential plan.
let intervalLevel = SequentialPlan.claims.levelText

/// Which way a claim says a measurement goes.
public enum Direction: Sendable {
    case lower, higher
}

/// The interval of a mean over seeds at the plan's level, and how many seeds it rests on.
struct Interval {
    let low: Double, high: Double, mean: Double, count: Int

    init?(_ values: [Double], plan: SequentialPlan = .claims) {
        guard let i = plan.interval(values) else { return nil }
        low = i.low; high = i.high; mean = i.mean; count = i.count
    }
}

/// Two measurements on the same seeds as one sample of differences (of the logarithms, for
/// ratios): its interval at the plan's level, and the evidence a paired rule gives. Seeds missing a value on
/// either side are left out, and said.
struct PairedDifference {
    let interval: Interval?
    /// Seeds with a value on both sides.
    let pairs: Int
    /// The mean difference and its interval, "+6.0 points (97.5% interval +2.9 to +9.1 points)".
    let reading: String
    let evidence: String

    /// Each seed's difference (of the logarithms, for ratios), in order: what the interval is of.
    let differences: [Double]

    init(_ a: SeedSummary, _ b: SeedSummary, scale: Scale, names: (String, String), plan: SequentialPlan = .claims) {
        let pairs = zip(a.values, b.values).filter { $0.0.isFinite && $0.1.isFinite }
        self.pairs = pairs.count
        differences = pairs.map { scale.transform($0.0) - scale.transform($0.1) }
        interval = Interval(differences, plan: plan)
        // Seeds both sides were trained on; of those, the ones where a side has no value (it diverged).
        let common = min(a.values.count, b.values.count), left = common - pairs.count
        let note = left > 0 ? "; \(left) of \(common) seeds left out (no value: diverged)" : ""
        let op = { if case .ratio = scale { return " / " } else { return " − " } }()
        reading = interval.map { "\(scale.difference($0.mean)) (\(plan.levelText) interval \(scale.interval($0.low, $0.high)))" + note } ?? ""
        evidence = interval == nil ? "" : "\(names.0)\(op)\(names.1): " + reading
        label = "\(names.0)\(op)\(names.1)"
        unit = scale.differenceUnit
    }

    /// "gap with dropout − without", "AdaGrad / SGD": what the difference is of.
    let label: String
    let unit: Reading.Unit

    /// The difference as a reading of `kind`, which holds where its interval lies inside `holds`.
    func reading(_ kind: RuleKind, holds: (Double, Double), margin: Margin, verdict: Claim.Verdict) -> Reading {
        Reading(label: label, rule: kind, unit: unit, estimate: interval!.mean, low: interval!.low, high: interval!.high, holds: holds,
                margin: margin.value, marginReason: margin.reason, seeds: interval!.count, images: margin.images, shared: margin.shared,
                perSeed: differences, verdict: verdict)
    }
}

extension Decision {
    /// Too few seeds to measure a spread: nothing can be said yet.
    static func tooFew(_ count: Int, kind: RuleKind, rule: String, what: String, plan: SequentialPlan = .claims,
                       reading inputs: [SeedSummary]) -> Decision {
        Decision(.undecided, kind: kind, rule: rule, plan: plan,
                 evidence: "\(what): \(count) seed\(count == 1 ? "" : "s") with a value, too few for an interval", seeds: count,
                 pending: setups(inputs))
    }

    /// The setups of the runs `inputs` were measured on: what more seeds of would decide a rule
    /// that read them and is undecided.
    static func setups(_ inputs: [SeedSummary]) -> Set<TrainingSetup> {
        Set(inputs.flatMap(\.sources).compactMap { $0.key as? TrainingSetup })
    }

    /// "`a` is lower (higher) than `b`", with both measured on the same seeds: each seed's
    /// difference (of the logarithms, for ratios) is one observation. Holds when the interval
    /// of the mean difference lies beyond the margin in the claimed direction; does not hold when
    /// it reaches no further than the margin (the two are the same, or the other way round, within
    /// the noise); undecided otherwise. Seeds missing a value on either side are left out, and said.
    public static func paired(_ a: SeedSummary, _ b: SeedSummary, _ direction: Direction, margin: Margin, scale: Scale,
                              names: (String, String), plan: SequentialPlan = .claims) -> Decision {
        let word = direction == .lower ? "below" : "above"
        let rule = "paired over seeds: holds when the \(plan.levelText) interval of the mean difference lies \(word) the other by more than "
            + "\(scale.margin(margin.value)) (\(margin.reason)); does not hold when it lies no further; undecided in between"
        let difference = PairedDifference(a, b, scale: scale, names: names, plan: plan)
        guard let i = difference.interval else {
            return .tooFew(difference.pairs, kind: .paired, rule: rule, what: "\(names.0) against \(names.1)", plan: plan, reading: [a, b])
        }
        let (near, far) = direction == .lower ? (-i.high, -i.low) : (i.low, i.high)   // in the claimed direction
        let verdict: Claim.Verdict = near > margin.value ? .holds : (far <= margin.value ? .doesNotHold : .undecided)
        let holds = direction == .higher ? (margin.value, Double.infinity) : (-Double.infinity, -margin.value)
        return Decision(verdict, kind: .paired, rule: rule, plan: plan, evidence: difference.evidence, seeds: i.count,
                        readings: [difference.reading(.paired, holds: holds, margin: margin, verdict: verdict)], pending: setups([a, b]))
    }

    /// "`a` is at least as good as `b`", with both measured on the same seeds: holds when the
    /// interval of the mean difference lies above −margin (it may be worse, but by less than the
    /// margin), does not hold when it lies wholly below −margin, undecided in between.
    public static func notWorse(_ a: SeedSummary, _ b: SeedSummary, margin: Margin, scale: Scale, names: (String, String)) -> Decision {
        let rule = "paired over seeds: holds when the \(intervalLevel) interval of the mean difference lies above −\(scale.margin(margin.value)) "
            + "(\(margin.reason)): no worse than that; does not hold when it lies wholly below; undecided in between"
        let difference = PairedDifference(a, b, scale: scale, names: names)
        guard let i = difference.interval else {
            return .tooFew(difference.pairs, kind: .noWorse, rule: rule, what: "\(names.0) against \(names.1)", reading: [a, b])
        }
        let verdict: Claim.Verdict = i.low > -margin.value ? .holds : (i.high < -margin.value ? .doesNotHold : .undecided)
        return Decision(verdict, kind: .noWorse, rule: rule, plan: .claims, evidence: difference.evidence, seeds: i.count,
                        readings: [difference.reading(.noWorse, holds: (-margin.value, .infinity), margin: margin, verdict: verdict)],
                        pending: setups([a, b]))
    }

    /// "`value` lies below (above) `level`": holds when the interval of its mean over seeds lies
    /// wholly on the claimed side of the level, does not hold when it lies wholly on the other,
    /// undecided when it straddles it.
    public static func threshold(_ value: SeedSummary, _ direction: Direction, _ level: Double, levelText: String, scale: Scale,
                                 name: String) -> Decision {
        let word = direction == .lower ? "below" : "above"
        let rule = "over seeds: holds when the \(intervalLevel) interval of the mean lies wholly \(word) \(levelText); does not hold when it lies wholly on the other side; undecided when it straddles it"
        guard let i = Interval(value.values) else {
            return .tooFew(value.present.count, kind: .threshold, rule: rule, what: name, reading: [value])
        }
        let claimed = direction == .lower ? i.high < level : i.low > level
        let other = direction == .lower ? i.low >= level : i.high <= level
        let evidence = "\(name): \(scale.value(i.mean)) (\(intervalLevel) interval \(scale.value(i.low)) to \(scale.value(i.high))) against \(levelText)"
        let verdict: Claim.Verdict = claimed ? .holds : (other ? .doesNotHold : .undecided)
        let holds = direction == .higher ? (level, Double.infinity) : (-Double.infinity, level)
        return Decision(verdict, kind: .threshold, rule: rule, plan: .claims, evidence: evidence, seeds: i.count,
                        readings: [Reading(label: name, rule: .threshold, unit: scale.valueUnit, estimate: i.mean, low: i.low, high: i.high,
                                           holds: holds, seeds: i.count, perSeed: value.present, verdict: verdict)],
                        pending: setups([value]))
    }

    /// "`value` lies in `range`": holds when the interval of its mean lies inside the range,
    /// does not hold when it lies wholly outside, undecided when it crosses an end.
    public static func within(_ value: SeedSummary, _ range: ClosedRange<Double>, rangeText: String, scale: Scale, name: String) -> Decision {
        let rule = "over seeds: holds when the \(intervalLevel) interval of the mean lies inside \(rangeText); does not hold when it lies wholly outside; undecided when it crosses an end"
        guard let i = Interval(value.values) else { return .tooFew(value.present.count, kind: .range, rule: rule, what: name, reading: [value]) }
        let inside = range.contains(i.low) && range.contains(i.high)
        let outside = i.high < range.lowerBound || i.low > range.upperBound
        let evidence = "\(name): \(scale.value(i.mean)) (\(intervalLevel) interval \(scale.value(i.low)) to \(scale.value(i.high)))"
        let verdict: Claim.Verdict = inside ? .holds : (outside ? .doesNotHold : .undecided)
        return Decision(verdict, kind: .range, rule: rule, plan: .claims, evidence: evidence, seeds: i.count,
                        readings: [Reading(label: name, rule: .range, unit: scale.valueUnit, estimate: i.mean, low: i.low, high: i.high,
                                           holds: (range.lowerBound, range.upperBound), seeds: i.count, perSeed: value.present,
                                           verdict: verdict)],
                        pending: setups([value]))
    }

    /// "`a` and `b` are practically the same": the paired differences' interval lies within
    /// ±margin (holds), wholly beyond it on one side (does not hold), or crosses it (undecided).
    public static func equivalent(_ a: SeedSummary, _ b: SeedSummary, margin: Margin, scale: Scale, names: (String, String)) -> Decision {
        let bound = margin.value
        let rule = "over seeds: holds when the \(intervalLevel) interval of the mean difference lies inside ±\(scale.margin(bound)) "
            + "(\(margin.reason)); does not hold when it lies wholly outside; undecided when it crosses an end"
        let difference = PairedDifference(a, b, scale: scale, names: names)
        guard let i = difference.interval else {
            return .tooFew(difference.pairs, kind: .equivalence, rule: rule, what: "\(names.0) against \(names.1)", reading: [a, b])
        }
        let inside = i.low >= -bound && i.high <= bound, outside = i.high < -bound || i.low > bound
        let verdict: Claim.Verdict = inside ? .holds : (outside ? .doesNotHold : .undecided)
        let op = { if case .ratio = scale { return " / " } else { return " − " } }()
        return Decision(verdict, kind: .equivalence, rule: rule, plan: .claims,
                        evidence: "\(names.0)\(op)\(names.1): \(scale.difference(i.mean)) (\(intervalLevel) interval \(scale.interval(i.low, i.high)))",
                        seeds: i.count, readings: [difference.reading(.equivalence, holds: (-bound, bound), margin: margin, verdict: verdict)],
                        pending: setups([a, b]))
    }

    /// A claim made of several parts, combined as `meaning` says (fixed before the parts are judged):
    /// by default every part is part of the claim. An undecided part keeps the claim undecided only
    /// while its outcome could still change the verdict (`PartsMeaning.verdict(of:)`).
    public static func parts(_ parts: [(String, Decision)], meaning: PartsMeaning = .every) -> Decision {
        let verdict = meaning.verdict(of: parts.map(\.1.verdict))
        // Each distinct rule once, with the parts it decides.
        var rules: [(rule: String, parts: [String])] = []
        for (name, decision) in parts {
            if let i = rules.firstIndex(where: { $0.rule == decision.ruleCore }) { rules[i].parts.append(name) } else { rules.append((decision.ruleCore, [name])) }
        }
        let each = rules.count == 1 ? "Each part: " + rules[0].rule
            : rules.map { "\($0.parts.joined(separator: ", ")): \($0.rule)" }.joined(separator: "; ")
        let rule = parts.count == 1 ? parts[0].1.ruleCore
            : "in \(parts.count) parts, fixed before they were judged: \(meaning.text); an undecided part leaves it undecided "
                + "only while its outcome could change the verdict. " + each
        let evidence = parts.map { "\($0.0): \($0.1.verdict.rawValue) (\($0.1.evidence))" }.joined(separator: "; ")
        // Only an undecided verdict grows seeds, and only those of the parts still open.
        let open = parts.filter { $0.1.verdict == .undecided }
        return Decision(verdict, kind: .parts, rule: rule, plan: parts.lazy.compactMap(\.1.plan).first, evidence: evidence, seeds: nil,
                        parts: parts.map { (name: $0.0, decision: $0.1) }, meaning: meaning,
                        pending: open.reduce(into: Set()) { $0.formUnion($1.1.pending) })
    }

    /// "`name` is the lowest (highest) of all": a paired comparison against each of `others`. Holds
    /// when it is ahead of every one; does not hold when it is not ahead of some one (by the paired
    /// rule: the same within the margin, or behind); undecided otherwise.
    public static func best(_ name: String, _ value: SeedSummary, over others: [(String, SeedSummary)], _ direction: Direction,
                            margin: Margin, scale: Scale) -> Decision {
        let each = others.map { other in (other.0, paired(value, other.1, direction, margin: margin, scale: scale, names: (name, other.0))) }
        let verdict: Claim.Verdict = each.allSatisfy { $0.1.verdict == .holds } ? .holds
            : (each.contains { $0.1.verdict == .doesNotHold } ? .doesNotHold : .undecided)
        let rule = "against each of the others in turn, \(each.first?.1.ruleCore ?? ""); holds when ahead of all, does not hold when not ahead of one, undecided otherwise"
        let evidence = each.map { "\($0.1.verdict == .holds ? "ahead of" : ($0.1.verdict == .doesNotHold ? "not ahead of" : "unresolved against")) \($0.0) (\($0.1.evidence))" }
            .joined(separator: "; ")
        let readings = each.flatMap(\.1.readings)
        return Decision(verdict, kind: .best, rule: rule, plan: .claims, evidence: evidence,
                        seeds: readings.isEmpty ? each.compactMap(\.1.seeds).min() : readings.compactMap(\.seeds).min(), readings: readings,
                        pending: setups([value] + others.map(\.1)))
    }

    /// A single number without seeds (a path on a surface) against a level: holds beyond the level
    /// by more than `tolerance`, does not hold short of it by more than `tolerance`; within the
    /// tolerance it is a tie, and undecided.
    public static func value(_ v: Double, _ direction: Direction, _ level: Double, tolerance: Double, name: String, digits: Int = 3) -> Decision {
        let word = direction == .lower ? "below" : "above"
        let rule = "one measurement, no seeds: holds when it lies \(word) \(plain(level, digits: digits)) by more than \(plain(tolerance, digits: 2)), does not hold when it lies on the other side by more, and a tie within that is undecided"
        let beyond = direction == .lower ? v < level - tolerance : v > level + tolerance
        let short = direction == .lower ? v > level + tolerance : v < level - tolerance
        let verdict: Claim.Verdict = beyond ? .holds : (short ? .doesNotHold : .undecided)
        let holds = direction == .higher ? (level + tolerance, Double.infinity) : (-Double.infinity, level - tolerance)
        return Decision(verdict, kind: .single, rule: rule, plan: nil,
                        evidence: "\(name): \(plain(v, digits: digits)) against \(plain(level, digits: digits))", seeds: nil,
                        readings: [Reading(label: name, rule: .single, unit: .number, estimate: v, low: nil, high: nil, holds: holds,
                                           seeds: nil, verdict: verdict)])
    }

    /// "`name`'s number is the lowest": single numbers without seeds, ties within a relative
    /// `tolerance` counted as ties. Holds when no other is lower by more than the tolerance.
    public static func lowest(_ name: String, _ v: Double, among others: [(String, Double)], relativeTolerance tolerance: Double,
                              digits: Int = 4) -> Decision {
        let lower = others.filter { $0.1 < v * (1 - tolerance) }
        let ties = others.filter { abs($0.1 - v) <= v * tolerance }
        let rule = "one measurement each, no seeds: holds when no other is lower by more than \(Format.percent(tolerance, decimals: 0)) (closer than that is a tie)"
        var evidence = "\(name) \(Format.number(v, digits: digits))"
        if !ties.isEmpty { evidence += "; tied within \(Format.percent(tolerance, decimals: 0)): " + ties.map { "\($0.0) \(Format.number($0.1, digits: digits))" }.joined(separator: ", ") }
        if !lower.isEmpty { evidence += "; lower: " + lower.map { "\($0.0) \(Format.number($0.1, digits: digits))" }.joined(separator: ", ") }
        let verdict: Claim.Verdict = lower.isEmpty ? .holds : .doesNotHold
        // One number: this one over the lowest of the others, which must not exceed 1 by more than the tolerance.
        let lowest = others.map(\.1).min() ?? v
        return Decision(verdict, kind: .single, rule: rule, plan: nil, evidence: evidence, seeds: nil,
                        readings: [Reading(label: "\(name) / the lowest of the others", rule: .single, unit: .ratio, estimate: log(v / lowest),
                                           low: nil, high: nil, holds: (-.infinity, -log(1 - tolerance)), seeds: nil, verdict: verdict)])
    }
}

extension SeedSummary {
    /// The same values with every missing one (a diverged run) replaced by `value`: for a measure
    /// where a run that diverged has a meaning (its accuracy is chance).
    public func replacingMissing(with value: Double) -> SeedSummary {
        map { $0.isFinite ? $0 : value }
    }
}

extension Decision {
    /// "`a`'s gap between training accuracy and accuracy on unseen images is narrower than `b`'s",
    /// paired over seeds, where the runs end. Judged on the held-out images when both groups
    /// measured them (`Probe.heldOut`), with the margin their resolution; otherwise on the test set.
    /// The evidence gives the test set's reading beside it, as the course measured it.
    public static func narrowerGap(_ a: RunGroup, _ b: RunGroup, names: (String, String), testImages: Int) -> Decision {
        let onTest = paired(a.finalGap, b.finalGap, .lower, margin: .testDifference(a, b, testImages: testImages),
                            scale: .accuracy, names: names)
        let testReading = PairedDifference(a.finalGap, b.finalGap, scale: .accuracy, names: names).reading
        guard let images = a.heldOutImages, a.heldOutAccuracy.isComplete, b.heldOutAccuracy.isComplete else { return onTest }
        let what = "held-out images (the \(testImages.formatted()) test images and the training images no run uses)"
        let margin = Margin.difference(a.heldOutCorrectness, b.heldOutCorrectness,
                                       accuracies: (a.heldOutAccuracy, b.heldOutAccuracy), on: images, images: what)
        let held = paired(a.heldOutGap, b.heldOutGap, .lower, margin: margin, scale: .accuracy, names: names)
        return held.explained("on \(images.formatted()) held-out images, ")
            .evidence(held.evidence + "; on the \(testImages.formatted()) test images alone: " + testReading)
    }
}

extension Decision {
    /// A claim about runs that have finished learning, judged on runs that have not settled: it stays
    /// undecided, with what the runs show as they stand beside it.
    public static func unsettled(_ asTheyStand: Decision) -> Decision {
        Decision(.undecided, kind: asTheyStand.kind, rule: "judged only on runs that have settled; these have not, so it stays "
                 + "undecided until longer runs settle. " + asTheyStand.ruleCore, plan: asTheyStand.plan,
                 evidence: "the runs have not settled; as they stand, " + asTheyStand.verdict.rawValue + " (" + asTheyStand.evidence + ")",
                 seeds: nil, beside: [(name: "on the runs as they stand, not settled", decision: asTheyStand)], meaning: .every)
    }

    /// A sentence nothing here can measure: the verdict says so, and `why` says what it would take.
    public static func notTestable(_ why: String) -> Decision {
        Decision(.notTestable, kind: .notTestable, rule: "not testable here: \(why)", plan: nil,
                 evidence: "none: nothing this project measures bears on it", seeds: nil)
    }
}

extension Margin {
    /// The noise of the difference between two groups' test accuracies where their runs end, seed by
    /// seed on the same images (`difference`).
    public static func testDifference(_ a: RunGroup, _ b: RunGroup, testImages: Int) -> Margin {
        difference(a.finalTestCorrectness, b.finalTestCorrectness, accuracies: (a.finalTestAccuracy, b.finalTestAccuracy),
                   on: testImages, images: "test images")
    }
}
